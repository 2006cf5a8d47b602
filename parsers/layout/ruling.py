"""Ruling lines a page break left out: the rule that closes a table's open ends.

A table cut by a page break is often drawn without the rule where it was
cut, so its columns end in mid-air; :func:`open_rule_ends` finds where that
rule belongs.  It works on ruling segments, not characters, and every table
finder uses it — pdfplumber's (:mod:`parsers.pdf.plumber`), the PDFium grid
(:mod:`parsers.pdf.pdfium.lean`) and the grid of a scanned page
(:mod:`parsers.ocr.grid`) — so it lives apart from the text geometry.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

#: A straight rule: (fixed coordinate, start, end) — (x, top, bottom) for a
#: vertical rule, (y, x0, x1) for a horizontal one.
Segment = tuple[float, float, float]


#: pdfplumber's ``edge_min_length``: a shorter segment never becomes a table
#: edge.  Browsers draw each border as a thin filled rectangle, whose two
#: short sides are such segments.
RULE_MIN_LENGTH = 3.0


def open_rule_ends(
    verticals: Sequence[Segment],
    horizontals: Sequence[Segment],
    tolerance: float,
    min_length: float = 0.0,
    *,
    stretches: bool = False,
) -> list[Segment]:
    """Horizontal rules that would close a table left open by a page break.

    A row split across pages is often drawn without the rule where it was
    cut, so its columns end in mid-air and a lines-based finder loses the
    row.  Wherever two or more vertical rules end at the same height with
    no horizontal rule touching them, return the rule spanning those ends.

    With ``stretches`` (the PDF readers), every stretch between two
    neighbouring ends that no horizontal rule covers gets the missing rule,
    whether or not rules touch the ends: Chromium closes the cells a page
    break did not cut and leaves only a split ``rowspan`` cell open, and the
    rules of its neighbours reach its sides.  A vertical rule drawn in
    pieces (a browser draws one per row) then ends only where its last
    piece does, so a merged cell's sides do not "end" at every row they
    pass.  The grid of a scanned page keeps the first rule: its rules come
    from pixels, broken and ragged, and stretch by stretch they would cut
    cells where the scan has a gap.

    Segments shorter than ``min_length`` are ignored on both sides: a border
    drawn as a filled bar (Chromium's print-to-PDF) has a 0.75 pt cap at each
    end, which would otherwise cover its own open end.
    """
    verticals = [rule for rule in verticals if rule[2] - rule[1] >= min_length]
    horizontals = [rule for rule in horizontals if rule[2] - rule[1] >= min_length]
    if stretches:
        ends = _ends(verticals, tolerance)
    else:
        ends = [
            (y, x)
            for x, top, bottom in verticals
            for y in (top, bottom)
            if not any(abs(hy - y) <= tolerance and hx0 - tolerance <= x <= hx1 + tolerance for hy, hx0, hx1 in horizontals)
        ]
    closing: list[Segment] = []
    group: list[tuple[float, float]] = []
    for y, x in sorted(ends):
        if group and y - group[0][0] > tolerance:
            closing.extend(_closing_rules(group, horizontals, tolerance) if stretches else _closing_rule(group))
            group = []
        group.append((y, x))
    closing.extend(_closing_rules(group, horizontals, tolerance) if stretches else _closing_rule(group))
    return closing


def _closing_rule(ends: list[tuple[float, float]]) -> list[Segment]:
    """One rule across dangling ends at one height."""
    xs = sorted({round(x, 1) for _, x in ends})
    if len(xs) < 2:
        return []
    return [(sum(y for y, _ in ends) / len(ends), xs[0], xs[-1])]


def _ends(verticals: Sequence[Segment], tolerance: float) -> list[tuple[float, float]]:
    """(y, x) of every end of a vertical rule where no rule near it goes on:
    a rule drawn in pieces (a browser draws one per row, its bars a fraction
    of a point apart) ends only where its last piece does."""
    ordered = sorted(verticals)
    xs = [rule[0] for rule in ordered]
    ends: list[tuple[float, float]] = []
    for x, top, bottom in ordered:
        near = [(top2, bottom2) for _, top2, bottom2 in ordered[bisect_left(xs, x - tolerance) : bisect_right(xs, x + tolerance)]]
        if not any(top2 < top - tolerance and bottom2 >= top - tolerance for top2, bottom2 in near):
            ends.append((top, x))
        if not any(bottom2 > bottom + tolerance and top2 <= bottom + tolerance for top2, bottom2 in near):
            ends.append((bottom, x))
    return ends


def _closing_rules(ends: list[tuple[float, float]], horizontals: Sequence[Segment], tolerance: float) -> list[Segment]:
    """The rules closing the open stretches between ``ends`` (at one height),
    one rule per run of open stretches."""
    if not ends:
        return []
    y = sum(end_y for end_y, _ in ends) / len(ends)
    # The two sides of a bar, or rules a hair apart, are one end.
    clusters = _clusters(sorted(x for _, x in ends), tolerance)
    level = sorted((x0, x1) for hy, x0, x1 in horizontals if abs(hy - y) <= tolerance)
    rules: list[tuple[float, float]] = []
    for (left_start, left_end), (right_start, right_end) in itertools.pairwise(clusters):
        if _covered(left_end, right_start, level, tolerance):
            continue
        if rules and rules[-1][1] == left_end:
            rules[-1] = (rules[-1][0], right_end)
        else:
            rules.append((left_start, right_end))
    return [(y, round(x0, 1), round(x1, 1)) for x0, x1 in rules]


def _clusters(xs: Sequence[float], tolerance: float) -> list[tuple[float, float]]:
    """Sorted positions grouped where neighbours are within ``tolerance``: (first, last) each."""
    clusters: list[tuple[float, float]] = []
    for x in xs:
        if clusters and x - clusters[-1][1] <= tolerance:
            clusters[-1] = (clusters[-1][0], x)
        else:
            clusters.append((x, x))
    return clusters


def _covered(left: float, right: float, level: Sequence[tuple[float, float]], tolerance: float) -> bool:
    """Do the rules ``level`` (sorted, at one height) run from ``left`` to
    ``right``, allowing ``tolerance`` at the ends and between pieces?"""
    reach = left + tolerance
    for x0, x1 in level:
        if x0 > reach + tolerance:
            break
        reach = max(reach, x1)
    return reach >= right - tolerance
