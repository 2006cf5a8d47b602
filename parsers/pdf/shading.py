"""Shading is not ruling: the sides of a filled band are no column rules.

A table with alternating row shading (zebra rows), a grey header or shaded
cells paints filled rectangles.  pdfplumber's edges make four rules of each,
so a band's left and right sides look like vertical rules: with no real
vertical rule on the page, the ruled-table finder then takes each shaded
band for a table of its own and its unshaded neighbours for text outside any
table (every other row lost), or a one-column table of the whole body.

Rule ``shading.band``: a rectangle that is filled and not stroked, and
thicker than :data:`BAR_THICKNESS` both ways, is shading.  It keeps its top
and bottom (a band's edges are where rows meet, as good as a rule there) and
loses its sides.  A filled bar at most that thick is a rule drawn as a
rectangle (Chromium draws every border so, 0.75–1.5 pt), and a stroked
rectangle is a frame: both keep all four edges.  Both readers mark a rect's
edges with :func:`is_shading` as they make them (key ``shading``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: The thickest filled bar read as a rule: Chromium's 2px border is 1.5 pt, a
#: shaded band holds at least a line of text (several points).
BAR_THICKNESS = 3.0


def is_shading(kind: str, width: float, height: float, fill: bool, stroke: bool) -> bool:
    """Is a painted object of ``kind`` (pdfplumber's object type) shading?"""
    return kind == "rect" and fill and not stroke and min(width, height) > BAR_THICKNESS


def without_band_sides(edges: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``edges`` without the sides of shaded bands (rule ``shading.band``)."""
    return [edge for edge in edges if not (edge.get("shading") and edge["orientation"] == "v")]


#: Two parallel edges this close, side by side, are the two sides of one bar.
BAR_SIDES = 1.0


def bar_centres(edges: Sequence[dict[str, Any]], orientation: str) -> list[dict[str, Any]]:
    """Edges of ``orientation`` ("v" or "h") with the two sides of each rule
    drawn as a filled bar made one edge at the bar's centre (rule ``shading.bar``).

    Chromium draws each border as a bar 0.75 pt thick, so every rule comes as
    two edges 0.75 pt apart.  pdfplumber snaps parallel edges within 3 pt of
    one another, chaining, across the whole page: the 序号 border of one table
    (51.7 and 52.5 pt) chained to that of the table above (55.5 and 56.2 pt),
    which stands 3.0 pt further right, and both moved to 54.9 pt — out of
    reach of the rule under a row that ended at 51.7, so two rows' numbers
    became one cell (2 and 3).  A bar's centre is where the rule is; two
    tables' rules 3 pt apart are then 3.75 pt apart and stay apart.
    """
    at, start, end = ("x0", "top", "bottom") if orientation == "v" else ("top", "x0", "x1")
    other, length = ("x1", "height") if orientation == "v" else ("bottom", "width")
    mine = sorted((edge for edge in edges if edge["orientation"] == orientation), key=lambda e: (e[at], e[start]))
    used: set[int] = set()
    out: list[dict[str, Any]] = []
    for i, edge in enumerate(mine):
        if i in used:
            continue
        # The edge's fellows: the bar's other side, and copies of either side
        # (a reader may give the outline and the fill of one rectangle).
        fellows = [i]
        for j in range(i + 1, len(mine)):
            side = mine[j]
            if side[at] - edge[at] > BAR_SIDES:
                break
            overlap = min(edge[end], side[end]) - max(edge[start], side[start])
            if j not in used and overlap >= 0.8 * min(edge[end] - edge[start], side[end] - side[start]):
                fellows.append(j)
        if all(mine[j][at] == edge[at] for j in fellows):
            out.append(edge)  # no second side: a line, not a bar
            continue
        used.update(fellows)
        sides = [mine[j] for j in fellows]
        middle = (min(e[at] for e in sides) + max(e[at] for e in sides)) / 2
        first, last = min(e[start] for e in sides), max(e[end] for e in sides)
        out.append({**edge, at: middle, other: middle, start: first, end: last, length: last - first})
    return out
