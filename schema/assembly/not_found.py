"""Lists a document announces and assembly did not find (``source.list_not_found``)."""

from __future__ import annotations

from duty_lists.parsers.model import Note
from duty_lists.schema.assembly.model import AssembledList


def lists_not_found(opened: list[AssembledList]) -> list[Note]:
    """A title that announces a list with items (共7项) when no list of its kind has
    rows anywhere: its table was not read (in a text box, an object, a picture), and
    a document that silently lacks a whole list would pass every other check."""
    found = {lst.list_type for lst in opened if lst.rows}
    notes: list[Note] = []
    for lst in opened:
        if not lst.rows and lst.stated_count and lst.list_type not in found:
            found.add(lst.list_type)  # one note per kind of list
            notes.append(Note("source.list_not_found", f"「{lst.title}」声明 {lst.stated_count} 项", page=lst.start_page))
    return notes
