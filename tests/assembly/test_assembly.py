"""Assembly on hand-built block streams: one layout variation per test."""

from __future__ import annotations

import pytest
from duty_lists.parsers.model import Provenance, RawDocument, TableRow, TextLine
from duty_lists.schema.assembly.assemble import assemble
from duty_lists.schema.assembly.build import build_lists
from duty_lists.schema.assembly.headers import HeadersFile, load_rules
from duty_lists.schema.assembly.titles import footer_page, list_type_of_title, parse_seq, section_of

RULES = load_rules()
BASIC_HEADER = ["序号", "事项类别", "履职事项名称", "备注"]


def doc(*blocks) -> RawDocument:
    out = RawDocument(path="t", format="pdf", pages=3)
    for n, block in enumerate(blocks, start=1):
        if isinstance(block, str):
            out.blocks.append(TextLine(block, Provenance(page=1, row=n)))
        else:
            page = block[0] if isinstance(block[0], int) else 1
            cells = block[1] if isinstance(block[0], int) else block
            out.blocks.append(TableRow(list(cells), Provenance(page=page, row=n)))
    return out


def items(raw: RawDocument, index: int = 0):
    lists, _ = build_lists(assemble(raw, RULES))
    return lists[index].items


def test_title_toc_footer_and_issuer():
    raw = doc(
        "某某县青石镇履行职责事项清单",
        "目 录",
        "1.某某县青石镇基本履职事项清单……………3",
        "— 1 —",
        "某某县青石镇基本履职事项清单",
        BASIC_HEADER,
        ["1", "党的建设", "加强党的建设", ""],
    )
    assembly = assemble(raw, RULES)
    assert assembly.issuer == "某某县青石镇"
    assert [(t.list_type, t.printed_page) for t in assembly.toc] == [("basic", 3)]
    assert [(lst.list_type, lst.title, len(lst.rows)) for lst in assembly.lists] == [
        ("basic", "某某县青石镇基本履职事项清单", 1),
    ]


@pytest.mark.parametrize(
    ("lines", "issuer", "title"),
    [
        # a title printed on two lines: the place, then the list's name
        (["某某市某某区桃源街道", "履行职责事项清单", "某某市某某区桃源街道", "基本履职事项清单"],
         "某某市某某区桃源街道", "某某市某某区桃源街道基本履职事项清单"),
        # 履行职责 in the list's name
        (["附件1", "某某省某某县白沙镇基本履行职责事项清单"], "某某省某某县白沙镇", "某某省某某县白沙镇基本履行职责事项清单"),
        # an edition after the document's title; list headings without the town
        (["某某省某某县河湾镇履行职责事项清单（2024年版）", "一、基本履职事项清单（共25项）"],
         "某某省某某县河湾镇", "一、基本履职事项清单（共25项）"),
        # a heading number is no issuer, and a line above that is not a place is not joined
        (["各镇要按时报送。", "一、基本履职事项清单"], "", "一、基本履职事项清单"),
    ],
)
def test_issuer_whatever_the_title_wording(lines: list[str], issuer: str, title: str) -> None:
    assembly = assemble(doc(*lines, BASIC_HEADER, ["1", "党的建设", "加强党的建设", ""]), RULES)
    assert assembly.issuer == issuer
    assert [(lst.list_type, lst.title) for lst in assembly.lists] == [("basic", title)]


def test_repeated_header_dropped_and_row_stitched_across_pages():
    raw = doc(
        "青石镇配合履职事项清单",
        (1, ["序号", "事项类别", "履职事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责", "备注"]),
        (1, ["1", "民生服务", "低保审核", "县民政局", "1.审核；\n", "1.入户调查", ""]),
        (2, ["序号", "事项类别", "履职事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责", "备注"]),
        (2, ["", "", "", "", "2.审批。", "2.公示结果。", ""]),
    )
    (item,) = items(raw)
    assert item.superior_duties == ["1.审核", "2.审批。"]
    assert item.town_duties == ["1.入户调查2.公示结果。"] or item.town_duties == ["1.入户调查", "2.公示结果。"]
    assert item.pages == [1, 2]
    assert [ref.page for ref in item.provenance] == [1, 2]


def test_page_cut_mid_word_joins_without_gap():
    raw = doc(
        "青石镇基本履职事项清单",
        (1, BASIC_HEADER),
        (1, ["1", "民生服务", "负责辖区殡葬违法违规行", ""]),
        (2, ["", "", "为监管", ""]),
    )
    assert items(raw)[0].name == "负责辖区殡葬违法违规行为监管"


