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
