"""Cell text: a cell's lines joined, each line end read as a wrap or a paragraph end.

The one rule that matters most is :func:`join_cell_lines`: a line that ran
into the right edge of its cell was wrapped by the layout, so it continues on
the next line with nothing in between; a line that stopped short ended a
paragraph, which is a hard break ``"\\n"`` in the cell text model of
``schema.assembly.normalise``.  The evidence comes from :mod:`parsers.layout.wrap`
(the edge, kinsoku pushes, unbreakable pieces), :mod:`parsers.layout.justified`
(justified text) and :mod:`parsers.layout.paragraph_gaps` (paragraph spacing);
this module weighs it, finds the edge text must stop at
(:func:`text_right_edge`, :func:`unruled_text_edges`) and says what a line
end stands for (:func:`line_break`), also at the foot of a page
(:func:`ends_paragraph_at_page_foot`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from duty_lists.parsers.layout.geometry import BBox, Line, line_text
from duty_lists.parsers.layout.justified import glyph_count, is_flush, is_justified, is_stretched, spread_of
from duty_lists.parsers.layout.markers import marker_sequence_starts
from duty_lists.parsers.layout.paragraph_gaps import PARAGRAPH_GAP_RATIO, cell_pitches, is_paragraph_gap
from duty_lists.parsers.layout.wrap import is_kinsoku_wrap, is_soft_wrap


def text_right_edge(bbox: BBox, lines: Sequence[Line]) -> float:
    """Where text in the cell must stop: the cell's right side less the
    padding, which we only see on the left, so assume it is symmetric."""
    padding = max(0.0, min(line.x0 for line in lines) - bbox[0])
    return bbox[2] - padding


def unruled_text_edges(columns: Sequence[Sequence[Sequence[Line]]]) -> list[float | None]:
    """Where text must stop in each column of a table without vertical rules.

    ``columns`` holds, per column left to right, the lines of each of its
    cells.  With no rule to measure, a cell's box runs from its own text to
    the next column's text, so :func:`text_right_edge` would put the edge a
    padding too far right and read every wrap as a paragraph end.  Instead:
    the gap between a column's widest line and the next column's text is
    smallest where that column's lines wrap (the gap is then just the two
    paddings); that smallest gap, taken off the next column's text start,
    is each column's edge.  A column that never wraps thus keeps an edge
    beyond its lines, and reads their ends as paragraph ends.  The last
    column has no neighbour: its widest line is the best evidence.  ``None``
    for a column without text.
    """
    widest = [max((line.ink_x1 for cell in column for line in cell), default=None) for column in columns]
    starts = [min((line.x0 for cell in column for line in cell), default=None) for column in columns]
    neighbours: list[float | None] = []
    for index in range(len(columns)):
        following = [start for start in starts[index + 1 :] if start is not None]
        neighbours.append(following[0] if following else None)
    gaps = [
        start - wide for wide, start in zip(widest, neighbours, strict=True)
        if wide is not None and start is not None and start > wide
    ]
    if not gaps:
        return widest
    gap = min(gaps)
    return [
        None if wide is None else (wide if start is None else max(wide, start - gap))
        for wide, start in zip(widest, neighbours, strict=True)
    ]


def join_cell_lines(
    lines: Sequence[Line],
    bbox: BBox,
    gap_ratio: float,
    tolerance_chars: float,
    cut: bool = False,
    *,
    pitches: Mapping[float, float] | None = None,
    paragraph_gap_ratio: float = PARAGRAPH_GAP_RATIO,
    right_edge: float | None = None,
    autospace: float = 0.0,
) -> str:
    """Cell text: soft-wrapped lines joined with nothing, the others with ``\\n``.

    In a row ``cut`` by a page break the text goes on over the page; if its
    last line here ended a paragraph, a trailing ``\\n`` says so, because
    assembly joins the two parts with nothing.

    ``pitches`` are the page's normal line pitches by font size (see
    :func:`parsers.layout.paragraph_gaps.line_pitches`); without them the
    cell's own lines are the only evidence.  ``paragraph_gap_ratio`` 0
    turns the paragraph-gap rule off.
    ``right_edge`` replaces the edge read from ``bbox`` where the box is not
    drawn (see :func:`unruled_text_edges`).

    ``autospace`` and the spread of justified lines are not word spaces
    (:func:`parsers.layout.geometry.line_text`).
    """
    if not lines:
        return ""
    edge = text_right_edge(bbox, lines) if right_edge is None else right_edge
    normal = cell_pitches(lines, pitches, paragraph_gap_ratio)
    justified = is_justified(lines, edge)
    list_starts = marker_sequence_starts(lines)
    parts: list[str] = []
    for index, line in enumerate(lines):
        parts.append(line_text(line, gap_ratio, spread_of(line) if justified and is_stretched(line, edge) else 0.0, autospace))
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is None and not cut:
            continue
        if justified and glyph_count(line) >= 2:
            soft = is_flush(line, edge)
        else:
            soft = is_soft_wrap(line, edge, tolerance_chars) or (
                following is not None and is_kinsoku_wrap(line, following, edge, tolerance_chars)
            )
        if soft and following is not None and (
            index + 1 in list_starts or is_paragraph_gap(line, following, normal, paragraph_gap_ratio)
        ):
            soft = False
        parts.append(line_break(parts[-1], soft, at_cut=following is None))
    return "".join(parts)


#: The most characters a line-breaking rule moves to the next line with the
#: one that did not fit: a character with two marks (``等），``), an opening
#: bracket with a short number.  A last line shorter than that by more
#: ended its paragraph, whatever the next page starts with.
PUSHED_CHARS = 3.0


def ends_paragraph_at_page_foot(lines: Sequence[Line], bbox: BBox, right_edge: float | None = None) -> bool:
    """Did the last line of a cell at the foot of a page end a paragraph?

    Word and LibreOffice close a table with its border on every page, so a
    row a page break cut looks like any other, and the lowest row of a page
    may go on over the page; if it does, assembly needs to know whether the
    text stopped at a paragraph end there.  The line that would tell a
    kinsoku push from a paragraph end is on the next page, so in ragged text
    only a line that stops further from the edge than any push leaves
    (:data:`PUSHED_CHARS`) is said to end one; in justified text every line
    that wraps reaches the edge (:func:`parsers.layout.justified.is_justified`),
    so any line that stops short ended its paragraph.
    """
    if not lines:
        return False
    edge = text_right_edge(bbox, lines) if right_edge is None else right_edge
    last = lines[-1]
    if glyph_count(last) >= 2 and is_justified(lines, edge):
        return not is_flush(last, edge)
    return last.ink_x1 < edge - PUSHED_CHARS * last.char_width


#: A full line ending a sentence: layout may have eaten the space after it.
_SENTENCE_END = ("。", "；", "！", "？", ";")


def line_break(text: str, soft: bool, at_cut: bool = False) -> str:
    """What a line end stands for: a paragraph end (``\\n``) or a wrap
    (nothing) — or, where a page break cut the row after a full line ending
    a sentence, a soft gap (``" "``).

    A row is cut where a line ends, and reportlab, like Word, prefers to cut
    where it may: at a gap or a paragraph end.  A cut line ending in 。 is
    therefore more often a sentence followed by a gap than a wrap inside a
    run of text, and the soft gap leaves the decision to normalisation.  In
    the middle of a cell the odds are the other way round (measured on the
    Shahe rebuild: 2 false splits against 1 fix), so nothing is inserted there.
    """
    if not soft:
        return "\n"
    return " " if at_cut and text.endswith(_SENTENCE_END) else ""
