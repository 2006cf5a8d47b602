"""The printed page number of an OCR'd page: the footer zone, and its band read on its own.

A page's printed number (``— 8 —``, ``第 3 页``) is the last line in the
bottom :data:`FOOTER_ZONE` of the page that states one, as the text-PDF
reader decides it.  When the page-wide pass found none there, the band below
every table is read again alone (:func:`read_footer_band`).

Separate from the page's assembly (:mod:`parsers.ocr.page`): the footer is
read only to number pages, and its zone and band are geometry of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from duty_lists.parsers.layout.footer import page_number
from duty_lists.parsers.layout.geometry import BBox
from duty_lists.parsers.ocr.cache import OcrCache
from duty_lists.parsers.ocr.grid import Grid
from duty_lists.parsers.ocr.options import OcrOptions
from duty_lists.parsers.ocr.read import read_boxes
from duty_lists.parsers.ocr.text import OcrBox

#: Bottom share of the page where footers (page numbers) live, as in PdfSettings.
FOOTER_ZONE = 0.08
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


def footer_number(lines: Sequence[tuple[BBox, str]], height: int) -> int | None:
    """The printed page number stated by a line in the footer zone, if any
    (the last such line in reading order, as the text-PDF reader does)."""
    number = None
    for bbox, text in lines:
        stated = page_number(text) if bbox[1] >= height * (1 - FOOTER_ZONE) else None
        number = stated if stated is not None else number
    return number