def test_category_cut_by_the_page_goes_on_over_it():
    """A page break cuts every cell of the row, the category's too:
    应急管理及 / 消防 (the LibreOffice export of the Shahe lists, reclaimed 73)."""
    raw = doc(
        "青石镇基本履职事项清单",
        (1, BASIC_HEADER),
        (1, ["1", "应急管理及", "对生产经营单位消除重大事故", ""]),
        (2, BASIC_HEADER),
        (2, ["", "消防", "隐患情况的监督检查", ""]),
    )
    (item,) = items(raw)
    assert (item.category, item.name) == ("应急管理及消防", "对生产经营单位消除重大事故隐患情况的监督检查")


def test_paragraph_end_at_the_foot_of_a_page_is_kept_when_the_row_goes_on():
    """Word and LibreOffice close the table on every page, so the parser
    only says which cells of the page's lowest row ended a paragraph
    (TableRow.ends_paragraph); the break is kept where the row continues."""
    header: list[str | None] = ["序号", "事项类别", "履职事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责", "备注"]
    raw = doc("青石镇配合履职事项清单", (1, header))
    raw.blocks.append(
        TableRow(
            ["1", "自然资源", "耕地占补平衡", "县自然资源局", "1.组织验收", "二、增减挂项目", ""],
            Provenance(page=1, row=2),
            ends_paragraph=[False, False, False, False, False, True, False],
        )
    )
    raw.blocks.append(TableRow(header, Provenance(page=2, row=1)))
    raw.blocks.append(TableRow(["", "", "", "", "工作", "团镇履行主体责任。", ""], Provenance(page=2, row=2)))
    (item,) = items(raw)
    assert item.town_duties == ["二、增减挂项目", "团镇履行主体责任。"]
    assert item.superior_duties == ["1.组织验收工作"]


def test_vertically_merged_category_fills_down():
    raw = doc(
        "青石镇基本履职事项清单",
        BASIC_HEADER,
        ["1", "党的建设", "甲", ""],
        ["2", None, "乙", ""],
        ["3", "经济发展", "丙", ""],
    )
    assert [(i.seq, i.category) for i in items(raw)] == [(1, "党的建设"), (2, "党的建设"), (3, "经济发展")]


def test_vertically_merged_seq_is_one_item_with_hard_break():
    raw = doc(
        "青石镇配合履职事项清单",
        ["序号", "事项类别", "履职事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责", "备注"],
        ["1", "平安法治", "矛盾纠纷调处", "县司法局", "指导调解", "开展调解", ""],
        [None, None, None, "县信访局", "督办信访事项", "受理信访", ""],
    )
    (item,) = items(raw)
    assert item.superior_departments == ["县司法局", "县信访局"]
    assert item.superior_duties == ["指导调解", "督办信访事项"]


def test_section_rows_give_categories_and_counts():
    raw = doc(
        "青石镇基本履职事项清单（共3项）",
        ["序号", "履职事项名称", "备注"],
        ["一、党的建设（2项）", None, None],
        ["1", "加强党的建设", ""],
        ["2", "做好党员管理", ""],
        ["二、经济发展（1项）", None, None],
        ["3", "优化营商环境", ""],
    )
    lists, _ = build_lists(assemble(raw, RULES))
    assert [(i.seq, i.category) for i in lists[0].items] == [(1, "党的建设"), (2, "党的建设"), (3, "经济发展")]
    assert lists[0].stated_count == 3
    assert lists[0].stated_category_counts == {"党的建设": 2, "经济发展": 1}


def test_two_row_header_and_extra_column():
    raw = doc(
        "青石镇上级部门收回事项清单",
        ["序号", "事项类别", "履职事项名称", "收回后承接部门及工作方式", None, "责任人", "备注"],
        [None, None, None, "承接部门", "工作方式", None, None],
        ["1", "民生服务", "高龄津贴追缴", "县民政局", "复核后追缴。", "张三", ""],
    )
    (item,) = items(raw)
    assert item.receiving_departments == ["县民政局"]
    assert item.working_method == ["复核后追缴。"]
    assert item.extra == {"责任人": "张三"}


def test_list_type_from_header_signature_without_title():
    raw = doc(
        ["编号", "类别", "事项名称", "县级主责部门", "县级部门职责", "乡镇（街道）职责"],
        ["1", "城乡建设", "违建巡查", "县住建局", "查处", "巡查上报"],
    )
    lists, _ = build_lists(assemble(raw, RULES))
    assert lists[0].list_type == "cooperative"
    assert lists[0].items[0].superior_departments == ["县住建局"]


def test_note_rows_and_blank_rows_ignored():
    raw = doc(
        "青石镇基本履职事项清单",
        BASIC_HEADER,
        ["1", "党的建设", "甲", ""],
        ["", "", "", ""],
        ["注：本清单按年度动态调整", None, None, None],
    )
    assert [i.name for i in items(raw)] == ["甲"]


