"""lists.xlsx: what a reviewer opens in Excel or WPS holds the CSVs' text, as text."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from duty_lists.ingest.cli import main
from duty_lists.ingest.report.workbook import list_columns, workbook_bytes
from duty_lists.schema.records import LIST_NAMES, LIST_TYPES

from tests.conftest import SHAHE_ISSUER, SHAHE_TXT, basic, item, make_doc

SHEETS = ["概况", *LIST_NAMES.values(), "问题清单"]


@pytest.fixture(scope="module")
def shahe_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wb") / "out"
    assert main(["run", str(SHAHE_TXT), "--out", str(out), "--quiet"]) == 0
    return out / SHAHE_TXT.stem


def csv_records(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_run_writes_the_workbook_with_chinese_sheets_and_headers(shahe_folder: Path) -> None:
    book = openpyxl.load_workbook(shahe_folder / "lists.xlsx")
    assert book.sheetnames == SHEETS
    cooperative = book["配合履职事项清单"]
    assert [c.value for c in cooperative[1]] == [
        "序号", "事项类别", "履职事项名称", "对应上级部门", "上级部门职责", "乡镇（街道）配合职责", "备注", "页码"]
    assert [c.value for c in book["上级部门收回事项清单"][1]][3:6] == ["承接部门", "工作方式", "不再开展"]
    for name in SHEETS:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    overview = [[c.value for c in row] for row in book["概况"].iter_rows(min_row=2)]
    assert overview[0][0] == SHAHE_ISSUER
    assert {(row[4], row[6]) for row in overview if row[5] == "（全部）"} == {
        ("基本履职事项清单", 101), ("配合履职事项清单", 86), ("上级部门收回事项清单", 80)}


@pytest.mark.parametrize("list_type", LIST_TYPES)
def test_sheets_hold_the_csv_text_with_no_formula_and_no_date(shahe_folder: Path, list_type: str) -> None:
    sheet = openpyxl.load_workbook(shahe_folder / "lists.xlsx")[LIST_NAMES[list_type]]
    records = csv_records(shahe_folder / f"{list_type}.csv")
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(records)
    columns = list_columns(list_type)
    for row, record in zip(rows, records, strict=True):
        for cell, spec in zip(row, columns, strict=True):
            assert cell.data_type != "f" and not cell.is_date
            if spec.kind == "flag":
                assert (cell.value == "是") == (record[spec.key] == "true")
            elif spec.kind == "number":
                assert cell.data_type == "n" and str(cell.value) == record[spec.key]
            else:
                assert (cell.value or "") == record[spec.key].removeprefix("'")
                assert cell.alignment.wrap_text


def test_steps_are_one_per_line_inside_a_cell(shahe_folder: Path) -> None:
    sheet = openpyxl.load_workbook(shahe_folder / "lists.xlsx")["配合履职事项清单"]
    duties = sheet.cell(2, 5).value
    assert duties.count("\n") >= 1 and duties.startswith("1.")


def test_formula_like_text_stays_literal_and_pages_are_not_dates(tmp_path: Path) -> None:
    doc = make_doc(basic(item(1, name="=HYPERLINK(\"http://x\")", remark="6:2", pages=[6, 7]), item(2, name="+1", remark="@SUM(A1)")))
    path = tmp_path / "lists.xlsx"
    path.write_bytes(workbook_bytes([doc]))
    sheet = openpyxl.load_workbook(path)["基本履职事项清单"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [[1, "党的建设", "=HYPERLINK(\"http://x\")", "6:2", "6、7"], [2, "党的建设", "+1", "@SUM(A1)", None]]
    assert all(c.data_type in {"s", "n"} for row in sheet.iter_rows() for c in row if c.value is not None)


def test_the_same_document_gives_the_same_bytes(shahe_folder: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["run", str(SHAHE_TXT), "--out", str(again), "--quiet"]) == 0
    assert (again / SHAHE_TXT.stem / "lists.xlsx").read_bytes() == (shahe_folder / "lists.xlsx").read_bytes()


def test_several_documents_name_their_issuer(tmp_path: Path) -> None:
    a = make_doc(basic(item(1))).model_copy(update={"issuer": "甲镇"})
    b = make_doc(basic(item(1), item(2))).model_copy(update={"issuer": "乙镇"})
    path = tmp_path / "all.xlsx"
    path.write_bytes(workbook_bytes([a, b]))
    sheet = openpyxl.load_workbook(path)["基本履职事项清单"]
    assert [c.value for c in sheet[1]][:2] == ["发布单位", "序号"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["甲镇", "乙镇", "乙镇"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_libreoffice_calc_reads_the_same_text(shahe_folder: Path, tmp_path: Path) -> None:
    # Calc's CSV export of every sheet (-1): one file per sheet, named after it.
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", options,
         "--outdir", str(tmp_path), str(shahe_folder / "lists.xlsx")],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    exported = tmp_path / "lists-配合履职事项清单.csv"
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8"), newline="")))
    records = csv_records(shahe_folder / "cooperative.csv")
    assert len(rows) == len(records) + 1
    assert [row[2] for row in rows[1:]] == [r["name"] for r in records]
    assert [row[5] for row in rows[1:]] == [r["town_duties"] for r in records]


def test_diff_and_compare_as_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = make_doc(basic(item(1, name="加强党的建设"), item(2, name="做好统战工作"), item(3, name="旧事项")))
    new = make_doc(basic(item(1, name="加强党的建设工作"), item(2, name="做好统战工作", remark="新增备注"), item(3, name="新事项")))
    paths = []
    for name, doc in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(doc.model_dump_json(), encoding="utf-8")
        paths.append(str(path))
    assert main(["diff", *paths, "--format", "xlsx", "--output", str(tmp_path / "d.xlsx")]) == 1
    book = openpyxl.load_workbook(tmp_path / "d.xlsx")
    assert book.sheetnames == ["概况", "变化"]
    rows = [[c.value for c in row] for row in book["变化"].iter_rows(min_row=2)]
    assert {row[0] for row in rows} == {"删除", "新增", "更名", "内容变化"}
    assert ["内容变化", "基本履职事项清单", 2, "基本履职事项清单", 2, "党的建设", "做好统战工作", "备注", None, "新增备注"] in rows
    assert main(["compare", *paths, "--all-versions", "--format", "xlsx", "--output", str(tmp_path / "c.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert book.sheetnames == ["事项分组", "相似度"]
    assert [c.value for c in book["事项分组"][1]][:3] == ["组号", "事项类别", "履职事项名称"]
    capsys.readouterr()
