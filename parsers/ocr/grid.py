"""The table grid of a page image, from its ruling lines.

A chain of small pure stages, as pdfplumber's table finder is, so each can be
tested and inspected on its own:

    grey image → ink mask → horizontal / vertical line masks → segments
    → grids (one per table) → cells, merged cells included

Lengths in :class:`GridSettings` are PDF points; a ``scale`` (pixels per
point) turns them into pixels, so the same settings work at 150 and 200 dpi.
Coordinates in the results are pixels, ``top`` measured down from the top of
the image.

A line missing inside the grid is a merged cell: two grid units with no rule
between them are one cell.  The result follows the table model's convention
(``None`` = covered by a merge, the text sits in the top-left unit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

import cv2
import numpy as np
from duty_lists.parsers.layout.geometry import BBox
from duty_lists.parsers.layout.ruling import Segment, open_rule_ends
from duty_lists.parsers.ocr.rules import anchored, joined
from duty_lists.parsers.union_find import UnionFind

#: The image's page size is unknown for a bare image; assume its long side is
#: an A4 page's (842 pt), which is what duty lists are printed on.
A4_LONG_SIDE_PT = 842.0


def require_non_negative(settings: object) -> None:
    """Every field of a settings dataclass is a number ≥ 0, or ``ValueError``
    naming it: a typo'd tolerance fails when the settings are made, not deep
    inside a page."""
    for item in fields(settings):  # type: ignore[arg-type]
        value = getattr(settings, item.name)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{type(settings).__name__}.{item.name} must be a non-negative number, got {value!r}")


@dataclass(frozen=True, slots=True)
class GridSettings:
    """Every tolerance of the grid finder.  Lengths are points."""

    #: Adaptive threshold window and offset: ink is darker than its
    #: neighbourhood by this much (grey levels), whatever the paper's shade.
    threshold_window_pt: float = 15.0
    threshold_offset: float = 15.0
    #: A horizontal run at least this long is a rule, not a character stroke
    #: (a CJK stroke is at most one em, ~11 pt; the narrowest column is wider).
    min_h_rule_pt: float = 20.0
    #: Vertical rules may be as short as one single-line row (~18 pt).
    min_v_rule_pt: float = 12.0
    #: ... but a column line (all vertical rules at one x) is at least this
    #: long: a glyph's stroke in a row set tight is ~12 pt, a row a rule
    #: divides alone is rarely under 20 pt.
    min_column_pt: float = 20.0
    #: A column line reaches over at least this share of its table's height:
    #: a duty list's column rules run from the header to the table's foot,
    #: while the rim and lettering of a seal on a grey scan, which pass every
    #: other test, stay within the seal (measured: 3 columns added at 100 dpi).
    min_column_share: float = 0.5
    #: Gaps in a printed/scanned rule up to this long are bridged, once the
    #: rule has been told from text (see :func:`line_masks`) ...
    bridge_pt: float = 2.0
    #: ... and gaps up to this long (JPEG, faint print) before.
    speck_gap_pt: float = 0.5
    #: Collinear pieces of a rule this close are one rule (:func:`parsers.ocr.rules.joined`).
    join_gap_pt: float = 10.0
    #: A rule is thinner than this; thicker runs are filled areas or stamps.
    max_rule_thickness_pt: float = 3.0
    #: Rules whose positions differ by at most this are one rule; a segment
    #: ending within this of a crossing rule meets it.
    snap_pt: float = 3.0
    #: Share of a unit's side a rule must cover to count as present there
    #: (scans break rules under stamps and in faint print).
    min_coverage: float = 0.6
    #: Grey level below which a pixel is shade (or ink), not paper.
    shade_below: int = 245
    #: Shade is told from paper on the page's median over this square: specks
    #: of paper inside a fill (JPEG ringing around a shaded header's glyphs)
    #: and strokes of text on paper are both smaller, so neither decides.
    shade_median_pt: float = 1.5
    #: A table has at least this many rows and columns of grid units.
    min_rows: int = 1
    min_cols: int = 2
    #: ... and is at least this big: strokes of large characters (a 20 pt
    #: title) cross like tiny grids, a character wide and high.
    min_table_width_pt: float = 72.0
    min_table_height_pt: float = 14.0

    def __post_init__(self) -> None:
        require_non_negative(self)
        if not 0 < self.min_coverage <= 1:
            raise ValueError(f"GridSettings.min_coverage must be in (0, 1], got {self.min_coverage}")


DEFAULT_GRID = GridSettings()


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell: its top-left grid unit, its span in units, its box in pixels."""

    row: int
    col: int
    rows: int
    cols: int
    bbox: BBox


