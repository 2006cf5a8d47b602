"""OCR of image-only pages: page image → grid → text → the table model.

Per page: render it grey (pypdfium2, 150 dpi by default), find the ruled
tables in the image (:mod:`parsers.ocr_grid`), erase the horizontal rules so
the text detector does not fuse a line of text with the rule above it, read
the text with RapidOCR (cached by image hash, :mod:`parsers.ocr_cache`), read
again each line whose box has room for a glyph its text lacks, put
each text box in its cell (:mod:`parsers.ocr_text`), repair the frequent
confusions (:mod:`parsers.ocr_fixes`), and emit table rows and text lines in
reading order exactly as the text-PDF reader does, with each cell's OCR
confidence in :attr:`TableRow.confidence`.  A page whose footer gave no page
number has its footer band, below the tables, read again on its own.

Entry points: :func:`ocr_pdf_pages` for the text-PDF reader's image-only
pages, :func:`parse` for a PDF read entirely by OCR (``--pdf-engine ocr``),
and :func:`ocr_images` for page images (:mod:`parsers.image_input`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from .errors import ParseError
from .model import Block, Provenance, RawDocument, TableRow, TextLine
from .ocr_cache import OcrCache, default_cache_dir, image_key
from .ocr_fixes import apply_fixes
from .ocr_grid import DEFAULT_GRID, Grid, GridSettings, LineMasks, find_grids
from .ocr_text import (
    DEFAULT_OCR,
    NEEDS_EXTRA,
    OcrBox,
    OcrSettings,
    accept_reread,
    assign_boxes,
    cell_text,
    cpu_threads,
    engine_id,
    line_pitch,
    ocr_available,
    recognise,
    recognise_line,
    short_lines,
    text_lines,
)
from .pdf_layout import BBox, page_number

if TYPE_CHECKING:
    from . import ParseOptions

#: Points per inch: PDF page sizes are in points.
PT_PER_INCH = 72.0
#: Bottom share of the page where footers (page numbers) live, as in PdfSettings.
FOOTER_ZONE = 0.08


@dataclass(frozen=True)
class OcrOptions:
    """How pages are OCR'd.  ``cache_dir`` None disables the cache.

    ``dpi``: PDF pages are rendered at this resolution.  150, not 200: on
    the 150 dpi Shahe scan rendered at 200, the grid finder loses the shaded
    header's column rules (the header becomes one cell) and adds an empty
    row, which costs a whole list; at 150 it finds every column.
    """

    dpi: int = 150
    jobs: int = 1
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    grid: GridSettings = DEFAULT_GRID
    text: OcrSettings = DEFAULT_OCR

    def __post_init__(self) -> None:
        if not 72 <= self.dpi <= 600:
            raise ValueError(f"OcrOptions.dpi must be in 72..600, got {self.dpi}")
        if self.jobs < 1:
            raise ValueError(f"OcrOptions.jobs must be at least 1, got {self.jobs}")

    @classmethod
    def from_parse_options(cls, options: ParseOptions | OcrOptions | None) -> OcrOptions:
        """OCR options carried by ``ParseOptions`` (``ocr_jobs``, ``ocr_cache``)
        where it has them; the defaults otherwise."""
        if isinstance(options, OcrOptions):
            return options
        jobs = getattr(options, "ocr_jobs", 1) or 1
        cache = getattr(options, "ocr_cache", None)
        return cls(jobs=jobs, cache_dir=Path(cache) if cache else default_cache_dir())


@dataclass(slots=True)
class PageOcr:
    """One page's blocks plus what a reader wants to know about how it went."""

    page: int
    blocks: list[Block] = field(default_factory=list)
    printed_page: int | None = None
    seconds: float = 0.0
    cached: bool = False
    tables: int = 0
    #: Cells read again on their own (see :func:`reread_empty_cells`).
    reread: int = 0
    fixes: Counter[str] = field(default_factory=Counter)


# --------------------------------------------------------------------------- one page image


def erase_horizontal_rules(grey: np.ndarray, masks: LineMasks, grids: Sequence[Grid], scale: float) -> np.ndarray:
    """The image with the tables' horizontal rules painted white.

    A rule a few pixels above a line of text is fused with it by the detector
    and the whole box is then dropped as unreadable (measured: 2 of 74 lines
    lost on one page).  Only rules at a grid's row boundaries are erased:
    the horizontal mask also holds runs of strokes of neighbouring characters
    (the 一 of 五 and of 团 side by side), and erasing those spoils the text.
    Vertical rules stay: they keep boxes of neighbouring columns apart.
    """
    reach = max(2, round(2 * scale))
    erase = np.zeros_like(masks.horizontal)
    for grid in grids:
        x0, x1 = round(grid.xs[0]) - reach, round(grid.xs[-1]) + reach + 1
        for y in grid.ys:
            y0, y1 = max(0, round(y) - reach), round(y) + reach + 1
            erase[y0:y1, max(0, x0):x1] = masks.horizontal[y0:y1, max(0, x0):x1]
    erase = cv2.dilate(erase, np.ones((3, 3), np.uint8))
    clean = grey.copy()
    clean[erase > 0] = 255
    return clean


