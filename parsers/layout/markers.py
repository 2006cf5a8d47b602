"""Rule ``paragraph.marker_sequence``: a line that opens with the next list marker starts a paragraph.

A step that fills its last line leaves no room at the line end to tell a
paragraph end from a wrap (:mod:`parsers.layout.wrap`): LibreOffice and
Chromium print ``…选树和打造乡村振兴现场点`` a character short of the edge
and the next step ``②组织人员…`` on the next line, and a wrap looks the same.
What tells them apart is the list the cell prints: a line at the cell's left
edge that opens with a marker — ``①`` ``（2）`` ``(2)`` ``2)`` ``2.`` ``2、``
``二、`` ``（二）`` — is the next step when the cell's other marker lines of
the same form at that edge show the sequence: the nearest one above carries
the number before it, or the nearest one below the number after it (a cell
a page break cut, whose steps before are on the page before; a sub-list
numbered again from 1).  A ``（2）`` that a wrap put at a line start inside
a sentence is a reference, not a step: no such neighbour carries the number
before or after it, and after ``第`` (``依照第（2）项``) it never counts.
Where a page break falls between two steps after a full line, neither page
shows anything; ``steps.glued`` (``schema.assembly.normalise``) splits the
joined text there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from duty_lists.parsers.layout.geometry import Line

#: How far, in character widths, a marker line may start from the cell's
#: left edge (the leftmost line start).
LEFT_EDGE_CHARS = 0.5

_CHINESE_DIGITS = "一二三四五六七八九"
_CHINESE = rf"[{_CHINESE_DIGITS}十]{{1,3}}"
#: One marker per form, the form's name as the group's: its number is the group's text.
_MARKER = re.compile(
    rf"^(?:(?P<circled>[①-⑳])"
    rf"|[（(](?P<paren>\d{{1,2}})[)）]"
    rf"|[（(](?P<paren_chinese>{_CHINESE})[)）]"
    rf"|(?P<closing>\d{{1,2}})[)）]"
    rf"|(?P<dot>\d{{1,2}})[.．](?!\d)"
    rf"|(?P<comma>\d{{1,2}})、"
    rf"|(?P<chinese>{_CHINESE})、)"
)
#: A wrap put a reference at the line start: 第（2）项, 第2.
_REFERENCE_BEFORE = "第"


def chinese_number(text: str) -> int | None:
    """一 … 九十九 as a number (``十一`` 11, ``二十`` 20); None for anything else."""
    if "十" not in text:
        return _CHINESE_DIGITS.index(text) + 1 if len(text) == 1 and text in _CHINESE_DIGITS else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    high = 1 if not tens else _CHINESE_DIGITS.index(tens) + 1
    low = 0 if not units else _CHINESE_DIGITS.index(units) + 1
    return high * 10 + low


def line_marker(line: Line) -> tuple[str, int] | None:
    """The list marker a line opens with, as (form, number), or None."""
    head = "".join(char.text for char in line.chars[:8] if not char.is_space)
    match = _MARKER.match(head)
    if match is None:
        return None
    form = match.lastgroup or ""
    value = match.group(form)
    if form == "circled":
        return form, ord(value) - ord("①") + 1
    number = chinese_number(value) if form in ("chinese", "paren_chinese") else int(value)
    return None if number is None else (form, number)


def marker_sequence_starts(lines: Sequence[Line]) -> frozenset[int]:
    """Indices of the lines (never the first) that start the next step of
    the list the cell prints: rule ``paragraph.marker_sequence``."""
    if len(lines) < 2:
        return frozenset()
    left = min(line.x0 for line in lines)
    marked = {
        index: marker
        for index, line in enumerate(lines)
        if (marker := line_marker(line)) is not None and line.x0 - left <= LEFT_EDGE_CHARS * line.char_width
    }
    starts = set()
    for index, (form, number) in marked.items():
        if index == 0 or _last_visible(lines[index - 1]) == _REFERENCE_BEFORE:
            continue
        before = [marked[i][1] for i in marked if i < index and marked[i][0] == form]
        after = [marked[i][1] for i in marked if i > index and marked[i][0] == form]
        if before[-1:] == [number - 1] or after[:1] == [number + 1]:
            starts.add(index)
    return frozenset(starts)


def _last_visible(line: Line) -> str:
    visible = "".join(char.text for char in line.chars if not char.is_space)
    return visible[-1:]
