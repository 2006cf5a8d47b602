"""One canonical dataset from many ``duty-lists run`` output folders.

Files written into the dataset folder, each atomically (temporary file, then
``os.replace``), byte-identical for identical inputs:

``items.csv`` / ``items.parquet``
    one row per item, sorted by issuer, list (basic, cooperative, reclaimed),
    seq.  ``item_id`` = ``sha1("issuer|list_type|seq")[:16]`` — stable across
    rebuilds and across re-parses of the same town; when a list repeats a
    seq (a printing error the checks report), later occurrences get
    ``|2``, ``|3`` … appended before hashing.  ``content_hash`` =
    ``sha256`` of the item's content fields (:meth:`Item.content` without
    ``seq``, canonical JSON)[:16]: equal for the same item renumbered, so a
    renamed or edited item is one where the id stays and the hash moves.
    Lists join with 、, steps with a line break; ``extra`` is JSON.  The CSV is
    UTF-8 with a BOM (Excel) and defuses cells starting ``= + - @`` with an
    apostrophe; the Parquet file holds the plain values.
``towns.csv``
    one row per town (issuer): how many versions, the latest one's source,
    counts per list and findings by severity, and every version's source
    (:mod:`ingest.analysis.towns` says which version is the latest).
``departments.csv``
    departments named in items, variants grouped as the department check
    groups them (:func:`department_records`).
``datapackage.json``
    a Frictionless descriptor of every resource, field and type.
``lists.xlsx``
    the run's workbook (:mod:`ingest.report.workbook`) for every document at
    once, each row naming its issuer: what a reviewer opens in Excel.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from duty_lists.ingest.analysis.towns import group_towns
from duty_lists.ingest.batch.manifest import MANIFEST, ManifestError, load_manifest
from duty_lists.ingest.report.workbook import workbook_bytes
from duty_lists.ingest.writers import ITEM_COLUMNS, atomic_write_bytes, atomic_write_text, cell_text, csv_text, safe_cell
from duty_lists.schema.checks.departments import iter_mentions
from duty_lists.schema.departments.registry import DepartmentRegistry
from duty_lists.schema.records import LIST_TYPES, Document, Item

ITEM_FIELDS: tuple[str, ...] = ("item_id", "content_hash", "issuer", "list_type", *ITEM_COLUMNS, "source_path", "source_sha256")
TOWN_FIELDS: tuple[str, ...] = (
    "issuer", "versions", "source_path", "source_format", "source_sha256", "source_pages",
    *(f"items_{t}" for t in LIST_TYPES), "items_total", "findings_error", "findings_warning", "all_source_paths",
)
DEPARTMENT_FIELDS: tuple[str, ...] = ("canonical", "variants", "count", "towns")
INTEGER_FIELDS = frozenset({"seq", "versions", "source_pages", "items_total", "findings_error", "findings_warning", "count", "towns",
                            *(f"items_{t}" for t in LIST_TYPES)})


class DatasetError(Exception):
    """Inputs that cannot make one dataset; the message names the files."""


def csv_safe(value: object) -> object:
    """A value for a CSV cell: text defused against formulas, numbers as they are."""
    return safe_cell(value) if isinstance(value, str) else value


# --------------------------------------------------------------------------- inputs


def find_documents(out_dir: Path) -> list[Path]:
    """The ``document.json`` files of a run folder, sorted.

    With a manifest, only inputs whose last run succeeded count: a folder
    left from an earlier successful run of an input that now fails is stale.
    """
    manifest = out_dir / MANIFEST
    if manifest.is_file():
        try:
            stems = {entry.stem for entry in load_manifest(manifest).inputs if entry.ok}
        except ManifestError as exc:
            raise DatasetError(str(exc)) from exc
        return sorted(p for stem in stems if (p := out_dir / stem / "document.json").is_file())
    return sorted(out_dir.glob("*/document.json"))


def load_documents(out_dirs: Sequence[Path]) -> list[Document]:
    """Every document of the run folders, in version order: the folders as
    given, then by source path within a folder (see :mod:`ingest.analysis.towns`)."""
    docs: list[Document] = []
    for out_dir in out_dirs:
        if not out_dir.is_dir():
            raise DatasetError(f"{out_dir}: not a folder")
        in_folder = []
        for path in find_documents(out_dir):
            try:
                in_folder.append(Document.model_validate_json(path.read_bytes()))
            except ValueError as exc:
                raise DatasetError(f"{path}: not a duty-lists document.json ({type(exc).__name__})") from exc
        docs.extend(sorted(in_folder, key=lambda d: d.source.path))
    # Several versions (or formats) of one town are welcome: their items share
    # ids, and the content hash shows what changed.  The same source read
    # twice (one file in two run folders) is one document, at its last place.
    unique: dict[str, Document] = {}
    for doc in docs:
        unique.pop(doc.source.sha256, None)
        unique[doc.source.sha256] = doc
    return list(unique.values())


# --------------------------------------------------------------------------- items


def content_hash(item: Item) -> str:
    content = item.content()
    content.pop("seq")
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def item_records(docs: Iterable[Document]) -> list[dict[str, object]]:
    """One dict per item, keys :data:`ITEM_FIELDS`, values as the CSV shows them."""
    rows: list[dict[str, object]] = []
    for doc in docs:
        for list_type in LIST_TYPES:
            dl = doc.get_list(list_type)
            used: Counter[str] = Counter()
            for item in sorted(dl.items if dl else [], key=lambda it: it.seq):  # stable: repeats keep their order
                key = f"{doc.issuer}|{list_type}|{item.seq}"
                used[key] += 1
                if used[key] > 1:
                    key += f"|{used[key]}"
                data = item.model_dump(mode="json")
                row: dict[str, object] = {
                    "item_id": hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
                    "content_hash": content_hash(item),
                    "issuer": doc.issuer,
                    "list_type": list_type,
                }
                row |= {k: data[k] if k in ("seq", "discontinued") else cell_text(k, data[k]) for k in ITEM_COLUMNS}
                row |= {"source_path": doc.source.path, "source_sha256": doc.source.sha256}
                rows.append(row)
    return rows


def town_records(docs: Sequence[Document]) -> list[dict[str, object]]:
    """One row per town (issuer), sorted by issuer: how many versions, and
    the latest one's source, counts and findings."""
    rows = []
    for town in sorted(group_towns(docs), key=lambda t: t.issuer):
        doc = town.latest
        counts = {t: len(dl.items) if (dl := doc.get_list(t)) else 0 for t in LIST_TYPES}
        rows.append({
            "issuer": town.issuer, "versions": len(town.versions), "source_path": doc.source.path,
            "source_format": doc.source.format, "source_sha256": doc.source.sha256, "source_pages": doc.source.pages,
            **{f"items_{t}": n for t, n in counts.items()}, "items_total": sum(counts.values()),
            "findings_error": sum(f.severity == "error" for f in doc.findings),
            "findings_warning": sum(f.severity == "warning" for f in doc.findings),
            "all_source_paths": "\n".join(version.source.path for version in town.versions),
        })
    return rows


