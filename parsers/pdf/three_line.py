"""Three-line tables (三线表): a rule above the header, one under it, one at the end.

A three-line table draws no vertical rule and no rule between body rows, so
a lines-based finder sees at most a one-row "table" (the header) and the
horizontal-rules fallback, which needs a rule under every row, nothing more.
Everything but the header is told by the text:

- the header is the text between two rules of the same extent (at most
  :data:`MAX_HEADER_LINES` lines: labels may wrap);
- the body runs from the rule under the header to the next rule of that
  extent (the end of the table) or, where the table goes on over the page,
  to the footer zone;
- each header label stands over its column (labels are runs of header
  characters at least :data:`MIN_GUTTER` × the font size apart); between
  two labels the boundary is the widest strip no body character touches,
  so a column that is empty in the body keeps its place through its label,
  and two labels with body text crossing between them are one column's;
- columns belong to the table, not to one page: where a page's table
  repeats the header of the last table on the page before (same labels at
  the same places), the body text of the pages before counts too
  (:class:`CarriedColumns`), so a page holding one short line of a cell
  (``实。``) still cuts its columns where the table does;
- a row starts at a line with text in the first column (序号): the
  boundary between two such lines is the widest gap between them where no
  column has text, so top- and middle-aligned cells both work; lines above
  the first numbered line form a row of their own (the rest of a row a
  page break cut) when a gap as wide as the row gaps parts them from it.

The tables come out as the grid finder's :class:`GridTable`, for
:func:`parsers.pdf.page.page_blocks` to read as tables found without vertical
rules.  Limitation: a full-width line inside the body (a section row) has
no column of its own and closes the gutters it crosses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median

from duty_lists.parsers.layout.geometry import Char, Line, group_lines
from duty_lists.parsers.pdf.pdfium.grid import GridRow, GridTable

#: A horizontal rule: (y, x0, x1).
HRule = tuple[float, float, float]

#: Header labels wrap onto two lines, rarely three; more is a body.
MAX_HEADER_LINES = 3
#: The narrowest gutter between two columns, in font sizes: the padding on
#: both sides of a boundary.  A space inside a line is a third of that.
MIN_GUTTER = 0.6
#: Letter-spaced two-character labels (``序　号``, ``备　注``) leave up to this
#: many font sizes between their characters.
LETTER_SPACING = 2.0
#: A table's rules span at least this share of the width the page's text spans.
MIN_RULE_SHARE = 0.3
#: Lines above the first numbered line are a row of their own when the gap
#: under them is at least this share of the page's row gaps.
CONTINUATION_GAP_SHARE = 0.8
#: Gaps between lines that differ by less than this (points) are equal.
EQUAL_GAP = 1.0


#: A header label: its text and horizontal extent.
Label = tuple[str, float, float]


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
    """The page's three-line tables, top to bottom; ``rules`` are its
    horizontal rules, ``body_end`` where the footer zone starts.  ``carried``
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
            end = next((rule for rule in levels[index + 2 :] if same_extent(rule, under, tolerance)), None)
            table = read_table(chars, top, under, end[0] if end else body_end, end is not None, tolerance, y_tolerance,
                               None if tables else (page, carried))
        if table is None:
            # No rule above the header (a Word table whose top border the
            # converter left out): the header is the band of labels right
            # above the rule under it.
            under = levels[index]
            ceiling = levels[index - 1][0] if index else 0.0
            band = header_band(chars, under, ceiling, y_tolerance)
            end = next((rule for rule in levels[index + 1 :] if same_extent(rule, under, tolerance)), None)
            if band is not None:
                table = read_table(chars, (band[0], under[1], under[2]), under, end[0] if end else body_end,
                                   end is not None, tolerance, y_tolerance, None if tables else (page, carried))
        if table is None:
            index += 1
            continue
        grid, labels, spans = table
        tables.append(grid)
        last = (labels, spans)
        # The rule that ends a table may also open the next one (a table split
        # by its producer repeats its header right under the part before).
        index = levels.index(end) if end else len(levels)
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
    bottom: float,
    closed: bool,
    tolerance: float,
    y_tolerance: float,
    carry: tuple[int, CarriedColumns] | None = None,
) -> tuple[GridTable, tuple[Label, ...], list[tuple[float, float]]] | None:
    """The table whose header lies between rules ``top`` and ``under`` and
    whose body ends at ``bottom``, with its header labels and its body spans
    (with those ``carry`` brings where the header repeats the table of the
    page before); ``None`` where that is not one."""
    x0, x1 = top[1] - tolerance, top[2] + tolerance

    def between(upper: float, lower: float) -> list[Char]:
        return [
            char for char in chars
            if not char.is_space and upper < (char.top + char.bottom) / 2 < lower and x0 <= (char.x0 + char.x1) / 2 <= x1
        ]

    header = group_lines(between(top[0], under[0]), y_tolerance)
    body = group_lines(between(under[0], bottom), y_tolerance)
    if not 1 <= len(header) <= MAX_HEADER_LINES or not body:
        return None
    labels = header_labels(header)
    spans = body_spans(body, labels)
    before = carry[1].spans_for(carry[0], labels, tolerance) if carry else []
    columns = gutter_columns(header, body, top[1], top[2], before)
    if len(columns) < 2:
        return None
    bounds = row_bounds(body, columns[0][1], under[0], bottom)
    # Between two rules with a rule under every row (the horizontal-rules
    # layout), the "body" is one row, and so is the row under the next rule:
    # not a three-line table.  A table of one row is closed by its end rule
    # with no numbered row under it.
    if closed and len(bounds) < 2 and numbered_row_below(chars, bottom, x0, x1, columns[0][1], y_tolerance):
        return None
    rows = [(top[0], under[0]), *bounds]
    cells = [[(left, upper, right, lower) for left, right in columns] for upper, lower in rows]
    grid_rows = [GridRow(list(row), (row[0][0], row[0][1], row[-1][2], row[0][3])) for row in cells]
    return GridTable([cell for row in cells for cell in row], grid_rows), labels, merged_spans([*before, *spans])


