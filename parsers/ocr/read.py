"""Text boxes read from a page image through the cache: the page-wide pass and the second reads.

The page-wide pass (:func:`read_boxes`) is RapidOCR on the whole image,
cached by image hash (:mod:`parsers.ocr.cache`).  It is known to miss two
things, each measured on the Shahe scan and read again here on its own crop:

- a glyph dropped from a line, with no confidence signal
  (:func:`reread_short_lines`, rule ``ocr.dropped_glyph``);
- a lone short text in a wide cell, not detected at all
  (:func:`reread_empty_cells`).

Separate from the page's assembly (:mod:`parsers.ocr.page`) because each
second read is a workaround for one failure of the engine, with its own
constants and its own test, and all of them go through the same cache.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from duty_lists.parsers.layout.geometry import BBox
from duty_lists.parsers.ocr.cache import OcrCache, image_key
from duty_lists.parsers.ocr.dropped import accept_reread, line_pitch, short_lines
from duty_lists.parsers.ocr.options import OcrOptions
from duty_lists.parsers.ocr.text import (
    MARGIN_INK_BELOW,
    NATIVE_MARGIN_PX,
    OcrBox,
    cpu_threads,
    engine_id,
    glyph_units,
    pieces_across_cells,
    recognise,
    recognise_at,
    recognise_crops,
    recognise_line,
)

#: Ink darker than this grey level counts when deciding a cell is not empty:
#: the thin strokes of a small 1 or 7, shrunk to the working glyph height,
#: are mid-grey (measured 150–190 on a 300 dpi scan's 序号 column).
INK_BELOW = 192
#: A cell holds a character when a blob of its ink is at least this many
#: points high (a 9 pt digit's ink is about 6 pt) and all its ink covers at
#: least this many square points (the 1 of that column, 2 pt²); JPEG
#: speckle is lower and smaller, a rule's edge stays outside the crop.
MIN_GLYPH_PT = 3.0
MIN_INK_PT2 = 1.5
#: An empty-looking cell with ink is read again this many times larger.
REREAD_UPSCALE = 2.0


def read_boxes(
    image: np.ndarray, options: OcrOptions, cache: OcrCache, native: np.ndarray | None = None
) -> tuple[list[OcrBox], bool]:
    """OCR boxes of ``image``, from the cache when this exact image was read before.

    ``native``, when given, is the same page at the lower resolution it was
    scanned at, ``image`` its enlargement: lines are found on ``image`` and
    read on ``native`` (:func:`parsers.ocr.text.recognise_at`).
    """
    engine = engine_id(options.text)
    if native is not None:
        # The crop's making is part of the answer: a change to it must not be served old reads.
        crop = f"margin {NATIVE_MARGIN_PX}, margin ink below {MARGIN_INK_BELOW} cleared"
        engine = f"{engine}|read at {image_key(native, 'own resolution')}, {crop}"
    key = image_key(image, engine)
    cached = cache.get(key)
    if cached is not None:
        return cached, True
    threads = cpu_threads(options.jobs)
    boxes = recognise(image, options.text, threads) if native is None else recognise_at(image, native, options.text, threads)
    cache.put(key, boxes)
    return boxes, False


def reread_short_lines(image: np.ndarray, boxes: list[OcrBox], scale: float, options: OcrOptions, cache: OcrCache) -> int:
    """``ocr.dropped_glyph``: read again, recogniser only, each line whose
    box has room for a character its text lacks, and keep the re-read where
    it only adds characters (:func:`parsers.ocr.text.accept_reread`).
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


