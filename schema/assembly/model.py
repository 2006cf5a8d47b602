"""What assembly produces: lists of rows of canonical fields, with where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from duty_lists.parsers.model import Note, Provenance

if TYPE_CHECKING:
    from duty_lists.schema.records import ListType


@dataclass
class AssembledRow:
    fields: dict[str, str]
    extra: dict[str, str]
    prov: list[Provenance]
    #: Lowest OCR confidence per field over the cells it came from (OCR'd rows only).
    confidence: dict[str, float] = field(default_factory=dict)
    #: Fields (and extra headers) whose text so far ended a paragraph at the
    #: foot of a page (``TableRow.ends_paragraph``): a continuation on the
    #: next page starts a new paragraph there.
    paragraph_ends: set[str] = field(default_factory=set)
    #: The item's own cells in vertically merged columns, as printed on its
    #: first row (``None`` where a merge covered it).
    printed: dict[str, str | None] = field(default_factory=dict)


@dataclass
class AssembledList:
    list_type: ListType
    title: str
    start_page: int | None = None
    stated_count: int | None = None
    stated_category_counts: dict[str, int] = field(default_factory=dict)
    columns: list[str | None] | None = None
    headers: list[str] = field(default_factory=list)
    #: The top header row as printed (cleaned): a page that repeats only it
    #: repeats a two-row header, whose top row alone maps differently.
    top_header: list[str] = field(default_factory=list)
    rows: list[AssembledRow] = field(default_factory=list)
    #: Rows with content but no usable 序号: (where, their text).
    skipped: list[tuple[Provenance, str]] = field(default_factory=list)
    #: Fields whose cells the list merges vertically (a covered cell was seen).
    merged: set[str] = field(default_factory=set)


@dataclass
class TocLine:
    list_type: ListType | None
    title: str
    printed_page: int


@dataclass
class Assembly:
    issuer: str
    lists: list[AssembledList]
    toc: list[TocLine]
    printed_pages: dict[int, int]
    #: What the document announces but assembly could not find (``source.list_not_found``).
    notes: list[Note] = field(default_factory=list)
