"""A vertically merged cell's label carried across a page break.

A merged 事项类别 cell (Word's and LibreOffice's ``vMerge``, an HTML
``rowspan``, an XLSX merge, once printed to PDF) is drawn once per page it
covers, and its label is printed once, vertically centred: in the part on
the block's first page, or — when most of the block lies further on — in a
part on a later page.  The other parts are real cells that print nothing.
Read page by page, the rows beside an empty part get no category, although
the merge gives them the label printed elsewhere.

So, at the first row of a new page, in a column the list merges vertically:

- an empty cell continues the block the previous page ended with, and takes
  its label (the label was printed before the break);
- a label arriving while the block the previous page ended with is empty is
  that block's label (it was printed after the break): every row of that
  empty run gets it.

Only columns the list has shown merged (a row whose cell is covered, ``None``)
are treated so: where a label is printed on every row, an empty cell is an
empty cell.  Formats without pages (DOCX, HTML) never reach a page break.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping, Sequence

from duty_lists.schema.assembly.model import AssembledRow


def carry_labels(
    rows: Sequence[AssembledRow],
    page: int,
    cells: Mapping[str, str | None],
    fields: MutableMapping[str, str],
    merged: Collection[str],
) -> None:
    """Carry labels between the list's ``rows`` so far and the row read at
    the top of ``page``, whose raw cells per field are ``cells`` and whose
    field values (to be appended or stitched) are ``fields``."""
    if not rows or rows[-1].prov[-1].page >= page:
        return
    previous = rows[-1]
    for key in merged:
        cell = cells.get(key)
        if cell is None:
            continue
        before = previous.fields.get(key, "")
        if not cell.strip():
            if before:
                fields[key] = before
        elif not before.strip():
            for row in reversed(rows):
                if row.fields.get(key, "").strip():
                    break
                row.fields[key] = cell
