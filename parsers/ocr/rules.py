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


def joined(segments: Sequence[Segment], tolerance: float, max_gap: float) -> list[Segment]:
    """Collinear segments (positions within ``tolerance``) whose ends are at
    most ``max_gap`` apart, as one segment each.

    A scanned rule comes in pieces where something was taken off it: a red
    seal stamped over a header's rule, once its colour is removed, leaves
    gaps of a few points (measured: 2.4 pt, in a rule broken in four on a
    150 dpi scan).  Each piece alone starts or ends in mid-air and fails
    :func:`anchored`, and with the rule went the header's row and two columns.
    The gap is kept below any distance that separates two rules meant apart
    (a table's narrowest column is wider).
    """
    lines: list[list[Segment]] = []  # segments at one position, within tolerance
    for segment in sorted(segments):
        if lines and segment[0] - lines[-1][-1][0] <= tolerance:
            lines[-1].append(segment)
        else:
            lines.append([segment])
    runs: list[Segment] = []
    for line in lines:
        pieces: list[list[Segment]] = []
        for segment in sorted(line, key=lambda s: s[1]):
            if pieces and segment[1] - max(p[2] for p in pieces[-1]) <= max_gap:
                pieces[-1].append(segment)
            else:
                pieces.append([segment])
        # Each run at its pieces' length-weighted position.
        for run in pieces:
            length = sum(max(1.0, p[2] - p[1]) for p in run)
            at = sum(p[0] * max(1.0, p[2] - p[1]) for p in run) / length
            runs.append((at, min(p[1] for p in run), max(p[2] for p in run)))
    return runs
