"""Paragraph spacing: a gap between two lines wider than the line pitch ends a paragraph.

Where paragraphs are spaced apart (Word's 段前/段后, or a larger line pitch
between paragraphs than inside them), a gap between two lines clearly wider
than the normal line pitch is a paragraph end too, even after a full line
(:func:`is_paragraph_gap`).  The normal pitch is a page's evidence
(:func:`line_pitches`, measured over all its cells) corrected per cell
(:func:`cell_pitches`), so it lives apart from the rules that look at one
line end at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

from duty_lists.parsers.layout.geometry import Line

#: Default of ``PdfSettings.paragraph_gap_ratio``: two lines whose tops are
#: more than this × the normal line pitch apart are separate paragraphs.
#: Word's 段前 of 3 pt on 12 pt leading is 1.25; rounding noise in one
#: font's line positions stays under 0.1 pt.
PARAGRAPH_GAP_RATIO = 1.2


def _pairs(lines: Sequence[Line]) -> Iterable[tuple[float, float]]:
    """(font size, top-to-top distance) of consecutive lines of one size.

    A distance under half the font size is not a line pitch but two pieces
    of one line that the grouping kept apart (a raised footnote mark).
    """
    for upper, lower in pairwise(lines):
        size = upper.size
        pitch = lower.top - upper.top
        if lower.size == size and pitch >= size / 2:
            yield size, pitch


def line_pitches(cells: Iterable[Sequence[Line]]) -> dict[float, float]:
    """The normal line pitch per font size: the smallest distance between
    consecutive lines inside any one of ``cells`` (one page's cells).

    Inside a paragraph lines follow at the leading; between spaced
    paragraphs the distance is larger, so the smallest is the leading as
    soon as one paragraph at that size wraps anywhere on the page.
    """
    smallest: dict[float, float] = {}
    for lines in cells:
        for size, pitch in _pairs(lines):
            smallest[size] = min(pitch, smallest.get(size, pitch))
    return smallest


def cell_pitches(lines: Sequence[Line], page: Mapping[float, float] | None, ratio: float) -> dict[float, float]:
    """The normal pitches for one cell: the page's, except at a font size
    where every pitch of the cell (two or more) exceeds the page's by more
    than ``ratio`` — that cell is set with a looser line spacing of its own
    (1.5 lines in one column), and its own smallest pitch is its norm.
    Reading every line end in it as a paragraph end would be worse than
    missing one."""
    own: dict[float, list[float]] = {}
    for size, pitch in _pairs(lines):
        own.setdefault(size, []).append(pitch)
    normal = dict(page or {})
    for size, pitches in own.items():
        reference = normal.get(size)
        if reference is None or (len(pitches) >= 2 and min(pitches) > ratio * reference):
            normal[size] = min(pitches)
    return normal


def is_paragraph_gap(upper: Line, lower: Line, pitches: Mapping[float, float], ratio: float) -> bool:
    """Is the space between two consecutive lines a paragraph's spacing?

    True when both lines have the same font size and their tops are more
    than ``ratio`` × the normal pitch at that size apart.  Paragraphs set
    with no spacing never trigger it: then a paragraph whose last line fills
    the cell still reads as wrapped into the next one — geometry cannot tell.
    """
    if ratio <= 0 or upper.size != lower.size:
        return False
    normal = pitches.get(upper.size)
    return normal is not None and lower.top - upper.top > ratio * normal
