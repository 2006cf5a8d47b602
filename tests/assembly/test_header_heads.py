"""A header's role from its head (schema/assembly/header_heads.py) and the column numbers printed under a header."""

from __future__ import annotations

import pytest
from duty_lists.schema.assembly.headers import is_column_numbers, load_rules, map_header

from tests.assembly.test_table_structure import lists_of

RULES = load_rules()


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # working method: …方式
        ("履职方式", "working_method"), ("实施方式", "working_method"), ("收回后运行方式", "working_method"),
        ("履职方式及流程", "working_method"),
        # name: …事项 / 名称 / 内容
        ("工作事项", "name"), ("事项名称", "name"), ("工作内容", "name"),
        # duties: whose by the modifier nearest the head
        ("县级部门主要职责", "superior_duties"), ("市级主管部门职责", "superior_duties"), ("部门职责内容", "superior_duties"),
        ("镇承担职责", "town_duties"), ("乡镇和街道职责", "town_duties"), ("街道主要职责", "town_duties"),
        # departments: superior, receiving, or the town's own office (no field)
        ("县级牵头部门", "superior_departments"), ("上级部门名称", "superior_departments"),
        ("收回后接收单位", "receiving_departments"), ("承接部门（或不再开展的说明）", "receiving_departments"),
        ("收回后承接单位及工作方式", "receiving"),
        # category, seq, remark
        ("职责领域", "category"), ("清单类别", "category"), ("事项编号", "seq"), ("情况说明", "remark"),
    ],
)
def test_a_header_no_synonym_names_maps_by_its_head(header: str, field: str) -> None:
    assert map_header(header, RULES) == field


@pytest.mark.parametrize(
    "header",
    ["街道责任科室", "职责分工", "收回后承接情况", "内部编码", "事项数量", "主要职责", "部门", "联系方式", "承办人",
     # sentences and values are never read by their head
     "2024年事项", "做好宣传工作，督促相关事项"],
)
def test_a_header_whose_head_names_no_field_stays_unmapped(header: str) -> None:
    assert map_header(header, RULES) is None


def test_exact_synonyms_and_a_user_file_come_before_the_head(tmp_path) -> None:
    # 县级主责部门职责 is an exact synonym; 对应上级部门 too (head 部门 would agree).
    assert map_header("县级主责部门职责", RULES) == "superior_duties"
    user = tmp_path / "h.json"
    user.write_text('{"fields": [{"field": "remark", "contains": ["运行方式"]}]}', encoding="utf-8")
    assert map_header("收回后运行方式", load_rules(str(user))) == "remark"


def test_a_row_of_short_cells_ending_in_head_words_is_no_header() -> None:
    # Data cells can end in 事项 / 部门; a header names at least one column by a synonym.
    (basic,) = lists_of(
        "某镇基本履职事项清单",
        ["序号", "事项类别", "事项名称", "备注"],
        ["1", "党的建设", "党建相关事项", "县级有关部门"],
    )
    assert [(i.seq, i.name, i.remark) for i in basic.items] == [(1, "党建相关事项", "县级有关部门")]


@pytest.mark.parametrize(
    "cells",
    [["1", "2", "3", "4", "5"], ["（1）", "（2）", "（3）", "（4）"], ["(1)", "(2)", None, "(4)", "(5)"], ["１", "２", "３"]],
)
def test_column_numbers(cells: list) -> None:
    assert is_column_numbers(cells)


@pytest.mark.parametrize(
    "cells",
    [["1", "党的建设", "组织学习", ""], ["1", "2", ""], ["3", "2", "1"], ["1", "2", "3", "40"], ["1", "2.5万", "3"]],
)
def test_not_column_numbers(cells: list) -> None:
    assert not is_column_numbers(cells)


def test_column_numbers_under_every_header_are_no_item_but_item_1_is() -> None:
    header = ["序号", "事项类别", "事项名称", "备注"]
    numbers = ["1", "2", "3", "4"]
    (basic,) = lists_of(
        "某镇基本履职事项清单", header, numbers,
        ["1", "党的建设", "组织学习", ""],
        ["2", "党的建设", "党员管理", ""],
        header, numbers,  # the header and its numbers repeated on the next page
        ["3", "民生服务", "低保初审", "新增"],
    )
    assert [(i.seq, i.category, i.name, i.remark) for i in basic.items] == [
        (1, "党的建设", "组织学习", None), (2, "党的建设", "党员管理", None), (3, "民生服务", "低保初审", "新增"),
    ]


def test_the_probe_headers_land_in_their_fields() -> None:
    (coop,) = lists_of(
        "某镇配合履职事项清单",
        ["序号", "事项类别", "事项名称", "县级牵头部门", "县级部门主要职责", "镇承担职责", "备注"],
        ["1", "民生服务", "低保审核", "县民政局", "审批。", "入户调查。", ""],
    )
    item = coop.items[0]
    assert (item.superior_departments, item.superior_duties, item.town_duties, item.extra) == (
        ["县民政局"], ["审批。"], ["入户调查。"], {},
    )


def test_a_row_continuing_an_item_under_a_header_is_no_second_header_row() -> None:
    # A page-cut row whose only text ends in a head word (…事项) continues the item above it.
    header = ["序号", "事项类别", "事项名称", "备注"]
    (basic,) = lists_of("某镇基本履职事项清单", header, ["", "", "配合做好相关事项", ""], ["1", "党的建设", "组织学习", ""])
    assert [i.name for i in basic.items] == ["组织学习"]
    (basic,) = lists_of("某镇基本履职事项清单", header, ["1", "党的建设", "组织学习", ""], header,
                        ["", "", "配合做好相关事项", ""])
    assert [i.name for i in basic.items] == ["组织学习配合做好相关事项"]
