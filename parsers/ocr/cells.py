"""Where each OCR text box goes: cut at the rules it runs over, cleared of
rules read as glyphs, and given to the cell holding most of it.

Separate from reading (:mod:`parsers.ocr.text`) because these are judgements
about a box's place among the grid's cells, each with its measured failure:
a line the detector took across several cells, a rule read as 丨 or 厂, a
box reaching back over its neighbour's text, a junction of rules read as 一.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from duty_lists.parsers.layout.geometry import BBox
from duty_lists.parsers.ocr.text import DEFAULT_OCR, OcrBox, glyph_units


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
