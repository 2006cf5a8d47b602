"""``all_items.csv``: every document's items in one table, rebuilt from the folders on disk.

Rebuilt at the end of every run from what is on disk — not from what this
run processed — so skipped, resumed and reprocessed documents all count, in
input-path order.  It runs after the last document, alone, so its speed is
the serial end of every batch.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from duty_lists.ingest.batch.manifest import ManifestEntry
from duty_lists.ingest.writers import ITEM_COLUMNS, atomic_open, csv_text, item_rows, safe_cell
from duty_lists.schema.records import LIST_TYPES, Document

ALL_ITEMS_COLUMNS = (*ITEM_COLUMNS, "issuer", "list_type")


def rebuild_all_items(out_dir: Path, entries: list[ManifestEntry]) -> None:
    """``all_items.csv`` from the folders on disk, streamed one document at a time.

    Holding every document at once does not scale to tens of thousands of
    inputs.  A document's rows are its per-list CSV rows plus ``list_type``
    (both come from :func:`item_rows`), so they are copied from those CSVs:
    as text where the copy is provably exact (:func:`_copied_rows`), parsed
    and rewritten otherwise, and from ``document.json`` when a folder's CSV
    header differs (written by another version).  This runs after the last
    document, alone, so its speed is the serial end of every batch.
    """
    with atomic_open(out_dir / "all_items.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(ALL_ITEMS_COLUMNS)
        for entry in sorted(entries, key=lambda e: e.path):
            folder = out_dir / entry.stem
            if entry.ok and (folder / "document.json").is_file():
                texts = list_texts(folder)
                copied = _copied_rows(texts, entry.counts or {}) if texts else None
                if copied is not None:
                    handle.write(copied)
                else:
                    writer.writerows(_document_rows(folder, texts))


#: The per-list CSVs' header line, as :func:`ingest.writers.csv_text` writes it.
_LIST_HEADER = csv_text(ALL_ITEMS_COLUMNS[:-1], []).removesuffix("\r\n")


def list_texts(folder: Path) -> dict[str, str] | None:
    """A document folder's per-list CSVs as text, read once for both ways
    of copying them; ``None`` when one is missing or unreadable."""
    texts = {}
    for list_type in LIST_TYPES:
        try:
            # bytes, not read_text: universal newlines would fold a \r\n inside a cell away
            texts[list_type] = (folder / f"{list_type}.csv").read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
    return texts


def _copied_rows(texts: dict[str, str], counts: dict[str, int]) -> str | None:
    """The document's ``all_items`` rows as CSV text, each per-list record with
    ``,list_type`` put before its line end — or ``None`` when that would not be
    exact.  It is exact when a list's CSV holds exactly one carriage return per
    item: then every ``\\r\\n`` ends a record (cells may hold bare ``\\n``), and
    a ``list_type`` never needs quoting."""
    parts = []
    for list_type in LIST_TYPES:
        header, _, body = texts[list_type].partition("\r\n")
        count = counts.get(list_type)
        if header != _LIST_HEADER or count is None or body.count("\r") != count or body.count("\r\n") != count:
            return None
        parts.append(body.replace("\r\n", f",{list_type}\r\n"))
    return "".join(parts)


def _document_rows(folder: Path, texts: dict[str, str] | None) -> Iterator[list[str]]:
    """The rows parsed from the per-list CSVs, or from ``document.json`` when
    those are missing or written by another version (another header)."""
    per_list: list[tuple[str, list[list[str]]]] = []
    for list_type, text in (texts or {}).items():
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows or tuple(rows[0]) != ALL_ITEMS_COLUMNS[:-1]:
            break
        per_list.append((list_type, rows[1:]))
    else:
        if texts:
            for list_type, rows in per_list:
                for row in rows:
                    yield [*row, list_type]  # cells were defused when the per-list CSV was written
            return
    doc = Document.model_validate_json((folder / "document.json").read_bytes())
    for list_type in LIST_TYPES:
        for row in item_rows(doc, list_type, with_list_type=True):
            yield [safe_cell(cell) for cell in row]
