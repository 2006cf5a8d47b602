"""Text drawn over a page at a slant — a watermark — is not the page's text.

Town offices stamp their lists with a diagonal light-grey watermark
(``某某镇人民政府`` repeated across the page).  Its glyphs land inside table
cells and beside titles, and a reader that takes every character in a box
puts them into the text (``溪组织开展…受理柳、办理``).

A watermark is set along a slanted baseline, so its characters, in the
order they are drawn, step diagonally: each one right of and above (or
below) the one before, by the same step.  Text of the page steps along a
horizontal baseline, or straight down (characters stacked in a narrow
cell), and a wrap jumps back to the left: neither makes a run of diagonal
steps.  :func:`slanted_runs` finds runs of at least :data:`MIN_RUN`
characters whose steps all point the same way at more than
:data:`MIN_SLANT` off both axes (spaces included: they are glyphs of the
watermark too), and the characters of its size drawn right after it (a
watermark too long for its box wraps); they are dropped before anything
else is decided, in both PDF readers.  Geometry only: it needs no colour or text
matrix, which the readers do not share.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from duty_lists.parsers.layout.geometry import Char

#: A slant of a few degrees is a scan's skew, not a watermark.
MIN_SLANT = math.radians(15)
#: Two characters make one step; a run of three makes two alike.
MIN_RUN = 3
#: Steps of one run point the same way within this angle.
SAME_WAY = math.radians(10)
#: A step longer than this many font sizes is a jump, not the next glyph.
MAX_STEP = 2.5
#: Glyph boxes of one piece of text are this close in size (points).
SAME_SIZE = 0.05


def slanted_runs(chars: Sequence[Char]) -> set[int]:
    """Indices of the characters of ``chars`` (in drawing order) that sit
    on a slanted baseline."""
    slanted: set[int] = set()
    run: list[int] = []
    direction: float | None = None
    for index in range(1, len(chars)):
        angle = _slant(chars[index - 1], chars[index])
        if angle is not None and direction is not None and abs(angle - direction) <= SAME_WAY:
            run.append(index)
            continue
        if len(run) >= MIN_RUN:
            slanted.update(run)
        run, direction = ([index - 1, index], angle) if angle is not None else ([], None)
    if len(run) >= MIN_RUN:
        slanted.update(run)
    return _with_wrapped_ends(chars, slanted)


def _with_wrapped_ends(chars: Sequence[Char], slanted: set[int]) -> set[int]:
    """A watermark too long for its box wraps, and its last characters
    start a new slanted line of their own, too short to be a run: the
    characters drawn right after a run, at its size, are its text."""
    extended = set(slanted)
    for index in sorted(slanted):
        following = index + 1
        while following < len(chars) and following not in extended and abs(chars[following].size - chars[index].size) <= SAME_SIZE:
            extended.add(following)
            following += 1
    return extended


def _slant(before: Char, after: Char) -> float | None:
    """The direction from one glyph's centre to the next, if it is a
    diagonal step of about a glyph's size; ``None`` otherwise."""
    dx = (after.x0 + after.x1 - before.x0 - before.x1) / 2
    dy = (after.top + after.bottom - before.top - before.bottom) / 2
    length = math.hypot(dx, dy)
    if length == 0 or length > MAX_STEP * max(before.size, after.size):
        return None
    angle = math.atan2(dy, dx)
    off_axis = min(abs(angle) % (math.pi / 2), math.pi / 2 - abs(angle) % (math.pi / 2))
    return angle if off_axis >= MIN_SLANT else None


def without_slanted_text(chars: Sequence[Char]) -> list[Char]:
    """``chars`` less those on a slanted baseline (see the module's docstring)."""
    slanted = slanted_runs(chars)
    return [char for index, char in enumerate(chars) if index not in slanted] if slanted else list(chars)
