"""Reader for XLSX workbooks: every visible sheet, in tab order, as one table.

openpyxl is opened with ``read_only=False`` because read-only mode does not
load merged ranges; :mod:`parsers.safe_zip` vets the archive first, since the
full mode inflates every part.  ``data_only=True`` gives the cached values of
formulas (what the reader saw), not the formulas.

What comes out, per sheet: a :class:`TextLine` with the sheet name (``row=0``,
it precedes row 1) as a list-title hint, then one :class:`TableRow` per sheet
row, ``page`` = 1-based sheet position, ``row`` = the sheet's row number,
``table`` = 0.  Cells covered by a merged range are ``None``, the anchor keeps
the text.  Skipped rows: those with no text at all and those entirely covered
by merges from above (the second line of a two-row title) — blank spacer rows
carry nothing, and their row numbers stay visible in the provenance gaps.
Leading and trailing columns empty on every row are trimmed.  Hidden sheets
are skipped (a reader of the published file never saw them) and noted.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Note, Provenance, RawDocument, TableRow, TextLine
from duty_lists.parsers.safe_zip import open_office_zip
from openpyxl import load_workbook
from openpyxl.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorksheetReader

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions
    from openpyxl.worksheet.worksheet import Worksheet


def cell_text(value: object) -> str:
    """A cell value as the text a reader saw, without number-format cosmetics.

    Integral floats lose their ``.0`` (Excel stores every number as a double,
    so a 序号 of 1 may arrive as ``1.0``); ``\\r\\n`` line ends become ``\\n``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


#: Cells (rows × columns) one sheet's table may have, and cells its merges may
#: cover: far above any real list (a 20 MB workbook holds about a million
#: cells), far below what one far-away cell or merge could otherwise ask for.
MAX_SHEET_CELLS = 4_000_000
#: Rows (and columns) a merge may reach past the sheet's last value.
MERGE_SLACK = 100


def sheet_rows(sheet: Worksheet) -> list[tuple[int, list[str | None], list[bool]]]:
    """(row number, cells, covered from the left) for every row worth keeping, columns trimmed.

    Built from the cells the sheet holds, never by walking its whole extent:
    one value at ``XFD1048576`` must not make 17 billion empty cells.
    """
    continued = _rows_continuing_a_merge(sheet)
    last_row, last_col = _used_extent(sheet)
    if not last_row:
        return []
    texts: dict[int, dict[int, str]] = {}
    merged: dict[int, set[int]] = {}
    # openpyxl's private _cells: see _used_extent for why no public API will do
    for (row, col), cell in list(getattr(sheet, "_cells", {}).items()):
        if row > last_row or col > last_col:
            continue
        if isinstance(cell, MergedCell):
            merged.setdefault(row, set()).add(col)
        elif cell.value is not None:
            texts.setdefault(row, {})[col] = cell_text(cell.value)
    kept = []
    for number in sorted(set(texts) | continued):
        if any(text.strip() for text in texts.get(number, {}).values()):
            kept.append(number)
        elif number in continued and len(merged.get(number, ())) < last_col:
            # An item row whose own cells are empty but whose category (or
            # other merged cell) lives above: the row is real.
            kept.append(number)
    if not kept:
        return []
    used = {col for number in kept for col, text in texts.get(number, {}).items() if text.strip()}
    used.update(col for number in kept for col in merged.get(number, ()))
    first, last = min(used), max(used)
    if len(kept) * (last - first + 1) > MAX_SHEET_CELLS:
        raise _too_large(f"{len(kept)} rows × {last - first + 1} columns")
    from_left = _covered_from_left(sheet)
    rows = []
    for number in kept:
        cells: list[str | None] = [""] * (last - first + 1)
        for col, text in texts.get(number, {}).items():
            if first <= col <= last:
                cells[col - first] = text
        for col in merged.get(number, ()):
            if first <= col <= last:
                cells[col - first] = None
        rows.append((number, cells, [(number, col) in from_left for col in range(first, last + 1)]))
    return rows


def _too_large(detail: str) -> ParseError:
    return ParseError(f"XLSX 工作表过大 (sheet too large: {detail} > {MAX_SHEET_CELLS} cells)")