def header_band(chars: Sequence[Char], rule: HRule, ceiling: float, y_tolerance: float) -> tuple[float, bool] | None:
    """The header right above ``rule`` (and below ``ceiling``): the lowest line,
    with at least two labels, none a number (a body row starts with its 序号),
    and no further than two lines from the rule; each line above it close and
    with two labels or more, or its one label over one of the lowest line's (a
    wrapped label); a title or a paragraph above (one run of text) stops the band.  Gives where the band starts and
    whether it holds every line down from ``ceiling``; ``None``: no header."""
    lines = group_lines(
        [char for char in chars
         if not char.is_space and ceiling < (char.top + char.bottom) / 2 < rule[0] and rule[1] <= (char.x0 + char.x1) / 2 <= rule[2]],
        y_tolerance,
    )
    if not lines:
        return None
    base = lines[-1]
    size = median(char.size for char in base.chars)
    labels = ink_runs(base.chars)
    if len(labels) < 2 or rule[0] - base.bottom > 2 * size or base.chars[0].text.isdigit():
        return None
    band = [base]
    for line in reversed(lines[:-1]):
        if len(band) == MAX_HEADER_LINES or band[-1].top - line.bottom > size:
            break
        runs = ink_runs(line.chars)
        if len(runs) < 2 and not any(runs[0][0] < b1 and b0 < runs[0][1] for b0, b1, _, _ in labels):
            break
        band.append(line)
    if len(lines) == len(band):
        return max(ceiling, band[-1].top - size / 2), True
    return max(lines[-len(band) - 1].bottom, band[-1].top - size / 2), False


def numbered_row_below(chars: Sequence[Char], y: float, x0: float, x1: float, first_right: float, y_tolerance: float) -> bool:
    """Does the first line under ``y`` (within the rule's extent) start with a
    number in the first column, as the next row of a table ruled under every
    row does?  A title or a new table's header does not."""
    below = group_lines(
        [char for char in chars if not char.is_space and (char.top + char.bottom) / 2 > y and x0 <= (char.x0 + char.x1) / 2 <= x1],
        y_tolerance,
    )
    if not below:
        return False
    first = "".join(char.text for char in below[0].chars if char.x1 <= first_right).strip()
    return first[:1].isdigit()