def read_boxes(image: np.ndarray, options: OcrOptions, cache: OcrCache) -> tuple[list[OcrBox], bool]:
    """OCR boxes of ``image``, from the cache when this exact image was read before."""
    key = image_key(image, engine_id(options.text))
    cached = cache.get(key)
    if cached is not None:
        return cached, True
    boxes = recognise(image, options.text, threads=cpu_threads(options.jobs))
    cache.put(key, boxes)
    return boxes, False


def reread_short_lines(image: np.ndarray, boxes: list[OcrBox], scale: float, options: OcrOptions, cache: OcrCache) -> int:
    """``ocr.dropped_glyph``: read again, recogniser only, each line whose
    box has room for a character its text lacks, and keep the re-read where
    it only adds characters (:func:`parsers.ocr_text.accept_reread`).
    Replaces entries of ``boxes``; returns how many lines gained text.

    CJK glyphs are square, so a line box's width says how many it holds.
    The page-wide pass read 控辍保学 as 控保学 with score 0.998 (no
    confidence signal), in a box one character too wide; the line alone,
    with a point of margin, is read whole.
    """
    fit = line_pitch(boxes)
    if fit is None:
        return 0
    margin = max(1, round(scale))
    gained = 0
    for index in short_lines(boxes, fit, options.text):
        x0, top, x1, bottom = (round(v) for v in boxes[index].bbox)
        crop = np.ascontiguousarray(image[max(0, top - margin) : bottom + margin, max(0, x0 - margin) : x1 + margin])
        key = image_key(crop, f"{engine_id(options.text)}|rec-only")
        cached = cache.get(key)
        read = cached if cached is not None else [b for b in [recognise_line(crop)] if b is not None]
        if cached is None:
            cache.put(key, read)
        kept = accept_reread(boxes[index], read[0] if read else None, fit, options.text)
        gained += kept is not boxes[index]
        boxes[index] = kept
    return gained


#: Ink darker than this grey level counts when deciding a cell is not empty.
INK_BELOW = 128
#: A cell with at least this many square points of ink holds a character;
#: less is JPEG speckle or the edge of a rule.
MIN_INK_PT2 = 4.0
#: An empty-looking cell with ink is read again this many times larger.
REREAD_UPSCALE = 2.0


def reread_empty_cells(
    image: np.ndarray, cells: Sequence[BBox], inside: list[list[OcrBox]], scale: float, options: OcrOptions, cache: OcrCache
) -> int:
    """Read again, on its own and enlarged, each cell the page-wide pass left
    empty although it holds ink; its boxes are added to ``inside`` in page
    pixels.  Returns how many cells were read again.

    The page-wide detector misses a lone short text: the 序号 9 of a row,
    one digit in a wide cell, came back empty (measured on the Shahe scan);
    on its own and twice the size the same digit is found and read.
    """
    reach = max(2, round(2 * scale))
    min_ink = MIN_INK_PT2 * scale * scale
    reread = 0
    for index, (x0, top, x1, bottom) in enumerate(cells):
        if inside[index]:
            continue
        # The cell's interior, clear of its rules.
        cx0, ct, cx1, cb = round(x0) + reach, round(top) + reach, round(x1) - reach, round(bottom) - reach
        if cx1 - cx0 < reach or cb - ct < reach:
            continue
        crop = image[ct:cb, cx0:cx1]
        if np.count_nonzero(crop < INK_BELOW) < min_ink:
            continue
        pad = round(4 * scale)
        padded = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
        big = cv2.resize(padded, None, fx=REREAD_UPSCALE, fy=REREAD_UPSCALE, interpolation=cv2.INTER_CUBIC)
        boxes, _ = read_boxes(big, options, cache)
        reread += 1
        for box in boxes:
            bx0, btop, bx1, bbottom = (v / REREAD_UPSCALE for v in box.bbox)
            shift_x, shift_y = cx0 - pad, ct - pad
            inside[index].append(
                OcrBox(text=box.text, score=box.score, bbox=(bx0 + shift_x, btop + shift_y, bx1 + shift_x, bbottom + shift_y))
            )
    return reread


#: A footer band lower than this, in points, holds no line of text.
MIN_BAND_PT = 8.0


def footer_band_top(height: int, grids: Sequence[Grid], scale: float) -> int:
    """Top pixel row of the footer band: the page's footer zone, below every table."""
    reach = max(2, round(2 * scale))
    top = round(height * (1 - FOOTER_ZONE))
    for grid in grids:
        top = max(top, round(grid.ys[-1]) + reach)
    return min(top, height)


