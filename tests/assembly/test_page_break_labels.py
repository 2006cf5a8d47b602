"""Issue #12, class 1 and the first-row-only categories of class 4, on hand-built block streams.

A vertically merged 事项类别 cell printed across a page break puts its label
in one of its parts; the other parts are empty real cells.  Unruled tables
print the category on a block's first row only.  The page-cut continuation
row under a repeated header is text, not a second header row.
"""

from __future__ import annotations

from duty_lists.schema.assembly.blocks import first_row_only

from tests.assembly.test_assembly import BASIC_HEADER, doc, items

RECLAIMED_HEADER = ["序号", "事项类别", "履职事项名称", "承接部门及工作方式", "备注"]


def test_label_printed_before_the_break_goes_on_to_the_empty_part():
    raw = doc(
        "某某镇基本履职事项清单",
        (1, BASIC_HEADER),
        (1, ["1", "党的建设", "甲", ""]),
        (1, ["2", None, "乙", ""]),
        (2, BASIC_HEADER),
        (2, ["3", "", "丙", ""]),
        (2, ["4", None, "丁", ""]),
        (2, ["5", "经济发展", "戊", ""]),
    )
    assert [item.category for item in items(raw)] == ["党的建设"] * 4 + ["经济发展"]


def test_label_printed_after_the_break_goes_back_to_the_empty_part():
    raw = doc(
        "某某镇基本履职事项清单",
        (1, BASIC_HEADER),
        (1, ["1", "党的建设", "甲", ""]),
        (1, ["2", "", "乙", ""]),
        (1, ["3", None, "丙", ""]),
        (2, BASIC_HEADER),
        (2, ["4", "经济发展", "丁", ""]),
        (2, ["5", None, "戊", ""]),
    )
    assert [item.category for item in items(raw)] == ["党的建设", "经济发展", "经济发展", "经济发展", "经济发展"]


def test_label_in_the_continuation_of_a_cut_row_goes_back_too():
    raw = doc(
        "某某镇基本履职事项清单",
        (1, BASIC_HEADER),
        (1, ["1", "", "甲", ""]),
        (1, ["2", None, "乙", ""]),
        (2, BASIC_HEADER),
        (2, ["", "党的建设", "续", ""]),
        (2, ["3", None, "丙", ""]),
    )
    assert [item.category for item in items(raw)] == ["党的建设"] * 3


def test_an_empty_category_where_labels_are_printed_on_every_row_stays_empty():
    raw = doc(
        "某某镇基本履职事项清单",
        (1, BASIC_HEADER),
        (1, ["1", "党的建设", "甲", ""]),
        (1, ["2", "党的建设", "乙", ""]),
        (2, BASIC_HEADER),
        (2, ["3", "", "丙", ""]),
        (2, ["4", "经济发展", "丁", ""]),
    )
    assert [item.category for item in items(raw)] == ["党的建设", "党的建设", "", "经济发展"]


def test_categories_printed_on_a_blocks_first_row_only():
    raw = doc(
        "某某镇基本履职事项清单",
        (1, BASIC_HEADER),
        (1, ["1", "党的建设", "甲", ""]),
        (1, ["2", "", "乙", ""]),
        (2, BASIC_HEADER),
        (2, ["3", "", "丙", ""]),
        (2, ["4", "经济发展", "丁", ""]),
        (2, ["5", "", "戊", ""]),
    )
    assert [item.category for item in items(raw)] == ["党的建设"] * 3 + ["经济发展"] * 2


def test_first_row_only_layout():
    assert first_row_only(["党的建设", "", "", "经济发展", ""])
    assert first_row_only(["党的建设", None, "", "经济发展"])
    assert not first_row_only(["党的建设", "党的建设", "", "经济发展"])  # labels repeated: a blank is missing
    assert not first_row_only(["党的建设", "经济发展"])
    assert not first_row_only(["", "", "党的建设"])


def test_a_cut_row_under_the_repeated_header_is_not_a_second_header_row():
    """``工作方式：…`` contains a header synonym, but a label does not go on
    after its colon (corpus h05, reclaimed 22–25)."""
    raw = doc(
        "某某镇上级部门收回事项清单",
        (1, RECLAIMED_HEADER),
        (1, ["1", "城乡建设", "甲", "承接部门：县住房和城乡建设局\n", ""]),
        (2, RECLAIMED_HEADER),
        (2, ["", "", "", "工作方式：\n县住房和城乡建设局负责审核。", ""]),
        (2, ["2", "卫生健康", "乙", "承接部门：县卫生健康委员会\n工作方式：\n依托机构开展监督。", ""]),
    )
    first, second = items(raw)
    assert first.receiving_departments == ["县住房和城乡建设局"]
    assert second.receiving_departments == ["县卫生健康委员会"]
    assert second.working_method == ["依托机构开展监督。"]
