"""Pure geometry for the PDF parser: characters → lines → cell text.

Nothing here touches a PDF library; inputs are plain boxes and characters in
PDF points with ``top`` measured down from the top of the page (pdfplumber's
convention), so every rule can be tested with hand-made coordinates.

The one rule that matters most is :func:`join_cell_lines`: a line that ran
into the right edge of its cell was wrapped by the layout, so it continues on
the next line with nothing in between; a line that stopped short ended a
paragraph, which is a hard break ``"\\n"`` in the cell text model of
``schema.normalise``.  Where paragraphs are spaced apart (Word's 段前/段后, or
a larger line pitch between paragraphs than inside them), a gap between two
lines clearly wider than the normal line pitch is a paragraph end too, even
after a full line (:func:`is_paragraph_gap`).  In narrow cells of two or
three CJK characters a line-start rule (kinsoku: ；。，、） may not begin a
line) pushes the last character down with the mark and leaves a wrapped line
a character shorter than usual; :func:`is_kinsoku_wrap` reads that as a wrap,
and so any line the next line's first unbreakable piece (``“六``, ``等），``)
would not have fitted on.  In justified text (两端对齐, Word's default for
Chinese) every wrapped line is spread to the edge and only a paragraph's
last line stops short, which settles the case no other rule can: a last
line less than a character short (:func:`is_justified`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

#: (x0, top, x1, bottom) in points, ``top`` < ``bottom``.
BBox = tuple[float, float, float, float]

#: Default of ``PdfSettings.paragraph_gap_ratio``: two lines whose tops are
#: more than this × the normal line pitch apart are separate paragraphs.
#: Word's 段前 of 3 pt on 12 pt leading is 1.25; rounding noise in one
#: font's line positions stays under 0.1 pt.
PARAGRAPH_GAP_RATIO = 1.2


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


# --------------------------------------------------------------------------- rules

#: A straight rule: (fixed coordinate, start, end) — (x, top, bottom) for a
#: vertical rule, (y, x0, x1) for a horizontal one.
Segment = tuple[float, float, float]


#: pdfplumber's ``edge_min_length``: a shorter segment never becomes a table
#: edge.  Browsers draw each border as a thin filled rectangle, whose two
#: short sides are such segments.
RULE_MIN_LENGTH = 3.0


def open_rule_ends(
    verticals: Sequence[Segment], horizontals: Sequence[Segment], tolerance: float, min_length: float = 0.0
) -> list[Segment]:
    """Horizontal rules that would close a table left open by a page break.

    A row split across pages is often drawn without the rule where it was
    cut, so its columns end in mid-air and a lines-based finder loses the
    row.  Wherever two or more vertical rules end at the same height with no
    horizontal rule there, return the missing rule spanning those ends.

    Segments shorter than ``min_length`` are ignored on both sides: a border
    drawn as a filled bar (Chromium's print-to-PDF) has a 0.75 pt cap at each
    end, which would otherwise "close" its own open end.
    """
    verticals = [rule for rule in verticals if rule[2] - rule[1] >= min_length]
    horizontals = [rule for rule in horizontals if rule[2] - rule[1] >= min_length]
    dangling: list[tuple[float, float]] = []  # (y, x)
    for x, top, bottom in verticals:
        for y in (top, bottom):
            if not any(
                abs(hy - y) <= tolerance and hx0 - tolerance <= x <= hx1 + tolerance for hy, hx0, hx1 in horizontals
            ):
                dangling.append((y, x))
    closing: list[Segment] = []
    group: list[tuple[float, float]] = []
    for y, x in sorted(dangling):
        if group and y - group[0][0] > tolerance:
            closing.extend(_closing_rule(group))
            group = []
        group.append((y, x))
    closing.extend(_closing_rule(group))
    return closing


def _closing_rule(ends: list[tuple[float, float]]) -> list[Segment]:
    xs = sorted({round(x, 1) for _, x in ends})
    if len(xs) < 2:
        return []
    return [(sum(y for y, _ in ends) / len(ends), xs[0], xs[-1])]


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
    line (see :func:`spread_of`); it is not part of any gap's width.
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
    return (_is_ascii_alnum(left) and _is_cjk(right)) or (_is_cjk(left) and _is_ascii_alnum(right))


def _is_cjk(text: str) -> bool:
    return "\u3000" <= text <= "\u9fff" or "\uff00" <= text <= "\uffef" or "\uf900" <= text <= "\ufaff"


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


def leading_unit(line: Line) -> list[Char]:
    """The visible characters that open ``line`` and that no line break may
    separate (UAX #14 in the small, for CJK text): opening brackets and
    quotes with what they open, then one character — or a run of ASCII
    letters and digits, a number or a Latin word — then every mark that may
    not start a line (``等），``)."""
    visible = [char for char in line.chars if not char.is_space]
    end = 0
    while end < len(visible) and visible[end].text in LINE_END_PROHIBITED:
        end += 1
    if end < len(visible):
        if _is_ascii_alnum(visible[end].text):
            while end < len(visible) and _is_ascii_alnum(visible[end].text):
                end += 1
        else:
            end += 1
    while end < len(visible) and visible[end].text in LINE_START_PROHIBITED:
        end += 1
    return visible[:end]


def _is_ascii_alnum(text: str) -> bool:
    return text.isascii() and text.isalnum()


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
    :func:`line_pitches`); without them the cell's own lines are the only
    evidence.  ``paragraph_gap_ratio`` 0 turns the paragraph-gap rule off.
    ``right_edge`` replaces the edge read from ``bbox`` where the box is not
    drawn (see :func:`unruled_text_edges`).

    ``autospace`` and the spread of justified lines are not word spaces
    (:func:`line_text`).
    """
    if not lines:
        return ""
    edge = text_right_edge(bbox, lines) if right_edge is None else right_edge
    normal = cell_pitches(lines, pitches, paragraph_gap_ratio)
    justified = is_justified(lines, edge)
    parts: list[str] = []
    for index, line in enumerate(lines):
        parts.append(line_text(line, gap_ratio, spread_of(line) if justified and is_stretched(line, edge) else 0.0, autospace))
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is None and not cut:
            continue
        if justified and _glyphs(line) >= 2:
            soft = is_flush(line, edge)
        else:
            soft = is_soft_wrap(line, edge, tolerance_chars) or (
                following is not None and is_kinsoku_wrap(line, following, edge, tolerance_chars)
            )
        if soft and following is not None and is_paragraph_gap(line, following, normal, paragraph_gap_ratio):
            soft = False
        parts.append(line_break(parts[-1], soft, at_cut=following is None))
    return "".join(parts)


# --------------------------------------------------------------------------- justified text

#: How far (in characters) a justified line may end from the cell's text
#: edge: LibreOffice spreads a line in steps, less evenly where it holds
#: spaces, digits or marks (measured: up to 0.18 of a character short), and
#: our padding estimate rounds.  A paragraph's last line falling short by
#: less than this still reads as a wrap.
FLUSH_TOLERANCE = 0.25
#: A gap (points) between two glyphs wider than this was put there by
#: justification: glyphs of CJK text set without it touch.
STRETCH_GAP = 0.05


def _glyphs(line: Line) -> int:
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
    that wraps reaches the edge (:func:`is_justified`), so any line that
    stops short ended its paragraph.
    """
    if not lines:
        return False
    edge = text_right_edge(bbox, lines) if right_edge is None else right_edge
    last = lines[-1]
    if _glyphs(last) >= 2 and is_justified(lines, edge):
        return not is_flush(last, edge)
    return last.ink_x1 < edge - PUSHED_CHARS * last.char_width


# --------------------------------------------------------------------------- paragraph gaps


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


# --------------------------------------------------------------------------- footers

_PAGE_NUMBER = (
    re.compile(r"^[—–\-－―]+\s*(\d{1,4})\s*[—–\-－―]+$"),
    re.compile(r"^第\s*(\d{1,4})\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^(\d{1,4})$"),
)


def page_number(text: str) -> int | None:
    """The printed page number a footer line states, if it is one."""
    text = text.strip()
    for pattern in _PAGE_NUMBER:
        match = pattern.match(text)
        if match:
            return int(match.group(1))
    return None
