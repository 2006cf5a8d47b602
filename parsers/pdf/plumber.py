"""PDF parser on pdfplumber: ruled tables → rows, everything else → text lines.

Per page: take the characters and ruling edges from pdfminer's layout
(:mod:`parsers.pdf.pdfminer_objects`: pdfplumber's coordinates without its
per-attribute dicts), find the ruled tables with pdfplumber's table finder
(or, on a page with text but no ruled table, tables marked only by
horizontal rules), rebuild each cell's text from its
characters with :mod:`parsers.layout.geometry` and :mod:`parsers.layout.cell_text`,
and emit rows and the remaining text lines in reading order.  Footers such
as ``— 3 —`` give the printed page number of each physical page.

Line ends inside a cell: a line that stopped short of the cell's edge ended a
paragraph; one that ran into it was wrapped.  Where a paragraph's last line
happens to fill the cell, only paragraph spacing tells it apart: a gap to the
next line wider than ``paragraph_gap_ratio`` × the page's normal line pitch
(the smallest between lines of one cell, per font size) is a paragraph end.
Limitation: in a document whose paragraphs have no spacing and the same line
pitch as wrapped lines, such a full last line is still read as a wrap and
glued to the next paragraph — nothing on the page tells them apart.  The
normal pitch is learnt per page, so a page where no cell has a wrapped line
at that font size has no reference and the rule stays silent there.

A line that ends a character short because its last character was pushed
down with a mark that may not start a line (``查；``) is a wrap too
(``layout.wrap.is_kinsoku_wrap``) — LibreOffice's narrow cells show it.

Real producers draw tables in ways reportlab fixtures did not: Chromium's
print-to-PDF draws each border as a thin filled bar, whose 0.75 pt caps are
ignored when looking for the rule a page break left out
(``layout.ruling.open_rule_ends``), and leaves a header row whose cells have no
borders (``th`` unstyled) as bare text above the ruled body: a band of text
lines right above a ruled table that labels every column becomes the
table's first row (:mod:`parsers.layout.header_band`).

Pages are parsed and released one at a time, so memory does not grow with the
length of the document.  Anything pdfminer throws is turned into a
:class:`ParseError` with a reason a user can act on.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pdfplumber
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.layout.geometry import Char
from duty_lists.parsers.layout.overlays import without_slanted_text
from duty_lists.parsers.layout.paragraph_gaps import PARAGRAPH_GAP_RATIO
from duty_lists.parsers.layout.ruling import RULE_MIN_LENGTH, open_rule_ends
from duty_lists.parsers.model import Block, Note, RawDocument
from duty_lists.parsers.pdf.budget import ContentBudget, lay_out, over_budget
from duty_lists.parsers.pdf.page import page_blocks
from duty_lists.parsers.pdf.pdfminer_objects import page_objects
from duty_lists.parsers.pdf.shading import bar_centres, without_band_sides
from duty_lists.parsers.pdf.three_line import CarriedColumns, three_line_tables
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.table import TableSettings
from pdfplumber.utils import filter_edges
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

if TYPE_CHECKING:
    from duty_lists.parsers.pdf.pdfium.grid import GridTable
    from pdfplumber.page import Page
    from pdfplumber.table import Table

NEED_PASSWORD = "PDF 已加密 (encrypted PDF: give --password)"
WRONG_PASSWORD = "PDF 已加密，密码不正确 (encrypted PDF: wrong --password)"
BAD_ENCRYPTION = "PDF 加密方式无法解开 (encrypted PDF: unsupported encryption)"
CORRUPT = "PDF 文件不完整或已损坏 (truncated or corrupt PDF)"
NO_PAGES = "PDF 没有页面 (PDF has no pages)"
NO_TEXT = "PDF 没有文字层，需要 OCR (no text layer: scanned/image-only PDF, needs OCR)"

#: How far from the end a complete PDF's ``%%EOF`` may sit (trailing junk is common).
EOF_WINDOW = 2048
#: pdfplumber drops rules shorter than this before joining them (its "lines" strategy).
EDGE_MIN_LENGTH_PREFILTER = TableSettings().edge_min_length_prefilter
#: What pdfminer raises on a broken file; pdfplumber wraps some of it.
log = logging.getLogger(__name__)

PDF_ERRORS = (PdfminerException, PDFException, PSException, zlib.error)


@dataclass(frozen=True, slots=True)
class PdfSettings:
    """Every tolerance the parser uses, in one place.  Lengths are PDF points."""

    #: Characters whose tops differ by at most this share one line.
    line_y_tolerance: float = 3.0
    #: A gap wider than this × font size between two glyphs reads as a space.
    space_gap_ratio: float = 0.3
    #: A line ending within this many character widths of the cell's right
    #: edge was wrapped by the layout (joined with nothing), not ended.
    soft_wrap_chars: float = 1.5
    #: Two lines of a cell further apart than this × the page's normal line
    #: pitch are separate paragraphs, full line or not (paragraph spacing).
    #: 0 turns the rule off.
    paragraph_gap_ratio: float = PARAGRAPH_GAP_RATIO
    #: A ruled table's header row drawn without rules is the text band right
    #: above it whose lines follow at most this × their font size apart and
    #: fill every column (see :mod:`parsers.layout.header_band`).  0 turns it off.
    header_band_gap: float = 1.0
    #: Bottom share of the page where footers (page numbers) live.
    footer_zone: float = 0.08
    #: pdfplumber table finding: snap/join nearby rules, meet at corners.
    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    intersection_tolerance: float = 3.0
    #: A table found without vertical rules must be at least this big to be
    #: believed; smaller ones are usually a ruled-off heading.
    min_fallback_rows: int = 2
    min_fallback_cols: int = 2
    #: Columns inferred from text stop at the last word, a padding short of
    #: the closing rule; let them meet it from this far away.
    fallback_intersection_y_tolerance: float = 10.0

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ValueError(f"PdfSettings.{item.name} must be a non-negative number, got {value!r}")
        if not 0 < self.footer_zone < 0.5:
            raise ValueError(f"PdfSettings.footer_zone must be in (0, 0.5), got {self.footer_zone}")
        if self.min_fallback_rows < 1 or self.min_fallback_cols < 1:
            raise ValueError("PdfSettings.min_fallback_rows/cols must be at least 1")
        if 0 < self.paragraph_gap_ratio <= 1:
            # At or below 1 every line of a paragraph would end one.
            raise ValueError(f"PdfSettings.paragraph_gap_ratio must be 0 (off) or above 1, got {self.paragraph_gap_ratio}")

    def _rules(self) -> dict[str, Any]:
        return {
            "snap_tolerance": self.snap_tolerance,
            "join_tolerance": self.join_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
        }

    def ruled(self, vertical: list[dict[str, Any]], horizontal: list[dict[str, Any]]) -> dict[str, Any]:
        """Table finding on the page's own rules, handed over as explicit lines
        (see :mod:`parsers.pdf.pdfminer_objects`)."""
        return {
            "vertical_strategy": "explicit",
            "horizontal_strategy": "explicit",
            "explicit_vertical_lines": vertical,
            "explicit_horizontal_lines": horizontal,
            **self._rules(),
        }

    def horizontal_rules_only(self, horizontal: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "vertical_strategy": "text",
            "horizontal_strategy": "explicit",
            "explicit_horizontal_lines": horizontal,
            **self._rules(),
            "intersection_y_tolerance": self.fallback_intersection_y_tolerance,
        }


DEFAULT_SETTINGS = PdfSettings()


class TablePage(Protocol):
    """What :func:`read_page_objects` asks of a page: a pdfplumber ``Page``, or
    a reader's stand-in with the same members (``PdfiumPage``)."""

    @property
    def page_number(self) -> int: ...

    @property
    def height(self) -> float: ...

    def find_tables(self, table_settings: dict[str, Any]) -> list[Table]: ...


