"""Ruling lines a page break left out: the rule that closes a table's open ends.

A table cut by a page break is often drawn without the rule where it was
cut, so its columns end in mid-air; :func:`open_rule_ends` finds where that
rule belongs.  It works on ruling segments, not characters, and every table
finder uses it — pdfplumber's (:mod:`parsers.pdf.plumber`), the PDFium grid
(:mod:`parsers.pdf.pdfium.lean`) and the grid of a scanned page
(:mod:`parsers.ocr.grid`) — so it lives apart from the text geometry.
"""

from __future__ import annotations

from collections.abc import Sequence

#: A straight rule: (fixed coordinate, start, end) — (x, top, bottom) for a
#: vertical rule, (y, x0, x1) for a horizontal one.
Segment = tuple[float, float, float]


#: pdfplumber's ``edge_min_length``: a shorter segment never becomes a table
#: edge.  Browsers draw each border as a thin filled rectangle, whose two
#: short sides are such segments.
RULE_MIN_LENGTH = 3.0


def open_rule_ends(
    verticals: Sequence[Segment], horizontals: Sequence[Segment], tolerance: float, min_length: float = 0.0
) -> list[Segment]:
    """Horizontal rules that would close a table left open by a page break.

    A row split across pages is often drawn without the rule where it was
    cut, so its columns end in mid-air and a lines-based finder loses the
    row.  Wherever two or more vertical rules end at the same height with no
    horizontal rule there, return the missing rule spanning those ends.

    Segments shorter than ``min_length`` are ignored on both sides: a border
    drawn as a filled bar (Chromium's print-to-PDF) has a 0.75 pt cap at each
    end, which would otherwise "close" its own open end.
    """
    verticals = [rule for rule in verticals if rule[2] - rule[1] >= min_length]
    horizontals = [rule for rule in horizontals if rule[2] - rule[1] >= min_length]
    dangling: list[tuple[float, float]] = []  # (y, x)
    for x, top, bottom in verticals:
        for y in (top, bottom):
            if not any(
                abs(hy - y) <= tolerance and hx0 - tolerance <= x <= hx1 + tolerance for hy, hx0, hx1 in horizontals
            ):
                dangling.append((y, x))
    closing: list[Segment] = []
    group: list[tuple[float, float]] = []
    for y, x in sorted(dangling):
        if group and y - group[0][0] > tolerance:
            closing.extend(_closing_rule(group))
            group = []
        group.append((y, x))
    closing.extend(_closing_rule(group))
    return closing


def _closing_rule(ends: list[tuple[float, float]]) -> list[Segment]:
    xs = sorted({round(x, 1) for _, x in ends})
    if len(xs) < 2:
        return []
    return [(sum(y for y, _ in ends) / len(ends), xs[0], xs[-1])]