@dataclass(slots=True)
class Grid:
    """One ruled table: rule positions and the cells between them."""

    xs: list[float]
    ys: list[float]
    cells: list[GridCell] = field(default_factory=list)
    #: The bottom rule was missing and put back (a row cut by a page break).
    cut_bottom: bool = False

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def rows(self) -> list[list[GridCell | None]]:
        """Cells by grid row, ``None`` where a merge covers the unit; rows
        in which no cell starts (all covered) are left out."""
        table: list[list[GridCell | None]] = [[None] * (len(self.xs) - 1) for _ in range(len(self.ys) - 1)]
        for cell in self.cells:
            table[cell.row][cell.col] = cell
        return [row for row in table if any(cell is not None for cell in row)]


@dataclass(slots=True)
class LineMasks:
    """Intermediate results, kept for debugging and for erasing rules before OCR."""

    ink: np.ndarray
    horizontal: np.ndarray
    vertical: np.ndarray


# --------------------------------------------------------------------------- stages


def scale_of(image: np.ndarray) -> float:
    """Pixels per point of a page image whose dpi is unknown (A4 assumed)."""
    return max(image.shape[:2]) / A4_LONG_SIDE_PT


def ink_mask(grey: np.ndarray, settings: GridSettings, scale: float) -> np.ndarray:
    """255 where there is ink.  Adaptive, because scans have uneven paper."""
    window = max(3, int(settings.threshold_window_pt * scale) | 1)
    return cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, window, settings.threshold_offset
    )


def line_masks(ink: np.ndarray, settings: GridSettings, scale: float) -> LineMasks:
    """Opening with a long thin kernel keeps only runs at least that long;
    closing afterwards bridges the gaps of a broken rule.

    The order matters.  Bridged first, the strokes of a paragraph's
    characters join up: CJK text is set on a grid, so a vertical stroke in
    one line stands right over one in the next, and a gap of a point or two
    closed between them makes a "rule" as tall as the paragraph (measured:
    a 150 dpi render of the LibreOffice Shahe export gave 75 grid columns
    for 5); side by side, the 一 of 五 and of 团 make a horizontal one.  No
    single stroke reaches the kernel's length, so opening first drops them
    all; only gaps of a pixel or so (JPEG, faint print) are closed before.
    """
    h_len = max(3, round(settings.min_h_rule_pt * scale))
    v_len = max(3, round(settings.min_v_rule_pt * scale))
    bridge = max(1, round(settings.bridge_pt * scale))
    speck = max(1, round(settings.speck_gap_pt * scale))

    def rect(width: int, height: int) -> np.ndarray:
        return cv2.getStructuringElement(cv2.MORPH_RECT, (width, height))

    horizontal = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, rect(speck, 1)), cv2.MORPH_OPEN, rect(h_len, 1))
    vertical = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, rect(1, speck)), cv2.MORPH_OPEN, rect(1, v_len))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, rect(bridge, 1))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, rect(1, bridge))
    return LineMasks(ink=ink, horizontal=horizontal, vertical=vertical)


def fill_edges(grey: np.ndarray, settings: GridSettings, scale: float) -> np.ndarray:
    """Top and bottom borders of shaded areas, as rules.

    A shaded header row is bounded by its fill, not always by a drawn rule
    (the rule under a repeated header is missing when the next row was cut
    by a page break); pdfplumber counts a filled rectangle's edges as rules,
    and so does this.  Shade is paper-dark but far lighter than ink.

    On a JPEG-compressed scan the header's glyphs are ringed with specks of
    paper-white; taken pixel by pixel they punch holes in the fill wherever
    there is text, the fill's edge comes out in pieces between the words,
    and a piece that does not run rule to rule is no rule (measured: the
    rule under a grey header lost on a 150 dpi scan, and the page-cut row
    under it read as part of the header).  The median over a point or two
    hides the specks, and keeps the fill one band from rule to rule.
    """
    # Ink inside a shaded cell counts as shade, so the text does not punch
    # holes in it; opening then keeps only areas a rule long and a row high,
    # which lines of unshaded text never are.
    smoothed = cv2.medianBlur(grey, max(3, round(settings.shade_median_pt * scale) | 1))
    shade = (smoothed < settings.shade_below).astype(np.uint8) * 255
    kernel = cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(3, round(settings.min_h_rule_pt * scale)), max(3, round(settings.min_v_rule_pt * scale)))
    )
    areas = cv2.morphologyEx(shade, cv2.MORPH_OPEN, kernel)
    return cv2.morphologyEx(areas, cv2.MORPH_GRADIENT, np.ones((3, 1), np.uint8))