class _ClampedMerges(WorksheetReader):
    """openpyxl's sheet reader with every merge clamped to the sheet's real content.

    openpyxl makes a cell object for every position a merge covers, so
    ``A1:XFD1048576`` in a 5 KB file would make 17 billion.  Past the last row
    and column holding a value a merge covers nothing a reader saw but empty
    rows continuing it (a category merged over an item row left blank), so it
    keeps at most :data:`MERGE_SLACK` of them.
    """

    def bind_merged_cells(self) -> None:
        from openpyxl.worksheet.cell_range import MultiCellRange
        from openpyxl.worksheet.merge import MergedCellRange

        if not self.parser.merged_cells:
            return
        # Private openpyxl names (_cells, _clean_merge_range) inside openpyxl's own
        # reader class: merges are bound before any public accessor could see
        # the cells without creating those the merge covers (see _used_extent).
        filled = [key for key, cell in self.ws._cells.items() if cell.value is not None and cell.value != ""]
        last_row = max((row for row, _ in filled), default=0) + MERGE_SLACK
        last_col = max((col for _, col in filled), default=0) + MERGE_SLACK
        ranges, covered = [], 0
        for cr in self.parser.merged_cells.mergeCell:
            mcr = MergedCellRange(self.ws, cr.ref)
            if mcr.min_row > last_row or mcr.min_col > last_col:
                continue  # covers no value: nothing to merge
            mcr.shrink(bottom=max(mcr.max_row - last_row, 0), right=max(mcr.max_col - last_col, 0))
            covered += mcr.size["rows"] * mcr.size["columns"]
            if covered > MAX_SHEET_CELLS:
                raise _too_large(f"merged ranges cover more than {MAX_SHEET_CELLS} cells")
            self.ws._clean_merge_range(mcr)
            ranges.append(mcr)
        self.ws.merged_cells = MultiCellRange(ranges)


def _covered_from_left(sheet: Worksheet) -> set[tuple[int, int]]:
    """(row, column) of cells a merged range covers from their left (1-based)."""
    return {
        (row, col)
        for merged in sheet.merged_cells.ranges
        for row in range(merged.min_row, merged.max_row + 1)
        for col in range(merged.min_col + 1, merged.max_col + 1)
    }




def _used_extent(sheet: Worksheet) -> tuple[int, int]:
    """Last row and column holding a value or a merge.

    ``max_row``/``max_column`` also count cells that only carry a style; WPS
    and Excel templates format whole columns down to row 1048576, and
    iterating those would create millions of empty cells.  openpyxl keeps the
    cells it loaded in ``_cells``; reading that is the only way around it: every
    public accessor (``iter_rows``, ``values``, ``cell``) walks the extent and
    creates a cell for each position, and read-only mode, which streams only
    stored cells, has no merged ranges.  A sheet styled down to row 1,048,576 (a
    WPS template) has that ``max_row``, so a public walk would make a million
    cell objects per column.
    """
    cells = getattr(sheet, "_cells", None)
    if cells is None:
        return sheet.max_row, sheet.max_column
    used = [key for key, cell in cells.items() if cell.value is not None and cell.value != ""]
    used += [(merged.max_row, merged.max_col) for merged in sheet.merged_cells.ranges]
    if not used:
        return 0, 0
    return max(row for row, _ in used), max(col for _, col in used)


def _rows_continuing_a_merge(sheet: Worksheet) -> set[int]:
    """Rows below the anchor of a merged range that holds text."""
    rows: set[int] = set()
    for merged in sheet.merged_cells.ranges:
        if cell_text(sheet.cell(merged.min_row, merged.min_col).value).strip():
            rows.update(range(merged.min_row + 1, merged.max_row + 1))
    return rows


@contextmanager
def _clamped_merges() -> Iterator[None]:
    """openpyxl's loader with :class:`_ClampedMerges` as its sheet reader, for one load."""
    import openpyxl.reader.excel as excel

    original = excel.WorksheetReader
    excel.WorksheetReader = _ClampedMerges
    try:
        yield
    finally:
        excel.WorksheetReader = original


def parse(path: Path, options: ParseOptions | None = None) -> RawDocument:
    open_office_zip(path).close()
    try:
        with _clamped_merges():
            workbook = load_workbook(path, read_only=False, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ParseError(f"XLSX 无法读取 (cannot read workbook: {exc})") from exc
    try:
        doc = RawDocument(path=str(path), format="xlsx", pages=len(workbook.sheetnames))
        for position, name in enumerate(workbook.sheetnames, start=1):
            sheet = workbook[name]
            if not hasattr(sheet, "iter_rows"):
                continue  # a chartsheet: nothing to read
            if sheet.sheet_state != "visible":
                doc.notes.append(Note("source.sheet_skipped", f"隐藏工作表已跳过 (hidden sheet {name!r} skipped)",
                                      page=position, sheet=name))
                continue
            doc.blocks.append(TextLine(text=name, prov=Provenance(page=position, row=0)))
            for number, cells, left in sheet_rows(sheet):
                doc.blocks.append(TableRow(cells=cells, prov=Provenance(page=position, row=number), merged_left=left))
    finally:
        workbook.close()
    return doc
