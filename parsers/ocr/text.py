"""Text of a page image: RapidOCR boxes → cells → the cell text model.

RapidOCR (``rapidocr-onnxruntime``, the optional extra ``duty-lists[ocr]``)
ships its PP-OCRv4 Chinese detection and recognition models inside the wheel,
so OCR runs offline.  It is imported only when a page needs it, and a missing
extra is one :class:`ParseError` line naming it.

Each OCR box is one detected text line.  Boxes go to the cell they overlap
most; inside a cell they become pseudo-characters for the line grouping of
:mod:`parsers.layout.geometry` and the soft-wrap rule of
:mod:`parsers.layout.cell_text`, which then build the same ``"\\n"``/soft-wrap
text a text PDF gives: a line that ran into the cell's right edge was
wrapped by the layout, one that stopped short ended a paragraph.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any

import numpy as np
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.layout.cell_text import join_cell_lines
from duty_lists.parsers.layout.geometry import BBox, Char, group_lines, line_text

OCR_EXTRA = "pip install 'duty-lists[ocr]'"
NEEDS_EXTRA = f"扫描件需要 OCR 组件 (scanned pages need the OCR extra: {OCR_EXTRA})"


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One detected text line: its text, the engine's score and its box in pixels."""

    text: str
    score: float
    bbox: BBox


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How boxes are read and turned into cell text."""

    #: Boxes the engine scores below this are noise (specks, stamp rims),
    #: not text; this is the engine's own default.
    min_box_score: float = 0.5
    #: A box belongs to a cell when at least this share of it lies inside.
    min_overlap: float = 0.5
    #: Boxes whose tops differ by at most this share of a line height are one line.
    line_y_ratio: float = 0.4
    #: As in ``PdfSettings``: a gap wider than this × line height is a space,
    #: and a line ending within this many character widths of the cell's
    #: text edge was wrapped.  OCR boxes are looser than glyph boxes, hence
    #: the larger gap ratio.
    space_gap_ratio: float = 0.5
    soft_wrap_chars: float = 1.5
    #: The engine shrinks a page whose long side exceeds this many pixels
    #: before reading it.  Its default, 2000, would take an A4 page at 200 dpi
    #: (2339 px) back down to 171 dpi and lose what the higher resolution
    #: gained (measured: 控辍保学 read as 控缀保学).
    max_side_px: int = 4000
    #: ``ocr.dropped_glyph``: a line box with room for more than this many
    #: character widths beyond its text is read again on its own.  Half a
    #: width is the narrowest glyph counted (a digit or a dot), so a larger
    #: shortfall is not rounding.
    dropped_glyph_room: float = 0.5
    #: Only boxes this close to the page's median box height are one line of
    #: body text; a title's larger glyphs would fake a shortfall.
    body_height_ratio: float = 0.25


DEFAULT_OCR = OcrSettings()


# --------------------------------------------------------------------------- engine


def ocr_available() -> bool:
    """Is the optional OCR extra installed?"""
    try:
        import cv2  # noqa: F401  (the grid finder's half of the extra)
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def engine_id(settings: OcrSettings = DEFAULT_OCR) -> str:
    """What the engine's answer depends on, for the cache key."""
    try:
        version = metadata.version("rapidocr-onnxruntime")
    except metadata.PackageNotFoundError:
        version = "missing"
    return f"rapidocr-onnxruntime {version}|ppocrv4|cls=off|min_score={settings.min_box_score}|max_side={settings.max_side_px}"


