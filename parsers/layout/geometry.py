"""Pure geometry for the PDF readers: characters, the boxes they fall in, lines.

Nothing here touches a PDF library; inputs are plain boxes and characters in
PDF points with ``top`` measured down from the top of the page (pdfplumber's
convention), so every rule can be tested with hand-made coordinates.

This is the vocabulary every layout module shares (:class:`Char`,
:class:`Line`, :data:`BBox`) and the steps that come before any decision
about a line end: which characters a cell holds (:func:`assign_chars`), how
they form lines (:func:`group_lines`) and the words of one line
(:func:`line_text`).  What a line end stands for — a wrap or a paragraph
end — is decided in :mod:`parsers.layout.cell_text` from the rules of
:mod:`parsers.layout.wrap`, :mod:`parsers.layout.justified` and
:mod:`parsers.layout.paragraph_gaps`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from duty_lists.parsers.unicode_ranges import is_wide

#: (x0, top, x1, bottom) in points, ``top`` < ``bottom``.
BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def is_space(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class Line:
    """Characters sharing a baseline band, left to right."""

    chars: tuple[Char, ...]

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(char.x1 for char in self.chars)

    @property
    def top(self) -> float:
        return min(char.top for char in self.chars)

    @property
    def bottom(self) -> float:
        return max(char.bottom for char in self.chars)

    @property
    def ink_x1(self) -> float:
        """Right end of the last visible character (trailing spaces do not reach the edge)."""
        visible = [char.x1 for char in self.chars if not char.is_space]
        return max(visible) if visible else self.x0

    @property
    def size(self) -> float:
        """The line's font size: the most common among its visible characters,
        so a smaller footnote mark or a bigger initial does not decide it."""
        sizes = [round(char.size, 1) for char in self.chars if not char.is_space] or [round(self.chars[0].size, 1)]
        return Counter(sizes).most_common(1)[0][0]

    @property
    def char_width(self) -> float:
        """Em width of the last visible character: one CJK character."""
        for char in reversed(self.chars):
            if not char.is_space:
                return char.size
        return self.chars[-1].size


# --------------------------------------------------------------------------- boxes


def contains(bbox: BBox, char: Char) -> bool:
    """Is the character's centre inside ``bbox``?  Centres, not extents,
    because glyph boxes overhang ruling lines by a fraction of a point."""
    cx = (char.x0 + char.x1) / 2
    cy = (char.top + char.bottom) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def assign_chars(chars: Sequence[Char], boxes: Sequence[BBox]) -> tuple[list[list[Char]], list[Char]]:
    """Split ``chars`` into one list per box (the first box that holds it) and the rest.

    Characters are sorted by the height of their centre so that each box only
    looks at the band of characters level with it: a page of a long table
    has thousands of characters and dozens of cells.
    """
    order = sorted(range(len(chars)), key=lambda i: _centre_y(chars[i]))
    keys = [_centre_y(chars[i]) for i in order]
    taken = [False] * len(chars)
    inside: list[list[Char]] = []
    for bbox in boxes:
        found: list[Char] = []
        for position in range(bisect_left(keys, bbox[1]), bisect_right(keys, bbox[3])):
            index = order[position]
            if not taken[index] and contains(bbox, chars[index]):
                taken[index] = True
                found.append(chars[index])
        inside.append(found)
    outside = [char for index, char in enumerate(chars) if not taken[index]]
    return inside, outside


def _centre_y(char: Char) -> float:
    return (char.top + char.bottom) / 2


# --------------------------------------------------------------------------- lines


def group_lines(chars: Iterable[Char], y_tolerance: float) -> list[Line]:
    """Cluster characters into lines by ``top``, top to bottom, each left to right."""
    ordered = sorted(chars, key=lambda char: (char.top, char.x0))
    lines: list[list[Char]] = []
    line_top = 0.0
    for char in ordered:
        if lines and char.top - line_top <= y_tolerance:
            lines[-1].append(char)
        else:
            lines.append([char])
            line_top = char.top
    return [Line(tuple(sorted(line, key=lambda char: char.x0))) for line in lines]


def line_text(line: Line, gap_ratio: float, spread: float = 0.0, autospace: float = 0.0) -> str:
    """The line's characters, with a space where the PDF left a gap wider
    than ``gap_ratio`` × font size but drew no space character.

    ``spread`` is what justification added between every two glyphs of the
    line (see :func:`parsers.layout.justified.spread_of`); it is not part of any gap's width.
    ``autospace`` (a fraction of the font size) is allowed on top where
    Chinese meets a Latin letter or digit: word processors set a little
    space there by themselves (Word's 中文和西文/数字间距, LibreOffice's
    spacing between Asian and non-Asian text, a quarter em), which is
    not a space of the text.
    """
    parts: list[str] = []
    previous: Char | None = None
    for char in line.chars:
        if (
            previous is not None
            and not previous.is_space
            and not char.is_space
            and char.x0 - previous.x1 - spread
            > (gap_ratio + (autospace if _script_change(previous.text, char.text) else 0.0)) * max(char.size, previous.size)
        ):
            parts.append(" ")
        parts.append(char.text)
        previous = char
    return "".join(parts)


#: Word's and LibreOffice's space between Chinese and Latin text, in em.
AUTOSPACE = 0.25


def _script_change(left: str, right: str) -> bool:
    """Does Chinese meet a Latin letter or digit between the two characters?"""
    return (is_ascii_alnum(left) and _is_cjk(right)) or (_is_cjk(left) and is_ascii_alnum(right))


_is_cjk = is_wide


def is_ascii_alnum(text: str) -> bool:
    """An ASCII letter or digit: where one meets Chinese, word processors add
    space of their own; a run of them is one unbreakable piece
    (:func:`parsers.layout.wrap.leading_unit`)."""
    return text.isascii() and text.isalnum()
