"""The one table of item fields: kind, Chinese label, printed header, the lists it belongs to.

Writers (how a value becomes one cell), checks (what a message calls a
field), diff (how two values are compared) and the workbook (which columns a
list prints) all read this table, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from duty_lists.schema.records import LIST_TYPES

Kind = Literal["number", "text", "names", "steps", "flag", "pages", "mapping", "provenance"]

#: How a list-valued kind is joined into one cell: names the way lists print
#: them (、), steps one per line.
JOINERS: dict[str, str] = {"names": "、", "steps": "\n", "pages": "、"}

ALL_LISTS = frozenset(LIST_TYPES)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    kind: Kind
    #: What a message calls the field (短: 配合职责).
    label: str
    #: The column header people print (长: 乡镇（街道）配合职责).
    header: str
    #: The lists whose items carry the field; elsewhere it stays empty.
    lists: frozenset[str] = ALL_LISTS

    @property
    def joiner(self) -> str:
        return JOINERS.get(self.kind, "")


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seq", "number", "序号", "序号"),
    FieldSpec("category", "text", "事项类别", "事项类别"),
    FieldSpec("name", "text", "履职事项名称", "履职事项名称"),
    FieldSpec("superior_departments", "names", "对应上级部门", "对应上级部门", frozenset({"cooperative"})),
    FieldSpec("superior_duties", "steps", "上级部门职责", "上级部门职责", frozenset({"cooperative"})),
    FieldSpec("town_duties", "steps", "配合职责", "乡镇（街道）配合职责", frozenset({"cooperative"})),
    FieldSpec("receiving_departments", "names", "承接部门", "承接部门", frozenset({"reclaimed"})),
    FieldSpec("working_method", "steps", "工作方式", "工作方式", frozenset({"reclaimed"})),
    FieldSpec("discontinued", "flag", "不再开展", "不再开展", frozenset({"reclaimed"})),
    FieldSpec("remark", "text", "备注", "备注"),
    FieldSpec("pages", "pages", "页码", "页码"),
    FieldSpec("ocr_confidence", "mapping", "识别置信度", "OCR 识别置信度"),
    FieldSpec("extra", "mapping", "其他列", "其他列"),
    FieldSpec("provenance", "provenance", "来源位置", "来源位置（页:行）"),
)

#: The key in an item's ``extra`` that keeps its 序号 as printed when ``seq`` is
#: read from it rather than being it: 2.3 (category 2, item 3) gives seq 3.
PRINTED_SEQ = "原序号"

BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in FIELDS}


def label(key: str) -> str:
    return BY_KEY[key].label


def fields_of(kind: Kind) -> tuple[str, ...]:
    return tuple(spec.key for spec in FIELDS if spec.kind == kind)