@dataclass(slots=True)
class PageResult:
    blocks: list[Block] = field(default_factory=list)
    printed_page: int | None = None
    has_text: bool = False
    fallback: bool = False
    #: Glyphs pdfminer could not map to Unicode (it writes them as "(cid:N)").
    unmapped: int = 0


def parse_pdf(path: Path, password: str | None = None, settings: PdfSettings = DEFAULT_SETTINGS) -> RawDocument:
    """Every page's rows and lines; pages that are only an image (a scan) are
    listed in :attr:`RawDocument.image_pages` for the router to send to OCR."""
    require_complete(path)
    doc = RawDocument(path=str(path), format="pdf", pages=0)
    text_pages = fallback_pages = 0
    unmapped: dict[int, int] = {}  # page -> glyphs read as (cid:N)
    try:
        pdf, password = open_pdf(path, password)
        with pdf:
            doc.pages = _page_count(pdf)
            carried = CarriedColumns()
            for page in pdf.pages:
                try:
                    result = parse_page(page, settings, carried)
                    # No text but a picture: a scanned page (a stamped cover
                    # before text pages, or the reverse).  A page with neither
                    # is blank and has nothing to read.
                    if not result.has_text and page.images:
                        doc.image_pages.append(page.page_number)
                except ContentBudget as exc:
                    raise over_budget(str(path), page.page_number, exc) from exc
                finally:
                    page.close()
                doc.blocks.extend(result.blocks)
                if result.printed_page is not None:
                    doc.printed_pages[page.page_number] = result.printed_page
                text_pages += result.has_text
                fallback_pages += result.fallback
                if result.fallback:
                    log.debug("%s: page %d: no believable ruled table, read with the horizontal-rules fallback",
                              path, page.page_number)
                if result.unmapped:
                    unmapped[page.page_number] = result.unmapped
    except PDF_ERRORS as exc:
        raise ParseError(_reason(exc, password), path=str(path)) from exc
    if doc.pages == 0:
        raise ParseError(NO_PAGES, path=str(path))
    if text_pages == 0 and not doc.image_pages:
        raise ParseError(NO_TEXT, path=str(path))
    doc.notes.append(Note(
        "reader.summary",
        f"pdfplumber {pdfplumber.__version__}: {text_pages}/{doc.pages} pages with text, "
        f"{fallback_pages} read with the horizontal-rules fallback",
    ))
    doc.notes.extend(
        Note("source.cid_text", f"{count} glyphs have no Unicode mapping and read as (cid:N); the text is unreliable", page=number)
        for number, count in sorted(unmapped.items())
    )
    return doc


