"""The format-neutral table model every parser produces.

A parser turns one input file into a :class:`RawDocument`: an ordered stream of
blocks, each either a line of running text (titles, TOC lines, footers, notes)
or a table row.  Nothing here is normalised: cell text is kept exactly as the
format library returned it, so that every later decision is traceable to the
source and testable on its own.

Merged cells follow pdfplumber's convention: ``None`` is "no cell here" (the
position is covered by a merge that started above or to the left), while
``""`` is a real cell that happens to be empty.  Assembly fills ``None`` from
the anchor cell; a parser never duplicates text itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Format = Literal["pdf", "docx", "xlsx", "html", "text", "image"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a block came from.

    ``page`` is 1-based for paginated formats (PDF pages, XLSX sheets by
    position) and 0 where the format has no pages (text form, DOCX, HTML).
    ``row`` is the 1-based row index inside its table on that page, or the
    1-based line number for text lines.
    """

    page: int
    row: int
    table: int = 0


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


Block = TextLine | TableRow


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
    #: Notes for the reader that are not errors, e.g. which engine was used.
    notes: list[str] = field(default_factory=list)
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