def reread_across_cells(
    image: np.ndarray, boxes: list[OcrBox], cells: Sequence[BBox], scale: float, options: OcrOptions, cache: OcrCache,
    native: np.ndarray | None = None,
) -> int:
    """A line box that runs over its cell's rule into the next cells is read
    again cell by cell, recogniser only: its part in each cell, clear of the
    rules, at the page's own resolution when given (``native``, as in
    :func:`read_boxes`).  Replaces entries of ``boxes``; returns how many.

    The detector takes a row's first line across several cells for one line
    when the text of each runs up to the rule (measured on a 100 dpi scan:
    1党的建设做好兵团、师市等师市党委组织部, four cells).  Read whole, the
    text says nothing of where each cell's part ends — a rule may be read as
    a glyph or not at all — so cutting it by counting glyphs misplaces the
    cut wherever a cell's text stops short of its rule; the image does not.
    """
    source = image if native is None else native
    grow = image.shape[1] / source.shape[1]
    reach = max(1, round(scale))  # a point: the rule stays out of the crop
    margin = NATIVE_MARGIN_PX
    runs: list[tuple[int, list[BBox]]] = []
    crops: list[np.ndarray] = []
    for index, box in enumerate(boxes):
        pieces = pieces_across_cells(box, cells, inset=reach)
        if len(pieces) < 2 or any(x1 - x0 <= reach for x0, _, x1, _ in pieces):
            continue
        runs.append((index, pieces))
        for x0, top, x1, bottom in pieces:
            # Margin above and below only: the sides are the rules.
            c, d = max(0, round(top / grow) - margin), round(bottom / grow) + margin
            crops.append(np.ascontiguousarray(source[c:d, round(x0 / grow) : round(x1 / grow)]))
    read = _recognise_cached(crops, options, cache)
    replaced: dict[int, list[OcrBox]] = {}
    at = 0
    for index, pieces in runs:
        replaced[index] = [
            OcrBox(text=text, score=score, bbox=piece)
            for piece, (text, score) in zip(pieces, read[at : at + len(pieces)], strict=True)
            if text.strip() and score >= options.text.min_box_score
        ]
        at += len(pieces)
    boxes[:] = [new for index, box in enumerate(boxes) for new in replaced.get(index, [box])]
    return len(runs)


def _recognise_cached(crops: Sequence[np.ndarray], options: OcrOptions, cache: OcrCache) -> list[tuple[str, float]]:
    """(text, score) of each line image by the recogniser alone, from the
    cache where that exact image was read before, the rest in one batch."""
    engine = f"{engine_id(options.text)}|rec-only"
    keys = [image_key(crop, engine) for crop in crops]
    known = [cache.get(key) for key in keys]
    missing = [i for i, hit in enumerate(known) if hit is None]
    fresh = recognise_crops([crops[i] for i in missing], cpu_threads(options.jobs), options.text)
    for i, (text, score) in zip(missing, fresh, strict=True):
        found = [OcrBox(text=text, score=score, bbox=(0.0, 0.0, float(crops[i].shape[1]), float(crops[i].shape[0])))]
        cache.put(keys[i], found if text.strip() else [])
        known[i] = found if text.strip() else []
    return [(hit[0].text, hit[0].score) if hit else ("", 0.0) for hit in known]


def reread_empty_cells(
    image: np.ndarray, cells: Sequence[BBox], inside: list[list[OcrBox]], scale: float, options: OcrOptions, cache: OcrCache,
    native: np.ndarray | None = None, line_height: float | None = None,
) -> int:
    """Read again each cell the page-wide pass left empty although it holds
    ink; its boxes are added to ``inside`` in page pixels.  Returns how many
    cells were read again.

    The page-wide detector misses a lone short text: a row's 序号, one or two
    digits in a cell of their own (measured: 1, 2 and 7 of a 300 dpi scan's
    thirteen, 9 of the Shahe scan), is not found at all.  Ink of one line's
    height (at most :data:`ONE_LINE` × ``line_height``, the page's text line
    height) is read by the recogniser alone, cut to the ink with a quarter of
    its height around it (:func:`one_line_crop`): so the 300 dpi scan's 1–13
    are all read right, where the detector, even on the cell enlarged twice,
    found none of 1, 2 and 7.  Taller ink (several lines the pass missed) is
    detected and read again enlarged, the cells together: each crop on a
    sheet of its own band, one engine call per sheet (one call per cell cost
    a whole page pass each: 11 cells, 40 % of a 150 dpi page's time).
    """
    reach = max(2, round(2 * scale))
    min_ink = MIN_INK_PT2 * scale * scale
    pad = round(4 * scale)
    crops: list[tuple[int, np.ndarray, int, int]] = []  # (cell index, enlarged crop, page x, page y of its corner)
    lines: list[tuple[int, BBox]] = []  # (cell index, the ink's box in page pixels)
    for index, (x0, top, x1, bottom) in enumerate(cells):
        lone = len(inside[index]) == 1 and glyph_units(inside[index][0].text) <= LONE_UNITS
        if inside[index] and not lone:
            continue
        # The cell's interior, clear of its rules.
        cx0, ct, cx1, cb = round(x0) + reach, round(top) + reach, round(x1) - reach, round(bottom) - reach
        if cx1 - cx0 < reach or cb - ct < reach:
            continue
        crop = image[ct:cb, cx0:cx1]
        ink = crop < INK_BELOW
        if np.count_nonzero(ink) < min_ink or not holds_glyph(ink, scale):
            continue
        ys, xs = np.nonzero(ink)
        if line_height and ys.max() - ys.min() + 1 <= ONE_LINE * line_height:
            lines.append((index, (cx0 + float(xs.min()), ct + float(ys.min()), cx0 + xs.max() + 1.0, ct + ys.max() + 1.0)))
            continue
        if lone:
            continue
        padded = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
        big = cv2.resize(padded, None, fx=REREAD_UPSCALE, fy=REREAD_UPSCALE, interpolation=cv2.INTER_CUBIC)
        crops.append((index, big, cx0 - pad, ct - pad))
    source = image if native is None else native
    grow = image.shape[1] / source.shape[1]
    read = _recognise_cached([one_line_crop(source, ink, grow) for _, ink in lines], options, cache)
    for (index, box), (text, score) in zip(lines, read, strict=True):
        if not text.strip() or score < options.text.min_box_score:
            continue
        if not inside[index] or score > inside[index][0].score:
            inside[index][:] = [OcrBox(text=text, score=score, bbox=box)]
    for sheet in _sheets(crops, options.text.max_side_px):
        _read_sheet(sheet, inside, options, cache)
    return len(crops) + len(lines)


