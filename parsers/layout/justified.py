"""Justified text (两端对齐): lines spread to the edge, and what that says about paragraph ends.

In justified text (Word's default for Chinese) every wrapped line is spread
to the edge and only a paragraph's last line stops short, which settles the
case no other rule can: a last line less than a character short
(:func:`is_justified`).  The spread is also not a word space, so
:func:`spread_of` measures it for :func:`parsers.layout.geometry.line_text`.

Separate from the wrap rules (:mod:`parsers.layout.wrap`) because it is a
property of a whole cell, read from all its lines at once, and it overrides
them where it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from duty_lists.parsers.layout.geometry import Line

#: How far (in characters) a justified line may end from the cell's text
#: edge: LibreOffice spreads a line in steps, less evenly where it holds
#: spaces, digits or marks (measured: up to 0.18 of a character short), and
#: our padding estimate rounds.  A paragraph's last line falling short by
#: less than this still reads as a wrap.
FLUSH_TOLERANCE = 0.25
#: A gap (points) between two glyphs wider than this was put there by
#: justification: glyphs of CJK text set without it touch.
STRETCH_GAP = 0.05


def glyph_count(line: Line) -> int:
    """Visible characters on the line: one glyph alone cannot be spread."""
    return sum(not char.is_space for char in line.chars)


def is_flush(line: Line, right_edge: float) -> bool:
    """Does the line reach the text edge (within :data:`FLUSH_TOLERANCE`)?"""
    return line.ink_x1 >= right_edge - FLUSH_TOLERANCE * line.char_width


def is_stretched(line: Line, right_edge: float) -> bool:
    """Was the line spread to the edge by justification (两端对齐)?  Flush
    with the edge, and most gaps between its glyphs opened a little — less
    than half a character, more than the nothing CJK glyphs leave."""
    glyphs = [char for char in line.chars if not char.is_space]
    if len(glyphs) < 2 or not is_flush(line, right_edge):
        return False
    gaps = [right.x0 - left.x1 for left, right in pairwise(glyphs)]
    spread = sum(STRETCH_GAP < gap < left.size / 2 for gap, left in zip(gaps, glyphs, strict=False))
    return 2 * spread >= len(gaps)


def spread_of(line: Line) -> float:
    """The space justification put between every two glyphs of a stretched
    line: the median gap.  LibreOffice's extra quarter em between Chinese
    and Latin text (``两张 1寸``) comes on top of it, and with it would pass
    for a word space."""
    glyphs = [char for char in line.chars if not char.is_space]
    gaps = sorted(right.x0 - left.x1 for left, right in pairwise(glyphs))
    return max(0.0, gaps[len(gaps) // 2]) if gaps else 0.0


def is_justified(lines: Sequence[Line], right_edge: float) -> bool:
    """Is the cell's text justified?  Word's and LibreOffice's justification
    spreads every line that wraps to the edge — also one a kinsoku push
    shortened — and leaves the last line of each paragraph as it is.  So in
    a cell where some line (not the last) shows the spreading, a line of two
    or more glyphs ended its paragraph exactly when it stops short of the
    edge, and that settles what no other rule can: a paragraph whose last
    line falls less than a character short.  A line of one glyph cannot be
    spread and is left to the other rules."""
    return any(is_stretched(line, right_edge) for line in lines[:-1])
