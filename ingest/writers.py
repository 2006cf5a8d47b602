"""Writers: every output goes through a temporary file and an atomic rename.

A run killed half-way therefore leaves either the old file or the new one,
never a truncated one.  CSV is UTF-8 with a BOM so Excel opens Chinese text
correctly, and cells that Excel would run as formulas are defused.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from duty_lists.schema.fields import BY_KEY
from duty_lists.schema.records import LIST_TYPES, Document, Item

#: Item keys in contract order, then the document-level columns.
ITEM_COLUMNS: tuple[str, ...] = tuple(Item.model_fields)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _public(path: Path | str, directory: bool = False) -> None:
    """Give a temporary file or folder the mode a plain ``open`` would have:
    mkstemp/mkdtemp make them private (0600/0700), which would hide the
    results from colleagues sharing the output folder."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


@contextmanager
def atomic_open(path: Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """A handle on a temporary sibling of ``path`` that replaces ``path`` on
    success and vanishes on failure — so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        _public(tmp)
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str, *, bom: bool = False) -> None:
    atomic_write_bytes(path, (("\ufeff" if bom else "") + text).encode("utf-8"))


def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: What an Office file's ZIP members and core properties are dated: a fixed
#: time, so the same content always gives the same bytes.
FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)


def deterministic_zip(data: bytes, when: datetime = FIXED_TIME) -> bytes:
    """An Office file (a ZIP) with its save times fixed to ``when``: member
    times and docProps/core.xml's created/modified, which writers set to "now"."""
    zip_time = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    core_time = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            if name == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + core_time, content)
            archive.writestr(zipfile.ZipInfo(name, date_time=zip_time), content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def safe_cell(value: str) -> str:
    """Defuse a cell Excel would evaluate (``=cmd|…``) by prefixing an apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def cell_text(key: str, value: object) -> str:
    """One item value as CSV text: departments/pages joined with 、, steps with newlines."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if key == "provenance" and isinstance(value, list):
        return "、".join(f"{ref['page']}:{ref['row']}" for ref in value)
    if isinstance(value, dict):  # extra, ocr_confidence: JSON, or empty when there is nothing
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if isinstance(value, list):
        spec = BY_KEY.get(key)
        return (spec.joiner if spec and spec.joiner else "、").join(str(v) for v in value)
    return str(value)


def csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def item_rows(doc: Document, list_type: str, with_list_type: bool = False) -> list[list[str]]:
    dl = doc.get_list(list_type)
    rows = []
    for item in dl.items if dl else []:
        data = item.model_dump(mode="json")
        row = [cell_text(key, data[key]) for key in ITEM_COLUMNS] + [doc.issuer]
        if with_list_type:
            row.append(list_type)
        rows.append(row)
    return rows


def document_files(doc: Document, extra_files: dict[str, str] | None = None) -> dict[str, bytes]:
    """One document's output folder as ``{file name: bytes}``, built in memory."""
    files = {"document.json": to_json(doc.model_dump(mode="json")).encode("utf-8")}
    for list_type in LIST_TYPES:
        text = "\ufeff" + csv_text((*ITEM_COLUMNS, "issuer"), item_rows(doc, list_type))
        files[f"{list_type}.csv"] = text.encode("utf-8")
    for name, text in (extra_files or {}).items():
        files[name] = text.encode("utf-8")
    return files


def commit_folder(target: Path, files: dict[str, bytes]) -> None:
    """Replace ``target`` with a folder holding ``files``, as one rename
    (:func:`stage_folder`, then :func:`swap_in`)."""
    swap_in(target, stage_folder(target, files))


def stage_folder(target: Path, files: dict[str, bytes]) -> Path:
    """``files`` written into a new sibling ``.NAME.*.tmp`` folder of ``target``; its path.

    A kill leaves at worst such a folder, which the next run sweeps away.
    """
    if not target.parent.is_dir():  # a stat, not a failing mkdir per document
        target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        _public(staging, directory=True)
        for name, data in files.items():
            (staging / name).write_bytes(data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap_in(target: Path, staging: Path) -> None:
    """Replace ``target`` with the staged folder.  A kill leaves the old
    folder, the new one, or (between the two renames) none plus a ``.old``
    copy — never a mix of old and new files."""
    try:
        old = target.with_name(f".{target.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def remove_folder(target: Path) -> None:
    """Drop an output folder that no longer matches its input, via a rename so
    a kill never leaves half of it."""
    if not target.exists():
        return
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    os.replace(target, old)
    shutil.rmtree(old, ignore_errors=True)