# --------------------------------------------------------------------------- departments


def department_records(docs: Iterable[Document]) -> list[dict[str, object]]:
    """One row per department named in ``docs``, most mentioned first.

    Names are grouped exactly as the department check groups them
    (:class:`~schema.departments.registry.DepartmentRegistry` over
    :func:`~schema.checks.departments.iter_mentions`: department columns and
    the department labels of duty steps), so ``departments.csv`` and the
    report agree.  ``variants`` are the names as compared (a vague tail such
    as 等 and a second nameplate in brackets off), ``count`` their mentions,
    ``towns`` the issuers that mention any of them.
    """
    registry = DepartmentRegistry()
    towns: dict[str, set[str]] = {}
    for doc in docs:
        for mention in iter_mentions(doc):
            parsed = registry.add(mention.printed)
            if parsed is not None and parsed.stem:
                towns.setdefault(parsed.name, set()).add(doc.issuer)
    rows: list[tuple[int, str, dict[str, object]]] = []  # (count, canonical, row)
    for group in registry.groups():
        variants = sorted((name for name in group.names if registry.mentions(name)), key=lambda v: (-registry.mentions(v), v))
        if variants:
            seen = set().union(*(towns.get(v, set()) for v in variants))
            count = sum(registry.mentions(v) for v in variants)
            rows.append((count, group.canonical, {"canonical": group.canonical, "variants": "、".join(variants),
                                                  "count": count, "towns": len(seen)}))
    return [row for _, _, row in sorted(rows, key=lambda r: (-r[0], r[1]))]


