"""Which ink runs found on a page image are a table's rules.

The grid finder (:mod:`parsers.ocr.grid`) finds every straight run of ink long
and thin enough to be a rule; on a scan, more than rules pass that test: a
seal's rim, star and lettering on a grey scan, a large heading, a glyph's
full-height stroke in a row set tight.  What tells them apart is how rules
meet: a rule runs from rule to rule, and a column line runs through rows.
Separate from the grid because these are judgements about segments, with
their own reasons, and the grid only builds cells from what they keep.
"""

from __future__ import annotations

from collections.abc import Sequence

from duty_lists.parsers.layout.ruling import Segment


def _ends_on(position: float, end: float, rules: Sequence[Segment], tolerance: float) -> bool:
    """Does the end ``end`` of a segment at ``position`` lie on one of the
    crossing ``rules``?  (Both in the same ``(position, start, end)`` form.)"""
    return any(abs(at - end) <= tolerance and start - tolerance <= position <= stop + tolerance for at, start, stop in rules)


def anchored(
    hs: Sequence[Segment], vs: Sequence[Segment], tolerance: float, min_column: float = 0.0
) -> tuple[list[Segment], list[Segment]]:
    """The segments that can be a table's rules: a vertical one starts on a
    horizontal rule and ends on one, or ends level with another such
    vertical (the open foot of a row cut by a page break); a horizontal one
    starts and ends on vertical ones.

    A rule divides cells, so it runs from rule to rule.  Strokes long enough
    to pass for one — the rim, star and lettering of a seal on a grey scan,
    a large heading — start and stop in mid-air; taken as rules they add
    grid lines that cut every cell they cross.  Verticals must also make a
    column line ``min_column`` long (:func:`long_enough_columns`).
    """
    topped = [v for v in vs if _ends_on(v[0], v[1], hs, tolerance)]
    open_feet = [v[2] for v in topped if not _ends_on(v[0], v[2], hs, tolerance)]
    kept_vs = [
        v for v in topped
        if _ends_on(v[0], v[2], hs, tolerance) or sum(abs(foot - v[2]) <= tolerance for foot in open_feet) >= 2
    ]
    kept_vs = long_enough_columns(kept_vs, tolerance, min_column)
    kept_hs = [h for h in hs if _ends_on(h[0], h[1], kept_vs, tolerance) and _ends_on(h[0], h[2], kept_vs, tolerance)]
    return kept_hs, kept_vs


def long_enough_columns(vs: Sequence[Segment], tolerance: float, min_column: float) -> list[Segment]:
    """Vertical segments whose column line — all segments at that x — is at
    least ``min_column`` long in all.

    In rows set tight (a 10.5 pt font in a 12 pt row), a glyph's full-height
    stroke runs rule to rule like a rule does.  A real column rule runs
    through many rows, and a rule that divides one row only still runs its
    height; a lone stroke is shorter than both.
    """
    kept: list[Segment] = []
    group: list[Segment] = []
    for v in [*sorted(vs), None]:
        if v is not None and group and v[0] - group[-1][0] <= tolerance:
            group.append(v)
            continue
        if sum(g[2] - g[1] for g in group) >= min_column:
            kept.extend(group)
        group = [v] if v is not None else []
    return kept
