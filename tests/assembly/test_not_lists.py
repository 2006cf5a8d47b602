"""Probe class A: a numbered table that is no duty list is never read as one (schema/assembly/not_lists.py).

A 汇总 or 目录 table (序号/清单名称/事项数量), a 附件下载 table (序号/附件名称/格式/大小) and a 联系方式
table (序号/单位/联系人/联系电话) each gave an extra list of invented items. The rules, each tested here:
``header.document_name`` (a 名称 after a document noun is no item's name), ``table.no_item_column`` (a
numbered table without an item-name column opens no list and closes the one in progress) and
``table.names_no_items`` (a table whose every name is a list title, a file name or a number is dropped);
every table left out is told as a ``source.table_not_list`` note (info).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import process_file
from duty_lists.parsers.model import Provenance, RawDocument, TableRow, TextLine
from duty_lists.schema.assembly.assemble import assemble
from duty_lists.schema.assembly.build import build_lists
from duty_lists.schema.assembly.headers import load_rules, map_header
from duty_lists.schema.assembly.not_lists import not_an_item_name, opens_other_table

RULES = load_rules()
BASIC = ["序号", "事项类别", "事项名称", "备注"]
RECLAIMED = ["序号", "事项类别", "事项名称", "承接部门", "工作方式", "备注"]
CONTACTS = ["序号", "单位", "联系人", "联系电话"]


def assembled(*blocks: str | list):
    raw = RawDocument(path="t", format="docx", pages=0)
    for n, block in enumerate(blocks, start=1):
        if isinstance(block, str):
            raw.blocks.append(TextLine(block, Provenance(page=0, row=n)))
        else:
            raw.blocks.append(TableRow(list(block), Provenance(page=0, row=n)))
    assembly = assemble(raw, RULES)
    return build_lists(assembly)[0], [(note.code, note.message) for note in assembly.notes]


def shape(lists) -> list[tuple[str, list[str]]]:
    return [(lst.list_type, [item.name for item in lst.items]) for lst in lists]


# ------------------------------------------------------------------ header.document_name


@pytest.mark.parametrize("header", ["清单名称", "附件名称", "文件名称", "表格名称", "材料名称", "清单内容"])
def test_a_name_after_a_document_noun_is_no_item_name(header: str) -> None:
    assert map_header(header, RULES) is None


@pytest.mark.parametrize("header", ["事项名称", "工作事项", "工作内容", "名称", "履职事项名称", "任务名称"])
def test_item_name_headers_still_name_the_item(header: str) -> None:
    assert map_header(header, RULES) == "name"


# ------------------------------------------------------------------ table.no_item_column


def test_a_contacts_table_after_a_list_closes_it_and_is_told() -> None:
    lists, notes = assembled(
        "某镇上级部门收回事项清单", RECLAIMED,
        ["1", "民生服务", "婚姻状况证明", "县民政局", "直接受理。", ""],
        "附：联系方式", CONTACTS,
        ["1", "某镇党政综合办公室", "张某某", "0000-1234501"],
        ["2", "某镇经济发展办公室", "李某某", "0000-1234502"],
    )
    assert shape(lists) == [("reclaimed", ["婚姻状况证明"])]
    assert notes == [("source.table_not_list", "表头「序号/单位/联系人/联系电话」：没有事项名称列")]


@pytest.mark.parametrize(
    "header",
    [["序号", "清单名称", "事项数量（项）", "页码"], ["序号", "附件名称", "格式", "大小"],
     ["序号", "清单名称", "事项数量（项）", "备注"]],
)
def test_a_toc_download_or_summary_table_before_the_lists_opens_none(header: list[str]) -> None:
    lists, notes = assembled(
        header, ["1", "某镇基本履职事项清单", "2", "1"], ["2", "某镇配合履职事项清单", "1", "3"],
        "某镇基本履职事项清单", BASIC, ["1", "党的建设", "党员冬训", ""], ["2", "党的建设", "党员发展", ""],
    )
    assert shape(lists) == [("basic", ["党员冬训", "党员发展"])]
    assert notes == [("source.table_not_list", f"表头「{'/'.join(header)}」：没有事项名称列")]


def test_a_header_that_opens_no_list_is_told_once_and_only_when_rows_follow() -> None:
    # A two-row header whose first row has no name column is a list's header once the second row comes.
    lists, notes = assembled(
        "某镇配合履职事项清单", ["序号", "事项类别", "职责分工", None], ["", "", "事项名称", "上级部门职责"],
        ["1", "党的建设", "党员冬训", "县委组织部负责。"],
    )
    assert shape(lists) == [("cooperative", ["党员冬训"])] and notes == []


def test_a_repeat_of_the_list_s_own_header_with_one_known_word_keeps_the_list() -> None:
    # Same width as the list's header: a repeat on a new page (read badly), never another table.
    lists, notes = assembled(
        "某镇基本履职事项清单", BASIC, ["1", "党的建设", "党员冬训", ""],
        ["序号", "事项别", "事项称", "备考"], ["2", "党的建设", "党员发展", ""],
    )
    assert shape(lists) == [("basic", ["党员冬训", "党员发展"])] and notes == []


def test_opens_other_table_wants_the_seq_word_and_short_labels_naming_no_field() -> None:
    assert opens_other_table(CONTACTS, RULES)
    assert not opens_other_table(["1", "单位", "联系人", "联系电话"], RULES)  # a data row
    assert not opens_other_table(["序号", "联系人"], RULES)  # too little to say
    assert not opens_other_table(["序号", "单位", "负责本镇各项工作，做好宣传。"], RULES)  # text, not a label
    assert not opens_other_table(["序号", "事项类别", "联系人"], RULES)  # a list's field: a list's header


# ------------------------------------------------------------------ table.names_no_items


@pytest.mark.parametrize(
    "names",
    [["某镇基本履职事项清单", "某镇配合履职事项清单"], ["基本履职事项清单.docx", "收回事项清单.PDF"], ["0000-1234501", "86"]],
)
def test_a_table_whose_names_are_titles_files_or_numbers_is_no_list(names: list[str]) -> None:
    lists, notes = assembled(
        "某镇基本履职事项清单", BASIC, ["1", "党的建设", "党员冬训", ""],
        ["序号", "名称", "备注"], *[[str(k), name, ""] for k, name in enumerate(names, start=1)],
    )
    assert shape(lists) == [("basic", ["党员冬训"])]
    assert notes == [("source.table_not_list", "表头「序号/名称/备注」：2 行的名称都是清单标题、文件名或号码，不是履职事项")]


def test_a_list_with_one_item_like_a_title_is_kept() -> None:
    lists, notes = assembled(
        "某镇基本履职事项清单", BASIC, ["1", "党的建设", "编制基本履职事项清单", ""], ["2", "党的建设", "党员冬训", ""],
    )
    assert shape(lists) == [("basic", ["编制基本履职事项清单", "党员冬训"])] and notes == []


def test_what_is_no_item_name() -> None:
    assert not_an_item_name("某某省某某县松岭镇上级部门收回事项清单") and not_an_item_name("清单.xlsx")
    assert not_an_item_name("0000-1234501") and not_an_item_name("（0991）1234567")
    assert not not_an_item_name("做好基本履职事项清单动态调整工作") and not not_an_item_name("张某某")


# ------------------------------------------------------------------ the note, end to end


def test_a_table_left_out_is_an_info_finding_in_chinese(tmp_path: Path) -> None:
    page = tmp_path / "lists.html"
    page.write_text(
        "<html><body><p>某县青石镇基本履职事项清单</p><table>"
        "<tr><td>序号</td><td>事项类别</td><td>履职事项名称</td><td>备注</td></tr>"
        "<tr><td>1</td><td>党的建设</td><td>加强党的建设</td><td></td></tr></table>"
        "<p>附件下载：</p><table><tr><td>序号</td><td>附件名称</td><td>格式</td><td>大小</td></tr>"
        "<tr><td>1</td><td>某县青石镇基本履职事项清单.docx</td><td>DOCX</td><td>86KB</td></tr></table></body></html>",
        encoding="utf-8",
    )
    doc = json.loads(process_file(page).model_dump_json())
    assert [(lst["list_type"], len(lst["items"])) for lst in doc["lists"]] == [("basic", 1)]
    (finding,) = [f for f in doc["findings"] if f["code"] == "source.table_not_list"]
    assert finding["severity"] == "info"
    assert finding["message"] == ("有一个带序号的表格不是履职事项清单，未作为事项读取，请确认其中没有清单事项"
                                  "（表头「序号/附件名称/格式/大小」：没有事项名称列）")
    assert not [f for f in doc["findings"] if f["code"] == "column.unmapped"]
