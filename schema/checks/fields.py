"""Required cells: what each list type must state for every item."""

from __future__ import annotations

from collections.abc import Iterator

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.fields import label
from duty_lists.schema.records import Document, DutyList, Finding, Item


class FieldEmpty(FindingType):
    code = "field.empty"
    severity = "error"
    title = "必填内容为空"
    description = "A cell every item of this list must fill is empty."
    template = "{list_name}第 {seq} 项的「{field}」为空"


def missing_fields(dl: DutyList, item: Item) -> list[str]:
    """Chinese names of the required fields this item leaves empty.

    A category is required only in a list that has categories at all: many
    towns print their cooperative and reclaimed lists without a 事项类别
    column, and that layout is not an empty cell on every row.
    """
    missing = []
    if not item.category and any(other.category for other in dl.items):
        missing.append(label("category"))
    if not item.name:
        missing.append(label("name"))
    if dl.list_type == "cooperative":
        missing.extend(label(key) for key in ("superior_departments", "town_duties") if not getattr(item, key))
    if dl.list_type == "reclaimed" and not item.receiving_departments and not item.discontinued:
        missing.append("承接部门（或不再开展的说明）")
    return missing


class FieldCheck(Check):
    types = (FieldEmpty,)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for dl in doc.lists:
            for item in dl.items:
                for name in missing_fields(dl, item):
                    yield FieldEmpty.at(
                        dl.list_type, item, text=item.name or None,
                        field=name,
                    )
