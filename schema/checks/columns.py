"""Columns: a printed column the header mapping did not recognise is said, never dropped silently.

Its text is kept in each item's ``extra`` under the printed header (``列N``
when the header cell was blank); a column of a field another list type has
(a 工作方式 in the basic list) is kept there too.  One finding per list and
column, at the first item that has text in it.
"""

from __future__ import annotations

from collections.abc import Iterator

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.fields import PRINTED_SEQ
from duty_lists.schema.records import Document, Finding, Item


class ColumnUnmapped(FindingType):
    code = "column.unmapped"
    severity = "warning"
    title = "列未识别"
    description = ("A column whose header is no field of the list (an unknown wording, or a column the list does not "
                   "define): its text is kept in extra, not in the records' fields; add a synonym with --headers if it is one.")
    template = "{list_name}的列\"{header}\"未识别为清单字段，内容保留在 extra（{count} 项）"


class ColumnCheck(Check):
    types = (ColumnUnmapped,)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for dl in doc.lists:
            first: dict[str, Item] = {}
            counts: dict[str, int] = {}
            for item in dl.items:
                for header, text in item.extra.items():
                    if text.strip() and header != PRINTED_SEQ:  # the 序号 column, mapped: see numbering.dotted
                        first.setdefault(header, item)
                        counts[header] = counts.get(header, 0) + 1
            for header, item in first.items():
                yield ColumnUnmapped.at(dl.list_type, item, text=header, header=header, count=counts[header])