@lru_cache(maxsize=2)
def load_engine(threads: int = 0, max_side_px: int = DEFAULT_OCR.max_side_px) -> Any:
    """The RapidOCR engine, once per process.  ``threads`` 0 = onnxruntime's default."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise ParseError(NEEDS_EXTRA) from exc
    kwargs: dict[str, Any] = {"use_cls": False, "max_side_len": max_side_px}
    if threads > 0:
        kwargs["intra_op_num_threads"] = threads
    return RapidOCR(**kwargs)


def recognise(image: np.ndarray, settings: OcrSettings = DEFAULT_OCR, threads: int = 0) -> list[OcrBox]:
    """Every text line the engine reads on ``image``, as axis-aligned boxes.

    The angle classifier is off: pages are rendered upright, and the
    classifier's occasional 180° verdict on a short line turns it into nonsense.
    """
    engine = load_engine(threads, settings.max_side_px)
    result, _ = engine(image, use_cls=False, text_score=settings.min_box_score)
    boxes: list[OcrBox] = []
    for points, text, score in result or ():
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        if text.strip():
            boxes.append(OcrBox(text=text, score=float(score), bbox=(min(xs), min(ys), max(xs), max(ys))))
    return boxes


#: A line cut from the page at its own resolution keeps this margin around
#: the detector's box, which hugs the glyphs.
NATIVE_MARGIN_PX = 2


def recognise_at(image: np.ndarray, native: np.ndarray, settings: OcrSettings = DEFAULT_OCR, threads: int = 0) -> list[OcrBox]:
    """Every text line found on ``image``, read on ``native``: the same page
    at the lower resolution it was scanned at, ``image`` its enlargement.
    Boxes are in ``image``'s pixels.

    A 100 dpi scan is enlarged so the detector finds its lines (at their own
    size it merges and misses them), but the recogniser reads the enlarged
    glyphs worse than the scanned ones: on pages 2-3 of the corpus scan h08
    the two reads differ on 25 lines, 20 right only at 100 % (，read as 、
    or ．, 申→审, 援疆→援, a rule read as 1 or 厂), 4 right only at 150 %
    (、 read as ： or dropped), one mixed.  Each line is cut from ``native``
    with a margin of :data:`NATIVE_MARGIN_PX` (h08: 96, 98, 98 rows right
    with 0, 1, 2) and all are read in one batch, in place of the engine's own
    recognition: 5.5 s a page against 13.1 s for the page-wide pass on h08.
    """
    engine = load_engine(threads, settings.max_side_px)
    found, _ = engine(image, use_cls=False, use_rec=False, text_score=settings.min_box_score)
    if not found:
        return []
    grow = image.shape[1] / native.shape[1]
    margin = NATIVE_MARGIN_PX
    crops, boxes = [], []
    for points in found:
        x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
        top, bottom = min(p[1] for p in points), max(p[1] for p in points)
        a, b = max(0, round(x0 / grow) - margin), min(native.shape[1], round(x1 / grow) + margin)
        c, d = max(0, round(top / grow) - margin), min(native.shape[0], round(bottom / grow) + margin)
        if b - a < 2 or d - c < 2:
            continue
        crops.append(without_margin_ink(native[c:d, a:b], round(top / grow) - c, d - round(bottom / grow)))
        boxes.append((float(x0), float(top), float(x1), float(bottom)))
    read = recognise_crops(crops, threads, settings)
    return [
        OcrBox(text=text, score=float(score), bbox=bbox)
        for bbox, (text, score) in zip(boxes, read, strict=True)
        if str(text).strip() and float(score) >= settings.min_box_score
    ]


#: Grey below this is ink when a line crop's margins are cleared.
MARGIN_INK_BELOW = 170


def without_margin_ink(crop: np.ndarray, above: int, below: int) -> np.ndarray:
    """``crop`` with the ink that lies wholly in its margins — the ``above``
    rows over the detector's box and the ``below`` rows under it — painted
    white.

    The margin keeps the line's own glyph edges in; it also takes in the
    foot of the line above, the top of the line below and the table's rules,
    and at 100 dpi the recogniser reads them: a 、 over a speck of the next
    line was read as ： (measured on the corpus scan h08, twice).  Ink that
    reaches into the box is the line's own and stays.
    """
    import cv2  # the OCR extra's, like the engine

    height = crop.shape[0]
    if height <= above + below or (above <= 0 and below <= 0):
        return crop
    grey = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    count, labels, stats, _ = cv2.connectedComponentsWithStats((grey < MARGIN_INK_BELOW).astype(np.uint8), connectivity=8)
    tops, heights = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    stray = [i for i in range(1, count) if tops[i] + heights[i] <= above or tops[i] >= height - below]
    if not stray:
        return crop
    out = crop.copy()
    out[np.isin(labels, stray)] = 255
    return out


def recognise_crops(crops: Sequence[np.ndarray], threads: int = 0, settings: OcrSettings = DEFAULT_OCR) -> list[tuple[str, float]]:
    """(text, score) of each line image, by the recogniser alone, in one batch."""
    if not crops:
        return []
    engine = load_engine(threads, settings.max_side_px)
    images = []
    for crop in crops:
        crop = np.repeat(crop[:, :, None], 3, axis=2) if crop.ndim == 2 else crop
        # As the engine does with its own crops: a tall one is a column of
        # glyphs, read turned.
        images.append(np.ascontiguousarray(np.rot90(crop) if crop.shape[0] >= 1.5 * crop.shape[1] else crop))
    read, _ = engine.text_rec(images)
    return [(str(text), float(score)) for text, score in read]


def recognise_line(image: np.ndarray) -> OcrBox | None:
    """The text of one line image by the recogniser alone (no detection),
    with the image's own extent as its box; ``None`` when nothing is read."""
    engine = load_engine()
    result, _ = engine(image, use_det=False, use_cls=False, use_rec=True)
    if not result or not str(result[0][0]).strip():
        return None
    text, score = result[0][0], float(result[0][1])
    return OcrBox(text=text, score=score, bbox=(0.0, 0.0, float(image.shape[1]), float(image.shape[0])))


