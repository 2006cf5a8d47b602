"""What a parser could not read, or read unreliably, reaches the user: document.json's
``notes``, a ``source.*`` finding in report.html, report.md and ``validate``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duty_lists.parsers.ocr.text
import pypdfium2 as pdfium
import pytest
from duty_lists.ingest.cli import main
from duty_lists.parsers.model import SOURCE_CODES, Note
from duty_lists.schema.checks import CHECKS
from duty_lists.schema.checks.source import SourceCheck
from openpyxl import load_workbook
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "generated"
TEXT_PDF = FIXTURES / "qingshi_ruled_landscape.pdf"


def pdf_of(out: Path, parts: list[Path]) -> Path:
    """The pages of ``parts`` one after another."""
    doc = pdfium.PdfDocument.new()
    for part in parts:
        doc.import_pages(pdfium.PdfDocument(part))
    doc.save(out)
    return out


def image_page(out: Path) -> Path:
    """One page that is a picture and nothing else: a scan."""
    picture = Image.new("L", (200, 100), 255)
    picture.paste(0, (20, 20, 180, 30))
    canvas = Canvas(str(out), invariant=1)
    canvas.drawImage(ImageReader(picture), 72, 500, width=400, height=200)
    canvas.save()
    return out


def cid_page(out: Path) -> Path:
    """A page whose CID font has no Unicode mapping (Identity-H, no ToUnicode): pdfminer reads two of
    its six characters as (cid:N) and the rest as other characters."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(72, 720, "附件说明文字")
    canvas.save()
    data = buffer.getvalue()
    assert data.count(b"/UniGB-UCS2-H") == 1
    out.write_bytes(data.replace(b"/UniGB-UCS2-H", b"/Identity-H  "))  # same length: offsets hold
    return out


def hidden_sheet_workbook(out: Path) -> Path:
    workbook = load_workbook(FIXTURES / "qingshi_one_sheet.xlsx")
    hidden = workbook.create_sheet("下拉选项")
    hidden["A1"] = "党的建设"
    hidden.sheet_state = "hidden"
    workbook.save(out)
    return out


