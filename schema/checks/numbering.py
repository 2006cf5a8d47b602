"""Numbering: 1..N over a list, or restarting at 1 in each category."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.fields import PRINTED_SEQ
from duty_lists.schema.records import LIST_NAMES, Document, DutyList, Finding, Item, ListType


class NumberingStart(FindingType):
    code = "numbering.start"
    severity = "error"
    title = "序号不从1开始"
    description = "The first item of a list (or of a category, when numbering restarts per category) is not 1."
    template = "{scope}的序号从 {first} 开始，应从 1 开始"


class NumberingGap(FindingType):
    code = "numbering.gap"
    severity = "error"
    title = "序号缺号"
    description = "A number is skipped: the item after N is numbered higher than N+1."
    template = "{scope}序号缺少 {missing}（{before} 之后是 {after}）"


class NumberingDuplicate(FindingType):
    code = "numbering.duplicate"
    severity = "error"
    title = "序号重复"
    description = "Two items of the same numbering sequence have the same number."
    template = "{scope}序号 {seq} 重复出现"


class NumberingOrder(FindingType):
    code = "numbering.order"
    severity = "error"
    title = "序号顺序错乱"
    description = "A number is lower than the one before it (and is not a restart of a new category)."
    template = "{scope}序号 {after} 出现在 {before} 之后"


#: A 序号 as printed 2.3 (see assembly/titles.py's DOTTED_SEQ): the category's number first.
_DOTTED = re.compile(r"^(\d+)[.．]\d+$")


class NumberingDotted(FindingType):
    code = "numbering.dotted"
    severity = "info"
    title = "序号按类别分级"
    description = ("序号 printed <category number>.<item number> (1.1, 1.2, 2.1): seq is the number within the "
                   "category, numbering restarting in every block, and the printed 序号 is kept in extra (原序号).")
    template = "{list_name}的序号印作「类别号.项号」（{first} 至 {last}），序号取各类别内的项号，印出的序号保留在其他列「原序号」"


def category_blocks(items: list[Item]) -> list[list[Item]] | None:
    """The blocks a printed 序号 ``2.3`` names by its first number, when every item has one."""
    majors = [match.group(1) if (match := _DOTTED.match(item.extra.get(PRINTED_SEQ, ""))) else "" for item in items]
    if not items or not all(majors):
        return None
    blocks: list[list[Item]] = []
    for k, item in enumerate(items):
        if k == 0 or majors[k] != majors[k - 1]:
            blocks.append([])
        blocks[-1].append(item)
    return blocks


def restarts_per_category(items: list[Item]) -> bool:
    """True when numbering restarts at 1 exactly where the category changes.

    Needs at least two restarts to decide, so a list that simply starts at 1
    is read as 1..N.
    """
    restarts = [i for i, item in enumerate(items) if i > 0 and item.seq == 1]
    if not restarts:
        return False
    return all(items[i].category != items[i - 1].category for i in restarts)


def sequences(dl: DutyList) -> list[tuple[str, list[Item]]]:
    """The numbering sequences of a list with a Chinese label for messages."""
    name = LIST_NAMES[dl.list_type]
    dotted = category_blocks(dl.items)
    if dotted is not None:  # the printed 序号 names the blocks (rule numbering.dotted)
        return [(f"{name}「{items[0].category}」", items) for items in dotted]
    if not restarts_per_category(dl.items):
        return [(name, dl.items)]
    # A block starts where the numbering restarts, not where the category
    # text changes: a misspelt category inside a block is reported by the
    # category check, and must not also break the numbering into pieces.
    blocks: list[tuple[str, list[Item]]] = []
    for item in dl.items:
        if not blocks or item.seq == 1:
            blocks.append((f"{name}「{item.category}」", []))
        blocks[-1][1].append(item)
    return blocks


class NumberingCheck(Check):
    types = (NumberingStart, NumberingGap, NumberingDuplicate, NumberingOrder, NumberingDotted)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for dl in doc.lists:
            if category_blocks(dl.items) is not None:
                first, last = dl.items[0], dl.items[-1]
                yield NumberingDotted.at(dl.list_type, first, text=first.extra[PRINTED_SEQ],
                                         first=first.extra[PRINTED_SEQ], last=last.extra[PRINTED_SEQ])
            for scope, items in sequences(dl):
                yield from self._sequence(dl.list_type, scope, items)

    @staticmethod
    def _sequence(list_type: ListType, scope: str, items: list[Item]) -> Iterator[Finding]:
        """Duplicates and order problems where they occur; gaps from the
        numbers that are missing altogether, so a swap (1,3,2,4) is an
        order problem and not two gaps."""
        if not items:
            return
        if items[0].seq != 1:
            yield NumberingStart.at(list_type, items[0], text=str(items[0].seq), scope=scope, first=items[0].seq)
        seen: set[int] = {items[0].seq}
        for before, item in itertools.pairwise(items):
            if item.seq in seen:
                yield NumberingDuplicate.at(list_type, item, text=item.name, scope=scope)
            elif item.seq < before.seq:
                yield NumberingOrder.at(list_type, item, text=item.name, scope=scope, before=before.seq, after=item.seq)
            seen.add(item.seq)
        for first, last in missing_runs(seen):
            after = min((item for item in items if item.seq > last), key=lambda item: item.seq)
            missing = "、".join(str(n) for n in range(first, min(last, first + 4) + 1)) + ("…" if last > first + 4 else "")
            yield NumberingGap.at(
                list_type, after, text=after.name, scope=scope, before=first - 1, after=after.seq, missing=missing
            )


def missing_runs(seen: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of numbers absent between the lowest and highest seen."""
    runs: list[tuple[int, int]] = []
    ordered = sorted(seen)
    for low, high in itertools.pairwise(ordered):
        if high > low + 1:
            runs.append((low + 1, high - 1))
    return runs
