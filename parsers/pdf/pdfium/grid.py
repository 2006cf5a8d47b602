"""Ruled tables from ruling segments: pdfplumber's "lines" table finder, lean.

pdfplumber's ``TableFinder`` with both strategies ``"lines"`` builds, per
page: edges → snapped and joined edges → intersections → cells → tables.
This module makes the same decisions on plain tuples in a chain of small
pure functions, without pdfplumber's per-edge dict copies and its quadratic
scans over all intersections.  The semantics kept (and tested against
pdfplumber in ``tests/pdf/test_pdf_engines.py``):

- edges shorter than 1 pt are dropped before merging, shorter than
  ``edge_min_length`` (3 pt) after;
- snapping moves every edge of a cluster (values chained within the snap
  tolerance) to the cluster's mean, by adding the difference as pdfplumber
  does, so the floats are the same;
- collinear edges closer than the join tolerance become one;
- a corner is where a vertical and a horizontal edge meet within the
  intersection tolerance; two corners are connected when one edge runs
  through both;
- a cell is the smallest rectangle of connected corners from each corner;
  cells sharing a corner form a table; a table needs two cells;
- rows hold ``None`` where a merged cell covers a column position.

Coordinates are pdfplumber's (``top`` down from the top of the page).
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from duty_lists.parsers.layout.geometry import BBox

#: A merged edge: (x0, top, x1, bottom) — pdfplumber's ``obj_to_bbox``, which
#: is what tells two edges apart — and its length as pdfplumber tracks it.
Edge = tuple[BBox, float]
Point = tuple[float, float]

#: pdfplumber's TableSettings defaults that PdfSettings does not set.
EDGE_MIN_LENGTH = 3.0
EDGE_MIN_LENGTH_PREFILTER = 1.0


@dataclass(frozen=True, slots=True)
class Tolerances:
    snap: float
    join: float
    intersection: float


@dataclass(slots=True)
class GridRow:
    """pdfplumber's ``Row``: cells left to right, ``None`` under a merge."""

    cells: list[BBox | None]
    bbox: BBox


@dataclass(slots=True)
class GridTable:
    cells: list[BBox]
    rows: list[GridRow]


#: A raw rule as it comes off the page: (x0, top, x1, bottom, length).
Rule = tuple[float, float, float, float, float]


def find_tables(verticals: Sequence[Rule], horizontals: Sequence[Rule], explicit: Sequence[Rule], tol: Tolerances) -> list[GridTable]:
    """Tables of the page, top to bottom as pdfplumber orders them.

    ``explicit`` are horizontal rules given by the caller (pdfplumber's
    ``explicit_horizontal_lines``): they skip the first length filter and
    come after the page's own, which matters to the float sums of snapping."""
    v = merge(_long(verticals, EDGE_MIN_LENGTH_PREFILTER), vertical=True, tol=tol)
    h = merge([*_long(horizontals, EDGE_MIN_LENGTH_PREFILTER), *explicit], vertical=False, tol=tol)
    corners = intersections(_long(v, EDGE_MIN_LENGTH), _long(h, EDGE_MIN_LENGTH), tol.intersection)
    return [GridTable(cells, table_rows(cells)) for cells in group_tables(find_cells(corners))]


def _long(rules: Sequence[Rule], min_length: float) -> list[Rule]:
    return [rule for rule in rules if rule[4] >= min_length]


# --------------------------------------------------------------------------- edges


def merge(rules: list[Rule], vertical: bool, tol: Tolerances) -> list[Rule]:
    """Snap, then join (pdfplumber's merge_edges for one orientation)."""
    at, lo, hi = (0, 1, 3) if vertical else (1, 0, 2)
    snapped = snap(rules, at, tol.snap) if tol.snap > 0 else list(rules)
    snapped.sort(key=lambda rule: rule[at])  # stable, as pdfplumber's groupby input
    merged: list[Rule] = []
    for _, group in itertools.groupby(snapped, key=lambda rule: rule[at]):
        merged.extend(_join(sorted(group, key=lambda rule: rule[lo]), lo, hi, tol.join))
    return merged


def snap(rules: list[Rule], at: int, tolerance: float) -> list[Rule]:
    """Move each cluster of rules to its mean coordinate.

    Clusters chain distinct values no further apart than ``tolerance``;
    the mean is over the rules, in page order; each rule moves by
    ``mean - value`` (pdfplumber's move_object), on both of its ends."""
    values = sorted({rule[at] for rule in rules})
    cluster_of = dict.fromkeys(values[:1], 0)
    index = 0
    for previous, value in itertools.pairwise(values):
        if value > previous + tolerance:
            index += 1
        cluster_of[value] = index
    clusters: dict[int, list[Rule]] = {}
    for rule in rules:
        clusters.setdefault(cluster_of[rule[at]], []).append(rule)
    out: list[Rule] = []
    for key in sorted(clusters):
        members = clusters[key]
        mean = sum(rule[at] for rule in members) / len(members)
        for rule in members:
            shift = mean - rule[at]
            x0, top, x1, bottom, length = rule
            if at == 0:
                out.append((x0 + shift, top, x1 + shift, bottom, length))
            else:
                out.append((x0, top + shift, x1, bottom + shift, length))
    return out


