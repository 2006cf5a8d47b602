"""Probe class C: 序号 printed <category number>.<item number> (1.1, 1.2, 2.1) — the whole document failed.

A list whose first item is numbered ``1.1`` numbers every item so: seq is the number within the category
(the corpus's convention for numbering that restarts per category, h14) and the printed 序号 stays in
``extra`` as 原序号 (schema.fields.PRINTED_SEQ), told once per list by ``numbering.dotted`` (info). The
numbering checks take their blocks from the printed category number, so a restart is no false alarm
and a real gap inside a block still is. In a list numbered 1, 2, 3 a ``1.1`` stays a sub-item (a skipped row).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from duty_lists.ingest.pipeline import process_file
from duty_lists.schema.assembly.titles import dotted_seq
from duty_lists.schema.checks import CheckContext, run_checks
from duty_lists.schema.fields import PRINTED_SEQ
from openpyxl import Workbook

from tests.assembly.test_table_structure import lists_of
from tests.conftest import basic, item, make_doc

BASIC = ["序号", "事项类别", "事项名称", "备注"]
ROWS = [("1.1", "党的建设", "党员冬训"), ("1.2", "", "党员发展"), ("2.1", "平安法治", "普法宣传"),
        ("2.2", "", "矛盾纠纷调解"), ("2.3", "", "铁路护路")]


def test_dotted_seq_reads_category_and_item_numbers() -> None:
    assert dotted_seq("2.3") == (2, 3) and dotted_seq(" 1．10 ") == (1, 10) and dotted_seq("１.２") == (1, 2)
    assert dotted_seq("3") is None and dotted_seq("1.") is None and dotted_seq("1-1") is None and dotted_seq("1.2.3") is None


def test_a_list_numbered_category_dot_item_reads_every_item() -> None:
    (lst,) = lists_of("某镇基本履职事项清单", BASIC, *[[s, c, n, ""] for s, c, n in ROWS])
    assert [(i.seq, i.category, i.name, i.extra) for i in lst.items] == [
        (1, "党的建设", "党员冬训", {PRINTED_SEQ: "1.1"}), (2, "党的建设", "党员发展", {PRINTED_SEQ: "1.2"}),
        (1, "平安法治", "普法宣传", {PRINTED_SEQ: "2.1"}), (2, "平安法治", "矛盾纠纷调解", {PRINTED_SEQ: "2.2"}),
        (3, "平安法治", "铁路护路", {PRINTED_SEQ: "2.3"}),
    ]
    assert lst.skipped_rows == []


def test_in_a_list_numbered_1_2_3_a_dotted_number_is_a_sub_item() -> None:
    (lst,) = lists_of("某镇基本履职事项清单", BASIC, ["1", "党的建设", "甲", ""], ["1.1", "党的建设", "甲的子项", ""],
                      ["2", "党的建设", "乙", ""])
    assert [(i.seq, i.name, i.extra) for i in lst.items] == [(1, "甲", {}), (2, "乙", {})]
    assert [r.text for r in lst.skipped_rows] == ["1.1 党的建设 甲的子项"]


def dotted(*printed: str, category: str = "党的建设") -> list:
    return [item(int(p.split(".")[1]), category, f"事项{p}", extra={PRINTED_SEQ: p}) for p in printed]


def codes(*items) -> list[tuple[str, str, int | None]]:
    return [(f.code, f.severity, f.seq) for f in run_checks(make_doc(basic(*items)), CheckContext())
            if f.code.startswith(("numbering.", "column."))]


def test_dotted_numbering_is_no_false_alarm_even_where_the_category_text_repeats() -> None:
    # Blocks 1 and 2 print the same category: the restart is the printed number's, not the category's.
    assert codes(*dotted("1.1", "1.2", "2.1", "2.2")) == [("numbering.dotted", "info", 1)]


def test_a_gap_inside_a_dotted_block_is_still_an_error() -> None:
    assert codes(*dotted("1.1", "1.3", "2.1")) == [("numbering.dotted", "info", 1), ("numbering.gap", "error", 3)]


def test_the_dotted_finding_says_what_was_printed() -> None:
    (finding,) = [f for f in run_checks(make_doc(basic(*dotted("1.1", "2.4"))), CheckContext())
                  if f.code == "numbering.dotted"]
    assert finding.message == ("基本履职事项清单的序号印作「类别号.项号」（1.1 至 2.4），"
                               "序号取各类别内的项号，印出的序号保留在其他列「原序号」")


# ------------------------------------------------------------------ two producers, end to end


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("某县青石镇基本履职事项清单")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, BASIC, strict=True):
        cell.text = text
    for row in ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, (*row, ""), strict=True):
            cell.text = text
    document.save(str(path))


def _xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "基本履职事项清单"
    sheet.append(["某县青石镇基本履职事项清单"])
    sheet.append(BASIC)
    for row in ROWS:
        sheet.append([*row, None])
    book.save(path)


@pytest.mark.parametrize(("name", "write"), [("dotted.docx", _docx), ("dotted.xlsx", _xlsx)])
def test_a_dotted_list_from_word_and_excel(tmp_path: Path, name: str, write) -> None:
    path = tmp_path / name
    write(path)
    doc = process_file(path)
    (lst,) = doc.lists
    assert [(i.seq, i.name, i.extra.get(PRINTED_SEQ)) for i in lst.items] == [
        (1, "党员冬训", "1.1"), (2, "党员发展", "1.2"), (1, "普法宣传", "2.1"), (2, "矛盾纠纷调解", "2.2"), (3, "铁路护路", "2.3")]
    assert [f.code for f in doc.findings if f.severity != "info" or f.code.startswith("numbering.")] == ["numbering.dotted"]
