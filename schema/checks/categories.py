"""Categories: known to the vocabulary, and each category's rows contiguous."""

from __future__ import annotations

from collections.abc import Iterator

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.checks.vocabulary import closest
from duty_lists.schema.records import Document, Finding


class CategoryTypo(FindingType):
    code = "category.unknown"
    severity = "error"
    title = "事项类别疑似错字"
    description = "A category one character away from a known one: almost certainly a typo."
    template = "事项类别「{category}」不在类别表中，疑为「{suggestion}」之误"


class CategoryUnlisted(FindingType):
    # Its own code, not category.unknown at a second severity: a rules file
    # can then raise or silence the two separately.
    code = "category.unlisted"
    severity = "warning"
    title = "事项类别不在类别表中"
    description = "A category far from every known one; towns may add their own, so this is a warning."
    template = "事项类别「{category}」不在类别表中{hint}"


class CategorySplit(FindingType):
    code = "category.split"
    severity = "warning"
    title = "同一类别的事项不连续"
    description = "Rows of one category appear in two or more separate blocks of the list."
    template = "{list_name}中类别「{category}」的事项不连续：在其他类别之后再次出现"


class CategoryCheck(Check):
    types = (CategoryTypo, CategoryUnlisted, CategorySplit)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for dl in doc.lists:
            reported: set[str] = set()
            for item in dl.items:
                category = item.category
                if not category or category in ctx.categories or category in reported:
                    continue
                reported.add(category)
                near = closest(category, ctx.categories)
                if near and near[1] == 1 and len(category) >= 2:
                    yield CategoryTypo.at(dl.list_type, item, text=category, category=category, suggestion=near[0])
                else:
                    hint = f"（最接近的是「{near[0]}」）" if near and near[1] <= 2 else ""
                    yield CategoryUnlisted.at(dl.list_type, item, text=category, category=category, hint=hint)
            closed: set[str] = set()
            previous: str | None = None
            for item in dl.items:
                if item.category != previous:
                    if item.category in closed:
                        yield CategorySplit.at(
                            dl.list_type, item, text=item.category,
                            category=item.category,
                        )
                    if previous is not None:
                        closed.add(previous)
                    previous = item.category
