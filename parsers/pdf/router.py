"""The one place a PDF's reader is chosen: PDFium, then pdfplumber, then OCR.

``--pdf-engine`` picks where the chain starts:

* ``pdfium`` (the default) — PDFium reads every page.  A document with a page
  that has no text goes to pdfplumber instead: it tells a scanned page (an
  image, no text) from a blank one, and scans take OCR's seconds per page
  anyway, so the faster reader would save nothing there.
* ``pdfplumber`` — the reference reader reads every page.  Its image-only
  pages (:attr:`RawDocument.image_pages`) go to OCR when the extra is
  installed, and are reported as not read otherwise.
* ``ocr`` — every page is rendered and read by OCR, text layer or not (the
  way round a PDF whose text layer is garbage).

The readers below never hand a document on themselves; they only say what
they could not read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from duty_lists.parsers import PDF_ENGINES
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Block, Note, RawDocument
from duty_lists.parsers.pdf.pdfium.reader import PagesWithoutText, parse_pdf
from duty_lists.parsers.pdf.plumber import NO_TEXT
from duty_lists.parsers.pdf.plumber import parse_pdf as reference

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions

log = logging.getLogger(__name__)


def parse(path: Path, options: ParseOptions) -> RawDocument:
    """``path`` read by the chain that starts at ``options.pdf_engine``."""
    engine = options.pdf_engine
    if engine not in PDF_ENGINES:
        raise ParseError(f"unknown PDF engine {engine!r}", path=str(path))
    if engine == "ocr":
        from duty_lists.parsers.pdf.scanned import parse as ocr_every_page

        return ocr_every_page(path, options)
    if engine == "pdfium":
        try:
            return parse_pdf(path, password=options.password)
        except PagesWithoutText as exc:
            log.debug("%s: page %d has no text: read by pdfplumber instead", path, exc.page)
    doc = reference(path, password=options.password)
    if doc.image_pages:
        _read_image_pages(doc, options)
    return doc


def _read_image_pages(doc: RawDocument, options: ParseOptions) -> None:
    """OCR the image-only pages, or say why they stay unread."""
    # Imported here only: the OCR module brings numpy, which text PDFs never need.
    from duty_lists.parsers.ocr.text import NEEDS_EXTRA, OCR_EXTRA, ocr_available

    pages = doc.image_pages
    if ocr_available():
        log.info("%s: pages %s are only an image (no text layer): sent to OCR", doc.path, pages)
        _splice_ocr(doc, options)
    elif not doc.blocks:
        raise ParseError(f"{NO_TEXT}: {OCR_EXTRA}", path=doc.path)
    else:
        log.info("%s: pages %s are only an image and OCR is not installed: not read", doc.path, pages)
        doc.notes.extend(Note("source.page_not_read", f"image-only page not read ({NEEDS_EXTRA})", page=page) for page in pages)
        doc.unread_image_pages = list(pages)


def _splice_ocr(doc: RawDocument, options: ParseOptions) -> None:
    """Put the OCR'd blocks of the image-only pages among the text pages' blocks, in page order."""
    from duty_lists.parsers.ocr.jobs import ocr_notes
    from duty_lists.parsers.ocr.options import OcrOptions
    from duty_lists.parsers.pdf.scanned import ocr_pdf

    results = ocr_pdf(Path(doc.path), doc.image_pages, OcrOptions.from_parse_options(options), options.password)
    by_page: dict[int, list[Block]] = {}
    for block in doc.blocks:
        by_page.setdefault(block.prov.page, []).append(block)
    for result in results:
        # Whatever the text reader found on a scanned page (vector rules of
        # a frame, no text) is replaced by what OCR read there.
        by_page[result.page] = result.blocks
        if result.printed_page is not None:
            doc.printed_pages[result.page] = result.printed_page
    doc.blocks = [block for page in sorted(by_page) for block in by_page[page]]
    doc.ocr_pages = list(doc.image_pages)
    doc.notes.extend(ocr_notes(results))