def segments(mask: np.ndarray, horizontal: bool, settings: GridSettings, scale: float) -> list[Segment]:
    """Rules as ``(position, start, end)``: ``(y, x0, x1)`` for horizontal
    ones, ``(x, top, bottom)`` for vertical ones (``layout.ruling.Segment``)."""
    count, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    max_thickness = max(2.0, settings.max_rule_thickness_pt * scale)
    found: list[Segment] = []
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label, :5])
        length = w if horizontal else h
        # Mean thickness, not the box's: a seal's rim or a stroke touching a
        # rule makes the rule's box tall, not the rule thick.
        thickness = area / max(1, length)
        if thickness > max_thickness or length < thickness * 4:
            continue
        cx, cy = centroids[label]
        found.append((float(cy), float(x), float(x + w - 1)) if horizontal else (float(cx), float(y), float(y + h - 1)))
    return found


def cluster(values: Sequence[float], tolerance: float) -> list[float]:
    """Sorted positions, those within ``tolerance`` of each other averaged."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(group) / len(group) for group in groups]


def _meets(h: Segment, v: Segment, tolerance: float) -> bool:
    return h[1] - tolerance <= v[0] <= h[2] + tolerance and v[1] - tolerance <= h[0] <= v[2] + tolerance


def table_groups(hs: Sequence[Segment], vs: Sequence[Segment], tolerance: float) -> list[tuple[list[Segment], list[Segment]]]:
    """Rules that cross or touch, grouped: each group is one table's rules.

    A rule crossing nothing (an underline, a rule under a heading) belongs to
    no table, which is how a page with no table yields no rows.
    """
    sets: UnionFind[int] = UnionFind(range(len(hs) + len(vs)))
    find = sets.find
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _meets(h, v, tolerance):
                sets.union(len(hs) + j, i)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    found = [(g_h, g_v) for g_h, g_v in groups.values() if g_h and len(g_v) >= 2]
    return sorted(found, key=lambda g: min(h[0] for h in g[0]))


def coverage(mask: np.ndarray, horizontal: bool, at: float, start: float, end: float, reach: int) -> float:
    """Share of the stretch ``start..end`` along a rule at ``at`` that is inked
    in ``mask`` within ``reach`` pixels of the rule's position."""
    a, b = round(start), round(end)
    if b <= a:
        return 0.0
    c0, c1 = max(0, round(at) - reach), round(at) + reach + 1
    strip = mask[c0:c1, a:b] if horizontal else mask[a:b, c0:c1].T
    if strip.size == 0:
        return 0.0
    return float(np.count_nonzero(strip.max(axis=0))) / (b - a)


def column_lines(vs: Sequence[Segment], snap: float) -> list[tuple[float, float, float]]:
    """Vertical segments grouped by x: ``(x, top, bottom)`` of each line."""
    lines: list[list[Segment]] = []
    for v in sorted(vs):
        if lines and v[0] - lines[-1][-1][0] <= snap:
            lines[-1].append(v)
        else:
            lines.append([v])
    return [(sum(v[0] for v in line) / len(line), min(v[1] for v in line), max(v[2] for v in line)) for line in lines]