def read_footer_band(image: np.ndarray, top: int, options: OcrOptions, cache: OcrCache) -> list[OcrBox]:
    """Boxes of the page's bottom band from ``top`` down, read on its own, in page pixels.

    The page-wide detector misses a lone short footer such as "— 8 —" (it
    found the ones of two pages of the Shahe scan and not the third).  Read
    alone, the band is a strip the detector enlarges to its working size
    (short side 736 px), about five times, and the footer is found.  It is
    not enlarged beforehand: at 2× the recogniser read "— 40 —" as "1401".
    """
    boxes, _ = read_boxes(np.ascontiguousarray(image[top:]), options, cache)
    return [OcrBox(text=b.text, score=b.score, bbox=(b.bbox[0], b.bbox[1] + top, b.bbox[2], b.bbox[3] + top)) for b in boxes]


def fixed_lines(boxes: Sequence[OcrBox], options: OcrOptions) -> tuple[list[tuple[BBox, str]], Counter[str]]:
    """Boxes outside tables as lines of text with the confusion rules
    applied, and how often each rule fired."""
    lines = []
    fixes: Counter[str] = Counter()
    for bbox, raw_text, _score in text_lines(boxes, options.text):
        text, fired = apply_fixes(raw_text)
        fixes.update(fired)
        lines.append((bbox, text))
    return lines, fixes


def footer_number(lines: Sequence[tuple[BBox, str]], height: int) -> int | None:
    """The printed page number stated by a line in the footer zone, if any
    (the last such line in reading order, as the text-PDF reader does)."""
    number = None
    for bbox, text in lines:
        stated = page_number(text) if bbox[1] >= height * (1 - FOOTER_ZONE) else None
        number = stated if stated is not None else number
    return number


def ocr_page_image(grey: np.ndarray, page: int, scale: float, options: OcrOptions) -> PageOcr:
    """Rows and text lines of one grey page image (``scale`` = pixels per point)."""
    started = time.perf_counter()
    result = PageOcr(page=page)
    grids, masks = find_grids(grey, scale, options.grid)
    cache = OcrCache(options.cache_dir)
    clean = erase_horizontal_rules(grey, masks, grids, scale)
    boxes, result.cached = read_boxes(clean, options, cache)
    result.tables = len(grids)
    boxes = list(boxes)
    if gained := reread_short_lines(clean, boxes, scale, options, cache):
        result.fixes["dropped_glyph"] += gained

    all_cells = [cell for grid in grids for cell in grid.cells]
    inside, outside = assign_boxes(boxes, [cell.bbox for cell in all_cells], options.text.min_overlap)
    result.reread = reread_empty_cells(clean, [cell.bbox for cell in all_cells], inside, scale, options, cache)
    read = {id(cell): (cell_boxes, cell) for cell, cell_boxes in zip(all_cells, inside, strict=True)}

    placed: list[tuple[float, float, Block]] = []
    for table_index, grid in enumerate(grids):
        for row_index, row in enumerate(grid.rows(), start=1):
            cells: list[str | None] = []
            confidence: list[float | None] = []
            top = min(cell.bbox[1] for cell in row if cell is not None)
            for cell in row:
                if cell is None:
                    cells.append(None)
                    confidence.append(None)
                    continue
                cell_boxes, _ = read[id(cell)]
                cut = grid.cut_bottom and cell.row + cell.rows == len(grid.ys) - 1
                text, score = cell_text(cell_boxes, cell.bbox, options.text, cut=cut)
                text, fired = apply_fixes(text)
                result.fixes.update(fired)
                cells.append(text)
                confidence.append(score)
            prov = Provenance(page=page, row=row_index, table=table_index)
            placed.append((top, grid.xs[0], TableRow(cells=cells, prov=prov, confidence=confidence)))

    height = grey.shape[0]
    lines, fixes = fixed_lines(outside, options)
    result.printed_page = footer_number(lines, height)
    band_top = footer_band_top(height, grids, scale)
    if result.printed_page is None and height - band_top >= MIN_BAND_PT * scale:
        # The footer's lines replace whatever the page-wide pass made of the band.
        band = read_footer_band(clean, band_top, options, cache)
        outside = [box for box in outside if box.bbox[1] < band_top] + band
        lines, fixes = fixed_lines(outside, options)
        result.printed_page = footer_number(lines, height)
    result.fixes.update(fixes)
    for bbox, text in lines:
        placed.append((bbox[1], bbox[0], TextLine(text=text, prov=Provenance(page, 0), y=bbox[1] / height)))

    placed.sort(key=lambda item: (item[0], item[1]))
    line_no = 0
    for _, _, block in placed:
        if isinstance(block, TextLine):
            line_no += 1
            block.prov = Provenance(page=page, row=line_no)
        result.blocks.append(block)
    result.seconds = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------- PDF pages


