"""PDF reader on PDFium (pypdfium2): the pdfplumber reader's decisions on PDFium's objects.

pdfplumber spends most of its time in pdfminer turning content streams into
characters; PDFium does the same work in C.  This reader takes only the
*objects* from PDFium — characters with their boxes, and the straight
segments of painted paths — in exactly the form pdfminer would have given
them, and makes the reference reader's decisions on them, in one of two ways
per page:

- the lean path (:mod:`parsers.pdf.pdfium.lean`): characters straight into
  :mod:`parsers.layout.geometry`'s ``Char``, ruled tables from
  :mod:`parsers.pdf.pdfium.grid`, cell text from ``layout.cell_text``'s functions in
  the order ``plumber.parse_page`` calls them;
- the conversion path (:mod:`parsers.pdf.pdfium.chars`, :mod:`parsers.pdf.pdfium.edges`,
  :mod:`parsers.pdf.pdfium.page`), where the lean path cannot decide
  (quarter-turned text, pages read with the horizontal-rules fallback):
  pdfplumber-shaped dicts, on which
  :func:`parsers.pdf.plumber.read_page_objects` itself runs.

PDFium normalises some characters pdfminer keeps (a browser's Kangxi
radicals ⼈⺠ become 人民) and gives those the glyph's ink box instead of the
advance box; both paths put the advance back (``pdfium.glyphs.is_anchored``,
``piece_advance``), so no gap appears that pdfminer does not see.  The
characters themselves still differ until assembly folds the radicals
(rule ``text.radicals``), which is where the records meet again.

Nothing here depends on the fonts installed on the machine: origins, font
sizes and text are the document's own, and for a font the PDF does not
embed, advances are the widths it declares (``pdfium.glyphs.DeclaredWidths``),
never PDFium's substitute font's boxes.  The one thing that cannot be
decided that way — a text object PDFium skips because the substitute drew
it without ink, which may be an ideograph and not a blank
(``pdfium.chars.SubstitutedBlank``) — sends that page to the reference
reader, and the document's notes say which pages went.

``tests/pdf/test_pdf_engines.py`` checks that the records are identical to the
pdfplumber reader's on every PDF fixture.  Pages and text pages are closed as
soon as they are read, so memory does not grow with the length of the document.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.internal as pdfium_internal
import pypdfium2.raw as pdfium_c
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Note, RawDocument
from duty_lists.parsers.pdf.budget import MAX_PAGE_OBJECTS, ContentBudget, check_document, over_budget
from duty_lists.parsers.pdf.pdfium import lean as pdfium_lean
from duty_lists.parsers.pdf.pdfium.calls import INT, VP, direct, page_objects
from duty_lists.parsers.pdf.pdfium.chars import SubstitutedBlank, page_chars
from duty_lists.parsers.pdf.pdfium.edges import page_edges
from duty_lists.parsers.pdf.pdfium.frame import PageFrame
from duty_lists.parsers.pdf.pdfium.lock import holding_pdfium
from duty_lists.parsers.pdf.pdfium.page import PdfiumPage, as_char
from duty_lists.parsers.pdf.plumber import (
    BAD_ENCRYPTION,
    CORRUPT,
    DEFAULT_SETTINGS,
    NEED_PASSWORD,
    NO_PAGES,
    PDF_ERRORS,
    WRONG_PASSWORD,
    PageResult,
    PdfSettings,
    parse_page,
    read_page_objects,
    require_complete,
)
from duty_lists.parsers.pdf.three_line import CarriedColumns
from pdfplumber.utils.exceptions import PdfminerException


class PagesWithoutText(Exception):
    """Some page has no text layer: a scan, or a blank page — for the
    reference reader to tell apart (``parsers.pdf.router``)."""

    def __init__(self, page: int) -> None:
        super().__init__(page)
        self.page = page


@holding_pdfium  # one document read at a time per process: PDFium is not thread-safe
def parse_pdf(path: Path, password: str | None = None, settings: PdfSettings = DEFAULT_SETTINGS) -> RawDocument:
    require_complete(path)
    pdf, password = open_document(path, password)
    try:
        check_document(path, password)  # PDFium parses a page's whole content as it loads it
    except ParseError:
        pdf.close()
        raise
    doc = RawDocument(path=str(path), format="pdf", pages=len(pdf))
    text_pages = fallback_pages = converted = unmapped = 0
    reference = _Reference(path, password)
    carried = CarriedColumns()
    try:
        for index in range(doc.pages):
            try:
                result, lean = read_page(pdf, index, settings, carried)
                converted += not lean
            except SubstitutedBlank as blank:
                result = reference.read(index, settings, blank.font, carried)
                unmapped += result.unmapped
            except ContentBudget as exc:
                raise over_budget(str(path), index + 1, exc) from exc
            if not result.has_text:
                raise PagesWithoutText(index + 1)
            doc.blocks.extend(result.blocks)
            if result.printed_page is not None:
                doc.printed_pages[index + 1] = result.printed_page
            text_pages += 1
            fallback_pages += result.fallback
    except pdfium.PdfiumError as exc:
        # A page PDFium cannot load is damage the document-level checks missed.
        raise ParseError(f"{CORRUPT}: {exc}", path=str(path)) from exc
    finally:
        pdf.close()
        reference.close()
    doc.notes.append(Note(
        "reader.summary",
        f"pdfium {pdfium.PDFIUM_INFO.version}: {text_pages}/{doc.pages} pages with text, "
        f"{fallback_pages} read with the horizontal-rules fallback, {converted} through pdfplumber's objects",
    ))
    if reference.pages:
        # How it read, not what the document holds: the records are the same either way.
        doc.notes.append(Note("reader.reference", reference.note()))
    if unmapped:
        # PDFium maps such glyphs itself; only pages pdfminer read can have them.
        doc.notes.append(Note("source.cid_text", f"{unmapped} glyphs have no Unicode mapping and read as (cid:N); "
                              "the text is unreliable"))
    return doc


class _Reference:
    """The reference reader for the pages PDFium cannot read without the
    machine's fonts deciding (:class:`parsers.pdf.pdfium.chars.SubstitutedBlank`):
    the document is opened in pdfplumber the first time a page needs it, and
    only those pages are read there."""

    def __init__(self, path: Path, password: str | None) -> None:
        self._path, self._password = path, password
        self._pdf: pdfplumber.PDF | None = None
        #: 1-based pages read here, and the fonts that sent them.
        self.pages: list[int] = []
        self.fonts: set[str] = set()

    def read(self, index: int, settings: PdfSettings, font: str, carried: CarriedColumns | None = None) -> PageResult:
        try:
            if self._pdf is None:
                self._pdf = pdfplumber.open(self._path, password=self._password)
            page = self._pdf.pages[index]
            try:
                result = parse_page(page, settings, carried)
            finally:
                page.close()
        except ContentBudget as exc:
            raise over_budget(str(self._path), index + 1, exc) from exc
        except PDF_ERRORS as exc:
            raise ParseError(f"{CORRUPT}: {type(exc).__name__}", path=str(self._path)) from exc
        self.pages.append(index + 1)
        self.fonts.add(font or "?")
        return result

    def note(self) -> str:
        pages = ", ".join(map(str, self.pages))
        fonts = ", ".join(sorted(self.fonts))
        return (
            f"pages {pages} read by the reference reader (pdfminer): a text object in a font the PDF does not "
            f"embed ({fonts}) was measured with this machine's substitute font and left out of PDFium's text page "
            f"(no ink, or taken for a fake-bold copy), so PDFium cannot tell it from a blank"
        )

    def close(self) -> None:
        if self._pdf is not None:
            try:
                self._pdf.close()
            except PDF_ERRORS:
                # pdfplumber's close walks the page tree again to close each page: on a
                # damaged file that raises again, and would hide the reason already given
                self._pdf.stream.close()


def read_page(
    pdf: pdfium.PdfDocument, index: int, settings: PdfSettings, carried: CarriedColumns | None = None
) -> tuple[PageResult, bool]:
    """Page ``index``'s blocks, and whether the lean path read it (``carried``:
    see :func:`parsers.pdf.plumber.parse_page`).  PDFium's page and text page
    are closed on return, the text page first."""
    page = pdf[index]
    try:
        segments = path_segments(page)
        frame = PageFrame.of(page)
        edges = page_edges(page, frame)
        textpage = page.get_textpage()
        try:
            if segments + pdfium_c.FPDFText_CountChars(textpage.raw) > MAX_PAGE_OBJECTS:
                raise ContentBudget(f"more than {MAX_PAGE_OBJECTS} characters and path segments")
            chars = pdfium_lean.read_chars(textpage, frame)
            result = None if chars is None else pdfium_lean.parse_page(index + 1, frame.height, chars, edges, settings)
            if result is not None:
                return result, True
            converted = PdfiumPage(page_number=index + 1, bbox=frame.bbox, edges=edges, chars=page_chars(textpage, frame))
        finally:
            textpage.close()
    finally:
        page.close()
    chars = [as_char(obj) for obj in converted.chars]
    return read_page_objects(converted, chars, converted.edges, settings, carried), False


def path_segments(page: pdfium.PdfPage) -> int:
    """The segments of every path on the page, forms included, counted
    before any is read: :class:`ContentBudget` once past :data:`MAX_PAGE_OBJECTS`."""
    total = 0
    for address_, _ in page_objects(page.raw, pdfium_c.FPDF_PAGEOBJ_PATH):
        total += _count_segments(address_)
        if total > MAX_PAGE_OBJECTS:
            raise ContentBudget(f"more than {MAX_PAGE_OBJECTS} characters and path segments")
    return total


_count_segments = direct(pdfium_c.FPDFPath_CountSegments, INT, VP)


# --------------------------------------------------------------------------- opening

#: PDFium's load errors → the pdfplumber reader's reasons (``None``: depends on the password).
_LOAD_ERRORS: dict[int, str | None] = {
    pdfium_c.FPDF_ERR_PASSWORD: None,
    pdfium_c.FPDF_ERR_SECURITY: BAD_ENCRYPTION,
}


def open_document(path: Path, password: str | None) -> tuple[pdfium.PdfDocument, str | None]:
    """The document, and the password that opened it: one encrypted with an
    owner password only opens without one (``plumber.open_pdf`` likewise).
    Every PDFium reading of a document (text, or pages rendered for OCR) opens it here."""
    try:
        # A Path (not bytes) makes PDFium read the file on demand instead of
        # holding all of it: a 1,000-page PDF costs a page at a time.
        return pdfium.PdfDocument(path, password=password), password
    except pdfium.PdfiumError as exc:
        if not (password and exc.err_code == pdfium_c.FPDF_ERR_PASSWORD):
            raise ParseError(_reason(path, exc.err_code, password), path=str(path)) from exc
    try:
        return pdfium.PdfDocument(path), None
    except pdfium.PdfiumError as exc:
        raise ParseError(_reason(path, exc.err_code, password), path=str(path)) from exc


def _reason(path: Path, err_code: int | None, password: str | None) -> str:
    if err_code == pdfium_c.FPDF_ERR_SUCCESS:
        # pypdfium2 refuses a document with no pages although PDFium read it.
        return NO_PAGES
    if err_code in _LOAD_ERRORS:
        return _LOAD_ERRORS[err_code] or (WRONG_PASSWORD if password else NEED_PASSWORD)
    return _diagnose(path, password) or f"{CORRUPT}: {pdfium_internal.ErrorToStr.get(err_code, f'PDFium error {err_code}')}"


def _diagnose(path: Path, password: str | None) -> str | None:
    """The reference reader's reason for a file PDFium calls malformed.

    PDFium says "format error" for a file without pages as much as for a
    broken one; pdfminer tells them apart without reading any page content,
    so on this (rare) path it is asked, to give the user the same reason
    whichever engine ran.  ``None`` if pdfminer opens the file with pages.
    """
    try:
        with pdfplumber.open(path, password=password) as pdf:
            return None if pdf.pages else NO_PAGES
    except PDF_ERRORS as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        return f"{CORRUPT}: {type(cause).__name__}"


