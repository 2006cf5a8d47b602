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
    ("基本履职事项", "basic"),
    ("基本职责事项", "basic"),
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
DOC_TITLE_SUFFIX = re.compile(r"(?:履行职责事项清单|履职事项清单|职责事项清单|职责清单|事项清单)$")
LIST_TITLE_SUFFIX = re.compile(
    r"(?:基本履职事项清单|配合履职事项清单|上级部门收回(?:履职)?事项清单|收回(?:履职)?事项清单|基本职责事项清单)$"
)
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


def stated_count(text: str) -> int | None:
    match = STATED_COUNT.search(text)
    return int(match.group(1) or match.group(2)) if match else None


#: A footer line's printed page number (the readers' own rule, so dropping a
#: line as furniture and reading it as a page number never disagree).
footer_page = page_number


def issuer_from_titles(doc_titles: list[str], list_titles: list[str]) -> str:
    """The issuing town: a title minus its list name.

    When titles disagree the longest issuer wins: short forms come from sheet
    names and running heads (青石镇 for 某某省某某县青石镇).
    """
    candidates = []
    for title in doc_titles + list_titles:
        compact = join_wrapped_phrase(title)
        compact = re.sub(r"^附件\s*\d*[：:]?", "", compact)
        stripped = DOC_TITLE_SUFFIX.sub("", LIST_TITLE_SUFFIX.sub("", compact))
        if stripped and stripped != compact:
            candidates.append(stripped)
    return max(candidates, key=len, default="")


def section_of(cells: list[str | None]) -> tuple[str, int | None] | None:
    """A full-width row's category and stated count, if it is a section row."""
    text = join_wrapped_phrase(next(c for c in cells if c))
    match = SECTION.match(text)
    if not match or list_type_of_title(text):
        return None
    return match.group("name"), int(match.group("count")) if match.group("count") else None
