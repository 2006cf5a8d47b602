"""``all_items.csv``: every document's items in one table, rebuilt from the folders on disk.

Rebuilt at the end of every run from what is on disk — not from what this
run processed — so skipped, resumed and reprocessed documents all count, in
input-path order.  It runs after the last document, alone, so its speed is
the serial end of every batch.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from duty_lists.ingest.batch.manifest import ManifestEntry
from duty_lists.ingest.writers import ITEM_COLUMNS, atomic_open, csv_text, item_rows, safe_cell
from duty_lists.schema.records import LIST_TYPES, Document

ALL_ITEMS_COLUMNS = (*ITEM_COLUMNS, "issuer", "list_type")


def rebuild_all_items(out_dir: Path, entries: list[ManifestEntry]) -> None:
    """``all_items.csv`` from the folders on disk, streamed one document at a time.

    Holding every document at once does not scale to tens of thousands of
    inputs.  A document's rows are its per-list CSV records with
    ``,list_type`` put before each line end (:func:`copied_rows`), where that
    is exact; otherwise they are rendered from its ``document.json``.

    Measured on the 200-document bench batch (26,600 items, a loaded 2-core
    machine): the text copy 83–173 ms, parsing the CSVs with the csv module
    and writing them again 362–405 ms, rendering every ``document.json``
    about 1 s.  The copy is kept because the difference (0.3 s) is about 7 %
    of that batch's ``--jobs 2`` wall time and would take the bench's
    parallel speed-up below its target; the csv-module path it used to fall
    back on is gone (a cell holding a carriage return now takes the
    ``document.json`` path, as a folder written by another version does).
    """
    with atomic_open(out_dir / "all_items.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(ALL_ITEMS_COLUMNS)
        for entry in sorted(entries, key=lambda e: e.path):
            folder = out_dir / entry.stem
            if entry.ok and (folder / "document.json").is_file():
                copied = copied_rows(folder, entry.counts or {})
                if copied is not None:
                    handle.write(copied)
                else:
                    writer.writerows(rendered_rows(folder))


#: The per-list CSVs' header line, as :func:`ingest.writers.csv_text` writes it.
_LIST_HEADER = csv_text(ALL_ITEMS_COLUMNS[:-1], []).removesuffix("\r\n")


def copied_rows(folder: Path, counts: dict[str, int]) -> str | None:
    """The document's ``all_items`` rows as CSV text, each per-list record with
    ``,list_type`` put before its line end — or ``None`` when that would not be
    exact.  It is exact when a list's CSV has this version's header and holds
    exactly one carriage return per item (``counts``, from the manifest): then
    every ``\\r\\n`` ends a record (cells may hold bare ``\\n``), and a
    ``list_type`` never needs quoting."""
    parts = []
    for list_type in LIST_TYPES:
        try:
            # bytes, not read_text: universal newlines would fold a \r\n inside a cell away
            text = (folder / f"{list_type}.csv").read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        header, _, body = text.partition("\r\n")
        count = counts.get(list_type)
        if header != _LIST_HEADER or count is None or body.count("\r") != count or body.count("\r\n") != count:
            return None
        parts.append(body.replace("\r\n", f",{list_type}\r\n"))
    return "".join(parts)


def rendered_rows(folder: Path) -> Iterator[list[str]]:
    """The document's ``all_items`` rows rendered from its ``document.json``."""
    doc = Document.model_validate_json((folder / "document.json").read_bytes())
    for list_type in LIST_TYPES:
        for row in item_rows(doc, list_type, with_list_type=True):
            yield [safe_cell(cell) for cell in row]
