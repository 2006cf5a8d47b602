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
from pathlib import Path
from typing import TYPE_CHECKING

from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Provenance, RawDocument, TableRow, TextLine
from duty_lists.parsers.safe_zip import open_office_zip
from openpyxl import load_workbook
from openpyxl.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException

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


def sheet_rows(sheet: Worksheet) -> list[tuple[int, list[str | None], list[bool]]]:
    """(row number, cells, covered from the left) for every row worth keeping, columns trimmed."""
    continued = _rows_continuing_a_merge(sheet)
    from_left = _covered_from_left(sheet)
    raw: list[tuple[int, list[str | None]]] = []
    last_row, last_col = _used_extent(sheet)
    if not last_row:
        return []  # iter_rows(max_row=0) would mean "to max_row", styled rows included
    for number, row in enumerate(sheet.iter_rows(max_row=last_row, max_col=last_col), start=1):
        cells = [None if isinstance(cell, MergedCell) else cell_text(cell.value) for cell in row]
        if any(cell is not None and cell.strip() for cell in cells):
            raw.append((number, cells))
        elif number in continued and any(cell is not None for cell in cells):
            # An item row whose own cells are empty but whose category (or
            # other merged cell) lives above: the row is real.
            raw.append((number, cells))
    if not raw:
        return []
    used = [i for _, cells in raw for i, cell in enumerate(cells) if cell is None or cell.strip()]
    first, last = min(used), max(used)
    return [
        (number, cells[first : last + 1], [(number, col) in from_left for col in range(first + 1, last + 2)])
        for number, cells in raw
    ]


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
    cells it loaded in ``_cells``; reading that is the only way around it.
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


def parse(path: Path, options: ParseOptions | None = None) -> RawDocument:
    open_office_zip(path).close()
    try:
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
                doc.notes.append(f"隐藏工作表已跳过 (hidden sheet {name!r} skipped)")
                continue
            doc.blocks.append(TextLine(text=name, prov=Provenance(page=position, row=0)))
            for number, cells, left in sheet_rows(sheet):
                doc.blocks.append(TableRow(cells=cells, prov=Provenance(page=position, row=number), merged_left=left))
    finally:
        workbook.close()
    return doc
