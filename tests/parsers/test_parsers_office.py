"""DOCX, XLSX and legacy-Office parsers on the generated 青石镇 fixtures and hostile files."""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

import build_fixtures
import docx
import pytest
from duty_lists.parsers import ParseError, RawDocument, TableRow, TextLine, parse_file
from duty_lists.parsers.safe_zip import ZipLimits, check_archive
from duty_lists.parsers.xlsx_sheet import cell_text
from openpyxl import Workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GENERATED = FIXTURES / "generated"




def view(doc: RawDocument) -> list[tuple]:
    out: list[tuple] = []
    for block in doc.blocks:
        if isinstance(block, TextLine):
            out.append(("text", block.prov.page, block.prov.table, block.prov.row, block.text))
        else:
            out.append(("row", block.prov.page, block.prov.table, block.prov.row, block.cells))
    return out


def rows_of(doc: RawDocument) -> list[list[str | None]]:
    return [block.cells for block in doc.blocks if isinstance(block, TableRow)]


# ------------------------------------------------------------------ fixtures


def test_committed_fixtures_match_a_fresh_build(tmp_path: Path) -> None:
    built = build_fixtures.build(tmp_path)
    assert {path.name for path in built} == set(build_fixtures.logical_documents())
    for path in built:
        assert path.read_bytes() == (GENERATED / path.name).read_bytes(), f"{path.name}: rerun build_fixtures.py"


@pytest.mark.parametrize("name", [n for n in build_fixtures.logical_documents() if n.endswith((".docx", ".xlsx"))])
def test_office_fixture_reads_back_exactly(name: str) -> None:
    doc = parse_file(GENERATED / name)
    assert doc.format == name.rsplit(".", 1)[1]
    assert view(doc) == build_fixtures.expected_view(name)


@pytest.mark.parametrize("name", list(build_fixtures.logical_documents()))
def test_every_item_of_every_list_is_in_every_fixture(name: str) -> None:
    """An invariant independent of layout: each name and department appears in some cell."""
    cells = "\n".join(cell for row in rows_of(parse_file(GENERATED / name)) for cell in row if cell)
    for items in build_fixtures.LISTS.values():
        for item in items:
            assert item.name in cells
            for department in (*item.superior_departments, *item.receiving_departments):
                assert department in cells
    assert "此项工作已不再开展。" in cells
    assert "县民政局、县财政局" in cells


# ------------------------------------------------------------------ DOCX


def test_docx_title_row_spans_and_category_vmerge() -> None:
    doc = parse_file(GENERATED / "qingshi_category_column.docx")
    basic = doc.tables()[0]
    assert basic[0].cells == [build_fixtures.TITLES["basic"], None, None, None]
    assert [row.cells[1] for row in basic[2:]] == ["党的建设", None, None, "经济发展", None, "民生服务", None, "平安法治"]
    # Real empty 备注 cells are "", never None.
    assert basic[2].cells[3] == ""


def test_docx_automatic_numbering_is_rendered_per_cell() -> None:
    path = GENERATED / "qingshi_category_column.docx"
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    # The numbers are not in the text: the parser has to compute them.
    assert "<w:numPr>" in xml and "1.制定全县" not in xml and "制定全县" in xml
    cooperative = parse_file(path).tables()[1]
    duties = [row.cells[4] for row in cooperative[2:]]
    assert duties[0] == "1.制定全县农作物重大病虫害防控方案；\n2.组织开展病虫害监测预警，发布防治信息；\n3.指导乡镇开展统防统治。"
    # Each cell is its own list instance, so the next cell restarts at 1.
    assert (duties[1] or "").startswith("1.制定年度监督检查计划；\n2.")


def test_docx_section_rows_are_full_width() -> None:
    basic = parse_file(GENERATED / "qingshi_sections.docx").tables()[0]
    sections = [row.cells for row in basic if row.cells[1] is None]
    assert sections == [
        ["一、党的建设（3项）", None, None],
        ["二、经济发展（2项）", None, None],
        ["三、民生服务（2项）", None, None],
        ["四、平安法治（1项）", None, None],
    ]


def _save(document, path: Path) -> Path:
    document.save(str(path))
    return path


