"""Tables that are not duty lists, and the notes that say what assembly left out.

A duty list's table names items: a 序号 column and a column whose header is an
item's name (事项名称, 履职事项, 工作事项…).  Documents print other numbered
tables beside their lists — a 汇总 of the lists and their counts, a 目录 with
page numbers, a 附件下载 table of file names, a 联系方式 table of offices,
people and telephone numbers — and an item invented from one of those is
worse than a missing one.  Two rules keep them out, one on the header, one
on the cells:

- ``table.no_item_column``: a table whose header has a 序号 but no item-name
  column is no list (清单名称 and 附件名称 name documents, see
  ``header_heads.DOCUMENT_NOUNS``; 联系人 and 单位 name no item).  A header row
  of such a table inside a list closes that list: its rows are not the list's.
- ``table.names_no_items``: a table whose every name cell is a list's title,
  a file name or a number (a telephone, an amount) names no item, whatever
  its header says.

Neither vanishes silently: each rejected table with a 序号 column becomes a
``source.table_not_list`` note (info), so a reviewer can check it held no item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from duty_lists.parsers.model import Note
from duty_lists.schema.assembly.headers import LABEL_WITH_TEXT, HeaderRule, clean_header, map_header
from duty_lists.schema.assembly.model import AssembledList
from duty_lists.schema.assembly.normalise import join_wrapped_phrase
from duty_lists.schema.assembly.titles import DOC_TITLE_SUFFIX, list_type_of_title
from duty_lists.schema.text.distance import within_one_edit

#: A header label is a short phrase; longer cells are text (a row of data).
_LABEL_MAX = 16
#: A file's name as a download table prints it.
_FILE_NAME = re.compile(r"\.(?:docx?|xlsx?|et|wps|pdf|ofd|zip|rar|7z|txt|html?)$", re.IGNORECASE)
#: A number and nothing else: a telephone (0000-1234501), an amount, a count.
_NUMBER = re.compile(r"^[\d\s\-－—–+()（）.．,，/]+$")


def opens_other_table(cells: Sequence[str | None], rules: tuple[HeaderRule, ...], list_header: Sequence[str] = ()) -> bool:
    """Is this row the header of a numbered table that is no list (rule ``table.no_item_column``)?

    Its first filled cell is the 序号 header word itself (no item is numbered
    序号), at least two more cells follow, each a short label (no clause, no
    colon), and none names a field of a list: 序号/单位/联系人/联系电话,
    序号/附件名称/格式/大小.  A row with a field's label is a list's header
    (or a repeat of one) and is read as such before this is asked.  Nor is a
    row that repeats ``list_header`` (the list in progress's, as printed):
    same width and a label within one edit of the one above it, a repeat on
    a new page read badly (事项别 for 事项类别), whose list goes on.
    """
    filled = [clean_header(cell) for cell in cells if cell is not None and cell.strip()]
    if len(filled) < 3 or filled[0] not in _seq_words(rules):
        return False
    rest = filled[1:]
    if any(len(label) > _LABEL_MAX or LABEL_WITH_TEXT.search(label) or map_header(label, rules) for label in rest):
        return False
    return not _repeats(cells, list_header, _seq_words(rules))


def _repeats(cells: Sequence[str | None], list_header: Sequence[str], seq_words: frozenset[str]) -> bool:
    if len(cells) != len(list_header):
        return False
    return any(
        label and label not in seq_words and within_one_edit(clean_header(cell), label)
        for cell, label in zip(cells, list_header, strict=True)
    )


def _seq_words(rules: tuple[HeaderRule, ...]) -> frozenset[str]:
    return frozenset(word for rule in rules if rule.field == "seq" for word in rule.exact)


def names_no_items(lst: AssembledList) -> bool:
    """Is every name of this table a list's title, a file name or a number (rule ``table.names_no_items``)?"""
    names = [join_wrapped_phrase(row.fields.get("name", "")) for row in lst.rows]
    return bool(names) and all(name and not_an_item_name(name) for name in names)


def not_an_item_name(name: str) -> bool:
    """A list's own title (某某镇配合履职事项清单), a file's name (….docx) or a number."""
    titled = bool(list_type_of_title(name)) and DOC_TITLE_SUFFIX.search(name) is not None
    return titled or bool(_FILE_NAME.search(name)) or bool(_NUMBER.match(name))


def table_not_list(header: Sequence[str | None], page: int | None, reason: str) -> Note:
    """The note for a numbered table left out as no list: its header as printed and why."""
    labels = "/".join(clean_header(cell) for cell in header if cell is not None and cell.strip())
    return Note("source.table_not_list", f"表头「{labels}」：{reason}", page=page or None)


#: Why a table was left out, as the note says it.
NO_ITEM_COLUMN = "没有事项名称列"
NAMES_NO_ITEMS = "{count} 行的名称都是清单标题、文件名或号码，不是履职事项"


@dataclass
class TablesLeftOut:
    """The numbered tables assembly leaves out, as it walks: a header that
    opened no list is ``pending`` until a data row under it confirms the
    table (a second header row may still make it a list's)."""

    pending: tuple[Sequence[str | None], int] | None = None
    notes: list[Note] = field(default_factory=list)

    def confirmed(self) -> bool:
        """A data row came: is it under a header that opened no list?  Told once."""
        if self.pending is None:
            return False
        self.notes.append(table_not_list(*self.pending, NO_ITEM_COLUMN))
        self.pending = None
        return True


def kept_lists(opened: list[AssembledList]) -> tuple[list[AssembledList], list[Note]]:
    """The lists with items, and the notes for what was left out: tables whose
    names are no items (``table.names_no_items``), then lists announced and not found."""
    rejected = [lst for lst in opened if names_no_items(lst)]
    notes = [
        table_not_list(lst.headers, lst.start_page or lst.rows[0].prov[0].page, NAMES_NO_ITEMS.format(count=len(lst.rows)))
        for lst in rejected
    ]
    left = [lst for lst in opened if all(lst is not other for other in rejected)]
    return [lst for lst in left if lst.rows], notes + lists_not_found(left)


def lists_not_found(opened: list[AssembledList]) -> list[Note]:
    """A title that announces a list with items (共7项) when no list of its kind has
    rows anywhere: its table was not read (in a text box, an object, a picture), and
    a document that silently lacks a whole list would pass every other check."""
    found = {lst.list_type for lst in opened if lst.rows}
    notes: list[Note] = []
    for lst in opened:
        if not lst.rows and lst.stated_count and lst.list_type not in found:
            found.add(lst.list_type)  # one note per kind of list
            notes.append(Note("source.list_not_found", f"「{lst.title}」声明 {lst.stated_count} 项", page=lst.start_page))
    return notes
