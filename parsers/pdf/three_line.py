"""Tables without vertical rules: three-line tables (三线表) and tables ruled only between rows.

A three-line table draws a rule above the header, one under it and one at
the end; a table ruled between rows (reportlab row rules, Word borders
top/bottom/insideH, CSS ``border-bottom`` on cells, zebra shading whose
bands' edges :mod:`parsers.pdf.shading` keeps as rules) draws one under
every row as well.  Neither draws a vertical rule, so a lines-based finder
sees no table, or one cell per row.  One reader serves both, each step in a
module of its own:

- the header is the text between two rules of the same extent, or the band
  of labels right above the rule under it (:mod:`parsers.pdf.text_columns`,
  at most :data:`MAX_LABEL_LINES` lines a label: labels may wrap);
- the body runs from the rule under the header over every rule whose band
  holds a numbered row, to the last such rule (the end of the table) or,
  where the table goes on over the page, to the footer zone
  (:func:`parsers.pdf.text_rows.body_rules`);
- each header label stands over its column; between two labels the
  boundary is the widest strip no body character touches, so a column that
  is empty in the body keeps its place through its label, and two labels
  with body text crossing between them are one column's;
- columns belong to the table, not to one page: where a page's table
  repeats the header of the last table on the page before (same labels at
  the same places), the body text of the pages before counts too
  (:class:`CarriedColumns`), so a page holding one short line of a cell
  (``实。``) still cuts its columns where the table does;
- rows: the body's rules are row boundaries, and a rule that leaves a
  column out (a category merged over several rows) merges that column's
  cells over it; between two rules, or in a body with none, a row starts at
  a line with text in the first column (序号), cut at the widest gap where
  no column has text, so top- and middle-aligned cells both work
  (:func:`parsers.pdf.text_rows.row_bounds`).

The tables come out as the grid finder's :class:`GridTable`, for
:func:`parsers.pdf.page.page_blocks` to read as tables found without vertical
rules.  Limitation: a full-width line inside the body (a section row) has
no column of its own and closes the gutters it crosses.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from duty_lists.parsers.layout.geometry import BBox, Char, group_lines
from duty_lists.parsers.pdf.pdfium.grid import GridRow, GridTable
from duty_lists.parsers.pdf.text_columns import (
    MAX_LABEL_LINES,
    HRule,
    Label,
    body_spans,
    gutter_columns,
    header_band,
    header_labels,
    label_depth,
    merged_spans,
)
from duty_lists.parsers.pdf.text_rows import body_rules, row_bounds

#: A table's rules span at least this share of the width the page's text spans.
MIN_RULE_SHARE = 0.3
#: A rule inside a table's extent over at least this share of its width is a
#: row rule (one stops short of a cell merged over the rows: a category's).
ROW_RULE_SHARE = 0.5


@dataclass(slots=True)
class CarriedColumns:
    """What the last three-line table of a page tells the next page: its
    header labels and where its body has text, over every page it ran on so
    far (ink runs, merged).  A reader keeps one per document and hands it to
    :func:`three_line_tables` page after page."""

    page: int = 0
    labels: tuple[Label, ...] = ()
    spans: list[tuple[float, float]] = field(default_factory=list)

    def spans_for(self, page: int, labels: Sequence[Label], tolerance: float) -> list[tuple[float, float]]:
        """The body spans carried to ``page``'s first table when it repeats
        the header of the table just before it; none otherwise."""
        if page != self.page + 1 or len(labels) != len(self.labels):
            return []
        same = all(
            text == old_text and abs(x0 - old_x0) <= tolerance and abs(x1 - old_x1) <= tolerance
            for (text, x0, x1), (old_text, old_x0, old_x1) in zip(labels, self.labels, strict=True)
        )
        return self.spans if same else []


def three_line_tables(
    chars: Sequence[Char],
    rules: Sequence[HRule],
    body_end: float,
    tolerance: float,
    y_tolerance: float,
    page: int = 0,
    carried: CarriedColumns | None = None,
) -> list[GridTable]:
    """The page's tables without vertical rules (three-line tables, tables
    ruled between rows), top to bottom; ``rules`` are its horizontal rules,
    ``body_end`` where the footer zone starts.  ``carried``
    (updated here) brings the columns of the table on page ``page`` - 1 to a
    first table that repeats its header."""
    carried = CarriedColumns() if carried is None else carried
    last: tuple[tuple[Label, ...], list[tuple[float, float]]] | None = None
    ink = [char for char in chars if not char.is_space]
    if not ink:
        return []
    width = max(char.x1 for char in ink) - min(char.x0 for char in ink)
    levels = table_rules(rules, width * MIN_RULE_SHARE, tolerance)
    tables: list[GridTable] = []
    index = 0
    while index < len(levels):
        table, end = None, None
        band = header_band(chars, levels[index + 1], levels[index][0], y_tolerance) if index + 1 < len(levels) else None
        if band is not None and band[1] and same_extent(levels[index], levels[index + 1], tolerance):
            top, under = levels[index], levels[index + 1]
            table = read_table(chars, top, under, body_end, tolerance, y_tolerance,
                               None if tables else (page, carried), rules)
        if table is None:
            # No rule above the header (a Word table whose top border the
            # converter left out): the header is the band of labels right
            # above the rule under it.
            under = levels[index]
            ceiling = levels[index - 1][0] if index else 0.0
            band = header_band(chars, under, ceiling, y_tolerance)
            if band is not None:
                table = read_table(chars, (band[0], under[1], under[2]), under, body_end,
                                   tolerance, y_tolerance, None if tables else (page, carried), rules)
        if table is None:
            index += 1
            continue
        grid, labels, spans, end = table
        tables.append(grid)
        last = (labels, spans)
        # The rule that ends a table may also open the next one (a table split
        # by its producer repeats its header right under the part before).
        index = next((i for i, level in enumerate(levels) if level[0] >= end[0] - tolerance), len(levels)) if end else len(levels)
    if last is not None:
        carried.page, carried.labels, carried.spans = page, *last
    return tables


def table_rules(rules: Sequence[HRule], min_length: float, tolerance: float) -> list[HRule]:
    """Long horizontal rules, pieces at one height joined, top to bottom."""
    levels: list[list[float]] = []
    for y, x0, x1 in sorted(rules):
        if levels and y - levels[-1][0] <= tolerance and x0 <= levels[-1][2] + tolerance:
            levels[-1][1], levels[-1][2] = min(levels[-1][1], x0), max(levels[-1][2], x1)
        else:
            levels.append([y, x0, x1])
    return [(y, x0, x1) for y, x0, x1 in levels if x1 - x0 >= min_length]


def same_extent(a: HRule, b: HRule, tolerance: float) -> bool:
    return abs(a[1] - b[1]) <= tolerance and abs(a[2] - b[2]) <= tolerance


def read_table(
    chars: Sequence[Char],
    top: HRule,
    under: HRule,
    body_end: float,
    tolerance: float,
    y_tolerance: float,
    carry: tuple[int, CarriedColumns] | None,
    pieces: Sequence[HRule],
) -> tuple[GridTable, tuple[Label, ...], list[tuple[float, float]], HRule | None] | None:
    """The table whose header lies between rules ``top`` and ``under``, with
    its header labels, its body spans (with those ``carry`` brings where the
    header repeats the table of the page before) and the rule that closes it
    (``None``: it runs on to ``body_end``); ``pieces`` are the page's rules
    as drawn (a row rule that leaves a column out merges that column's cells
    over it).  ``None`` where that is not a table."""
    x0, x1 = top[1] - tolerance, top[2] + tolerance

    def between(upper: float, lower: float) -> list[Char]:
        return [
            char for char in chars
            if not char.is_space and upper < (char.top + char.bottom) / 2 < lower and x0 <= (char.x0 + char.x1) / 2 <= x1
        ]

    header = group_lines(between(top[0], under[0]), y_tolerance)
    if not header or label_depth(header) > MAX_LABEL_LINES:
        return None
    labels = header_labels(header)
    if len(labels) < 2:
        return None
    first_stop = (labels[0][2] + labels[1][1]) / 2
    rules, closed = body_rules(between, under, row_rules(pieces, under, tolerance), body_end, first_stop, y_tolerance)
    end = rules[-1] if closed else None
    bottom = rules[-1][0]
    body = group_lines(between(under[0], bottom), y_tolerance)
    if not body:
        return None
    spans = body_spans(body, labels)
    before = carry[1].spans_for(carry[0], labels, tolerance) if carry else []
    columns = gutter_columns(header, body, top[1], top[2], before)
    if len(columns) < 2:
        return None
    bands = list(itertools.pairwise([under[0], *(rule[0] for rule in rules[:-1]), bottom]))
    bounds = [
        bound
        for upper, lower in bands
        for lines in [group_lines(between(upper, lower), y_tolerance)]
        if lines
        for bound in row_bounds(lines, columns[0][1], upper, lower, continued=len(bands) == 1)
    ]
    ruled = {rule[0] for rule in rules[:-1]}
    merged = [
        {index for index, column in enumerate(columns) if upper in ruled and not crossed(pieces, upper, column, tolerance)}
        for upper, _ in bounds
    ]
    return grid_of([(top[0], under[0]), *bounds], [set(), *merged], columns), labels, merged_spans([*before, *spans]), end


def crossed(pieces: Sequence[HRule], y: float, column: tuple[float, float], tolerance: float) -> bool:
    """Does a rule drawn at ``y`` cross the middle of ``column``?"""
    middle = (column[0] + column[1]) / 2
    return any(abs(py - y) <= tolerance and px0 <= middle <= px1 for py, px0, px1 in pieces)


def grid_of(rows: Sequence[tuple[float, float]], merged: Sequence[set[int]], columns: Sequence[tuple[float, float]]) -> GridTable:
    """The table of ``rows`` × ``columns``; where ``merged[i]`` names a
    column, row i's cell there is part of the cell above it (``None``, as
    the grid finder gives a merged cell), which reaches down over it."""
    cells: list[list[BBox | None]] = []
    for (upper, lower), joined in zip(rows, merged, strict=True):
        row: list[BBox | None] = []
        for index, (left, right) in enumerate(columns):
            above = next((line[index] for line in reversed(cells) if line[index] is not None), None) if index in joined else None
            if above is None:
                row.append((left, upper, right, lower))
                continue
            # Grow the merged cell down: find it again among the rows above.
            for line in reversed(cells):
                if line[index] is above:
                    line[index] = (above[0], above[1], above[2], lower)
                    break
            row.append(None)
        cells.append(row)
    grid_rows = [GridRow(row, (columns[0][0], upper, columns[-1][1], lower)) for row, (upper, lower) in zip(cells, rows, strict=True)]
    return GridTable([cell for row in cells for cell in row if cell is not None], grid_rows)


def row_rules(pieces: Sequence[HRule], under: HRule, tolerance: float) -> list[HRule]:
    """The row rules under ``under``, top to bottom, each as one rule over the
    table's extent: the pieces drawn at one height inside the extent, where
    together they cover at least :data:`ROW_RULE_SHARE` of it (a rule stops
    short of a cell merged over the rows, such as a category's, and may be
    drawn cell by cell)."""
    width = under[2] - under[1]
    inside = sorted(
        piece for piece in pieces
        if piece[0] > under[0] + tolerance and piece[1] >= under[1] - tolerance and piece[2] <= under[2] + tolerance
    )
    heights: list[list[HRule]] = []
    for piece in inside:
        if heights and piece[0] - heights[-1][0][0] <= tolerance:
            heights[-1].append(piece)
        else:
            heights.append([piece])
    return [
        (level[0][0], under[1], under[2])
        for level in heights
        if sum(x1 - x0 for x0, x1 in merged_spans((x0, x1) for _, x0, x1 in level)) >= ROW_RULE_SHARE * width
    ]


