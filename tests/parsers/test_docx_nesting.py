"""DOCX lists inside layout tables and text boxes (the class of probe p02 and p10, which
tests/assembly/test_classes.py compares with their truth).

A table inside a layout table's cell is read as a table of its own, in reading order, and the
frame is no table; a text box's tables and paragraphs are read once (the DrawingML copy or its
VML fallback, never both), after the paragraph that anchors them; a table inside a list table's
cell stays that cell's text and the document says so (``source.table_in_cell``).

The fixtures in tests/fixtures/docx_nesting/ come from build_docx_nesting_fixtures.py, each from
python-docx and from a LibreOffice round trip, with their ground truth beside them.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from duty_lists.parsers import ParseError, RawDocument, TableRow, TextLine, parse_file
from duty_lists.parsers.docx_xml import MAX_NESTING

from tests.assembly.test_classes import compare, records

NESTING = Path(__file__).resolve().parents[1] / "fixtures" / "docx_nesting"
FIXTURES = sorted(NESTING.glob("*.docx"))
NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def _docx(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns='
                         '"http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
                         'ContentType="application/xml"/></Types>')
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {NAMESPACES}>'
                                              f"<w:body>{body}</w:body></w:document>")
    return path


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tbl(*rows: list[str]) -> str:
    return "<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc>{p(c)}</w:tc>" for c in row) + "</w:tr>"
                               for row in rows) + "</w:tbl>"


def frame(*cells: str) -> str:
    """A one-row layout table whose cells hold the given content."""
    return "<w:tbl><w:tr>" + "".join(f"<w:tc>{c}</w:tc>" for c in cells) + "</w:tr></w:tbl>"


def vml_box(content: str) -> str:
    return f"<w:pict><v:shape><v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict>"


def wps_box(content: str) -> str:
    return f"<w:drawing><wps:wsp><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx></wps:wsp></w:drawing>"


def view(doc: RawDocument) -> list[tuple]:
    return [("text", b.prov.row, b.text) if isinstance(b, TextLine) else ("row", b.prov.table, b.cells)
            for b in doc.blocks]


LIST = (["序号", "履职事项名称"], ["1", "甲"], ["2", "乙"])


# ------------------------------------------------------------------ fixtures from two producers


@pytest.mark.parametrize("document", FIXTURES, ids=lambda path: path.name)
def test_nesting_fixture_reads_as_its_ground_truth(document: Path) -> None:
    truth = json.loads(document.with_name(document.stem + ".expected.json").read_text(encoding="utf-8"))
    doc = records(document)
    problems = compare(truth, doc)
    assert not problems, f"{document.name} ({truth['producer']}):\n" + "\n".join(problems)
    assert doc["notes"] == []  # a frame or a text box is no table inside a list's cell


def test_both_producers_are_there() -> None:
    stems = {path.stem for path in FIXTURES}
    for name in ("n1_frames", "n2_textboxes"):
        assert {f"{name}__python-docx", f"{name}__python-docx_libreoffice"} <= stems


# ------------------------------------------------------------------ layout tables


def test_layout_frame_is_read_as_body_and_its_table_as_a_table(tmp_path: Path) -> None:
    body = p("封面") + frame(p("") + p("基本履职事项清单") + tbl(*LIST) + p("")) + p("完")
    doc = parse_file(_docx(tmp_path / "frame.docx", body))
    assert view(doc) == [
        ("text", 1, "封面"), ("text", 3, "基本履职事项清单"),
        ("row", 0, ["序号", "履职事项名称"]), ("row", 0, ["1", "甲"]), ("row", 0, ["2", "乙"]),
        ("text", 5, "完"),
    ]
    assert doc.notes == []


def test_frames_within_frames_and_side_by_side_cells_keep_reading_order(tmp_path: Path) -> None:
    body = frame(frame(p("甲清单") + tbl(["序号", "名称"], ["1", "一"]))) + frame(p("乙清单"), tbl(["序号", "名称"], ["1", "二"]))
    doc = parse_file(_docx(tmp_path / "frames.docx", body))
    assert view(doc) == [
        ("text", 1, "甲清单"), ("row", 0, ["序号", "名称"]), ("row", 0, ["1", "一"]),
        ("text", 2, "乙清单"), ("row", 1, ["序号", "名称"]), ("row", 1, ["1", "二"]),
    ]


def test_a_table_in_a_list_tables_cell_stays_its_text_and_is_reported(tmp_path: Path) -> None:
    host = "<w:tbl><w:tr><w:tc>" + p("序号") + "</w:tc><w:tc>" + p("工作方式") + "</w:tc></w:tr><w:tr><w:tc>" + p("1")
    host += "</w:tc><w:tc>" + p("流程：") + tbl(["县民政局", "复核"]) + "</w:tc></w:tr></w:tbl>"
    doc = parse_file(_docx(tmp_path / "cell.docx", host))
    assert [b.cells for b in doc.blocks if isinstance(b, TableRow)] == [["序号", "工作方式"], ["1", "流程：\n县民政局 复核"]]
    assert [(n.code, n.message) for n in doc.notes] == [
        ("source.table_in_cell", "表 1 第 2 行 (a table inside a list table's cell, read as that cell's text)")]


def test_nesting_is_bounded(tmp_path: Path) -> None:
    inner = p("清单") + tbl(*LIST)
    ok = inner
    for _ in range(MAX_NESTING - 1):
        ok = frame(ok)
    assert len(parse_file(_docx(tmp_path / "deep.docx", ok)).tables()) == 1
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_file(_docx(tmp_path / "deeper.docx", frame(ok)))


# ------------------------------------------------------------------ text boxes


def test_text_box_content_follows_its_anchor_as_lines_and_tables(tmp_path: Path) -> None:
    body = p("三、上级部门收回事项清单") + f"<w:p><w:r><w:t>见框</w:t>{vml_box(p('说明') + tbl(*LIST))}</w:r></w:p>"
    doc = parse_file(_docx(tmp_path / "box.docx", body))
    assert view(doc) == [
        ("text", 1, "三、上级部门收回事项清单"), ("text", 2, "见框"), ("text", 3, "说明"),
        ("row", 0, ["序号", "履职事项名称"]), ("row", 0, ["1", "甲"]), ("row", 0, ["2", "乙"]),
    ]


def test_alternate_content_is_read_once(tmp_path: Path) -> None:
    box = tbl(*LIST)
    alternate = (f"<mc:AlternateContent><mc:Choice Requires=\"wps\">{wps_box(box)}</mc:Choice>"
                 f"<mc:Fallback>{vml_box(box)}</mc:Fallback></mc:AlternateContent>")
    doc = parse_file(_docx(tmp_path / "twice.docx", f"<w:p><w:r>{alternate}</w:r></w:p>"))
    assert [b.cells for b in doc.blocks if isinstance(b, TableRow)] == [list(row) for row in LIST]


def test_the_fallback_is_read_when_the_choice_holds_nothing(tmp_path: Path) -> None:
    alternate = ("<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing/></mc:Choice>"
                 f"<mc:Fallback>{vml_box(tbl(*LIST))}</mc:Fallback></mc:AlternateContent>")
    doc = parse_file(_docx(tmp_path / "fallback.docx", f"<w:p><w:r>{alternate}</w:r></w:p>"))
    assert [b.cells for b in doc.blocks if isinstance(b, TableRow)] == [list(row) for row in LIST]


def test_a_text_box_inside_a_list_cell_is_that_cells_text(tmp_path: Path) -> None:
    cell = f"<w:p><w:r><w:t>县民政局</w:t>{vml_box(p('负责复核'))}</w:r></w:p>"
    body = f"<w:tbl><w:tr><w:tc>{p('承接部门')}</w:tc></w:tr><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl>"
    doc = parse_file(_docx(tmp_path / "cellbox.docx", body))
    assert [b.cells for b in doc.blocks if isinstance(b, TableRow)] == [["承接部门"], ["县民政局\n负责复核"]]
    assert doc.notes == []


# ------------------------------------------------------------------ what the reader cannot read


def test_embedded_objects_and_imported_chunks_are_reported_not_dropped(tmp_path: Path) -> None:
    sheet = "<w:object><v:shape><v:imagedata/></v:shape></w:object>"
    body = (p("基本履职事项清单") + f"<w:p><w:r>{sheet}</w:r></w:p>" + '<w:altChunk/>'
            + "<w:tbl><w:tr><w:tc>" + p("序号") + f"</w:tc><w:tc><w:p><w:r>{sheet}</w:r></w:p></w:tc></w:tr></w:tbl>")
    doc = parse_file(_docx(tmp_path / "objects.docx", body))
    assert [(n.code, n.message) for n in doc.notes] == [(
        "source.object_not_read",
        "第 2 段的嵌入对象 (w:object)、第 2 段后的导入内容 (w:altChunk)、表 1 第 1 行的嵌入对象 (w:object)"
        " (embedded objects or imported chunks the reader cannot read)",
    )]


def test_text_in_a_text_box_is_not_a_frame_cells_own_text(tmp_path: Path) -> None:
    """A two-cell frame: a heading on the left, on the right a paragraph anchoring a text box
    with the list. The box's text is not the right cell's own, so the table is still a frame."""
    right = f"<w:p><w:r>{vml_box(tbl(*LIST))}</w:r></w:p>"
    doc = parse_file(_docx(tmp_path / "boxframe.docx", frame(p("收回清单"), right)))
    assert view(doc) == [("text", 1, "收回清单"), *(("row", 0, list(row)) for row in LIST)]