def test_helpers():
    assert list_type_of_title("附件3 青石镇上级部门收回事项清单") == "reclaimed"
    assert list_type_of_title("青石镇配合履职事项清单") == "cooperative"
    assert list_type_of_title("党的建设") is None
    assert parse_seq("１２") == 12 and parse_seq("3.") == 3 and parse_seq("注") is None
    assert footer_page("— 12 —") == 12 and footer_page("第 3 页") == 3 and footer_page("2/40") == 2
    # one rule with the readers: a footer dropped as furniture is the page number they read
    from duty_lists.parsers.layout.footer import page_number

    for line in ("— 12 —", "第 3 页 共 12 页", "3 / 9", "７", "12"):
        assert footer_page(line) == page_number(line) is not None
    assert section_of(["一、党的建设（17项）"]) == ("党的建设", 17)
    assert section_of(["民生服务"]) == ("民生服务", None)


def test_total_row_is_not_an_item_but_states_the_count():
    raw = doc(
        "青石镇基本履职事项清单",
        BASIC_HEADER,
        ["1", "党的建设", "甲", ""],
        ["2", "党的建设", "乙", ""],
        ["合计", None, "共3项", ""],
    )
    lists, _ = build_lists(assemble(raw, RULES))
    assert [i.name for i in lists[0].items] == ["甲", "乙"]
    assert lists[0].stated_count == 3


def test_user_header_synonyms_extend_the_shipped_ones(tmp_path):
    import json

    user = tmp_path / "headers.json"
    user.write_text(json.dumps({"fields": [{"field": "name", "exact": ["工作任务"]}]}, ensure_ascii=False), encoding="utf-8")
    raw = doc("青石镇基本履职事项清单", ["序号", "事项类别", "工作任务"], ["1", "党的建设", "甲"])
    (unmapped,) = build_lists(assemble(raw, RULES))[0][0].items
    assert (unmapped.name, unmapped.extra) == ("", {"工作任务": "甲"})  # kept, never dropped
    lists, _ = build_lists(assemble(raw, load_rules(str(user))))
    assert [i.name for i in lists[0].items] == ["甲"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"fields": [{"field": "nmae", "exact": ["工作任务"]}]}', r"fields.0.field: Input should be 'seq', .* \(got 'nmae'\)"),
        ('{"feilds": []}', "feilds: Extra inputs are not permitted"),
        ('{"fields": [{"field": "name", "exakt": ["x"]}]}', "fields.0.exakt: Extra inputs are not permitted"),
        ('{"fields": [{"field": "name", "exact": "x"}]}', "fields.0.exact: Input should be a valid array"),
        ("[1]", "Input should be an object"),
        ("{fields: []}", "Invalid JSON"),
    ],
    ids=["unknown-field", "unknown-key", "unknown-entry-key", "not-a-list", "not-an-object", "not-json"],
)
def test_a_bad_user_header_file_is_one_line_naming_where_and_what(tmp_path, text, message):
    user = tmp_path / "headers.json"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as caught:
        load_rules(str(user))
    assert str(caught.value).startswith(f"{user}: ") and "\n" not in str(caught.value)
    assert str(caught.value).endswith("(a headers file is " + HeadersFile.EXAMPLE + ")")


def test_section_heading_as_a_text_line_between_rows():
    raw = doc(
        "青石镇基本履职事项清单",
        ["序号", "履职事项名称", "备注"],
        "一、党的建设（2项）",
        ["1", "甲", ""],
        ["2", "乙", ""],
        "二、经济发展",
        ["3", "丙", ""],
        "填表说明",
    )
    lists, _ = build_lists(assemble(raw, RULES))
    assert [(i.seq, i.category) for i in lists[0].items] == [(1, "党的建设"), (2, "党的建设"), (3, "经济发展")]
    assert lists[0].stated_count is None
    assert lists[0].stated_category_counts == {"党的建设": 2}


def test_a_row_with_content_but_no_readable_seq_is_kept_for_the_reviewer():
    raw = doc(
        "青石镇基本履职事项清单",
        BASIC_HEADER,
        ["1", "党的建设", "甲", ""],
        ["1-1", "党的建设", "甲的子项", ""],
        ["1\n0", "党的建设", "序号在窄列里折行", ""],
        ["小计", None, "共2项", ""],
    )
    lists, _ = build_lists(assemble(raw, RULES))
    assert [(i.seq, i.name) for i in lists[0].items] == [(1, "甲"), (10, "序号在窄列里折行")]
    assert [(r.row, r.text) for r in lists[0].skipped_rows] == [(4, "1-1 党的建设 甲的子项")]


def test_parse_seq_variants():
    assert parse_seq("1\n0") == 10 and parse_seq("（3）") == 3 and parse_seq(" 7、") == 7
    assert parse_seq("1-1") is None and parse_seq("合计") is None