def gutter_columns(
    header: Sequence[Line], body: Sequence[Line], left: float, right: float, before: Sequence[tuple[float, float]] = ()
) -> list[tuple[float, float]]:
    """Columns between ``left`` and ``right`` (see the module's docstring).

    Each header label stands over its column.  Between two labels, the
    boundary is the middle of the widest strip no body character touches —
    on this page nor, where the table goes on from the page before, on the
    pages before (``before``: their body spans); where that leaves no strip
    but this page's body alone does (a line across a gutter, such as a
    section row, on an earlier page), this page decides.  Where body text
    crosses everywhere, the two labels are one column's.  A body line over
    two labels' centres (a full-width line) says nothing about columns and
    is left out.
    """
    labels = label_runs(header)
    spans = sorted(body_spans(body, [("", x0, x1) for x0, x1 in labels]))
    carried = sorted([*spans, *before])
    cuts: list[float] = []
    for (_, after), (start, _) in itertools.pairwise(labels):
        strip = widest_strip(carried, after, start) if before else None
        strip = widest_strip(spans, after, start) if strip is None else strip
        if strip is not None:
            cuts.append(strip)
    edges = [left, *cuts, right]
    return list(itertools.pairwise(edges))


def body_spans(body: Sequence[Line], labels: Sequence[Label]) -> list[tuple[float, float]]:
    """The body's ink runs, but those over two labels' centres (a
    full-width line)."""
    centres = [(x0 + x1) / 2 for _, x0, x1 in labels]
    return [
        (run[0], run[1])
        for line in body
        for run in ink_runs(line.chars)
        if sum(run[0] <= centre <= run[1] for centre in centres) < 2
    ]


def merged_spans(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping spans joined: what a table's body covers, kept small."""
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(x0, x1) for x0, x1 in merged]


def header_labels(header: Sequence[Line]) -> tuple[Label, ...]:
    """The header's labels (:func:`label_runs`) with their text, top line first."""
    chars = [char for line in header for char in line.chars if not char.is_space]
    return tuple(
        ("".join(char.text for char in chars if x0 <= (char.x0 + char.x1) / 2 <= x1), x0, x1)
        for x0, x1 in label_runs(header)
    )


def label_runs(header: Sequence[Line]) -> list[tuple[float, float]]:
    """The header's labels, left to right: runs over all header lines (a
    label may wrap), two single characters set apart by letter-spacing
    (``序　号``) joined into one."""
    joined: list[list[float]] = []
    for run in ink_runs(char for line in header for char in line.chars):
        last = joined[-1] if joined else None
        if last is not None and last[2] == 1 and run[2] == 1 and run[0] - last[1] <= LETTER_SPACING * run[3]:
            last[1], last[2] = run[1], 2
        else:
            joined.append(list(run))
    return [(run[0], run[1]) for run in joined]


def ink_runs(chars: Iterable[Char]) -> list[tuple[float, float, int, float]]:
    """Characters (of one line, or of several stacked) run together where
    they are closer than a gutter: (x0, x1, characters, font size) each."""
    runs: list[list[float]] = []
    for char in sorted((char for char in chars if not char.is_space), key=lambda char: char.x0):
        if runs and char.x0 - runs[-1][1] < MIN_GUTTER * char.size:
            runs[-1][1] = max(runs[-1][1], char.x1)
            runs[-1][2] += 1
        else:
            runs.append([char.x0, char.x1, 1, char.size])
    return [(x0, x1, int(count), size) for x0, x1, count, size in runs]


def widest_strip(spans: Sequence[tuple[float, float]], left: float, right: float) -> float | None:
    """Middle of the widest stretch of (``left``, ``right``) that no span
    touches, or ``None`` where spans cover all of it."""
    best: tuple[float, float] | None = None
    reach = left
    for x0, x1 in [*spans, (right, right)]:
        if x1 <= reach:
            continue
        start, stop = reach, min(x0, right)
        if stop > start and (best is None or stop - start > best[1] - best[0]):
            best = (start, stop)
        reach = max(reach, x1)
        if reach >= right:
            break
    return None if best is None else (best[0] + best[1]) / 2


def row_bounds(body: Sequence[Line], first_right: float, top: float, bottom: float) -> list[tuple[float, float]]:
    """Top and bottom of every body row (see the module's docstring)."""
    starts = [index for index, line in enumerate(body) if any(char.x1 <= first_right for char in line.chars)]
    if not starts:
        return [(top, bottom)]
    cuts = [widest_gap(body, a, b) for a, b in itertools.pairwise(starts)]
    row_gaps = [gap for gap, _ in cuts]
    edges = [y for _, y in cuts]
    if starts[0] > 0:
        gap, y = widest_gap(body, 0, starts[0])
        if not row_gaps or gap >= CONTINUATION_GAP_SHARE * median(row_gaps):
            edges.insert(0, y)
    ys = [top, *edges, bottom]
    return list(itertools.pairwise(ys))


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
