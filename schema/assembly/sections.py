"""A category heading printed between a list's title and its first table.

A list printed as one table per category puts each heading (（一）党的建设（6项）)
above its table: the later ones follow the previous table's last row, the first
one follows the list's title, before any header has been read.  Under a title a
numbered line may also head prose (一、编制说明, then a paragraph), and a category
taken from it would be false.  What tells them apart is what comes next: a
table's heading is followed by the table, a prose heading by its text.  So a
heading read before the list's header stays the category only until a line of
text comes first.
"""

from __future__ import annotations

from duty_lists.schema.assembly.model import AssembledList


def heading_over_prose(current: AssembledList, category: str | None) -> str | None:
    """The section category in force after a line of text that is no heading:
    unchanged once the list has its header; before it, the heading headed prose
    and is dropped, with the count it stated."""
    if current.columns is not None or category is None:
        return category
    current.stated_category_counts.pop(category, None)
    return None
