"""OCR of one page image: grid → text → the table model, in reading order.

Per page: find the ruled tables in the image (:mod:`parsers.ocr.grid`),
erase the horizontal rules so the text detector does not fuse a line of text
with the rule above it, read the text (:mod:`parsers.ocr.read`: the cached
page-wide pass, then the second reads of short lines and empty cells), put
each text box in its cell (:mod:`parsers.ocr.text`), repair the frequent
confusions (:mod:`parsers.ocr.fixes`), and emit table rows and text lines in
reading order exactly as the text-PDF reader does, with each cell's OCR
confidence in :attr:`TableRow.confidence`.  A page whose footer gave no page
number has its footer band read again on its own (:mod:`parsers.ocr.footer`).

Separate from where the image comes from (a PDF page, :mod:`parsers.pdf.scanned`;
an image file, :mod:`parsers.image_input`), from what the scanner did to it
(:mod:`parsers.ocr.scan`) and from how many pages run at once
(:mod:`parsers.ocr.jobs`): this takes one page image and its scale and
knows nothing else.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from duty_lists.parsers.layout.geometry import BBox
from duty_lists.parsers.model import Block, Provenance, TableRow, TextLine
from duty_lists.parsers.ocr.cache import OcrCache
from duty_lists.parsers.ocr.cells import assign_boxes, split_across_cells, trim_to_ink
from duty_lists.parsers.ocr.fixes import apply_fixes
from duty_lists.parsers.ocr.footer import MIN_BAND_PT, footer_band_top, footer_number, read_footer_band
from duty_lists.parsers.ocr.grid import Grid, LineMasks, find_grids
from duty_lists.parsers.ocr.options import OcrOptions
from duty_lists.parsers.ocr.read import read_boxes, reread_across_cells, reread_empty_cells, reread_short_lines
from duty_lists.parsers.ocr.scan import prepare
from duty_lists.parsers.ocr.text import OcrBox, cell_text, text_lines

#: A block with the (top, left) it is sorted by into reading order.
Placed = tuple[float, float, Block]


@dataclass(slots=True)
class PageOcr:
    """One page's blocks plus what a reader wants to know about how it went."""

    page: int
    blocks: list[Block] = field(default_factory=list)
    printed_page: int | None = None
    seconds: float = 0.0
    cached: bool = False
    tables: int = 0
    #: Cells read again on their own (see :func:`parsers.ocr.read.reread_empty_cells`).
    reread: int = 0
    fixes: Counter[str] = field(default_factory=Counter)
    #: The page was turned level / resampled by this factor before reading.
    deskewed: bool = False
    resized: float = 1.0


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


def table_rows(
    grids: Sequence[Grid], boxes_of: dict[int, list[OcrBox]], page: int, options: OcrOptions, scale: float
) -> tuple[list[Placed], Counter[str]]:
    """One :class:`TableRow` per grid row, each cell's text from its boxes
    (``boxes_of`` by ``id(cell)``) with the confusion rules applied, and how
    often each rule fired.  A merged cell's place is ``None``; the row's box
    goes into its provenance in points (``scale`` = pixels per point)."""
    placed: list[Placed] = []
    fixes: Counter[str] = Counter()
    for table_index, grid in enumerate(grids):
        for row_index, row in enumerate(grid.rows(), start=1):
            cells: list[str | None] = []
            confidence: list[float | None] = []
            boxes = [cell.bbox for cell in row if cell is not None]
            top = min(box[1] for box in boxes)
            bbox = (min(b[0] for b in boxes) / scale, top / scale, max(b[2] for b in boxes) / scale, max(b[3] for b in boxes) / scale)
            for cell in row:
                if cell is None:
                    cells.append(None)
                    confidence.append(None)
                    continue
                cut = grid.cut_bottom and cell.row + cell.rows == len(grid.ys) - 1
                text, score = cell_text(boxes_of[id(cell)], cell.bbox, options.text, cut=cut)
                text, fired = apply_fixes(text)
                fixes.update(fired)
                cells.append(text)
                confidence.append(score)
            prov = Provenance(page=page, row=row_index, table=table_index, bbox=bbox)
            placed.append((top, grid.xs[0], TableRow(cells=cells, prov=prov, confidence=confidence)))
    return placed, fixes


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


