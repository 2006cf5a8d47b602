"""A printed header's role from its head: the term it ends with.

Chinese headers are noun phrases whose last term says what the column holds
and whose modifiers say whose it is: 县级部门主要职责 is *duties* (head 职责)
of the county departments (modifier 县级部门), not a department column;
实施方式 and 收回后运行方式 are a working method; 工作事项 is the item's name.
The synonyms in ``schema/data/headers.json`` are tried first; this grammar
decides the headers no synonym names exactly, so a wording never seen before
lands in the right column or — when its head says nothing a list defines —
stays in ``extra`` (and is reported as ``column.unmapped``).
"""

from __future__ import annotations

import re

#: Head terms (each two characters) and the role they give.
HEADS: dict[str, str] = {
    "部门": "department",
    "单位": "department",
    "主体": "department",
    "科室": "department",
    "职责": "duties",
    "方式": "method",
    "事项": "name",
    "名称": "name",
    "内容": "name",
    "类别": "category",
    "类型": "category",
    "领域": "category",
    "序号": "seq",
    "编号": "seq",
    "备注": "remark",
    "说明": "remark",
}
#: Heads that only name what comes before them when a stronger head precedes:
#: 部门名称 is a department, 职责内容 duties, 事项名称 a name.
WEAK_HEADS = frozenset({"名称", "内容"})
#: Nouns for a document, not an item: a weak head after one names the document
#: (清单名称 in a 目录 or 汇总 table, 附件名称 in a download table), so the
#: column is no item's name and such a table opens no list (rule header.document_name).
DOCUMENT_NOUNS = ("清单", "附件", "文件", "文档", "表格", "材料", "资料", "目录")

#: Modifiers naming the superior level (its departments and their duties) and
#: the town (its duties; a department of its own is no field of the lists).
SUPERIOR_MARKS = ("上级", "县级", "区级", "市级", "师市", "主管", "主责", "牵头", "对应", "部门", "县直", "市直", "区直")
TOWN_MARKS = ("团镇", "乡镇", "街道", "镇", "乡", "配合", "承担")
#: Modifiers naming who takes a reclaimed item over.
RECEIVING_MARKS = ("承接", "收回", "接收")

#: A header is a short noun phrase: longer text, clause punctuation or digits
#: make a cell a sentence or a value, never a header to read by its head.
MAX_HEADER = 14
_NOT_A_PHRASE = re.compile(r"[。；;，,：:！？!?\d]")
#: A trailing bracketed gloss (承接部门（或不再开展的说明）) is not the head.
_GLOSS = re.compile(r"[（(][^（）()]*[）)]$")
#: Coordinated headers (承接单位及工作方式): each part has a head of its own.
_AND = re.compile(r"及|和|与|、|/|／")
#: Words whose head would mislead: 联系方式 is a telephone number, not a method.
NOT_HEADS = ("联系方式", "联系电话", "联系人")


def head_of(label: str) -> tuple[str, str] | None:
    """``(head, role)`` for the term ``label`` ends with, or ``None``."""
    tail = label[-2:]
    role = HEADS.get(tail)
    if role is None:
        return None
    if tail in WEAK_HEADS:
        if label[:-2].endswith(DOCUMENT_NOUNS):
            return None
        before = head_of(label[:-2])
        if before is not None and before[1] != "name":
            return before
    return tail, role


def _nearest(modifiers: str, *groups: tuple[str, ...]) -> int | None:
    """Which group's mark stands nearest the head (last in ``modifiers``)."""
    best: tuple[int, int] | None = None
    for index, marks in enumerate(groups):
        for mark in marks:
            at = modifiers.rfind(mark)
            if at >= 0:
                end = at + len(mark)
                if best is None or end > best[0]:
                    best = (end, index)
    return None if best is None else best[1]


def _role_field(label: str) -> str | None:
    """The field of one simple (uncoordinated) header phrase."""
    found = head_of(label)
    if found is None:
        return None
    head, role = found
    modifiers = label[: label.rfind(head)]
    if role == "duties":
        whose = _nearest(modifiers, SUPERIOR_MARKS, TOWN_MARKS)
        return {0: "superior_duties", 1: "town_duties"}.get(whose)  # type: ignore[arg-type]
    if role == "department":
        whose = _nearest(modifiers, SUPERIOR_MARKS, RECEIVING_MARKS, TOWN_MARKS)
        # The town's own office (街道责任科室) is no field of the lists.
        return {0: "superior_departments", 1: "receiving_departments"}.get(whose)  # type: ignore[arg-type]
    return {
        "method": "working_method",
        "name": "name",
        "category": "category",
        "seq": "seq",
        "remark": "remark",
    }[role]


def field_by_head(cleaned: str) -> str | None:
    """The field a cleaned header names by its head, or ``None``.

    Coordinated parts are read one by one: a department and a working method
    (收回后承接单位及工作方式) are the combined ``receiving`` column; a first
    part with a head and a last without (履职方式及流程) is the first part's
    field; two different fields decide nothing; otherwise the whole phrase
    is read (乡镇和街道职责: the modifiers stand before the last head).
    """
    if not cleaned or len(cleaned) > MAX_HEADER or _NOT_A_PHRASE.search(cleaned):
        return None
    if any(word in cleaned for word in NOT_HEADS):
        return None
    label = _GLOSS.sub("", cleaned) or cleaned
    parts = [part for part in _AND.split(label) if part]
    if len(parts) > 1:
        fields = [_role_field(part) for part in parts]
        found = {f for f in fields if f}
        if found == {"receiving_departments", "working_method"}:
            return "receiving"
        if len(found) > 1:
            return None
        if fields[0] is not None and fields[-1] is None:
            return fields[0]
    return _role_field(label)
