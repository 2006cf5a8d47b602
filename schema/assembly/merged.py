"""Cells merged across columns: one value, one field.

A cell merged across several columns (a name over 事项名称 and 备注, a
工作方式 over two columns) is anchored at its leftmost position; the
positions it covers are ``None`` and, where the parser knows it,
``TableRow.merged_left``.  Several columns under one header (a 工作方式
header merged across two) map to the same field.  Either way the field's
value is the text of its cells together, never the last cell's alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from duty_lists.parsers.model import TableRow

#: A merge over both of these holds the combined 承接部门及工作方式 text,
#: which normalisation takes apart (``reclaimed.split``).
RECEIVING_PARTS = frozenset({"receiving_departments", "working_method"})


def covered_from_left(row: TableRow, j: int) -> bool:
    """Is position ``j`` covered by a merge from its left in this row?"""
    left = row.merged_left
    return left is not None and j < min(len(left), len(row.cells)) and left[j] and row.cells[j] is None


def anchor_columns(columns: list[str | None], row: TableRow) -> list[str | None]:
    """The field each position's text goes to in ``row``.

    A position's own column, except that an anchor merged across the
    承接部门 and 工作方式 columns holds both and goes to ``receiving``.
    """
    out = list(columns)
    if row.merged_left is None:
        return out
    j = 0
    while j < len(out):
        end = j + 1
        while end < len(out) and covered_from_left(row, end):
            end += 1
        if end - j > 1 and RECEIVING_PARTS <= set(columns[j:end]):
            out[j] = "receiving"
        j = end
    return out


def join_cells(before: str, text: str) -> str:
    """The value of a field after one more of its cells: separate cells are
    separate paragraphs; an empty cell or the same text again adds nothing."""
    if not text or text == before:
        return before
    return f"{before}\n{text}" if before else text


#: A row's place: page, table and row of its provenance.
RowKey = tuple[int, int | None, int]


def row_key(row: TableRow) -> RowKey:
    return (row.prov.page, row.prov.table, row.prov.row)


def merged_down(rows: Sequence[TableRow]) -> dict[RowKey, set[int]]:
    """Per row (by :func:`row_key`): the positions whose cell is the top of a merge,
    covered in the next row of the same page and table.

    Assembly carries a merged label over a page break only in columns it has
    seen merged (:mod:`schema.assembly.page_breaks`), and it meets the top
    row of a page before the row under it that shows the merge: a category
    printed vertically on the block's first page only, over one row there,
    left the block's rows on the next page to the following block's label
    (measured on a LibreOffice print).  A cell the next row shows merged is
    known merged before its own row is read.
    """
    found: dict[RowKey, set[int]] = {}
    for row, below in itertools.pairwise(rows):
        # A row of one cell across the table (一、经济发展（2项）) is merged
        # across, not down, whatever a parser could tell of it.
        if (below.prov.page, below.prov.table) != (row.prov.page, row.prov.table) or sum(c is not None for c in below.cells) < 2:
            continue
        covered = {j for j, cell in enumerate(below.cells) if cell is None and not covered_from_left(below, j)}
        if covered:
            found[row_key(row)] = covered
    return found