def lines_and_footer(
    image: np.ndarray, outside: list[OcrBox], grids: Sequence[Grid], scale: float, options: OcrOptions, cache: OcrCache
) -> tuple[list[tuple[BBox, str]], Counter[str], int | None]:
    """Text lines outside the tables, the rules fired on them, and the
    printed page number, the footer band read again when the page-wide
    pass gave none."""
    height = image.shape[0]
    lines, fixes = fixed_lines(outside, options)
    printed_page = footer_number(lines, height)
    band_top = footer_band_top(height, grids, scale)
    if printed_page is None and height - band_top >= MIN_BAND_PT * scale:
        # The footer's lines replace whatever the page-wide pass made of the band.
        band = read_footer_band(image, band_top, options, cache)
        outside = [box for box in outside if box.bbox[1] < band_top] + band
        lines, fixes = fixed_lines(outside, options)
        printed_page = footer_number(lines, height)
    return lines, fixes, printed_page


def in_reading_order(placed: Sequence[Placed], page: int) -> list[Block]:
    """Blocks top to bottom, left to right; text lines numbered in that order."""
    blocks: list[Block] = []
    line_no = 0
    for _, _, block in sorted(placed, key=lambda item: (item[0], item[1])):
        if isinstance(block, TextLine):
            line_no += 1
            block.prov = Provenance(page=page, row=line_no)
        blocks.append(block)
    return blocks


def ocr_page_image(image: np.ndarray, page: int, scale: float, options: OcrOptions) -> PageOcr:
    """Rows and text lines of one page image, grey or colour (``scale`` =
    pixels per point), as scanned: :func:`parsers.ocr.scan.prepare` first
    takes coloured ink out, turns it level and sizes its glyphs."""
    started = time.perf_counter()
    result = PageOcr(page=page)
    prepared = prepare(image, scale, options.scan)
    grey, scale = prepared.grey, prepared.scale
    result.deskewed = prepared.angle != 0.0
    result.resized = prepared.resized
    grids, masks = find_grids(grey, scale, options.grid)
    cache = OcrCache(options.cache_dir)
    clean = erase_horizontal_rules(grey, masks, grids, scale)
    # Lines found on the page as prepared, read at the resolution it was
    # scanned at when it was enlarged; the rules are left there: erased on a
    # page that small they take the glyphs' edges with them (普→晋, ，→。).
    boxes, result.cached = read_boxes(clean, options, cache, native=prepared.native)
    result.tables = len(grids)
    boxes = list(boxes)
    if gained := reread_short_lines(clean, boxes, scale, options, cache):
        result.fixes["dropped_glyph"] += gained

    all_cells = [cell for grid in grids for cell in grid.cells]
    result.reread += reread_across_cells(clean, boxes, [cell.bbox for cell in all_cells], scale, options, cache, prepared.native)
    reach = max(1, round(scale))
    boxes = split_across_cells(trim_to_ink(boxes, [cell.bbox for cell in all_cells], clean, reach), [cell.bbox for cell in all_cells])
    inside, outside = assign_boxes(boxes, [cell.bbox for cell in all_cells], options.text.min_overlap)
    heights = [box.bbox[3] - box.bbox[1] for box in boxes]
    line_height = statistics.median(heights) if heights else None
    result.reread += reread_empty_cells(
        clean, [cell.bbox for cell in all_cells], inside, scale, options, cache, prepared.native, line_height
    )
    boxes_of = {id(cell): cell_boxes for cell, cell_boxes in zip(all_cells, inside, strict=True)}

    placed, fixes = table_rows(grids, boxes_of, page, options, scale)
    result.fixes.update(fixes)
    height = grey.shape[0]
    lines, fixes, result.printed_page = lines_and_footer(clean, outside, grids, scale, options, cache)
    result.fixes.update(fixes)
    for bbox, text in lines:
        placed.append((bbox[1], bbox[0], TextLine(text=text, prov=Provenance(page, 0), y=bbox[1] / height)))
    result.blocks = in_reading_order(placed, page)
    result.seconds = time.perf_counter() - started
    return result