def test_repeated_header_with_the_rest_of_a_page_cut_row_in_its_cells():
    """A grid with no rule between the header it repeats and the rest of a row
    cut by the page break (reportlab's split rows): one row holds each label,
    then the continuation's lines.  The labels are the header; the rest goes
    on with the previous item, never dropped."""
    header = ["序号", "事项类别", "履职事项名称", "承接部门", "工作方式", "备注"]
    raw = doc(
        "青石镇上级部门收回事项清单",
        (1, header),
        (1, ["1", "自然资源", "宅基地批准", "县自然资源局", "1.受理阶段。公示材料", ""]),
        (2, ["序号", "事项类别", "履职事项名称", "承接部门", "工作方式\n2.审查阶段。审核材料\n3.决定阶段。", "备注"]),
        (2, ["2", "", "草原审批", "县林草局", "1.提出申请", ""]),
    )
    first, second = items(raw)
    assert first.working_method == ["1.受理阶段。公示材料", "2.审查阶段。审核材料", "3.决定阶段。"]
    assert [ref.page for ref in first.provenance] == [1, 2]
    assert second.working_method == ["1.提出申请"]
    # A header alone is still just a repeated header.
    raw = doc("青石镇上级部门收回事项清单", (1, header), (1, ["1", "自然资源", "宅基地批准", "县自然资源局", "1.受理", ""]),
              (2, header))
    (only,) = items(raw)
    assert only.working_method == ["1.受理"]


def test_a_title_row_repeated_on_every_page_is_no_new_list():
    """A Word table whose title and 填报单位 rows repeat as header rows: printed, every page starts
    with them, then the header, then the rest of the row the page cut."""
    title = ["某某县柳林镇基本履职事项清单", None, None, None]
    unit = ["填报单位：柳林镇人民政府（盖章）", None, None, None]
    raw = doc(
        (1, title), (1, unit), (1, BASIC_HEADER),
        (1, ["1", "党的建设", "加强党的", ""]),
        (2, title), (2, unit), (2, BASIC_HEADER),
        (2, ["", "", "建设", ""]),
        (2, ["2", "党的建设", "做好工会工作", ""]),
    )
    assembly = assemble(raw, RULES)
    assert [(lst.list_type, lst.title) for lst in assembly.lists] == [("basic", "某某县柳林镇基本履职事项清单")]
    assert [(i.seq, i.name, i.pages) for i in items(raw)] == [(1, "加强党的建设", [1, 2]), (2, "做好工会工作", [2])]


def test_a_merged_label_printed_in_the_repeated_header_band():
    """Calc's print of a sheet with print titles: a merged category that goes on over the page
    has its label printed in the repeated header's cell, read into the label's line."""
    raw = doc(
        (1, BASIC_HEADER),
        (1, ["1", "平安法治", "反电信网络诈骗工作", ""]),
        (2, ["序号", "事项类别平安法治", "履职事项名称", "备注"]),
        (2, ["2", None, "法律援助工作", ""]),
        (2, ["3", None, "见义勇为评选工作", ""]),
    )
    assembly = assemble(raw, RULES)
    assert len(assembly.lists) == 1
    assert [(i.seq, i.category, i.name) for i in items(raw)] == [
        (1, "平安法治", "反电信网络诈骗工作"), (2, "平安法治", "法律援助工作"), (3, "平安法治", "见义勇为评选工作"),
    ]


def test_an_empty_merged_part_at_a_page_top_continues_the_block_before_the_break():
    """A category printed on the block's first page only (LibreOffice prints a vertically
    written label there): the block's part on the next page is empty. The rows under the
    page's top row show the merge; the top row comes first and must already know it."""
    raw = doc(
        (1, BASIC_HEADER),
        (1, ["1", "平安法治", "反电信网络诈骗工作", ""]),
        (2, ["2", "", "法律援助工作", ""]),
        (2, ["3", None, "见义勇为评选工作", ""]),
        (3, ["4", "乡村振兴", "高标准农田建设", ""]),
        (3, ["5", None, "农机安全监管", ""]),
    )
    assert [(i.seq, i.category) for i in items(raw)] == [
        (1, "平安法治"), (2, "平安法治"), (3, "平安法治"), (4, "乡村振兴"), (5, "乡村振兴"),
    ]
    # Where labels are printed on every row and no row shows a merge, an empty cell is an empty cell.
    plain = doc(
        (1, BASIC_HEADER), (1, ["1", "平安法治", "反电信网络诈骗工作", ""]), (1, ["2", "平安法治", "法律援助工作", ""]),
        (2, ["3", "", "见义勇为评选工作", ""]),
    )
    assert [(i.seq, i.category) for i in items(plain)] == [(1, "平安法治"), (2, "平安法治"), (3, "")]
