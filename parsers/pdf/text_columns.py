"""Columns of a table drawn without vertical rules, from its header and its whitespace.

The header is a band of labels right above the rule under it (labels may
wrap, a label centred beside wrapped ones sits between their lines, the last
line of a long label in a narrow column may hang under the others); each
label stands over its column, and between two labels the boundary is the
widest strip no body character touches (:func:`gutter_columns`).  Used by
:mod:`parsers.pdf.three_line` for every table it reads.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from statistics import median

from duty_lists.parsers.layout.geometry import Char, Line, group_lines

#: A horizontal rule: (y, x0, x1).
HRule = tuple[float, float, float]

#: A header label: its text and horizontal extent.
Label = tuple[str, float, float]

#: Header labels wrap onto two lines, often three, and four in a column one
#: character wide (事/项/类/别); more is a body.  Counted per label, not per
#: line of the page: labels centred beside wrapped ones sit between their lines.
MAX_LABEL_LINES = 4
#: The narrowest gutter between two columns, in font sizes: the padding on
#: both sides of a boundary.  A space inside a line is a third of that.
MIN_GUTTER = 0.6
#: Letter-spaced two-character labels (``序　号``, ``备　注``) leave up to this
#: many font sizes between their characters.
LETTER_SPACING = 2.0


def header_band(chars: Sequence[Char], rule: HRule, ceiling: float, y_tolerance: float) -> tuple[float, bool] | None:
    """The header right above ``rule`` (and below ``ceiling``): the lowest line,
    with at least two labels, none a number (a body row starts with its 序号),
    and no further than two lines from the rule; each line above it close and
    with two labels or more, or its one label over one of the lowest line's (a
    wrapped label) or reaching into the height of the line under it (a label
    centred beside wrapped ones); a title or a paragraph above (one run of text) stops the band.  Gives where the band starts and
    whether it holds every line down from ``ceiling``; ``None``: no header."""
    lines = group_lines(
        [char for char in chars
         if not char.is_space and ceiling < (char.top + char.bottom) / 2 < rule[0] and rule[1] <= (char.x0 + char.x1) / 2 <= rule[2]],
        y_tolerance,
    )
    if not lines:
        return None
    band = hanging_tail(lines)
    base = band[-1]
    size = median(char.size for char in base.chars)
    labels = ink_runs(base.chars)
    if len(labels) < 2 or rule[0] - lines[-1].bottom > 2 * size or base.chars[0].text.isdigit():
        return None
    for line in reversed(lines[: len(lines) - len(band)]):
        if label_depth([*band, line]) > MAX_LABEL_LINES or band[-1].top - line.bottom > size:
            break
        runs = ink_runs(line.chars)
        # A one-line label centred beside wrapped ones overlaps their lines' height.
        wrapped = any(runs[0][0] < b1 and b0 < runs[0][1] for b0, b1, _, _ in labels) or line.bottom > band[-1].top
        if len(runs) < 2 and not wrapped:
            break
        band.append(line)
    if len(lines) == len(band):
        return max(ceiling, band[-1].top - size / 2), True
    return max(lines[-len(band) - 1].bottom, band[-1].top - size / 2), False


def hanging_tail(lines: Sequence[Line]) -> list[Line]:
    """The lowest line of a header with two labels or more, and under it, bottom
    first, the lines of a label wrapped further than its neighbours (事/项/类/别
    in a column one character wide): one run each, stacked under a label of
    that line at line spacing and no wider than it.  Just the lowest line where there are none."""
    for index in range(len(lines) - 1, -1, -1):
        if len(ink_runs(lines[index].chars)) >= 2:
            break
    else:
        return [lines[-1]]
    tail = list(reversed(lines[index:]))
    base = lines[index]
    size = median(char.size for char in base.chars)
    labels = ink_runs(base.chars)
    for upper, lower in itertools.pairwise(lines[index:]):
        run = ink_runs(lower.chars)[0]
        # Within a label of that line: the rest of a label is no wider than
        # its column (a cell's paragraph running on under a header is).
        within = any(x0 - size / 2 <= run[0] and run[1] <= x1 + size / 2 for x0, x1, _, _ in labels)
        if lower.top - upper.bottom > size or not within:
            return [lines[-1]]
    return tail


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
    crosses everywhere, the two labels are one column's — unless a strip
    between glyphs is left (a line that fills its column to a full-width
    ``。`` comes closer to the next column's text than a gutter, closer than
    the glyphs of one run).  A body line over two labels' centres (a
    full-width line) says nothing about columns and is left out.
    """
    labels = label_runs(header)
    named = [("", x0, x1) for x0, x1 in labels]
    spans = sorted(body_spans(body, named))
    carried = sorted([*spans, *before])
    cuts: list[float] = []
    for (_, after), (start, _) in itertools.pairwise(labels):
        strip = widest_strip(carried, after, start) if before else None
        strip = widest_strip(spans, after, start) if strip is None else strip
        if strip is None:
            strip = widest_strip(sorted(body_spans(body, named, glyphs=True)), after, start)
        if strip is not None:
            cuts.append(strip)
    edges = [left, *cuts, right]
    return list(itertools.pairwise(edges))


def body_spans(body: Sequence[Line], labels: Sequence[Label], glyphs: bool = False) -> list[tuple[float, float]]:
    """The body's ink runs (or, with ``glyphs``, their glyphs' boxes), but
    those over two labels' centres (a full-width line)."""
    centres = [(x0 + x1) / 2 for _, x0, x1 in labels]
    kept = [
        run
        for line in body
        for run in ink_runs(line.chars)
        if sum(run[0] <= centre <= run[1] for centre in centres) < 2
    ]
    if not glyphs:
        return [(run[0], run[1]) for run in kept]
    return [
        (char.x0, char.x1)
        for line in body
        for char in line.chars
        if not char.is_space and any(run[0] <= char.x0 and char.x1 <= run[1] for run in kept)
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


def label_depth(header: Sequence[Line]) -> int:
    """The most lines one label of ``header`` runs over."""
    return max(
        sum(any(x0 <= (char.x0 + char.x1) / 2 <= x1 for char in line.chars if not char.is_space) for line in header)
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
