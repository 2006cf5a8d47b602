"""Department names: variants of one department, truncated, vague, unknown.

Mentions are the department columns of every list of one document and the
labels of duty steps (``师市市场监管局：…``), so a spelling used only in step
text is seen too.  The registry is built from all of them (plus the user's
registry file); see :mod:`schema.departments.names` and
:mod:`schema.departments.similarity` for how names are compared.

One finding per (name, item) would repeat the same advice dozens of times in
an 86-item list, so each finding is reported once per list and name: ``seq``
and ``page`` are those of the first item, and the message lists every item
where the name appears (``（见第 15、27 项）``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.departments.names import parse_name
from duty_lists.schema.departments.registry import DepartmentRegistry
from duty_lists.schema.fields import fields_of
from duty_lists.schema.records import Document, Finding, Item, ListType

#: Columns that hold department names, and the step fields whose labels may.
DEPARTMENT_COLUMNS = ("superior_departments", "receiving_departments")
STEP_FIELDS = fields_of("steps")

#: A step opening with a label: ``师市市场监管局：…`` or ``1.审核：…``.
_STEP_LABEL = re.compile(r"^\s*(?:[（(]?\d{1,2}[)）.、．]\s*)?(?P<label>[^：:，,。；;！？\s（）()]{2,60}?)\s*[：:]")


class DepartmentVariant(FindingType):
    code = "department.variant"
    severity = "warning"
    title = "同一部门的不同写法"
    description = "Two spellings of one department (an abbreviation, a slip), e.g. 师市市场监管局 / 师市市场监督管理局."
    template = "{list_name}：「{name}」与「{canonical}」疑为同一部门的不同写法（{where}）"


class DepartmentTruncated(FindingType):
    code = "department.truncated"
    severity = "warning"
    title = "部门名称不完整"
    description = "A name without a department ending (局, 委员会 …) that begins a longer known name."
    template = "{list_name}：「{name}」缺少部门后缀，疑为「{full}」（{where}）"


class DepartmentVague(FindingType):
    code = "department.vague"
    severity = "warning"
    title = "部门列举不明确"
    description = "A department list left open with 等, 等部门, 相关部门 …: who is responsible is not stated."
    template = "{list_name}：「{name}」以「{marker}」结尾，未列明全部部门（{where}）"


class DepartmentUnknown(FindingType):
    code = "department.unknown"
    severity = "warning"
    title = "部门不在名录中"
    description = "A department the given registry file does not name (only when a registry is given)."
    template = "{list_name}：「{name}」不在部门名录中{hint}（{where}）"



@dataclass(frozen=True)
class Mention:
    """A department named by one item: in a department column, or as the label
    of a duty step (``师市市场监管局：建立价格领域巡查机制…``)."""

    list_type: ListType
    item: Item
    printed: str
    in_step: bool


def step_label_names(step: str) -> list[str]:
    """Department names labelling a step, or [] when the label is no department
    (``审核：``, ``各行业监管部门共性职责：``): every 、-separated part must end
    in a department ending."""
    match = _STEP_LABEL.match(step)
    if not match:
        return []
    parts = [part for part in match.group("label").split("、") if part]
    parsed = [parse_name(part) for part in parts]
    if not parts or any(p is None or not p.ending or not p.stem for p in parsed):
        return []
    return parts


def iter_mentions(doc: Document) -> Iterator[Mention]:
    for duty_list in doc.lists:
        for item in duty_list.items:
            for column in DEPARTMENT_COLUMNS:
                for printed in getattr(item, column):
                    if printed.strip():
                        yield Mention(duty_list.list_type, item, printed.strip(), in_step=False)
            for field_name in STEP_FIELDS:
                for step in getattr(item, field_name):
                    for printed in step_label_names(step):
                        yield Mention(duty_list.list_type, item, printed, in_step=True)


@dataclass
class _Seen:
    """Where one name appears in one list, for one finding."""

    item: Item
    values: dict[str, object]
    column_seqs: list[int] = field(default_factory=list)
    step_seqs: list[int] = field(default_factory=list)

    def add(self, mention: Mention) -> None:
        seqs = self.step_seqs if mention.in_step else self.column_seqs
        if mention.item.seq not in seqs:
            seqs.append(mention.item.seq)


def where(column_seqs: list[int], step_seqs: list[int]) -> str:
    """见第 4、9 项 / 见第 12 项的职责文字 / both."""
    parts = []
    if column_seqs:
        parts.append(f"见第 {'、'.join(map(str, column_seqs))} 项")
    if step_seqs:
        steps = f"第 {'、'.join(map(str, step_seqs))} 项的职责文字"
        parts.append(f"及{steps}" if column_seqs else f"见{steps}")
    return "，".join(parts)


class DepartmentCheck(Check):
    types = (DepartmentVariant, DepartmentTruncated, DepartmentVague, DepartmentUnknown)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        mentions = list(iter_mentions(doc))
        if not mentions:
            return
        registry = DepartmentRegistry(ctx.departments)
        parsed = [(mention, registry.add(mention.printed)) for mention in mentions]
        # (list, code, name) -> where; dicts keep first-seen order.
        seen: dict[tuple[ListType, type[FindingType], str], _Seen] = {}

        def note(mention: Mention, finding_type: type[FindingType], name: str, **values: object) -> None:
            key = (mention.list_type, finding_type, name)
            if key not in seen:
                seen[key] = _Seen(mention.item, values)
            seen[key].add(mention)

        for mention, name in parsed:
            if name is None:
                continue
            if name.vague:
                note(mention, DepartmentVague, mention.printed, marker=name.vague)
            if not name.stem:
                continue
            canonical = registry.variant_of(name.name)
            completions = registry.completions(name.name)
            if canonical:
                note(mention, DepartmentVariant, name.name, canonical=canonical)
            elif completions:
                note(mention, DepartmentTruncated, name.name, full="」或「".join(completions))
            elif registry.has_registry and not registry.is_registered(name.name):
                closest = registry.closest_registered(name.name)
                note(mention, DepartmentUnknown, name.name, hint=f"，最接近的是「{closest}」" if closest else "")

        order = {dl.list_type: index for index, dl in enumerate(doc.lists)}
        codes = {t: index for index, t in enumerate(self.types)}
        for (list_type, finding_type, department), where_seen in sorted(
            seen.items(), key=lambda kv: (order[kv[0][0]], kv[1].item.seq, codes[kv[0][1]], kv[0][2])
        ):
            yield finding_type.at(
                list_type, where_seen.item, text=department,
                name=department, where=where(where_seen.column_seqs, where_seen.step_seqs), **where_seen.values,
            )