# --------------------------------------------------------------------------- output


def frictionless_type(name: str) -> str:
    if name == "discontinued":
        return "boolean"
    return "integer" if name in INTEGER_FIELDS else "string"


def table_schema(fields: Sequence[str], key: Sequence[str] = ()) -> dict[str, object]:
    schema: dict[str, object] = {"fields": [{"name": f, "type": frictionless_type(f)} for f in fields]}
    if key:
        schema["primaryKey"] = list(key)
    return schema


def datapackage(name: str = "duty-lists") -> dict[str, object]:
    csv_dialect = {"csv": {"delimiter": ",", "quoteChar": '"'}}
    # An item id names the same item in every version of a town's lists, so a
    # row is one item in one source document.
    items_schema = table_schema(ITEM_FIELDS, ("item_id", "source_sha256"))
    return {
        "name": name,
        "title": "乡镇（街道）履行职责事项清单 — duty-list items",
        "resources": [
            {"name": "items", "path": "items.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
             "dialect": csv_dialect, "schema": items_schema},
            {"name": "items-parquet", "path": "items.parquet", "format": "parquet",
             "mediatype": "application/vnd.apache.parquet", "schema": items_schema},
            {"name": "towns", "path": "towns.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
             "dialect": csv_dialect, "schema": table_schema(TOWN_FIELDS, ("issuer",))},
            {"name": "departments", "path": "departments.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8-sig", "dialect": csv_dialect, "schema": table_schema(DEPARTMENT_FIELDS, ("canonical",))},
        ],
    }


def csv_bytes(fields: Sequence[str], rows: Sequence[dict[str, object]]) -> str:
    cells = [["true" if v is True else "false" if v is False else str(v) for v in (row[f] for f in fields)] for row in rows]
    return csv_text(fields, cells)  # defuses formulas in every cell (csv_safe)


def parquet_bytes(rows: Sequence[dict[str, object]]) -> bytes:
    """The items as Parquet, built with pyarrow directly (no pandas metadata).

    Checked: pyarrow writes no timestamp; its footer's ``created_by`` names
    the pyarrow version, so bytes are equal for one pyarrow version.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"seq": pa.int64(), "discontinued": pa.bool_()}
    schema = pa.schema([(f, types.get(f, pa.string())) for f in ITEM_FIELDS])
    table = pa.table({f: [row[f] for row in rows] for f in ITEM_FIELDS}, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def build_dataset(out_dirs: Sequence[Path], into: Path) -> dict[str, int]:
    """Write the dataset files into ``into``; returns row counts per table."""
    versions = load_documents(out_dirs)
    docs = sorted(versions, key=lambda d: (d.issuer, d.source.path))
    items, towns, departments = item_records(docs), town_records(versions), department_records(docs)
    into.mkdir(parents=True, exist_ok=True)
    atomic_write_text(into / "items.csv", csv_bytes(ITEM_FIELDS, items), bom=True)
    atomic_write_bytes(into / "items.parquet", parquet_bytes(items))
    atomic_write_text(into / "towns.csv", csv_bytes(TOWN_FIELDS, towns), bom=True)
    atomic_write_text(into / "departments.csv", csv_bytes(DEPARTMENT_FIELDS, departments), bom=True)
    atomic_write_text(into / "datapackage.json", json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n")
    atomic_write_bytes(into / "lists.xlsx", workbook_bytes(docs))
    return {"items": len(items), "towns": len(towns), "departments": len(departments)}