def holds_glyph(ink: np.ndarray, scale: float) -> bool:
    """Has the ink mask a blob at least :data:`MIN_GLYPH_PT` high?"""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    return bool(len(stats) > 1 and stats[1:, cv2.CC_STAT_HEIGHT].max() >= MIN_GLYPH_PT * scale)


#: A cell whose one box is this many glyph widths or fewer (a 序号) is read
#: again framed on its own, and the surer of the two reads kept: the
#: page-wide pass read a lone 9 as の (score 0.57), framed it is 9.
LONE_UNITS = 2.0

#: Ink at most this many text lines high is one line, read by the recogniser alone.
ONE_LINE = 1.5


def one_line_crop(source: np.ndarray, ink: BBox, grow: float = 1.0) -> np.ndarray:
    """The line of ink ``ink`` (page pixels; ``source`` is the page shrunk
    by ``grow``) cut tight, with white a quarter of its height above and
    below and on the sides, and more on the sides if need be to make it at
    least square: the recogniser reads a lone glyph so framed as it reads
    one in a line.  The cell as cut, with its empty width and rule edges,
    gave 5個, ¥11, 時10個; a lone 1 cut narrow (a third as wide as high) was
    read with a score of 0.31, framed square 0.98 (wider again, 0.47)."""
    x0, top, x1, bottom = (round(v / grow) for v in ink)
    line = source[max(0, top) : bottom, max(0, x0) : x1]
    pad = max(1, (bottom - top) // 4)
    height, width = line.shape[0] + 2 * pad, line.shape[1] + 2 * pad
    extra = max(0, height - width)
    left, right = pad + extra // 2, pad + extra - extra // 2
    return np.ascontiguousarray(cv2.copyMakeBorder(line, pad, pad, left, right, cv2.BORDER_CONSTANT, value=255))


def _sheets(crops: list[tuple[int, np.ndarray, int, int]], max_side: int) -> list[list[tuple[int, np.ndarray, int, int]]]:
    """Crops in groups whose stacked height stays under the engine's
    ``max_side`` (above it the engine would shrink the sheet)."""
    sheets: list[list[tuple[int, np.ndarray, int, int]]] = []
    height = 0
    for crop in crops:
        if sheets and height + crop[1].shape[0] <= max_side:
            sheets[-1].append(crop)
        else:
            sheets.append([crop])
            height = 0
        height += crop[1].shape[0]
    return sheets


def _read_sheet(
    sheet: list[tuple[int, np.ndarray, int, int]], inside: list[list[OcrBox]], options: OcrOptions, cache: OcrCache
) -> None:
    """Stack ``sheet``'s crops, read them in one call, and give each box to
    the crop its centre lies in, in page pixels."""
    width = max(big.shape[1] for _, big, _, _ in sheet)
    bands = [cv2.copyMakeBorder(big, 0, 0, 0, width - big.shape[1], cv2.BORDER_CONSTANT, value=255) for _, big, _, _ in sheet]
    tops = np.cumsum([0] + [band.shape[0] for band in bands])
    boxes, _ = read_boxes(np.ascontiguousarray(np.vstack(bands)), options, cache)
    for box in boxes:
        middle = (box.bbox[1] + box.bbox[3]) / 2
        at = int(np.searchsorted(tops, middle, side="right")) - 1
        if not 0 <= at < len(sheet):
            continue
        index, _, shift_x, shift_y = sheet[at]
        bx0, btop, bx1, bbottom = (v / REREAD_UPSCALE for v in box.bbox)
        band_top = tops[at] / REREAD_UPSCALE
        inside[index].append(
            OcrBox(text=box.text, score=box.score,
                   bbox=(bx0 + shift_x, btop - band_top + shift_y, bx1 + shift_x, bbottom - band_top + shift_y))
        )