def open_pdf(path: Path, password: str | None) -> tuple[pdfplumber.PDF, str | None]:
    """The document, and the password that opened it: a PDF encrypted with
    an owner password only opens without one, as in any viewer, so a
    ``--password`` meant for other files of the batch does not stop it."""
    try:
        return pdfplumber.open(path, password=password), password
    except PdfminerException as exc:
        if not (password and exc.args and isinstance(exc.args[0], PDFPasswordIncorrect)):
            raise
    return pdfplumber.open(path), None


def _page_count(pdf: pdfplumber.PDF) -> int:
    """The number of pages; pdfplumber makes every page's box as it counts
    them, and a page without a MediaBox (none of its own, none inherited)
    makes it fail with a TypeError."""
    try:
        return len(pdf.pages)
    except (TypeError, MalformedPDFException) as exc:
        pdf.pages_to_parse = []  # closing asks for the pages again: let it find none
        raise PdfminerException(MalformedPDFException("a page has no MediaBox")) from exc


def require_complete(path: Path) -> None:
    """A PDF ends with ``%%EOF``; without it the file was cut short, and
    pdfminer would quietly recover whatever objects it can find."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - EOF_WINDOW))
            tail = handle.read()
    except OSError as exc:
        raise ParseError(f"无法读取文件 (cannot read: {exc.strerror})", path=str(path)) from exc
    if b"%%EOF" not in tail:
        raise ParseError(CORRUPT, path=str(path))


def _reason(exc: BaseException, password: str | None) -> str:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return WRONG_PASSWORD if password else NEED_PASSWORD
    if isinstance(cause, PDFEncryptionError):
        return BAD_ENCRYPTION
    if isinstance(cause, MalformedPDFException):
        return f"{CORRUPT}: {cause}"
    return f"{CORRUPT}: {type(cause).__name__}"


# --------------------------------------------------------------------------- one page


def parse_page(page: Page, settings: PdfSettings, carried: CarriedColumns | None = None) -> PageResult:
    """Rows and text lines of one page, in reading order; ``carried`` brings
    a three-line table's columns from the page before (one per document);
    :class:`ContentBudget` for a page that asks for more than any duty list needs."""
    lay_out(page)
    chars, edges = page_objects(page)
    return read_page_objects(page, chars, edges, settings, carried)


def read_page_objects(
    page: TablePage, chars: list[Char], edges: list[dict[str, Any]], settings: PdfSettings, carried: CarriedColumns | None = None
) -> PageResult:
    """:func:`parse_page` on objects already taken from the page.  ``page``
    is only asked for its number, height and tables (``find_tables``, and
    words for the horizontal-rules fallback), so a reader with its own
    objects can pass a stand-in."""
    result = PageResult(
        has_text=any(not char.is_space for char in chars),
        unmapped=sum(char.text.startswith("(cid:") for char in chars),
    )
    vertical = bar_centres(filter_edges(without_band_sides(edges), "v", min_length=EDGE_MIN_LENGTH_PREFILTER), "v")
    horizontal = filter_edges(edges, "h", min_length=EDGE_MIN_LENGTH_PREFILTER)
    closing = open_rule_ends(
        [(e["x0"], e["top"], e["bottom"]) for e in vertical],
        [(e["top"], e["x0"], e["x1"]) for e in horizontal],
        settings.snap_tolerance,
        RULE_MIN_LENGTH,
        stretches=True,
    )
    horizontal += [
        {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}
        for y, x0, x1 in closing
    ]
    tables: Sequence[Table | GridTable] = _find(page, settings.ruled(vertical, horizontal))
    if not tables and result.has_text:
        # A three-line table first: the horizontal-rules fallback would take
        # its header and whole body for two rows.
        tables = three_line_tables(
            without_slanted_text(chars),
            [(e["top"], e["x0"], e["x1"]) for e in horizontal],
            page.height * (1 - settings.footer_zone),
            settings.snap_tolerance,
            settings.line_y_tolerance,
            page.page_number,
            carried,
        ) or [table for table in _find(page, settings.horizontal_rules_only(horizontal)) if _believable(table, settings)]
        result.fallback = bool(tables)

    cut_at = [y for y, _, _ in closing]
    laid_out = page_blocks(page.page_number, page.height, tables, chars, settings, cut_at, result.fallback)
    result.blocks, result.printed_page = laid_out.blocks, laid_out.printed_page
    return result


def _find(page: TablePage, table_settings: dict[str, Any]) -> list[Table]:
    # The explicit strategy refuses fewer than two lines; a page with fewer
    # rules than that holds no table in any case.
    for orientation in ("vertical", "horizontal"):
        if table_settings[f"{orientation}_strategy"] == "explicit" and len(table_settings[f"explicit_{orientation}_lines"]) < 2:
            return []
    return page.find_tables(table_settings)


def _believable(table: Table, settings: PdfSettings) -> bool:
    rows = table.rows
    return len(rows) >= settings.min_fallback_rows and max(len(row.cells) for row in rows) >= settings.min_fallback_cols