def run_and_validate(path: Path, out: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[dict, str, str, str]:
    """document.json, report.md, report.html and validate's text output for ``path``."""
    assert main(["run", str(path), "--out", str(out), "--quiet", *options]) == 0
    capsys.readouterr()
    main(["validate", str(path), *options])
    shown = capsys.readouterr().out
    folder = out / path.stem
    return (json.loads((folder / "document.json").read_text(encoding="utf-8")),
            (folder / "report.md").read_text(encoding="utf-8"), (folder / "report.html").read_text(encoding="utf-8"), shown)


def assert_told(outputs: tuple[dict, str, str, str], code: str, notes: list[dict], shown_text: str) -> None:
    doc, markdown, html, shown = outputs
    assert [n for n in doc["notes"] if n["code"] == code] == notes
    findings = [f for f in doc["findings"] if f["code"] == code]
    assert len(findings) == len(notes)
    assert [f["page"] for f in findings] == [n["page"] for n in notes]
    assert all(f["severity"] == "warning" for f in findings)
    html = html.replace("<wbr>", "")  # the HTML report lets a code wrap at its dots
    for text in (markdown, html, shown):
        assert code in text and shown_text in text


def test_an_image_only_page_without_ocr(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duty_lists.parsers.ocr.text, "ocr_available", lambda: False)
    path = pdf_of(tmp_path / "with_scan.pdf", [TEXT_PDF, image_page(tmp_path / "scan.pdf")])
    pages = len(pdfium.PdfDocument(path))
    outputs = run_and_validate(path, tmp_path / "out", capsys)
    assert outputs[0]["lists"] and outputs[0]["lists"][0]["items"]  # the text pages are read
    message = f"image-only page not read ({duty_lists.parsers.ocr.text.NEEDS_EXTRA})"
    assert_told(outputs, "source.page_not_read", [{"code": "source.page_not_read", "message": message, "page": pages,
                                                   "sheet": None}], f"第 {pages} 页只有图像")


def test_cid_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = pdf_of(tmp_path / "with_cid.pdf", [TEXT_PDF, cid_page(tmp_path / "cid.pdf")])
    pages = len(pdfium.PdfDocument(path))
    outputs = run_and_validate(path, tmp_path / "out", capsys, "--pdf-engine", "pdfplumber")
    message = "2 glyphs have no Unicode mapping and read as (cid:N); the text is unreliable"
    assert_told(outputs, "source.cid_text", [{"code": "source.cid_text", "message": message, "page": pages, "sheet": None}],
                f"第 {pages} 页有字形无法映射为文字")


def test_a_hidden_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = run_and_validate(hidden_sheet_workbook(tmp_path / "hidden.xlsx"), tmp_path / "out", capsys)
    message = "隐藏工作表已跳过 (hidden sheet '下拉选项' skipped)"
    assert_told(outputs, "source.sheet_skipped", [{"code": "source.sheet_skipped", "message": message, "page": 2,
                                                   "sheet": "下拉选项"}], "工作表「下拉选项」是隐藏工作表")
    assert [f["text"] for f in outputs[0]["findings"] if f["code"] == "source.sheet_skipped"] == ["下拉选项"]


def test_a_clean_document_has_no_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_and_validate(FIXTURES / "qingshi_one_sheet.xlsx", tmp_path / "out", capsys)[0]
    assert doc["notes"] == [] and not [f for f in doc["findings"] if f["code"].startswith("source.")]


def test_every_source_code_is_a_declared_finding_type() -> None:
    assert SourceCheck in CHECKS
    assert {t.code for t in SourceCheck.types} == SOURCE_CODES
    # What a reader could not read is a warning; a whole list announced and not found is an error:
    # the document's records lack it, and validate must fail; so must a 同上 with nothing above it (a field unknown).
    assert {t.code: t.severity for t in SourceCheck.types if t.severity not in ("warning", "info")} == {
        "source.list_not_found": "error", "source.ditto_unresolved": "error"}
    with pytest.raises(ValueError, match="unknown note code"):
        Note("source.typo", "x")  # type: ignore[arg-type]  # an unknown code on purpose: the runtime check is tested


def test_a_document_read_by_ocr_says_so_in_a_warning(tmp_path: Path) -> None:
    """OCR's confidence misses misreadings (， read as 、 at full confidence): the reader is told to check."""
    from duty_lists.parsers.model import Note
    from duty_lists.parsers.ocr.jobs import ocr_notes
    from duty_lists.parsers.ocr.page import PageOcr
    from duty_lists.schema.checks import CheckContext, Policy, run_checks
    from duty_lists.schema.records import Document, Source, SourceNote

    notes = ocr_notes([PageOcr(page=1), PageOcr(page=2)])
    assert [note.code for note in notes] == ["source.ocr_read", "reader.ocr"] and all(isinstance(n, Note) for n in notes)
    source = notes[0]
    doc = Document(source=Source(path="扫描.pdf", sha256="0" * 64, format="pdf", pages=2), issuer="甲镇",
                   notes=[SourceNote(code=source.code, message=source.message)])
    (finding,) = run_checks(doc, CheckContext(), Policy())
    assert (finding.code, finding.severity) == ("source.ocr_read", "warning")
    assert "第 1、2 页" in finding.message and "对照原件" in finding.message


def test_a_list_announced_but_not_found_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reclaimed list's title says 共2项 but its table is a picture: the whole list is missing."""
    page = tmp_path / "lists.html"
    page.write_text(
        "<html><body><p>某某县青石镇基本履职事项清单</p><table>"
        "<tr><td>序号</td><td>事项类别</td><td>履职事项名称</td><td>备注</td></tr>"
        "<tr><td>1</td><td>党的建设</td><td>加强党的建设</td><td></td></tr></table>"
        "<p>某某县青石镇上级部门收回事项清单（共2项）</p><p><img src='table.png'></p></body></html>",
        encoding="utf-8",
    )
    assert main(["run", str(page), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["validate", str(page)]) == 1
    shown = capsys.readouterr().out
    doc = json.loads((tmp_path / "out" / "lists" / "document.json").read_text(encoding="utf-8"))
    assert doc["notes"] == [{"code": "source.list_not_found", "message": "「某某县青石镇上级部门收回事项清单（共2项）」声明 2 项",
                             "page": None, "sheet": None}]
    assert [(f["code"], f["severity"]) for f in doc["findings"] if f["code"].startswith("source.")] == [
        ("source.list_not_found", "error")]
    assert "source.list_not_found" in shown and "未读到该清单的表格" in shown