def _join(rules: list[Rule], lo: int, hi: int, tolerance: float) -> list[Rule]:
    """Collinear rules overlapping or closer than ``tolerance`` become one
    (pdfplumber's join_edge_group).  The length follows resize_object: a
    horizontal rule's is recomputed as x1 - x0, a vertical rule's grows by
    the extension — different float roundings, kept for the length filter."""
    joined = [rules[0]]
    for rule in rules[1:]:
        x0, top, x1, bottom, length = joined[-1]
        if rule[lo] > joined[-1][hi] + tolerance:
            joined.append(rule)
        elif hi == 2 and rule[2] > x1:
            joined[-1] = (x0, top, rule[2], bottom, rule[2] - x0)
        elif hi == 3 and rule[3] > bottom:
            joined[-1] = (x0, top, x1, rule[3], length + (rule[3] - bottom))
    return joined


# --------------------------------------------------------------------------- corners and cells


@dataclass(slots=True)
class Corner:
    """The edges through one intersection, by their bboxes."""

    v: set[BBox]
    h: set[BBox]


def intersections(verticals: list[Rule], horizontals: list[Rule], tolerance: float) -> dict[Point, Corner]:
    corners: dict[Point, Corner] = {}
    for v in sorted(verticals, key=lambda rule: (rule[0], rule[1])):
        for h in sorted(horizontals, key=lambda rule: (rule[1], rule[0])):
            if v[1] <= h[1] + tolerance and v[3] >= h[1] - tolerance and h[0] - tolerance <= v[0] <= h[2] + tolerance:
                corner = corners.setdefault((v[0], h[1]), Corner(set(), set()))
                corner.v.add(v[:4])
                corner.h.add(h[:4])
    return corners


def find_cells(corners: dict[Point, Corner]) -> list[BBox]:
    """From each corner, the smallest cell whose four corners are connected
    by edges (pdfplumber's intersections_to_cells): the first corner below
    that connects, then the first to the right that closes a rectangle."""
    below: dict[float, list[float]] = {}
    right: dict[float, list[float]] = {}
    for x, y in sorted(corners):
        below.setdefault(x, []).append(y)
        right.setdefault(y, []).append(x)
    cells: list[BBox] = []
    for x, y in sorted(corners):
        here = corners[(x, y)]
        ys, xs = below[x], right[y]
        cell = _smallest_cell(corners, here, x, y, ys[bisect_right(ys, y) :], xs[bisect_right(xs, x) :])
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(corners: dict[Point, Corner], here: Corner, x: float, y: float, ys: list[float], xs: list[float]) -> BBox | None:
    for y1 in ys:
        down = corners[(x, y1)]
        if not here.v & down.v:
            continue
        for x1 in xs:
            across = corners[(x1, y)]
            if not here.h & across.h:
                continue
            far = corners.get((x1, y1))
            if far is not None and far.v & across.v and far.h & down.h:
                return (x, y, x1, y1)
    return None


def group_tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells sharing a corner, transitively, in pdfplumber's order (cells_to_tables)."""
    remaining = list(cells)
    tables: list[list[BBox]] = []
    current: list[BBox] = []
    corners: set[Point] = set()
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            own = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(point in corners for point in own):
                corners.update(own)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(current)
            current, corners = [], set()
    if current:
        tables.append(current)
    tables.sort(key=lambda table: min((cell[1], cell[0]) for cell in table))
    return [table for table in tables if len(table) > 1]


def table_rows(cells: list[BBox]) -> list[GridRow]:
    """pdfplumber's Table.rows: cells grouped by top, placed at the table's column starts."""
    xs = sorted({cell[0] for cell in cells})
    rows: list[GridRow] = []
    for _, group in itertools.groupby(sorted(cells, key=lambda cell: (cell[1], cell[0])), key=lambda cell: cell[1]):
        by_x = {cell[0]: cell for cell in group}
        row: list[BBox | None] = [by_x.get(x) for x in xs]
        present = [cell for cell in row if cell is not None]
        bbox = (
            min(cell[0] for cell in present),
            min(cell[1] for cell in present),
            max(cell[2] for cell in present),
            max(cell[3] for cell in present),
        )
        rows.append(GridRow(row, bbox))
    return rows
