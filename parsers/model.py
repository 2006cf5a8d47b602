"""The format-neutral table model every parser produces.

A parser turns one input file into a :class:`RawDocument`: an ordered stream of
blocks, each either a line of running text (titles, TOC lines, footers, notes)
or a table row.  Nothing here is normalised: cell text is kept exactly as the
format library returned it, so that every later decision is traceable to the
source and testable on its own.

Merged cells follow pdfplumber's convention: ``None`` is "no cell here" (the
position is covered by a merge that started above or to the left), while
``""`` is a real cell that happens to be empty.  Assembly fills ``None`` from
the anchor cell; a parser never duplicates text itself.  Where the parser
knows a merge ran across columns it says so in ``TableRow.merged_left``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

Format = Literal["pdf", "docx", "xlsx", "html", "text", "image"]

#: What a parser noticed about the *document*: a part it did not read, text
#: it read unreliably, a conversion it went through.  Each reaches
#: ``document.json`` (``notes``) and becomes a finding of the same code
#: (declared in ``schema/checks/source.py``), so the user learns of it.
SourceCode = Literal[
    "source.page_not_read",  # an image-only page, and no OCR to read it
    "source.cid_text",  # glyphs without a Unicode mapping, read as (cid:N)
    "source.sheet_skipped",  # a hidden worksheet
    "source.numbering_dropped",  # automatic list numbers in a format not rendered
    "source.table_in_cell",  # a DOCX table inside a list table's cell, read as the cell's text
    "source.object_not_read",  # a DOCX embedded object or imported chunk, not read
    "source.converted",  # a legacy .doc/.xls read through LibreOffice's conversion
    "source.ocr_read",  # pages read by OCR: every character is the recogniser's reading
    "source.list_not_found",  # a list a title announces (共N项) with no table of it anywhere (assembly's note)
    "source.table_not_list",  # a numbered table that is no duty list, left out (assembly's note)
    "source.ditto_resolved",  # cells reading 同上 (〃) that took the value above (assembly's rule ditto.carry)
    "source.ditto_unresolved",  # a 同上 with no value above it to take (assembly's note)
]
#: What a parser says about *how* it read (engine and version, pages through a
#: fallback, OCR timing, the text encoding): for debugging and tests, kept on
#: the RawDocument only, since it differs between readers and machines and the
#: records must not.
ReaderCode = Literal["reader.summary", "reader.ocr", "reader.encoding", "reader.images", "reader.reference"]
SOURCE_CODES: frozenset[str] = frozenset(get_args(SourceCode))
READER_CODES: frozenset[str] = frozenset(get_args(ReaderCode))


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a block came from.

    ``page`` is 1-based for paginated formats (PDF pages, XLSX sheets by
    position) and 0 where the format has no pages (text form, DOCX, HTML).
    ``row`` is the 1-based row index inside its table on that page, or the
    1-based line number for text lines.  ``bbox`` is a table row's box on a
    PDF page, in points from the page's top-left (x0, top, x1, bottom), where
    the reader knows it; it locates the row and takes no part in comparisons.
    """

    page: int
    row: int
    table: int = 0
    bbox: tuple[float, float, float, float] | None = field(default=None, compare=False)


@dataclass(slots=True)
class TextLine:
    """A line of running text outside any table."""

    text: str
    prov: Provenance
    #: Vertical position on the page as a fraction of its height (0 = top),
    #: when the format knows it; lets assembly tell footers from titles.
    y: float | None = None


@dataclass(slots=True)
class TableRow:
    """One row of a table as laid out on its page.

    ``continues_previous`` is set by a parser that *knows* the row was cut by a
    page break (e.g. the PDF row had no top ruling line); assembly also
    stitches rows without a 序号 on its own.
    """

    cells: list[str | None]
    prov: Provenance
    continues_previous: bool = False
    #: Per-cell OCR confidence in [0, 1]; ``None`` for text-layer sources.
    confidence: list[float | None] | None = None
    #: For a row a page break may have cut where no open rule shows it (the
    #: lowest row of a PDF page: Word and LibreOffice close the table on every
    #: page): per cell, whether its text there ended a paragraph.  If the next
    #: page continues the row, assembly keeps that paragraph end.  ``None``
    #: where the parser has nothing to say.
    ends_paragraph: list[bool] | None = None
    #: Per position, ``True`` where the cell is covered by a merge from its
    #: left in this row (DOCX ``gridSpan``, HTML ``colspan``, an XLSX range
    #: wider than one column), as opposed to a merge from above: a value
    #: merged across columns is one field, never filled from the row above.
    #: ``None`` where the parser cannot tell.
    merged_left: list[bool] | None = None


Block = TextLine | TableRow


@dataclass(frozen=True, slots=True)
class Note:
    """One thing a parser noticed, with a stable code and where it was."""

    code: SourceCode | ReaderCode
    message: str
    #: 1-based page (PDF page, XLSX sheet position), when the note is about one.
    page: int | None = None
    #: The worksheet's name, for a note about one sheet.
    sheet: str | None = None

    def __post_init__(self) -> None:
        if self.code not in SOURCE_CODES | READER_CODES:
            raise ValueError(f"unknown note code {self.code!r}: declare it in parsers/model.py")

    @property
    def about_source(self) -> bool:
        """Whether the user must hear of it (a ``source.*`` code)."""
        return self.code in SOURCE_CODES

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class RawDocument:
    """Everything one parser pulled out of one file, in reading order."""

    path: str
    format: Format
    pages: int
    blocks: list[Block] = field(default_factory=list)
    #: Printed page number (from footers such as ``— 3 —``) per physical
    #: page, where the parser could read one.
    printed_pages: dict[int, int] = field(default_factory=dict)
    #: What the parser noticed: parts not read, unreliable text (``source.*``,
    #: passed on to the user), and how it read (``reader.*``).
    notes: list[Note] = field(default_factory=list)
    #: Pages that are only an image (a scan) and that this reader could not
    #: read: the PDF router sends them to OCR (``parsers.pdf.router``).
    image_pages: list[int] = field(default_factory=list)
    #: Pages read by OCR, and image-only pages left unread (the OCR extra is
    #: missing): what a "no table found" was really about.
    ocr_pages: list[int] = field(default_factory=list)
    unread_image_pages: list[int] = field(default_factory=list)

    def tables(self) -> list[list[TableRow]]:
        """Rows grouped by (page, table) — convenient for tests and debugging."""
        groups: dict[tuple[int, int], list[TableRow]] = {}
        for block in self.blocks:
            if isinstance(block, TableRow):
                groups.setdefault((block.prov.page, block.prov.table), []).append(block)
        return list(groups.values())
