"""A category printed on a block's first row only.

Tables drawn without rules between rows (three-line tables, a worksheet
whose merges were undone) print each 事项类别 once, on the first row of its
block, and leave the cells below empty: with no rule to show a merge, the
parser can only say "empty".  The rows under a label belong to it.

The same empty cell in a list that prints the category on every row is a
missing category, and must stay one.  The two layouts differ in what they
never do: a first-row-only list never prints one label on two rows in a
row, while a list that repeats its labels does so in every block of more
than one row.  So a list is read as first-row-only when some printed label
is followed by an empty cell and no printed label follows the same label;
covered cells (``None``, a merge the parser saw) are not printed cells and
are skipped in that comparison.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from duty_lists.parsers.model import Note
from duty_lists.schema.assembly.ditto import carry_dittos
from duty_lists.schema.assembly.model import AssembledList, AssembledRow

#: The field printed on a block's first row only.
BLOCK_FIELD = "category"


def first_row_only(printed: Sequence[str | None]) -> bool:
    """Do the printed cells (one per item, ``None`` where covered) show
    labels on a block's first row only?"""
    cells = [cell.strip() for cell in printed if cell is not None]
    pairs = list(itertools.pairwise(cells))
    return any(before and not after for before, after in pairs) and not any(
        before and before == after for before, after in pairs
    )


def fill_block_labels(rows: Sequence[AssembledRow]) -> None:
    """Give each empty category the label above it, where the list is laid
    out with labels on a block's first row only (see the module's docstring)."""
    if not first_row_only([row.printed.get(BLOCK_FIELD) for row in rows if BLOCK_FIELD in row.printed]):
        return
    label = ""
    for row in rows:
        value = row.fields.get(BLOCK_FIELD, "")
        if value.strip():
            label = value
        elif label and BLOCK_FIELD in row.fields:
            row.fields[BLOCK_FIELD] = label


def fill_labels(lists: Sequence[AssembledList]) -> list[Note]:
    """Every list's labels carried down: empty cells under a first-row-only label
    (above), then ditto cells (rule ``ditto.carry``, :mod:`ditto`), which may stand
    under a filled one; the ditto notes to report."""
    for lst in lists:
        fill_block_labels(lst.rows)
    return carry_dittos(lists)
