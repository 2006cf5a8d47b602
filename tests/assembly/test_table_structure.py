"""Header groups, merges across columns and tables that are no list (issue #12)."""

from __future__ import annotations

from duty_lists.parsers.model import Provenance, RawDocument, TableRow, TextLine
from duty_lists.schema.assembly.assemble import assemble
from duty_lists.schema.assembly.build import build_lists
from duty_lists.schema.assembly.department_cells import split_departments
from duty_lists.schema.assembly.headers import combine_header_rows, group_spans, is_sub_header, load_rules, map_header

RULES = load_rules()
GROUP = ["序号", "事项名称", "职责分工", None, None, "备注"]


def lists_of(*blocks: str | list | tuple) -> list:
    raw = RawDocument(path="t", format="docx", pages=0)
    for n, block in enumerate(blocks, start=1):
        if isinstance(block, str):
            raw.blocks.append(TextLine(block, Provenance(page=0, row=n)))
        else:
            cells, left = block if isinstance(block, tuple) else (block, None)
            raw.blocks.append(TableRow(list(cells), Provenance(page=0, row=n), merged_left=left))
    return build_lists(assemble(raw, RULES))[0]


def test_group_spans_are_header_cells_merged_across_columns() -> None:
    assert group_spans(GROUP) == [(2, 5)]
    assert group_spans(["序号", "", None, "名称"]) == []


def test_a_row_naming_a_group_s_sub_columns_is_a_sub_header_whatever_its_words() -> None:
    assert is_sub_header([GROUP], [None, None, "甲单位", "甲职责", "乙职责", None], RULES)
    # Text outside the group, clause punctuation, or one lone cell: a data row.
    assert not is_sub_header([GROUP], ["1", None, "甲单位", "甲职责", "乙职责", None], RULES)
    assert not is_sub_header([GROUP], ["", "", "甲单位", "1.审核；", "2.审批。", ""], RULES)
    assert not is_sub_header([GROUP], ["", "", "", "", "公示结果", ""], RULES)


def test_an_unknown_sub_label_is_read_with_its_group_in_front() -> None:
    rows = [["序号", "事项名称", "上级部门", None], [None, None, "名称", "职责"]]
    columns, labels = combine_header_rows(rows, map_header, RULES)
    assert columns == ["seq", "name", "superior_departments", "superior_duties"]
    assert labels == ["序号", "事项名称", "名称", "职责"]


def test_level_departments_are_superior_departments() -> None:
    for header in ("区级部门", "市级部门", "对应州级部门", "县直部门", "市直部门"):
        assert map_header(header, RULES) == "superior_departments", header
    assert map_header("区级部门职责", RULES) == "superior_duties"
    assert map_header("镇职责", RULES) == "town_duties"


def test_two_row_header_repeated_on_a_new_page_opens_no_list() -> None:
    top = ["序号", "事项名称", "职责分工", None, None, "备注"]
    sub = [None, None, "区级部门", "区级部门职责", "街道职责", None]
    (coop,) = lists_of(
        "白云街道配合履职事项清单", top, sub,
        ["1", "低保审核", "区民政局", "审核。", "入户调查。", ""],
        top, sub,
        ["2", "临时救助", "区民政局", "审批。", "受理申请。", ""],
    )
    assert [(i.seq, i.superior_departments, i.town_duties) for i in coop.items] == [
        (1, ["区民政局"], ["入户调查。"]), (2, ["区民政局"], ["受理申请。"]),
    ]


def test_a_value_merged_across_columns_is_one_field() -> None:
    header = ["序号", "事项类别", "事项名称", None, "对应上级部门", "备注"]
    row = ["1", "党的建设", "党员教育", None, "县委组织部", ""]
    second = (["2", None, "党费收缴", None, None, ""], [False, False, False, True, True, False])
    (coop,) = lists_of("配合履职事项清单", header, row, second)
    first, merged = coop.items
    assert first.name == "党员教育" and first.superior_departments == ["县委组织部"]
    # 党费收缴 covers the department column from its left: no department is
    # copied from the row above; the category is merged from above and is.
    assert merged.name == "党费收缴" and merged.category == "党的建设" and merged.superior_departments == []


def test_a_statement_merged_over_department_and_method_is_the_combined_cell() -> None:
    header = ["序号", "事项名称", "承接部门", "工作方式"]
    (reclaimed,) = lists_of(
        "上级部门收回事项清单", header,
        (["1", "独生子女证明", "此项工作已不再开展。", None], [False, False, False, True]),
        (["2", "农机检验", "承接部门：县农业农村局 工作方式：直接受理。", None], [False, False, False, True]),
    )
    stopped, taken = reclaimed.items
    assert (stopped.receiving_departments, stopped.working_method, stopped.discontinued) == ([], ["此项工作已不再开展。"], True)
    assert (taken.receiving_departments, taken.working_method) == (["县农业农村局"], ["直接受理。"])


def test_fillers_in_a_department_cell_name_no_department() -> None:
    for filler in ("/", "／", "—", "——", "-", "无", "暂无", " / "):
        assert split_departments(filler) == [], filler
    assert split_departments("县民政局、/") == ["县民政局"]
    assert split_departments("无线电管理局") == ["无线电管理局"]


def test_a_statement_in_the_department_cell_is_no_department() -> None:
    """不再实施 / 取消 printed where the department would be: nobody takes the work over."""
    header = ["序号", "事项名称", "承接部门", "工作方式"]
    (reclaimed,) = lists_of(
        "上级部门收回事项清单", header,
        ["1", "独生子女证明", "不再实施", "该事项已取消，不再实施。"],
        ["2", "农机检验", "取消", "—"],
        ["3", "婚姻状况证明", "—", "取消"],
        ["4", "林木采伐", "县林业局", "直接受理。"],
    )
    got = [(i.receiving_departments, i.working_method, i.discontinued) for i in reclaimed.items]
    assert got == [([], ["该事项已取消，不再实施。"], True), ([], ["取消"], True), ([], ["取消"], True),
                   (["县林业局"], ["直接受理。"], False)]


def test_discontinued_stated_in_the_remark() -> None:
    header = ["序号", "事项名称", "收回部门", "备注"]
    (reclaimed,) = lists_of(
        "上级部门收回事项清单", header, ["1", "婚姻状况证明", "/", "此项工作已不再开展。"],
        ["2", "农机检验", "县农业农村局", "此项工作已不再开展。"],
    )
    stopped, kept = reclaimed.items
    assert stopped.discontinued and stopped.receiving_departments == [] and stopped.remark == "此项工作已不再开展。"
    assert not kept.discontinued  # someone takes it over: not discontinued


def test_a_table_without_item_names_is_no_list() -> None:
    lists = lists_of(
        ["序号", "清单类别", "事项数量", "备注"], ["1", "基本履职事项", "2", ""],
        "基本履职事项清单", ["序号", "事项名称"], ["1", "党员冬训"],
    )
    assert [(lst.list_type, [i.name for i in lst.items]) for lst in lists] == [("basic", ["党员冬训"])]
