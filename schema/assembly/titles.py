"""What the words of a duty-list document say about its structure.

List titles (基本/配合/收回), the document title and its issuer, table-of-contents
lines, section rows (``一、党的建设（17项）``), stated counts (``共 17 项``), 序号
cells and rows that are not items (合计, 注).  Pure functions of text, used by
:mod:`schema.assembly.assemble` as it walks the blocks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from duty_lists.parsers.layout.footer import page_number
from duty_lists.schema.assembly.normalise import join_wrapped_phrase

if TYPE_CHECKING:
    from duty_lists.schema.records import ListType

LIST_KEYWORDS: tuple[tuple[str, ListType], ...] = (
    ("上级部门收回", "reclaimed"),
    ("收回事项", "reclaimed"),
    ("收回履职事项", "reclaimed"),
    ("收回的履职事项", "reclaimed"),
    ("配合履职事项", "cooperative"),
    ("配合事项", "cooperative"),
    ("配合履行职责", "cooperative"),
    ("基本履职事项", "basic"),
    ("基本职责事项", "basic"),
    ("基本履行职责", "basic"),
)
TOC_LINE = re.compile(r"^[\s\-•·]*(?:\d+[.、．]\s*)?(?P<title>.+?)\s*(?:[.．·…]{2,}|\s{2,}|\t)\s*[（(]?(?P<page>\d{1,4})[)）]?\s*$")
TOC_HEADING = re.compile(r"^目\s*录$")
TOTAL_COUNT = re.compile(r"共\s*(\d+)\s*项")
HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])")
STATED_COUNT = re.compile(r"(?:共\s*(\d+)\s*项|[（(]\s*(?:共\s*)?(\d+)\s*项\s*[)）])")
SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.．])?\s*"
    r"(?P<name>[^\d（()）]{2,20}?)\s*(?:[（(]\s*(?:共\s*)?(?P<count>\d+)\s*项\s*[)）])?\s*$"
)
#: What may follow a title: an edition or a count in brackets (（2024年版）, （共25项）).
_TITLE_TAIL = r"(?:\s*[（(][^（）()]{1,12}[)）])?"
DOC_TITLE_SUFFIX = re.compile(rf"(?:履行职责事项清单|履职事项清单|职责事项清单|职责清单|事项清单){_TITLE_TAIL}$")
LIST_TITLE_SUFFIX = re.compile(rf"(?:基本|配合|(?:上级部门)?收回的?)(?:履行职责|履职|职责)?事项清单{_TITLE_TAIL}$")
#: A line that is only a place (某某市某某区桃源街道): the first line of a title printed on two.
PLACE_LINE = re.compile(r"^[\u4e00-\u9fff]{2,40}(?:镇|乡|街道|街道办事处|办事处|苏木|团|农场|牧场)$")
NOTE = re.compile(r"^(?:注|备注|说明|填表说明)\s*[：:0-9１-９]")
SEQ = re.compile(r"^[（(]?(\d{1,6})[)）]?[.．、]?$")
NON_ITEM_ROW = re.compile(r"^(?:合\s*计|小\s*计|总\s*计|注|备注|说明|填表说明)")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def list_type_of_title(text: str) -> ListType | None:
    """The list a title names, if it names one (``…配合履职事项清单`` → cooperative)."""
    compact = re.sub(r"\s+", "", text)
    if len(compact) > 80:
        return None
    for keyword, list_type in LIST_KEYWORDS:
        if keyword in compact:
            return list_type
    return None


def parse_seq(text: str | None) -> int | None:
    """The 序号 of a row: digits, possibly wrapped in a narrow column (``1\\n0``)."""
    match = SEQ.match(re.sub(r"\s+", "", (text or "").translate(FULLWIDTH_DIGITS)))
    return int(match.group(1)) if match else None


#: A 序号 printed as <category number>.<item number> (1.1, 1.2, 2.1): numbering
#: restarting in every category block, the block's number in front.
DOTTED_SEQ = re.compile(r"^(\d{1,3})[.．](\d{1,4})$")


def dotted_seq(text: str | None) -> tuple[int, int] | None:
    """``(category number, item number)`` of a 序号 printed ``2.3``, else ``None``.
    Whether it numbers an item or a sub-item (1, 1.1, 1.2) is the list's to say."""
    match = DOTTED_SEQ.match(re.sub(r"\s+", "", (text or "").translate(FULLWIDTH_DIGITS)))
    return (int(match.group(1)), int(match.group(2))) if match else None


def stated_count(text: str) -> int | None:
    match = STATED_COUNT.search(text)
    return int(match.group(1) or match.group(2)) if match else None


#: A footer line's printed page number (the readers' own rule, so dropping a
#: line as furniture and reading it as a page number never disagree).
footer_page = page_number


def issuer_of(title: str) -> str:
    """The issuer a title names: the title minus 附件N, a heading number, the
    list or document name and an edition in brackets; ``""`` if it names none."""
    compact = join_wrapped_phrase(title)
    compact = HEADING_START.sub("", re.sub(r"^附件\s*\d*[：:]?", "", compact))
    stripped = DOC_TITLE_SUFFIX.sub("", LIST_TITLE_SUFFIX.sub("", compact))
    return stripped if stripped != compact else ""


def with_place_line(title: str, previous: str | None) -> str:
    """A title that names no issuer, joined to the line above it when that line is
    only a place: a title printed on two lines (某某市某某区桃源街道 / 履行职责事项清单)."""
    if previous and not issuer_of(title) and PLACE_LINE.match(join_wrapped_phrase(previous)):
        return join_wrapped_phrase(previous) + title
    return title


def issuer_from_titles(doc_titles: list[str], list_titles: list[str]) -> str:
    """The issuing town: a title minus its list name.

    When titles disagree the longest issuer wins: short forms come from sheet
    names and running heads (青石镇 for 某某省某某县青石镇).
    """
    return max((issuer for issuer in map(issuer_of, doc_titles + list_titles) if issuer), key=len, default="")


def section_of(cells: list[str | None]) -> tuple[str, int | None] | None:
    """A full-width row's category and stated count, if it is a section row."""
    text = join_wrapped_phrase(next(c for c in cells if c))
    match = SECTION.match(text)
    if not match or list_type_of_title(text):
        return None
    return match.group("name"), int(match.group("count")) if match.group("count") else None