def cpu_threads(jobs: int) -> int:
    """onnxruntime threads per worker so ``jobs`` workers share the CPUs."""
    return max(1, (os.cpu_count() or 1) // max(1, jobs))


# --------------------------------------------------------------------------- boxes → cells


def overlap(a: BBox, b: BBox) -> float:
    """Share of box ``a``'s area that lies inside ``b``."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    area = (a[2] - a[0]) * (a[3] - a[1])
    return max(0.0, w) * max(0.0, h) / area if area > 0 else 0.0


#: Characters a detector takes for text when a vertical rule is in its box
#: (厂, 」: the rule and what is left of the erased rule above or below it).
RULE_GLYPHS = "|丨｜1lI厂」「[]"
#: Of those, the ones that are never text in a duty list's cells, and how
#: many glyphs from the estimated cut one is taken as the rule.
RULE_BARS = "|丨｜」「[]"
RULE_SEARCH = 2


def _without_rule(text: str, at_start: bool) -> str:
    """``text`` without the one glyph a rule was read as at its start or end.

    A rule is read as one glyph, never more: stripping a run took a real
    ``1`` with it (the 序号 ``1`` in ``1」党的建设``).  A ``1`` before a step
    marker's dot (``1.充分…``) is the step's number, not the rule.
    """
    if not text:
        return text
    if at_start:
        if text[0] in RULE_GLYPHS and text[1:2] not in (".", "．"):
            return text[1:]
        return text
    return text[:-1] if text[-1] in RULE_GLYPHS else text


def _cut_at_rule(box: OcrBox, cells: Sequence[BBox]) -> tuple[OcrBox | None, OcrBox | None]:
    """``box`` without a rule read as its first glyph, and cut at the right
    edge of the cell it starts in when it runs on past it: (the part in that
    cell, the rest), either ``None`` when empty."""
    x0, top, x1, bottom = box.bbox
    middle = (top + bottom) / 2
    units = glyph_units(box.text)
    pitch = (x1 - x0) / units if units else 0.0
    if pitch <= 0:
        return box, None
    if box.text[0] in RULE_GLYPHS and any(
        x0 - pitch / 8 <= c[0] <= x0 + pitch * glyph_units(box.text[0]) and c[1] <= middle <= c[3] for c in cells
    ):
        # The first "glyph" sits on a cell's left rule: it is the rule
        # (measured on a 100 dpi scan: 1加强…, 厂负责…, 丨加强…; the box
        # may start right on the rule).  Text starts a padding to its right.
        text = _without_rule(box.text, at_start=True)
        if text != box.text:
            x0 += pitch * glyph_units(box.text[0])
            box = OcrBox(text=text, score=box.score, bbox=(x0, top, x1, bottom))
        if not box.text.strip():
            return None, None
    home = next((c for c in cells if c[0] <= x0 + pitch / 2 < c[2] and c[1] <= middle <= c[3]), None)
    if home is None:
        return box, None
    edge = home[2]
    if x1 - edge <= pitch:
        # Ends in its cell, or on its right rule: a bar there is the rule.
        if x1 > edge - pitch / 2 and box.text[-1] in RULE_BARS and box.text[:-1].strip():
            box = OcrBox(text=box.text[:-1], score=box.score, bbox=(x0, top, x1 - pitch * glyph_units(box.text[-1]), bottom))
        return box, None
    cut, width = 0, 0.0
    while cut < len(box.text) and x0 + (width + glyph_units(box.text[cut]) / 2) * pitch <= edge:
        width += glyph_units(box.text[cut])
        cut += 1
    # Text that does not fill its cell leaves a gap the box does not show,
    # so the count can be off by a glyph or two; a rule read as a bar or
    # bracket that close by is where the cell ends.
    near = [i for i in range(max(0, cut - RULE_SEARCH), min(len(box.text), cut + RULE_SEARCH + 1)) if box.text[i] in RULE_BARS]
    if near:
        cut = min(near, key=lambda i: abs(i - cut))
        left, right = box.text[:cut], box.text[cut + 1 :]
    else:
        left, right = _without_rule(box.text[:cut], at_start=False), box.text[cut:]
        right = right[1:] if right[:1] in RULE_GLYPHS else right
    return (
        OcrBox(text=left, score=box.score, bbox=(x0, top, edge, bottom)) if left.strip() else None,
        OcrBox(text=right, score=box.score, bbox=(edge, top, x1, bottom)) if right.strip() else None,
    )


def pieces_across_cells(box: OcrBox, cells: Sequence[BBox], inset: float = 0.0) -> list[BBox]:
    """The parts of a line box in each cell of its row, left to right, kept
    ``inset`` inside the cell's sides, when it runs over into another cell
    by more than a glyph; ``[]`` when it stays in one."""
    x0, top, x1, bottom = box.bbox
    middle = (top + bottom) / 2
    units = glyph_units(box.text)
    pitch = (x1 - x0) / units if units else 0.0
    if pitch <= 0:
        return []
    row = sorted(c for c in cells if c[1] <= middle <= c[3] and min(x1, c[2]) - max(x0, c[0]) > pitch)
    if len(row) < 2:
        return []
    return [(max(x0, c[0] + inset), top, min(x1, c[2] - inset), bottom) for c in row]


#: Grey below this is ink when a box is trimmed to its text: a thin stroke's
#: grey included, paper and JPEG haze not.
TRIM_INK_BELOW = 160


def trim_to_ink(boxes: Sequence[OcrBox], cells: Sequence[BBox], grey: np.ndarray, reach: int) -> list[OcrBox]:
    """Boxes that cross a cell's side and begin or end over another box of
    their line, narrowed to their own ink.

    The detector's box is wider than its text, and not evenly: a line
    starting just right of a rule came back with its box starting 11 pt left
    of it, over the end of the neighbouring cell's line (measured on a 150 dpi
    scan: 1.县农业农村局： boxed from inside 县农业农村局、县市).  Cut by
    counting glyphs from that start, its 1. went to the cell on the left.
    Past the other box, its text starts at its first ink that is not a rule
    (within ``reach`` of a cell's side) — unless it was read as one (a rule
    read as 丨, which :func:`split_across_cells` then takes off).
    """
    sides = sorted({round(x) for cell in cells for x in (cell[0], cell[2])})
    out: list[OcrBox] = []
    for box in boxes:
        x0, top, x1, bottom = box.bbox
        middle = (top + bottom) / 2
        line = [o.bbox for o in boxes if o is not box and o.bbox[1] <= middle <= o.bbox[3]]
        start = max([x0, *(ox1 for ox0, _, ox1, _ in line if ox0 < x0 < ox1)])
        end = min([x1, *(ox0 for ox0, _, ox1, _ in line if ox0 < x1 < ox1)])
        if (start, end) == (x0, x1) or not any(x0 + reach < side < x1 - reach for side in sides) or end <= start:
            out.append(box)
            continue
        a, b = round(start), round(end)
        inked = (np.flatnonzero((grey[max(0, round(top)) : round(bottom), a:b] < TRIM_INK_BELOW).any(axis=0)) + a).tolist()
        first_rule = _without_rule(box.text, at_start=True) != box.text
        last_rule = _without_rule(box.text, at_start=False) != box.text
        text_start = next((x for x in inked if first_rule or all(abs(x - side) > reach for side in sides)), None)
        text_end = next((x for x in reversed(inked) if last_rule or all(abs(x - side) > reach for side in sides)), None)
        if text_start is None or text_end is None:
            out.append(box)
            continue
        new_x0 = float(text_start) if start > x0 else x0
        new_x1 = float(text_end) + 1 if end < x1 else x1
        out.append(OcrBox(text=box.text, score=box.score, bbox=(new_x0, top, new_x1, bottom)))
    return out


#: A one-glyph box whose centre is this share of its width or less from a
#: cell's side sits on the rule.
STUB_OFFSET = 0.25


def is_rule_stub(box: OcrBox, cells: Sequence[BBox]) -> bool:
    """Is ``box`` one glyph read from a piece of rule, not text?

    At 100 dpi a junction of rules — the tick where a row's rule meets a
    merged cell's side, a cross where two meet — is found as a line of its
    own and read as a glyph: 一 joined to every label of a category block
    (经济发展一), 工 in an empty 备注 cell (measured on a LibreOffice print
    scanned grey).  Text sits inside its cell, a padding clear of the rules;
    a lone glyph centred on a cell's side is the rule.
    """
    if len(box.text.strip()) != 1:
        return False
    x0, top, x1, bottom = box.bbox
    centre, middle = (x0 + x1) / 2, (top + bottom) / 2
    reach = STUB_OFFSET * (x1 - x0)
    return any(c[1] <= middle <= c[3] and min(abs(centre - c[0]), abs(centre - c[2])) <= reach for c in cells)


def split_across_cells(boxes: Sequence[OcrBox], cells: Sequence[BBox]) -> list[OcrBox]:
    """Boxes that run over a cell's right edge into the next cells, cut at
    every rule they cross.

    When a line fills its cell and the next cell's text starts just past the
    rule, the detector can take both for one line, rule and all (measured:
    对完成城镇新增就业人数丨此项工作已不再开展。, a name and the next column's
    statement; on a 100 dpi scan, a row's first line across four cells:
    1」党的建设|做好兵团、师市等「帅市党委组织部).  CJK glyphs are all one
    width, so each cut falls after as many glyph widths as fit left of the
    edge; a rule read as a glyph goes.
    """
    out: list[OcrBox] = []
    for box in boxes:
        if is_rule_stub(box, cells):
            continue
        rest: OcrBox | None = box
        while rest is not None:
            part, after = _cut_at_rule(rest, cells)
            if part is not None:
                out.append(part)
            # Each cut leaves a strictly shorter rest: the loop ends.
            rest = after if after is not None and after.bbox[0] > rest.bbox[0] else None
    return out


def assign_boxes(
    boxes: Sequence[OcrBox], cells: Sequence[BBox], min_overlap: float = DEFAULT_OCR.min_overlap
) -> tuple[list[list[OcrBox]], list[OcrBox]]:
    """One list of boxes per cell (the cell holding most of each box) and the rest."""
    inside: list[list[OcrBox]] = [[] for _ in cells]
    outside: list[OcrBox] = []
    for box in boxes:
        best, share = -1, 0.0
        for index, cell in enumerate(cells):
            s = overlap(box.bbox, cell)
            if s > share:
                best, share = index, s
        if best >= 0 and share >= min_overlap:
            inside[best].append(box)
        else:
            outside.append(box)
    return inside, outside


def as_char(box: OcrBox) -> Char:
    """A box as one wide pseudo-character; its height stands for the em size."""
    x0, top, x1, bottom = box.bbox
    return Char(text=box.text, x0=x0, x1=x1, top=top, bottom=bottom, size=bottom - top)


def line_tolerance(boxes: Sequence[OcrBox], settings: OcrSettings) -> float:
    heights = [box.bbox[3] - box.bbox[1] for box in boxes]
    return settings.line_y_ratio * statistics.median(heights) if heights else 0.0


def cell_text(
    boxes: Sequence[OcrBox], bbox: BBox, settings: OcrSettings = DEFAULT_OCR, cut: bool = False
) -> tuple[str, float | None]:
    """The cell's text in the table model's line-break convention, and its
    confidence: the lowest box score (one badly read line is what matters)."""
    if not boxes:
        return "", None
    lines = group_lines([as_char(box) for box in boxes], line_tolerance(boxes, settings))
    text = join_cell_lines(lines, bbox, settings.space_gap_ratio, settings.soft_wrap_chars, cut=cut)
    return text, min(box.score for box in boxes)


def text_lines(boxes: Sequence[OcrBox], settings: OcrSettings = DEFAULT_OCR) -> list[tuple[BBox, str, float]]:
    """Boxes outside tables as lines of running text: (box, text, lowest score)."""
    if not boxes:
        return []
    chars = [as_char(box) for box in boxes]
    # Chars are frozen value objects: two boxes with the same text at the
    # same spot are one line either way, so keying scores by value is safe.
    score_of = {char: box.score for char, box in zip(chars, boxes, strict=True)}
    found = []
    for line in group_lines(chars, line_tolerance(boxes, settings)):
        bbox = (line.x0, line.top, line.x1, line.bottom)
        found.append((bbox, line_text(line, settings.space_gap_ratio), min(score_of[c] for c in line.chars)))
    return found


def glyph_units(text: str) -> float:
    """Width of ``text`` in CJK character widths: ASCII (digits, Latin,
    half-width marks) counts ½, every other character 1."""
    # Not-ASCII = wide: CJK fonts draw “”、·① at full width too, whatever
    # Unicode's "ambiguous" width says.
    return sum(0.5 if c.isascii() else 1.0 for c in text)