def test_docx_nested_table_is_flattened_into_its_cell(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "承接部门"
    host = outer.cell(0, 1)
    host.paragraphs[0].text = "工作方式："
    inner = host.add_table(rows=2, cols=2)
    for r, c, text in [(0, 0, "县民政局"), (0, 1, "复核"), (1, 0, "县财政局"), (1, 1, "拨付")]:
        inner.cell(r, c).text = text
    doc = parse_file(_save(document, tmp_path / "nested.docx"))
    assert rows_of(doc) == [["承接部门", "工作方式：\n县民政局 复核\n县财政局 拨付"]]


def test_docx_paragraphs_and_tables_interleave_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("甲清单")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "一"
    document.add_paragraph("乙清单")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "二"
    doc = parse_file(_save(document, tmp_path / "order.docx"))
    assert view(doc) == [
        ("text", 0, 0, 1, "甲清单"),
        ("row", 0, 0, 1, ["一"]),
        ("text", 0, 0, 2, "乙清单"),
        ("row", 0, 1, 1, ["二"]),
    ]


def _zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _write_bomb(path: Path, part: str) -> Path:
    """~200 MB of zeros as one part; compresses to ~200 KB."""
    chunk = b"0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part, "w", force_zip64=True) as handle:
            for _ in range(200):
                handle.write(chunk)
    return path


@pytest.mark.parametrize(("suffix", "part"), [("docx", "word/document.xml"), ("xlsx", "xl/workbook.xml")])
def test_zip_bomb_is_rejected_quickly(tmp_path: Path, suffix: str, part: str) -> None:
    path = _write_bomb(tmp_path / f"bomb.{suffix}", part)
    assert path.stat().st_size < 2 * 1024 * 1024
    start = time.monotonic()
    with pytest.raises(ParseError, match="zip bomb"):
        parse_file(path)
    assert time.monotonic() - start < 2.0


def test_zip_limits_cover_ratio_count_and_total(tmp_path: Path) -> None:
    path = _zip_with(tmp_path / "many.zip", {f"part{i}.xml": b"<a/>" * 300 for i in range(20)})
    with zipfile.ZipFile(path) as archive:
        check_archive(archive)  # within the defaults
        with pytest.raises(ParseError, match="members"):
            check_archive(archive, ZipLimits(max_members=10))
        with pytest.raises(ParseError, match="total"):
            check_archive(archive, ZipLimits(max_total=10_000))
        with pytest.raises(ParseError, match="ratio"):
            check_archive(archive, ZipLimits(max_ratio=2.0, ratio_floor=100))


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def test_billion_laughs_docx_is_rejected_quickly(tmp_path: Path) -> None:
    path = _zip_with(tmp_path / "laughs.docx", {"word/document.xml": BILLION_LAUGHS.encode()})
    start = time.monotonic()
    with pytest.raises(ParseError, match="DTD"):
        parse_file(path)
    assert time.monotonic() - start < 2.0


def test_entity_in_xlsx_part_is_rejected(tmp_path: Path) -> None:
    source = GENERATED / "qingshi_one_sheet.xlsx"
    with zipfile.ZipFile(source) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    assert not sheet.startswith(b"<?xml")  # openpyxl writes no declaration: the DTD goes first
    members["xl/worksheets/sheet1.xml"] = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + sheet
    with pytest.raises(ParseError, match="DTD"):
        parse_file(_zip_with(tmp_path / "xxe.xlsx", members))


# ------------------------------------------------------------------ XLSX


def test_xlsx_sheets_are_pages_with_their_names_first() -> None:
    doc = parse_file(GENERATED / "qingshi_per_sheet.xlsx")
    names = [block.text for block in doc.blocks if isinstance(block, TextLine)]
    assert names == ["填表说明", "基本履职事项清单", "配合履职事项清单", "上级部门收回事项清单"]
    assert doc.pages == 4
    reclaimed = doc.tables()[3]
    assert reclaimed[0].cells == [build_fixtures.TITLES["reclaimed"], None, None, None, None]
    assert reclaimed[0].prov.page == 4
    # Wrapped text keeps its line breaks.
    assert (reclaimed[2].cells[3] or "").startswith("承接部门：县农业农村局\n工作方式：\n1.下发项目申报通知；\n2.")


def test_xlsx_blank_spacer_rows_are_skipped_but_numbering_kept() -> None:
    doc = parse_file(GENERATED / "qingshi_one_sheet.xlsx")
    numbers = [block.prov.row for block in doc.blocks if isinstance(block, TableRow)]
    assert numbers[:3] == [1, 3, 4]  # row 2 is a blank spacer


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1"), (12, "12"), (2.5, "2.5"), ("a\r\nb", "a\nb"), (None, ""), ("  ", "  ")],
)
def test_xlsx_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_xlsx_float_sequence_hidden_sheet_and_offset_table(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "清单"
    sheet["B3"], sheet["C3"] = "序号", "事项名称"
    sheet["B4"], sheet["C4"] = 1.0, "做好统计"
    sheet.merge_cells("D4:D5")  # a merged block with no text adds no row
    hidden = workbook.create_sheet("选项")
    hidden["A1"] = "下拉选项"
    hidden.sheet_state = "hidden"
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    doc = parse_file(path)
    assert view(doc) == [
        ("text", 1, 0, 0, "清单"),
        ("row", 1, 0, 3, ["序号", "事项名称"]),
        ("row", 1, 0, 4, ["1", "做好统计"]),
    ]
    assert any("选项" in note.message for note in doc.notes)


def test_xlsx_row_continuing_a_vertical_merge_is_kept(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["党的建设", "事项一"])
    sheet.append([None, None])
    sheet.merge_cells("A1:A2")
    path = tmp_path / "vmerge.xlsx"
    workbook.save(path)
    assert rows_of(parse_file(path)) == [["党的建设", "事项一"], [None, ""]]


# ------------------------------------------------------------------ legacy Office

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def test_legacy_doc_without_libreoffice_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "清单.doc"
    path.write_bytes(OLE_HEADER)
    with pytest.raises(ParseError, match="LibreOffice") as info:
        parse_file(path)
    assert "soffice" in str(info.value) and info.value.path == str(path)


@pytest.mark.parametrize(("suffix", "fixture"), [(".doc", "qingshi_sections.docx"), (".xls", "qingshi_one_sheet.xlsx")])
def test_legacy_file_is_converted_and_delegated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, fixture: str
) -> None:
    """A stand-in soffice that 'converts' by copying a fixture; checks the plumbing, not LibreOffice."""
    import shutil

    fake = tmp_path / "soffice"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, shutil, sys\n"
        "args = sys.argv[1:]\n"
        "target = args[args.index('--convert-to') + 1]\n"
        "out = pathlib.Path(args[args.index('--outdir') + 1]); out.mkdir(parents=True, exist_ok=True)\n"
        f"shutil.copyfile({str(GENERATED / fixture)!r}, out / (pathlib.Path(args[-1]).stem + '.' + target))\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(fake) if name == "soffice" else None)
    path = tmp_path / f"legacy{suffix}"
    path.write_bytes(OLE_HEADER)
    doc = parse_file(path)
    expected = parse_file(GENERATED / fixture)
    assert doc.path == str(path)
    assert view(doc) == view(expected)
    assert any("LibreOffice" in note.message for note in doc.notes)


def test_failed_conversion_is_a_parse_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    fake = tmp_path / "soffice"
    fake.write_text(f"#!{sys.executable}\nimport sys\nsys.stderr.write('source file could not be loaded')\nsys.exit(1)\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(fake))
    path = tmp_path / "broken.xls"
    path.write_bytes(OLE_HEADER)
    with pytest.raises(ParseError, match="could not be loaded"):
        parse_file(path)


def test_docx_saved_as_doc_is_read_as_docx(tmp_path: Path) -> None:
    path = tmp_path / "清单.doc"
    path.write_bytes((GENERATED / "qingshi_sections.docx").read_bytes())
    assert parse_file(path).format == "docx"


def test_corrupt_docx_is_a_parse_error(tmp_path: Path) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<w:document")
    path = tmp_path / "cut.docx"
    path.write_bytes(data.getvalue())
    with pytest.raises(ParseError, match="malformed"):
        parse_file(path)
