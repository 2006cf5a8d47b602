"""Did a line end because it ran out of room?  The line-breaking rules a layout follows.

A line that ran into the right edge of its cell was wrapped by the layout
(:func:`is_soft_wrap`).  In narrow cells of two or three CJK characters a
line-start rule (kinsoku: ；。，、） may not begin a line) pushes the last
character down with the mark and leaves a wrapped line a character shorter
than usual; :func:`is_kinsoku_wrap` reads that as a wrap, and so any line
the next line's first unbreakable piece (:func:`leading_unit`: ``“六``,
``等），``) would not have fitted on.

Each rule looks at one line end and can only say "wrapped"; the evidence
that reads a whole cell — justification (:mod:`parsers.layout.justified`),
which decides instead of these rules where it holds, and paragraph spacing
(:mod:`parsers.layout.paragraph_gaps`), which overrules them — is weighed
against them in :func:`parsers.layout.cell_text.join_cell_lines`.
"""

from __future__ import annotations

import re

from duty_lists.parsers.layout.geometry import Char, Line, is_ascii_alnum


def is_soft_wrap(line: Line, right_edge: float, tolerance_chars: float) -> bool:
    """Did the line end because it reached ``right_edge``?

    Line breaking leaves up to about one character of slack (a character that
    must not start a line pulls its neighbour down with it), hence the
    tolerance in character widths.
    """
    return line.ink_x1 >= right_edge - tolerance_chars * line.char_width


#: Characters that must not start a line (行首禁则, GB/T 15834 and the
#: kinsoku sets of Word, LibreOffice and browsers): closing brackets and
#: quotes, stops and pauses.  Dashes and ellipses are left out — they may
#: open a paragraph ("——" before a list item).
LINE_START_PROHIBITED = frozenset("，。、；：？！）》」』】〕〉”’,.;:?!)]}%")

#: First characters that, before a prohibited mark, make a list marker
#: (``2、`` ``一、`` ``①.`` ``a)``), which does start a paragraph.
_MARKER_FIRST = frozenset("〇一二三四五六七八九十")


#: Characters that must not end a line (行尾禁则): opening brackets and
#: quotes go down to the next line with the character they open.
LINE_END_PROHIBITED = frozenset("（《「『【〔〈“‘([{")

#: A list number opening a line — 2、 10. 一、 a) （1） (一) — starts a paragraph.
_LIST_MARKER = re.compile(
    r"^(?:(?:\d{1,3}|[〇一二三四五六七八九十]{1,3}|[A-Za-z])[.．、，,:：)）]|[（(](?:\d{1,2}|[〇一二三四五六七八九十]{1,3})[)）])"
)


def is_kinsoku_wrap(line: Line, following: Line, right_edge: float, tolerance_chars: float) -> bool:
    """Did ``line`` end early only because of a line-breaking rule (kinsoku)?

    A mark such as ；。，、） must not start a line, so where one would, the
    layout moves the character before it down too: the line ends about one
    character short of ``right_edge`` — more than :func:`is_soft_wrap`
    allows in a cell two or three characters wide — and ``following`` starts
    with that character and the mark (``查；``), or with the mark itself
    where the layout pushed nothing down.  Such a line was wrapped when it
    ends within ``tolerance_chars`` + 1 character of the edge.  A list
    marker (``2、`` ``一、`` ``（1）``) is a paragraph start, not a pushed
    character.

    More generally, a layout breaks a line only where the next unbreakable
    piece does not fit (:func:`leading_unit`: an opening bracket with the
    character it opens, ``“六``; a character with the marks that may not
    start a line, ``等），``; a number or Latin word, ``（1：``).  Where that
    piece, as ``following`` prints it, is wider than the room ``line`` left
    before the edge, the line was wrapped however short it is.
    """
    visible = [char.text for char in following.chars if not char.is_space][:2]
    if not visible:
        return False
    first = visible[0]
    is_marker = first.isdigit() or first in _MARKER_FIRST or (first.isascii() and first.isalpha())
    if first in LINE_START_PROHIBITED:
        pushed = True
    else:
        pushed = len(visible) == 2 and visible[1] in LINE_START_PROHIBITED and not is_marker
    if pushed and line.ink_x1 >= right_edge - (tolerance_chars + 1) * line.char_width:
        return True
    unit = leading_unit(following)
    if len(unit) < 2 or _LIST_MARKER.match("".join(char.text for char in following.chars[:8] if not char.is_space)):
        return False
    room = right_edge - line.ink_x1
    return unit[-1].x1 - unit[0].x0 > room - UNIT_FIT_SLACK * line.char_width


#: How much of a character's width a piece may overlap the edge and still be
#: said not to fit: rounding in the producer's and our positions.
UNIT_FIT_SLACK = 0.1


#: Opening quotation marks: no line break on either side of them (UAX #14
#: LB19, class QU, as LibreOffice 7's ICU applies it to CJK text), so the
#: character before one goes down with it and the character it opens.
OPENING_QUOTES = frozenset("“‘")


def leading_unit(line: Line) -> list[Char]:
    """The visible characters that open ``line`` and that no line break may
    separate (UAX #14 in the small, for CJK text): opening brackets and
    quotes with what they open, then one character — or a run of ASCII
    letters and digits, a number or a Latin word — with an opening quote
    after it and the character that quote opens (``层“两``: rule
    ``wrap.quote_binds``), then every mark that may not start a line
    (``等），``)."""
    visible = [char for char in line.chars if not char.is_space]
    end = 0
    while end < len(visible) and visible[end].text in LINE_END_PROHIBITED:
        end += 1
    while end < len(visible):
        if is_ascii_alnum(visible[end].text):
            while end < len(visible) and is_ascii_alnum(visible[end].text):
                end += 1
        else:
            end += 1
        if end + 1 < len(visible) and visible[end].text in OPENING_QUOTES:
            end += 1
            continue
        break
    while end < len(visible) and visible[end].text in LINE_START_PROHIBITED:
        end += 1
    return visible[:end]
