"""Rows of a table drawn without a rule under every row, from its 序号 and its rules.

A row starts at a line with text in the first column (序号): between two
such lines the boundary is the widest gap where no column has text, so top-
and middle-aligned cells both work (:func:`row_bounds`).  Where rules part
the body (a rule under every row, or under some), each band between two
rules is read so, and the rules are the row boundaries; a table's body runs
over its rules while each band holds a numbered line (:func:`body_rules`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from statistics import median

from duty_lists.parsers.layout.footer import page_number
from duty_lists.parsers.layout.geometry import Char, Line, group_lines
from duty_lists.parsers.pdf.text_columns import HRule

#: Lines above the first numbered line are a row of their own when the gap
#: under them is at least this share of the page's row gaps.
CONTINUATION_GAP_SHARE = 0.8
#: Gaps between lines that differ by less than this (points) are equal.
EQUAL_GAP = 1.0


def body_rules(
    between: Callable[[float, float], list[Char]],
    under: HRule,
    rules: Sequence[HRule],
    body_end: float,
    first_stop: float,
    y_tolerance: float,
) -> tuple[list[HRule], bool]:
    """The rules the body runs over, top to bottom, and whether the last one
    closes it (else it stands for where the body stops on the page).

    The first rule under the header closes a three-line table, or the first
    row of a table ruled under every row: the body goes on over each further
    rule while the band above that rule holds a numbered line (a 序号 left of
    ``first_stop``), and past the last one to ``body_end`` (a row a page
    break cut, with no rule under it) when the band there does.  A title or
    the next table's header holds none.  ``body_end`` stands last for a body
    without a closing rule (:func:`table_foot`)."""
    chain: list[HRule] = []
    upper = under[0]
    for rule in [*rules, None]:
        if rule is None:
            rule = (table_foot(group_lines(between(upper, float("inf")), y_tolerance), body_end), under[1], under[2])
        if chain and not any(numbered(line, first_stop) for line in group_lines(between(upper, rule[0]), y_tolerance)):
            return chain, True
        chain.append(rule)
        upper = rule[0]
    return chain, False


def numbered(line: Line, first_stop: float) -> bool:
    """Does ``line`` start with a number left of ``first_stop`` (a 序号)?"""
    first = "".join(char.text for char in line.chars if (char.x0 + char.x1) / 2 <= first_stop).strip()
    return first[:1].isdigit()


def table_foot(lines: Sequence[Line], body_end: float) -> float:
    """Where a table that runs on over the page ends on it: at ``body_end``
    (the footer zone), or under the lines that run on into that zone at line
    spacing (a producer with narrow margins fills it); a page number stands
    apart, or says what it is when it does not (``第2页`` a line under the table)."""
    foot = body_end
    for upper, lower in itertools.pairwise(lines):
        if lower.top < body_end:
            continue
        if upper.top > foot or lower.top - upper.bottom > median(char.size for char in upper.chars):
            break
        if page_number("".join(char.text for char in lower.chars)) is not None:
            break
        foot = lower.bottom + EQUAL_GAP
    return foot


def row_bounds(
    body: Sequence[Line], first_right: float, top: float, bottom: float, continued: bool = True
) -> list[tuple[float, float]]:
    """Top and bottom of every body row (see the module's docstring).  Where
    rules part the rows (``continued`` false), the lines above a band's first
    numbered line are its own row's (a cell centred in its height)."""
    starts = [index for index, line in enumerate(body) if any(char.x1 <= first_right for char in line.chars)]
    if not starts:
        return [(top, bottom)]
    cuts = [widest_gap(body, a, b) for a, b in itertools.pairwise(starts)]
    row_gaps = [gap for gap, _ in cuts]
    edges = [y for _, y in cuts]
    if starts[0] > 0 and continued:
        gap, y = widest_gap(body, 0, starts[0])
        if gap >= continuation_gap(body, row_gaps, y):
            edges.insert(0, y)
    ys = [top, *edges, bottom]
    return list(itertools.pairwise(ys))


def continuation_gap(body: Sequence[Line], row_gaps: Sequence[float], at: float) -> float:
    """How wide the gap at ``at`` above the first numbered line must be to
    part a row a page break cut from it: a share of the row gaps; with one
    numbered row, wider than the body's line spacing (its narrowest gap
    between lines, measured where lines do not overlap): a cell centred in
    its height puts lines above its 序号 at line spacing, a row's padding
    parts a cut row from the next one."""
    if row_gaps:
        return CONTINUATION_GAP_SHARE * median(row_gaps)
    spacing = [
        lower.top - upper.bottom
        for upper, lower in itertools.pairwise(body)
        if lower.top - upper.bottom > 0 and abs((upper.bottom + lower.top) / 2 - at) > EQUAL_GAP
    ]
    return min(spacing, default=float("-inf")) + EQUAL_GAP


def widest_gap(body: Sequence[Line], first: int, last: int) -> tuple[float, float]:
    """The widest gap between consecutive lines from ``first`` up to line
    ``last`` (the next row's first numbered line): its width and middle.
    The lowest of equal gaps wins: top-aligned cells leave the row gap last.
    Gaps within :data:`EQUAL_GAP` are equal: a paragraph's spacing can match
    the row gap, and two readers' glyph boxes differ by a fraction of a point."""
    gaps = [
        (lower.top - upper.bottom, (upper.bottom + lower.top) / 2)
        for upper, lower in zip(body[first:last], body[first + 1 : last + 1], strict=False)
    ]
    if not gaps:
        return (-1.0, body[last].top)
    widest = max(gap for gap, _ in gaps)
    return next((gap, y) for gap, y in reversed(gaps) if gap >= widest - EQUAL_GAP)