def build_grid(
    hs: Sequence[Segment], vs: Sequence[Segment], masks: LineMasks, settings: GridSettings, scale: float
) -> Grid | None:
    """Cells of one table from its rules; a missing rule inside merges units."""
    snap = settings.snap_pt * scale
    closing = open_rule_ends(vs, hs, snap)
    ys = cluster([h[0] for h in hs] + [c[0] for c in closing], snap)
    xs = [x for x, top, bottom in column_lines(vs, snap) if bottom - top >= settings.min_column_share * (ys[-1] - ys[0])]
    if len(xs) - 1 < settings.min_cols or len(ys) - 1 < settings.min_rows:
        return None
    if xs[-1] - xs[0] < settings.min_table_width_pt * scale or ys[-1] - ys[0] < settings.min_table_height_pt * scale:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    reach = max(1, round(snap))
    # Units are shrunk by the snap distance so a crossing rule's thickness
    # does not count as coverage of the rule being measured.
    horizontal = masks.horizontal.copy()
    for y, x0, x1 in closing:
        cv2.line(horizontal, (round(x0), round(y)), (round(x1), round(y)), 255, 1)

    def inside(start: float, end: float) -> tuple[float, float]:
        # A unit too short to shrink (a stroke taken for a rule 6 pt from a
        # real one) is measured whole: shrunk to nothing it measured 0, "no
        # rule", and merged the whole row, then the table (measured at 100 dpi).
        return (start + snap, end - snap) if end - start > 4 * snap else (start, end)

    def v_rule(c: int, r: int) -> bool:  # rule on the left of unit column c, in unit row r
        return coverage(masks.vertical, False, xs[c], *inside(ys[r], ys[r + 1]), reach) >= settings.min_coverage

    def h_rule(r: int, c: int) -> bool:  # rule above unit row r, in unit column c
        return coverage(horizontal, True, ys[r], *inside(xs[c], xs[c + 1]), reach) >= settings.min_coverage

    sets: UnionFind[int] = UnionFind(range(n_rows * n_cols))
    find = sets.find

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not v_rule(c + 1, r):
                sets.union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not h_rule(r + 1, c):
                sets.union(r * n_cols + c, (r + 1) * n_cols + c)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            members.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for units in members.values():
        r0, r1 = min(u[0] for u in units), max(u[0] for u in units)
        c0, c1 = min(u[1] for u in units), max(u[1] for u in units)
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    cut_bottom = any(abs(y - ys[-1]) <= snap for y, _, _ in closing)
    return without_unused_lines(Grid(xs=xs, ys=ys, cells=cells, cut_bottom=cut_bottom))


def without_unused_lines(grid: Grid) -> Grid:
    """The grid without the lines no cell ends at.

    A stroke that passed every test for a rule (a heading printed low in a
    header cell, on a scan) adds a grid line that every cell spans; left
    in, each row gains ``None`` places that assembly takes for merged cells.
    """
    xs_used = sorted({c.col for c in grid.cells} | {c.col + c.cols for c in grid.cells})
    ys_used = sorted({c.row for c in grid.cells} | {c.row + c.rows for c in grid.cells})
    col_at = {old: new for new, old in enumerate(xs_used)}
    row_at = {old: new for new, old in enumerate(ys_used)}
    cells = [
        GridCell(row_at[c.row], col_at[c.col], row_at[c.row + c.rows] - row_at[c.row], col_at[c.col + c.cols] - col_at[c.col], c.bbox)
        for c in grid.cells
    ]
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Grid(xs=[grid.xs[i] for i in xs_used], ys=[grid.ys[i] for i in ys_used], cells=cells, cut_bottom=grid.cut_bottom)


def find_grids(grey: np.ndarray, scale: float, settings: GridSettings = DEFAULT_GRID) -> tuple[list[Grid], LineMasks]:
    """Every ruled table on a grey page image, top to bottom, and the masks."""
    masks = line_masks(ink_mask(grey, settings, scale), settings, scale)
    edges = fill_edges(grey, settings, scale)
    masks.horizontal = cv2.bitwise_or(masks.horizontal, edges)
    # A fill's edge is a rule of its own too: fused with a drawn rule and
    # the dark border of the fill, the rule alone can read as too thick.
    snap, gap = settings.snap_pt * scale, settings.join_gap_pt * scale
    hs, vs = anchored(
        joined(segments(masks.horizontal, True, settings, scale) + segments(edges, True, settings, scale), snap, gap),
        joined(segments(masks.vertical, False, settings, scale), snap, gap),
        snap,
        settings.min_column_pt * scale,
    )
    grids = []
    for g_h, g_v in table_groups(hs, vs, settings.snap_pt * scale):
        grid = build_grid(g_h, g_v, masks, settings, scale)
        if grid is not None:
            grids.append(grid)
    return grids, masks
