"""Cells merged across columns: one value, one field.

A cell merged across several columns (a name over 事项名称 and 备注, a
工作方式 over two columns) is anchored at its leftmost position; the
positions it covers are ``None`` and, where the parser knows it,
``TableRow.merged_left``.  Several columns under one header (a 工作方式
header merged across two) map to the same field.  Either way the field's
value is the text of its cells together, never the last cell's alone.
"""

from __future__ import annotations

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
