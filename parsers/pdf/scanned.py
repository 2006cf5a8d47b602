"""OCR of PDF pages: render each page and read it as a page image.

A PDF page that is one scanned image is read at the scan's resolution;
any other page is rendered with pypdfium2 (150 dpi by default, see
:class:`~parsers.ocr.options.OcrOptions`); either is read by
:func:`parsers.ocr.page.ocr_page_image`; pages run ``jobs`` at a time
(:mod:`parsers.ocr.jobs`).  Only what is particular to a PDF is here:
opening it, counting and rendering its pages, and the reader entry points.

Entry points (both called by :mod:`parsers.pdf.router`): :func:`ocr_pdf` for
the image-only pages of a text PDF, and :func:`parse` for a PDF read entirely
by OCR (``--pdf-engine ocr``).  Page images are read by :mod:`parsers.image_input`
through :func:`parsers.ocr.jobs.ocr_images`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import RawDocument
from duty_lists.parsers.ocr.jobs import ocr_notes, require_ocr, run_pages
from duty_lists.parsers.ocr.options import OcrOptions
from duty_lists.parsers.ocr.page import PageOcr, ocr_page_image
from duty_lists.parsers.pdf.pdfium.lock import holding_pdfium
from duty_lists.parsers.pdf.pdfium.reader import open_document
from duty_lists.parsers.pdf.plumber import NO_PAGES

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions

#: Points per inch: PDF page sizes are in points.
PT_PER_INCH = 72.0


#: A page is "one scanned image" when a single image object covers at least
#: this share of it: what scanners and img2pdf write.
SCAN_COVERS = 0.9


@holding_pdfium
def render_page(path: Path, page: int, dpi: int, password: str | None = None) -> np.ndarray:
    """Page ``page`` (1-based) of a PDF as a grey image at ``dpi``."""
    pdf, _password = open_document(path, password)
    try:
        bitmap = pdf[page - 1].render(scale=dpi / PT_PER_INCH, grayscale=True)
        return np.array(bitmap.to_numpy()).reshape(bitmap.height, bitmap.width)
    finally:
        pdf.close()


def page_pixels(path: Path, page: int, dpi: int, password: str | None = None) -> tuple[np.ndarray, float]:
    """Page ``page`` (1-based) of a PDF as pixels (grey or RGB) and pixels per point, for OCR.

    A page that is one scanned image is read at the scan's own resolution,
    colour kept: rendering it at a fixed dpi would resample it once more
    (blurring a 100 dpi scan, or spending four times the work on a 300 dpi
    one for nothing), and :mod:`parsers.ocr.scan` sizes it for the
    recogniser anyway and needs the colour to take a seal out.  Any other
    page is rendered at ``dpi``, in colour.
    """
    pdf, _password = open_document(path, password)
    try:
        pdf_page = pdf[page - 1]
        native = _scanned_image(pdf_page)
        if native is not None:
            return native
        bitmap = pdf_page.render(scale=dpi / PT_PER_INCH, rev_byteorder=True)
        return _pixels(bitmap), dpi / PT_PER_INCH
    finally:
        pdf.close()


def _pixels(bitmap: Any) -> np.ndarray:
    """A PDFium bitmap as a grey (H, W) or RGB (H, W, 3) array."""
    array = np.array(bitmap.to_numpy())
    if array.ndim == 2 or array.shape[2] == 1:
        return array.reshape(bitmap.height, bitmap.width)
    channels = array[:, :, :3]
    return channels if bitmap.rev_byteorder else np.ascontiguousarray(channels[:, :, ::-1])


def _scanned_image(page: Any) -> tuple[np.ndarray, float] | None:
    """The pixels and pixels per point of a page that is one upright image
    filling it, with nothing else on it; ``None`` for any other page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    matrix = image.get_matrix()
    width, height = page.get_size()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0 or matrix.a * matrix.d < SCAN_COVERS * width * height:
        return None  # flipped, turned or small: let PDFium place it
    try:
        bitmap = image.get_bitmap(render=False)
    except pdfium.PdfiumError:
        return None
    if bitmap.format not in (pdfium_c.FPDFBitmap_Gray, pdfium_c.FPDFBitmap_BGR, pdfium_c.FPDFBitmap_BGRx,
                             pdfium_c.FPDFBitmap_BGRA):
        return None
    return _pixels(bitmap), bitmap.width / matrix.a


def _ocr_pdf_page(path: Path, page: int, options: OcrOptions, password: str | None) -> PageOcr:
    pixels, scale = page_pixels(path, page, options.dpi, password)
    return ocr_page_image(pixels, page, scale, options)


def ocr_pdf(path: Path, pages: Sequence[int], options: OcrOptions, password: str | None = None) -> list[PageOcr]:
    """OCR the given 1-based pages of a PDF, ``options.jobs`` at a time, in page order.

    Workers render their own page, so only a page number crosses the process
    boundary and memory holds ``jobs`` page images, not the whole document.
    """
    require_ocr()
    return run_pages(_ocr_pdf_page, [(path, page, options, password) for page in pages], options.jobs)


@holding_pdfium
def page_count(path: Path, password: str | None = None) -> int:
    pdf, _password = open_document(path, password)
    try:
        return len(pdf)
    finally:
        pdf.close()


def parse(path: Path, options: ParseOptions | OcrOptions | None = None) -> RawDocument:
    """Read every page of a PDF by OCR, text layer or not (``--pdf-engine ocr``).

    For a wholly scanned PDF this is the whole reader; for a PDF whose text
    layer is garbage (unmapped glyphs) it is the way round it.  ``options``
    are a run's ParseOptions, or OcrOptions given directly (no password then).
    """
    password = getattr(options, "password", None)
    pages = page_count(path, password)
    if pages == 0:
        raise ParseError(NO_PAGES, path=str(path))
    results = ocr_pdf(path, list(range(1, pages + 1)), OcrOptions.from_parse_options(options), password)
    doc = RawDocument(path=str(path), format="pdf", pages=pages, ocr_pages=list(range(1, pages + 1)))
    for result in results:
        doc.blocks.extend(result.blocks)
        if result.printed_page is not None:
            doc.printed_pages[result.page] = result.printed_page
    doc.notes.extend(ocr_notes(results))
    return doc
