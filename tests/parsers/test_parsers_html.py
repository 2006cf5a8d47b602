"""HTML parser: encodings, page chrome, rowspan/colspan, cell line structure."""

from __future__ import annotations

import codecs
from pathlib import Path

import build_fixtures
import pytest
from duty_lists.parsers import ParseError, RawDocument, TableRow, TextLine, parse_file
from duty_lists.parsers.html_page import declared_charset, decode, grid, parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GENERATED = FIXTURES / "generated"




def view(doc: RawDocument) -> list[tuple]:
    return [
        ("text", b.prov.page, b.prov.table, b.prov.row, b.text)
        if isinstance(b, TextLine)
        else ("row", b.prov.page, b.prov.table, b.prov.row, b.cells)
        for b in doc.blocks
    ]


def rows_of(doc: RawDocument) -> list[list[str | None]]:
    return [block.cells for block in doc.blocks if isinstance(block, TableRow)]


def lines_of(doc: RawDocument) -> list[str]:
    return [block.text for block in doc.blocks if isinstance(block, TextLine)]


# ------------------------------------------------------------------ fixtures


@pytest.mark.parametrize("name", ["qingshi_utf8.html", "qingshi_gbk.html"])
def test_html_fixture_reads_back_exactly(name: str) -> None:
    doc = parse_file(GENERATED / name)
    assert doc.format == "html" and doc.pages == 0
    assert view(doc) == build_fixtures.expected_view(name)


def test_page_chrome_is_dropped() -> None:
    doc = parse_file(GENERATED / "qingshi_utf8.html")
    raw = (GENERATED / "qingshi_utf8.html").read_text(encoding="utf-8")
    text = "\n".join(lines_of(doc)) + "\n".join(c for row in rows_of(doc) for c in row if c)
    for chrome in ("门户网站", "政务公开", "版权所有", "广告", "td { border"):
        assert chrome in raw and chrome not in text


def test_rowspan_category_and_br_cells() -> None:
    doc = parse_file(GENERATED / "qingshi_utf8.html")
    cooperative = doc.tables()[1]
    assert [row.cells[1] for row in cooperative[1:]] == ["经济发展", None, "民生服务", None, "平安法治"]
    # Source HTML indents the cell over several lines; only <br>/<p> make breaks.
    assert cooperative[1].cells[5] == "1.及时上报辖区病虫害发生情况；\n2.组织农户开展防治。"
    assert cooperative[3].cells[3] == "县民政局、县财政局"


def test_undeclared_gbk_page_decodes() -> None:
    data = (GENERATED / "qingshi_gbk.html").read_bytes()
    assert b"charset" not in data.lower() and b"encoding" not in data.lower()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = parse_file(GENERATED / "qingshi_gbk.html")
    assert "encoding: gb18030" in [note.message for note in doc.notes]
    assert lines_of(doc)[0] == build_fixtures.DOC_TITLE


# ------------------------------------------------------------------ decoding

PAGE = "<html><head>{meta}</head><body><p>青石镇基本履职事项清单</p><table><tr><td>序号</td></tr></table></body></html>"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + PAGE.format(meta="").encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + PAGE.format(meta="").encode("utf-16-le"), "utf-16"),
        (PAGE.format(meta='<meta charset="gb2312">').encode("gbk"), "gb18030"),
        (PAGE.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=GBK">').encode("gbk"), "gb18030"),
        # Declared UTF-8 but written as GBK: the declaration is wrong, fall through.
        (PAGE.format(meta='<meta charset="utf-8">').encode("gbk"), "gb18030"),
        (PAGE.format(meta="").encode("utf-8"), "utf-8"),
    ],
)
def test_decode_order(data: bytes, encoding: str) -> None:
    text, used = decode(data)
    assert used == encoding
    assert "青石镇基本履职事项清单" in text


def test_declared_charset_forms() -> None:
    assert declared_charset(b'<meta charset="UTF-8">') == "utf-8"
    assert declared_charset(b"<meta http-equiv=Content-Type content='text/html; charset=gb2312'>") == "gb18030"
    assert declared_charset(b'<?xml version="1.0" encoding="GBK"?>') == "gb18030"
    assert declared_charset(b"<html><body>") is None


# ------------------------------------------------------------------ structure


def test_grid_places_spans_and_pads() -> None:
    rows = [
        [("标题", 3, 1)],
        [("党的建设", 1, 2), ("事项一", 1, 1), ("", 1, 1)],
        [("事项二", 2, 1)],
        [("短行", 1, 1)],
    ]
    assert grid(rows) == [
        ["标题", None, None],
        ["党的建设", "事项一", ""],
        [None, "事项二", None],
        ["短行", "", ""],
    ]


def test_rowspan_zero_runs_to_the_end_of_the_table() -> None:
    assert grid([[("甲", 1, 0), ("1", 1, 1)], [("2", 1, 1)], [("3", 1, 1)]]) == [["甲", "1"], [None, "2"], [None, "3"]]


def test_cell_breaks_whitespace_and_nested_table() -> None:
    html = """<table>
      <tr><td>
         承接部门：县民政局<br/>工作方式：
         <ol><li>受理申请；</li><li>入户核查。</li></ol>
      </td>
      <td><table><tr><td>县民政局</td><td>复核</td></tr><tr><td>县财政局</td><td>拨付</td></tr></table></td>
      <td>&nbsp;</td><td></td></tr></table>"""
    doc = parse_html(html)
    assert rows_of(doc) == [
        ["承接部门：县民政局\n工作方式：\n受理申请；\n入户核查。", "县民政局 复核\n县财政局 拨付", "\u00a0", ""]
    ]


def test_layout_table_around_the_list_is_unwrapped() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>事项{i}</td></tr>" for i in range(1, 4))
    html = (
        "<table><tr><td><div>某某县人民政府</div></td></tr>"
        f"<tr><td><p>青石镇基本履职事项清单</p><table>{rows}</table><p>注：以上事项动态调整。</p></td></tr></table>"
    )
    doc = parse_html(html)
    assert lines_of(doc) == ["某某县人民政府", "青石镇基本履职事项清单", "注：以上事项动态调整。"]
    assert rows_of(doc) == [["1", "事项1"], ["2", "事项2"], ["3", "事项3"]]
    assert [b.prov.table for b in doc.blocks if isinstance(b, TableRow)] == [0, 0, 0]


def test_caption_and_hidden_elements() -> None:
    html = (
        '<table><caption>青石镇配合履职事项清单</caption><tr><td>1</td><td style="display: none">旧值</td></tr></table>'
        '<p hidden>隐藏说明</p><p>注：本表共1项。</p>'
    )
    doc = parse_html(html)
    assert lines_of(doc) == ["青石镇配合履职事项清单", "注：本表共1项。"]
    assert rows_of(doc) == [["1"]]


def test_page_without_table_or_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>空</title><script>var a = 1;</script></head><body><nav>首页</nav></body></html>")
    with pytest.raises(ParseError, match="no duty-list table"):
        parse_file(path)


def test_html_saved_with_docx_extension_goes_to_the_html_parser(tmp_path: Path) -> None:
    path = tmp_path / "青石镇清单.docx"
    path.write_bytes((GENERATED / "qingshi_utf8.html").read_bytes())
    doc = parse_file(path)
    assert doc.format == "html"
    assert view(doc) == build_fixtures.expected_view("qingshi_utf8.html")
