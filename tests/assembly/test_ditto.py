"""Rule ``ditto.carry`` (schema/assembly/ditto.py): 同上 / 〃 in a category or department cell
is the value of the row above; a ditto with nothing above is reported, never resolved silently."""

from __future__ import annotations

from duty_lists.schema.assembly.assemble import assemble
from duty_lists.schema.assembly.build import build_lists
from duty_lists.schema.assembly.ditto import is_ditto

from tests.assembly.test_assembly import BASIC_HEADER, RULES, doc, items

COOPERATIVE_HEADER = ["序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责", "镇配合职责", "备注"]


def test_ditto_marks_are_whole_cells():
    assert is_ditto("同上") and is_ditto(" 同 上。") and is_ditto("〃") and is_ditto("仝上")
    assert not is_ditto("") and not is_ditto(None) and not is_ditto("同上级部门") and not is_ditto("党的建设")


def test_a_run_of_dittos_carries_the_label_that_started_the_block():
    raw = doc(
        "某某镇基本履职事项清单",
        BASIC_HEADER,
        ["1", "乡村振兴", "甲", ""],
        ["2", "同上", "乙", ""],
        ["3", "〃", "丙", ""],
        ["4", "平安法治", "丁", ""],
        ["5", "同上", "戊", ""],
    )
    assert [item.category for item in items(raw)] == ["乡村振兴"] * 3 + ["平安法治"] * 2
    assert [(note.code, note.message) for note in assemble(raw, RULES).notes] == [("source.ditto_resolved", "3 个单元格")]


def test_a_ditto_in_a_department_cell_carries_the_departments_above():
    raw = doc(
        "某某镇配合履职事项清单",
        COOPERATIVE_HEADER,
        ["1", "民生服务", "甲", "县民政局、县财政局", "职责", "配合", ""],
        ["2", "同上", "乙", "同上", "职责", "配合", ""],
    )
    second = items(raw)[1]
    assert second.category == "民生服务"
    assert second.superior_departments == ["县民政局", "县财政局"]


def test_a_ditto_in_a_name_is_text():
    raw = doc("某某镇基本履职事项清单", BASIC_HEADER, ["1", "党的建设", "甲", ""], ["2", "党的建设", "同上", ""])
    assert items(raw)[1].name == "同上"


def test_a_ditto_on_a_lists_first_row_is_reported_and_kept():
    raw = doc(
        "某某镇基本履职事项清单",
        BASIC_HEADER,
        ["1", "同上", "甲", ""],
        ["2", "同上", "乙", ""],
        ["3", "党的建设", "丙", ""],
    )
    assembly = assemble(raw, RULES)
    lists, _ = build_lists(assembly)
    assert [item.category for item in lists[0].items] == ["同上", "同上", "党的建设"]
    assert [note.code for note in assembly.notes] == ["source.ditto_unresolved"] * 2
    assert "第 1 项的事项类别写作「同上」" in assembly.notes[0].message


def test_each_list_starts_afresh():
    """The last category of one list is not the row above the next list's first row."""
    raw = doc(
        "某某镇基本履职事项清单",
        BASIC_HEADER,
        ["1", "党的建设", "甲", ""],
        "某某镇配合履职事项清单",
        COOPERATIVE_HEADER,
        ["1", "同上", "乙", "县民政局", "职责", "配合", ""],
    )
    assert [note.code for note in assemble(raw, RULES).notes] == ["source.ditto_unresolved"]