def render_page(path: Path, page: int, dpi: int, password: str | None = None) -> np.ndarray:
    """Page ``page`` (1-based) of a PDF as a grey image at ``dpi``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path, password=password)
    try:
        bitmap = pdf[page - 1].render(scale=dpi / PT_PER_INCH, grayscale=True)
        return np.array(bitmap.to_numpy()).reshape(bitmap.height, bitmap.width)
    finally:
        pdf.close()


def _ocr_pdf_page(path: Path, page: int, options: OcrOptions, password: str | None) -> PageOcr:
    return ocr_page_image(render_page(path, page, options.dpi, password), page, options.dpi / PT_PER_INCH, options)


def _ocr_image(grey: np.ndarray, page: int, scale: float, options: OcrOptions) -> PageOcr:
    return ocr_page_image(grey, page, scale, options)


def _require_ocr() -> None:
    if not ocr_available():
        raise ParseError(NEEDS_EXTRA)


def ocr_pdf(path: Path, pages: Sequence[int], options: OcrOptions, password: str | None = None) -> list[PageOcr]:
    """OCR the given 1-based pages of a PDF, ``options.jobs`` at a time, in page order.

    Workers render their own page, so only a page number crosses the process
    boundary and memory holds ``jobs`` page images, not the whole document.
    """
    _require_ocr()
    if options.jobs == 1 or len(pages) <= 1:
        return [_ocr_pdf_page(path, page, options, password) for page in pages]
    with ProcessPoolExecutor(max_workers=min(options.jobs, len(pages))) as pool:
        futures = [pool.submit(_ocr_pdf_page, path, page, options, password) for page in pages]
        return [future.result() for future in futures]


def ocr_images(images: Sequence[tuple[np.ndarray, float]], options: OcrOptions, first_page: int = 1) -> list[PageOcr]:
    """OCR grey page images ``(image, pixels per point)``, numbered from ``first_page``."""
    _require_ocr()
    numbered = [(image, first_page + i, scale) for i, (image, scale) in enumerate(images)]
    if options.jobs == 1 or len(numbered) <= 1:
        return [_ocr_image(image, page, scale, options) for image, page, scale in numbered]
    with ProcessPoolExecutor(max_workers=min(options.jobs, len(numbered))) as pool:
        futures = [pool.submit(_ocr_image, image, page, scale, options) for image, page, scale in numbered]
        return [future.result() for future in futures]


def ocr_pdf_pages(path: Path, pages: list[int], options: ParseOptions | OcrOptions | None = None) -> dict[int, list[Block]]:
    """Blocks of the given image-only pages, by page — the text-PDF reader's hook."""
    ocr_options = OcrOptions.from_parse_options(options)
    password = getattr(options, "password", None)
    return {result.page: result.blocks for result in ocr_pdf(path, pages, ocr_options, password)}


def summary(results: Sequence[PageOcr]) -> str:
    """One note line: how many pages, from cache, time per page, rules fired."""
    fixes: Counter[str] = Counter()
    for result in results:
        fixes.update(result.fixes)
    read = [r.seconds for r in results if not r.cached]
    timing = f", {sum(read) / len(read):.1f} s/page OCR'd" if read else ""
    fired = ", ".join(f"{name}×{count}" for name, count in sorted(fixes.items()))
    return (
        f"OCR {engine_id()}: {len(results)} pages, {sum(r.cached for r in results)} from cache{timing}, "
        f"{sum(r.tables for r in results)} tables, {sum(r.reread for r in results)} cells read again"
        + (f"; fixes: {fired}" if fired else "")
    )


def page_count(path: Path, password: str | None = None) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError as exc:
        raise ParseError(f"PDF 无法打开 (cannot open PDF: {exc})", path=str(path)) from exc
    try:
        return len(pdf)
    finally:
        pdf.close()


def parse(path: Path, options: ParseOptions | None = None) -> RawDocument:
    """Read every page of a PDF by OCR, text layer or not (``--pdf-engine ocr``).

    For a wholly scanned PDF this is the whole reader; for a PDF whose text
    layer is garbage (unmapped glyphs) it is the way round it.
    """
    password = getattr(options, "password", None)
    pages = page_count(path, password)
    if pages == 0:
        raise ParseError("PDF 没有页面 (PDF has no pages)", path=str(path))
    results = ocr_pdf(path, list(range(1, pages + 1)), OcrOptions.from_parse_options(options), password)
    doc = RawDocument(path=str(path), format="pdf", pages=pages)
    for result in results:
        doc.blocks.extend(result.blocks)
        if result.printed_page is not None:
            doc.printed_pages[result.page] = result.printed_page
    doc.notes.append(summary(results))
    return doc
