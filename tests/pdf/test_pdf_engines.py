"""The PDFium reader gives what the pdfplumber reader (the reference) gives.

Every PDF under ``raw/`` and ``tests/fixtures/generated/`` goes through the
whole pipeline with both engines and must yield identical records; small PDFs
built here cover the layouts and coordinate systems the fixtures may not
(rotated pages, scaled content, rules in form XObjects, fallback tables) at
the level of the RawDocument.  Errors must carry the reference's reasons.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from duty_lists.ingest.pipeline import RunOptions, process_file
from duty_lists.parsers import PDF_ENGINES, ParseOptions, parse_file
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.layout.geometry import Char, Line, assign_chars
from duty_lists.parsers.layout.ruling import RULE_MIN_LENGTH, open_rule_ends
from duty_lists.parsers.model import RawDocument, TableRow, TextLine
from duty_lists.parsers.pdf.pdfium.chars import SubstitutedBlank, page_chars
from duty_lists.parsers.pdf.pdfium.edges import classify, page_edges
from duty_lists.parsers.pdf.pdfium.frame import PageFrame
from duty_lists.parsers.pdf.pdfium.grid import Tolerances, find_tables
from duty_lists.parsers.pdf.pdfium.lean import FastLine, read_chars, rules
from duty_lists.parsers.pdf.pdfium.lean import assign_chars as assign_chars_fast
from duty_lists.parsers.pdf.pdfium.page import PdfiumPage
from duty_lists.parsers.pdf.pdfium.reader import parse_pdf
from duty_lists.parsers.pdf.plumber import CORRUPT, NEED_PASSWORD, NO_PAGES, NO_TEXT, WRONG_PASSWORD
from duty_lists.schema.records import Document, Item
from pdf_fonts import EMBEDDED, NOT_EMBEDDED, register
from pdfplumber.table import TableFinder
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PDFS = sorted([*(ROOT / "raw").glob("**/*.pdf"), *(ROOT / "tests/fixtures/generated").glob("**/*.pdf")])
LONG = "负责指导各团镇做好团镇开展连队党支部书记擂台比武工作，推荐连队乡村振兴现场点，组织开展党建现场会点位观摩。"


def test_pdfium_is_a_registered_engine() -> None:
    assert "pdfium" in PDF_ENGINES
    assert FIXTURE_PDFS, "no PDF fixtures found: the identity test below would check nothing"


# --------------------------------------------------------------------------- every fixture, whole pipeline


def _run(path: Path, engine: str) -> Document | tuple[str, str]:
    """The document, or the ParseError's reason without the engine's own detail."""
    try:
        return process_file(path, RunOptions(parse=ParseOptions(pdf_engine=engine)))
    except ParseError as exc:
        return ("ParseError", exc.reason.split(": ")[0] if exc.reason.startswith(CORRUPT) else exc.reason)


@pytest.mark.parametrize("path", FIXTURE_PDFS, ids=lambda path: path.name)
def test_fixture_gives_identical_records(path: Path) -> None:
    reference, fast = _run(path, "pdfplumber"), _run(path, "pdfium")
    if isinstance(reference, tuple) or isinstance(fast, tuple):
        assert fast == reference
        return
    for want, got in zip(reference.lists, fast.lists, strict=True):
        assert [item.content() for item in got.items] == [item.content() for item in want.items], want.list_type
        assert [item.pages for item in got.items] == [item.pages for item in want.items], want.list_type
        assert [_rows(item) for item in got.items] == [_rows(item) for item in want.items], want.list_type
        for got_item, want_item in zip(got.items, want.items, strict=True):
            for got_ref, want_ref in zip(got_item.provenance, want_item.provenance, strict=True):
                assert got_ref.bbox == pytest.approx(want_ref.bbox, abs=BOX_TOLERANCE), (want.list_type, want_item.seq)
    # Titles, TOC, printed pages, findings: nothing else may differ either.
    assert _without_boxes(fast.model_dump()) == _without_boxes(reference.model_dump())


#: The readers' row boxes differ by float noise (PDFium and pdfminer round path coordinates differently).
BOX_TOLERANCE = 0.5


def _rows(item: Item) -> list[tuple[int, int]]:
    return [(ref.page, ref.row) for ref in item.provenance]


def _without_boxes(data: dict) -> dict:
    for dl in data["lists"]:
        for item in dl["items"]:
            item["provenance"] = [(ref["page"], ref["row"]) for ref in item["provenance"]]
    return data


# --------------------------------------------------------------------------- small PDFs, RawDocument level


#: The font the builders below typeset in: the last one pushed by :func:`_typeset_in`.
_TYPEFACE = [NOT_EMBEDDED]


def _font() -> str:
    return register(_TYPEFACE[-1])


@contextmanager
def _typeset_in(font: str) -> Iterator[None]:
    """Build the layouts in ``font`` (``pdf_fonts.EMBEDDED`` or ``NOT_EMBEDDED``):
    STSong-Light, as most published lists, unless a test says otherwise."""
    _TYPEFACE.append(font)
    try:
        yield
    finally:
        _TYPEFACE.pop()


def _assert_same_raw(path: Path, password: str | None = None) -> RawDocument:
    reference = parse_file(path, ParseOptions(password=password, pdf_engine="pdfplumber"))
    fast = parse_file(path, ParseOptions(password=password, pdf_engine="pdfium"))
    assert (fast.pages, fast.printed_pages) == (reference.pages, reference.printed_pages)
    assert len(fast.blocks) == len(reference.blocks)
    for got, want in zip(fast.blocks, reference.blocks, strict=True):
        assert type(got) is type(want)
        if isinstance(got, TextLine) and isinstance(want, TextLine):
            assert (got.text, got.prov) == (want.text, want.prov)
            # Same box up to PDFium's single-precision coordinates.
            assert got.y is not None and want.y is not None and math.isclose(got.y, want.y, abs_tol=1e-6)
        else:
            assert got == want
    assert reference.blocks, "the built PDF should give something to compare"
    return fast


def _grid_table(path: Path, rows: list[list[list[str]]], widths: list[float], **doc: object) -> None:
    style = ParagraphStyle("c", fontName=_font(), fontSize=9, leading=12, wordWrap="CJK")
    data = [[[Paragraph(text, style) for text in cell] for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    SimpleDocTemplate(str(path), invariant=1, **doc).build([Paragraph("基本履职事项清单", style), table])


def _wraps_and_page_breaks(path: Path) -> None:
    rows = [[["序号"], ["事项类别"], ["履职事项名称"]]]
    rows += [[[str(n)], ["党的建设"], [LONG * (1 + n % 4), "第二段：备案。"]] for n in range(1, 40)]
    _grid_table(path, rows, [40, 80, 160], pagesize=A4)


def _landscape_pages(path: Path) -> None:
    rows = [[["序号"], ["名称"]]] + [[[str(n)], [LONG]] for n in range(1, 30)]
    _grid_table(path, rows, [40, 300], pagesize=landscape(A4))


def _rotated_page(path: Path) -> None:
    """/Rotate 90 over content drawn a quarter turn the other way, so that it
    reads upright: how landscape pages of portrait documents are often made.
    pdfminer turns the page, so must the PDFium reader."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setPageRotation(90)
    canvas.translate(595, 0)
    canvas.rotate(90)
    _ruled_grid(canvas, 60, 500)
    canvas.save()


def _ruled_grid(canvas: Canvas, left: float, top: float) -> None:
    canvas.setFont(_font(), 10)
    rows = [("序号", "名称"), ("1", "加强党建"), ("2", "价格监测")]
    for index, (seq, name) in enumerate(rows):
        y = top - index * 20
        canvas.line(left, y, left + 240, y)
        canvas.drawString(left + 6, y - 14, seq)
        canvas.drawString(left + 66, y - 14, name)
    bottom = top - len(rows) * 20
    canvas.line(left, bottom, left + 240, bottom)
    for x in (left, left + 60, left + 240):
        canvas.line(x, top, x, bottom)


def _scaled_rect_rules(path: Path) -> None:
    """LibreOffice's way: content under a 0.1 scale, borders as filled thin
    rectangles, text under a text matrix that is not the identity."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.saveState()
    canvas.scale(0.1, 0.1)
    for y in (7000, 6800, 6600, 6400):
        canvas.rect(600, y - 3, 4000, 6, stroke=0, fill=1)
    for x in (600, 1200, 4600):
        canvas.rect(x - 3, 6400, 6, 600, stroke=0, fill=1)
    canvas.restoreState()
    text = canvas.beginText()
    text.setFont(_font(), 10)
    text.setTextTransform(1.2, 0, 0, 1.2, 66, 686)
    text.textOut("序号")
    canvas.drawText(text)
    canvas.setFont(_font(), 10)
    for y, seq, name in ((686, None, "名称"), (666, "1", "加强党建 和统计"), (646, "2", "价格监测")):
        if seq:
            canvas.drawString(66, y, seq)
        canvas.drawString(126, y, name)
    canvas.save()


def _rules_in_form(path: Path) -> None:
    """Rules drawn inside a form XObject placed with its own matrix."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.beginForm("grid")
    for y in (0, 20, 40, 60):
        canvas.line(0, y, 240, y)
    for x in (0, 60, 240):
        canvas.line(x, 0, x, 60)
    canvas.endForm()
    canvas.saveState()
    canvas.translate(60, 640)
    canvas.doForm("grid")
    canvas.restoreState()
    canvas.setFont(_font(), 10)
    for y, seq, name in ((686, "序号", "名称"), (666, "1", "加强党建"), (646, "2", "价格监测")):
        canvas.drawString(66, y, seq)
        canvas.drawString(126, y, name)
    canvas.save()


def _horizontal_rules_only(path: Path) -> None:
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont(_font(), 10)
    canvas.drawString(72, 780, "只有横线的表格")
    rows = [
        ("序号", "事项类别", "履职事项名称"),
        ("1", "党的建设", "加强党建"),
        ("2", "经济发展", "价格监测"),
        ("3", "民生服务", "救助管理"),
    ]
    for index, row in enumerate([*rows, None]):
        y = 740 - index * 24
        canvas.line(60, y + 16, 500, y + 16)
        for x, text in zip((72, 150, 260), row or (), strict=False):
            canvas.drawString(x, y, text)
    canvas.drawCentredString(297, 30, "— 7 —")
    canvas.save()


def _open_bottom_and_curves(path: Path) -> None:
    """A row left open by a page break, a rounded box (curves) and a stretched
    (Tz) line of text."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont(_font(), 10)
    for y in (800, 780):
        canvas.line(60, y, 300, y)
    for x in (60, 120, 300):
        canvas.line(x, 800, x, 740)
    canvas.drawString(66, 786, "序号")
    canvas.drawString(126, 786, "名称")
    canvas.drawString(66, 766, "9")
    canvas.drawString(126, 766, "被分页截断的行")
    canvas.roundRect(60, 500, 200, 60, 8)
    text = canvas.beginText(70, 530)
    text.setFont(_font(), 10)
    text.setHorizScale(80)
    text.textOut("压缩排列的说明文字 note")
    canvas.drawText(text)
    canvas.save()


def _merged_cells(path: Path) -> None:
    style = ParagraphStyle("c", fontName=_font(), fontSize=9, leading=12)
    data = [
        [Paragraph("序号", style), Paragraph("名称", style), Paragraph("备注", style)],
        [Paragraph("1", style), Paragraph("跨两列", style), ""],
        [Paragraph("2", style), Paragraph("甲", style), ""],
    ]
    table = Table(data, colWidths=[40, 80, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("SPAN", (1, 1), (2, 1))]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([table])


def _offset_mediabox(path: Path) -> None:
    """A MediaBox that does not start at (0, 0)."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    _ruled_grid(canvas, 60, 700)
    canvas.save()
    # reportlab has no MediaBox origin; the replacement keeps byte offsets.
    data = path.read_bytes().replace(b"/MediaBox [ 0 0 595.2756 841.8898 ]", b"/MediaBox [ 9 7 595.2756 841.8898 ]")
    assert b"/MediaBox [ 9 7 " in data
    path.write_bytes(data)


def _split_and_near_rules(path: Path) -> None:
    """Rules the grid builder must merge as pdfplumber does: a horizontal rule
    drawn in two pieces with a gap, a vertical rule drawn twice 1.5 pt apart
    (snapped to their mean), and a merged cell."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont(_font(), 10)
    for y in (700, 660, 620):
        canvas.line(60, y, 130, y)
        canvas.line(132, y, 400, y)
    canvas.line(60, 680, 200, 680)
    for x in (60, 400):
        canvas.line(x, 700, x, 620)
    canvas.line(200, 700, 200, 660)
    canvas.line(201.5, 700, 201.5, 620)
    for x, y, text in ((66, 686, "序号"), (206, 686, "名称"), (66, 666, "1"), (206, 646, "跨两行的合并单元格")):
        canvas.drawString(x, y, text)
    canvas.save()


LAYOUTS: dict[str, Callable[[Path], None]] = {
    "wraps_and_page_breaks": _wraps_and_page_breaks,
    "landscape_pages": _landscape_pages,
    "rotated_page": _rotated_page,
    "scaled_rect_rules": _scaled_rect_rules,
    "rules_in_form": _rules_in_form,
    "horizontal_rules_only": _horizontal_rules_only,
    "open_bottom_and_curves": _open_bottom_and_curves,
    "merged_cells": _merged_cells,
    "offset_mediabox": _offset_mediabox,
    "split_and_near_rules": _split_and_near_rules,
}


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_gives_identical_raw_document(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.pdf"
    LAYOUTS[name](path)
    fast = _assert_same_raw(path)
    assert fast.notes[0].message.startswith("pdfium ")


def test_layouts_exercise_what_they_claim(tmp_path: Path) -> None:
    """Guards the builders: a layout that silently lost its tables would make
    the identity test above trivially true."""
    for name in (
        "wraps_and_page_breaks",
        "rotated_page",
        "scaled_rect_rules",
        "rules_in_form",
        "offset_mediabox",
        "split_and_near_rules",
    ):
        path = tmp_path / f"{name}.pdf"
        LAYOUTS[name](path)
        rows = [block for block in parse_pdf(path).blocks if isinstance(block, TableRow)]
        assert len(rows) >= 3, name
    path = tmp_path / "hrules.pdf"
    _horizontal_rules_only(path)
    doc = parse_pdf(path)
    assert "1 read with the horizontal-rules fallback" in doc.notes[0].message
    assert doc.printed_pages == {1: 7}


# --------------------------------------------------------------------------- path classification


def test_subpaths_classified_as_pdfminer_does() -> None:
    frame = PageFrame.from_box((0.0, 0.0, 100.0, 200.0), 0)
    kind, line = classify([("m", (10.0, 50.0)), ("l", (90.0, 50.0))], frame)
    assert (kind, line["top"], line["bottom"], line["x0"], line["x1"]) == ("line", 150.0, 150.0, 10.0, 90.0)
    # ``re`` as PDFium stores it: four corners and a closing point at the start.
    corners = [("m", (10.0, 10.0)), ("l", (10.0, 20.0)), ("l", (50.0, 20.0)), ("l", (50.0, 10.0)), ("l", (10.0, 10.0))]
    kind, rect = classify([*corners, ("h", (10.0, 10.0))], frame)
    assert (kind, rect["top"], rect["bottom"], rect["width"]) == ("rect", 180.0, 190.0, 40.0)
    kind, curve = classify([("m", (0.0, 0.0)), ("l", (10.0, 0.0)), ("c", (20.0, 30.0))], frame)
    assert kind == "curve" and curve["pts"] == [(0.0, 200.0), (10.0, 200.0), (20.0, 170.0)]


@pytest.mark.parametrize("name", ["rotated_page", "offset_mediabox", "landscape_pages"])
def test_page_frame_is_pdfplumbers_page_box(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.pdf"
    LAYOUTS[name](path)
    with pdfplumber.open(path) as reference:
        want = [tuple(float(v) for v in page.bbox) for page in reference.pages]
    pdf = pdfium.PdfDocument(path)
    try:
        got = [PageFrame.of(pdf[index]).bbox for index in range(len(pdf))]
    finally:
        pdf.close()
    assert [v for box in got for v in box] == pytest.approx([v for box in want for v in box])


# --------------------------------------------------------------------------- errors and resources


@pytest.fixture()
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "locked.pdf"
    canvas = Canvas(str(path), encrypt="pw", invariant=1)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 720, "locked duty list")
    canvas.save()
    return path


def _pdfium_error(path: Path, password: str | None = None) -> str:
    with pytest.raises(ParseError) as info:
        parse_file(path, ParseOptions(password=password, pdf_engine="pdfium"))
    return info.value.reason


def test_encrypted_without_and_with_wrong_password(encrypted: Path) -> None:
    assert _pdfium_error(encrypted) == NEED_PASSWORD
    assert _pdfium_error(encrypted, "nope") == WRONG_PASSWORD


def test_encrypted_with_password(encrypted: Path) -> None:
    _assert_same_raw(encrypted, password="pw")


def test_encrypted_cjk_reads_where_pdfminer_cannot(tmp_path: Path) -> None:
    """pdfminer loses the CID font's Unicode mapping in an encrypted file and
    reads (cid:N); PDFium reads the text."""
    path = tmp_path / "cid.pdf"
    canvas = Canvas(str(path), encrypt="pw", invariant=1)
    canvas.setFont(_font(), 12)
    canvas.drawString(72, 720, "加密的清单")
    canvas.save()
    doc = parse_pdf(path, password="pw")
    assert [block.text for block in doc.blocks if isinstance(block, TextLine)] == ["加密的清单"]
    assert not any("no Unicode mapping" in note.message for note in doc.notes)


def test_truncated_and_corrupt(tmp_path: Path) -> None:
    source = FIXTURE_PDFS[0].read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(source[:50_000])
    assert _pdfium_error(cut) == CORRUPT
    cut_eof = tmp_path / "cut_eof.pdf"
    cut_eof.write_bytes(source[:50_000] + b"\n%%EOF\n")
    assert _pdfium_error(cut_eof).startswith(f"{CORRUPT}: ")
    noise = tmp_path / "noise.pdf"
    noise.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert _pdfium_error(noise).startswith(f"{CORRUPT}: ")
    for path in (cut_eof, noise):
        with pytest.raises(ParseError) as info:
            parse_file(path, ParseOptions(pdf_engine="pdfplumber"))
        assert _pdfium_error(path) == info.value.reason


def test_catalog_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    assert _pdfium_error(path) == NO_PAGES


def test_empty_page_tree(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in ((1, b"<< /Type /Catalog /Pages 2 0 R >>"), (2, b"<< /Type /Pages /Kids [] /Count 0 >>")):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(body)
    assert _pdfium_error(path) == NO_PAGES
    with pytest.raises(ParseError) as info:
        parse_file(path, ParseOptions(pdf_engine="pdfplumber"))
    assert info.value.reason == NO_PAGES


def test_image_only_pdf_needs_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path), invariant=1)
    canvas.rect(72, 72, 400, 600, fill=1)
    canvas.showPage()
    canvas.rect(100, 100, 100, 100, fill=0)
    canvas.save()
    assert _pdfium_error(path) == NO_TEXT


def test_each_page_and_text_page_is_released(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "pages.pdf"
    _wraps_and_page_breaks(path)
    closed: list[str] = []
    for cls in (pdfium.PdfPage, pdfium.PdfTextPage):
        original = cls.close

        def close(self: object, *args: object, _original: Callable[..., object] = original, **kwargs: object) -> object:
            closed.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "close", close)
    doc = parse_pdf(path)
    assert doc.pages >= 2
    assert closed.count("PdfPage") >= doc.pages and closed.count("PdfTextPage") >= doc.pages
    # Released as it goes: a text page and its page close before the next opens.
    assert closed[: 2 * doc.pages] == ["PdfTextPage", "PdfPage"] * doc.pages


# --------------------------------------------------------------------------- the lean path's parts


#: A page PDFium cannot read without the machine's fonts deciding, as both paths report it.
Routed = SubstitutedBlank


def _pdfium_pages(path: Path) -> list[tuple[PdfiumPage, list[Char] | None] | Routed]:
    """Every page in pdfplumber's form (the conversion path) and as the lean
    path reads its characters — or, for a page in a font the PDF does not
    embed whose text objects PDFium's text page left out, the
    :class:`SubstitutedBlank` that sends it to the reference reader, which
    both paths must then raise (the lean path reads a quarter-turned page
    not at all, so it says ``None`` first)."""
    pdf = pdfium.PdfDocument(path)
    pages: list[tuple[PdfiumPage, list[Char] | None] | Routed] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            frame = PageFrame.of(page)
            textpage = page.get_textpage()
            try:
                converted = PdfiumPage(index + 1, frame.bbox, page_chars(textpage, frame), page_edges(page, frame))
            except SubstitutedBlank as blank:
                try:
                    lean = read_chars(textpage, frame)
                except SubstitutedBlank as again:
                    assert again.font == blank.font, (path.name, index + 1)
                else:
                    assert lean is None, (path.name, index + 1, "the conversion path routed a page the lean path read")
                pages.append(blank)
            else:
                pages.append((converted, read_chars(textpage, frame)))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return pages


def _pdfium_ruled_pages(path: Path) -> list[PdfiumPage]:
    """Every page's edges in pdfplumber's form, without its characters: what
    the table finders see, which no font can change."""
    pdf = pdfium.PdfDocument(path)
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            frame = PageFrame.of(page)
            pages.append(PdfiumPage(index + 1, frame.bbox, [], page_edges(page, frame)))
            page.close()
        return pages
    finally:
        pdf.close()


def _embeds_its_fonts(path: Path) -> bool:
    """Is every text object of ``path`` set in a font the PDF embeds?"""
    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            fonts = [pdfium_c.FPDFTextObj_GetFont(obj.raw) for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])]
            embedded = all(pdfium_c.FPDFFont_GetIsEmbedded(font) for font in fonts)
            page.close()
            if not embedded:
                return False
        return True
    finally:
        pdf.close()


def _read_pages(paths: list[Path]) -> Iterator[tuple[Path, bool, PdfiumPage, list[Char] | None]]:
    """Each page PDFium reads (:func:`_pdfium_pages`), with its file and
    whether that file embeds its fonts — such a file has no page routed."""
    for path in paths:
        embedded = _embeds_its_fonts(path)
        for page in _pdfium_pages(path):
            if isinstance(page, Routed):
                assert not embedded, (path.name, "a PDF that embeds its fonts was routed")
                continue
            yield path, embedded, *page


def _all_pdfs(tmp_path: Path) -> list[Path]:
    """The fixtures, and every layout above set in the embedded test font:
    their characters are the document's own on every machine, with or
    without CJK fonts installed (the fixtures in STSong-Light are not)."""
    built = []
    with _typeset_in(EMBEDDED):
        for name, build in LAYOUTS.items():
            built.append(tmp_path / f"{name}.pdf")
            build(built[-1])
    return [*FIXTURE_PDFS, *built]


def test_lean_chars_are_the_conversion_paths(tmp_path: Path) -> None:
    """The lean reader's characters are bit for bit those the reference
    builds from the conversion path's dicts; quarter-turned text is left to
    the conversion path (None).  Both paths send the same pages to the
    reference reader (a font the PDF does not embed, where the machine has
    no font to stand in for it); a PDF that embeds its fonts never does, so
    the pages compared there are the same on every machine."""
    lean_pages = embedded_pages = 0
    for path, embedded, converted, lean in _read_pages(_all_pdfs(tmp_path)):
        if lean is None:
            assert path.name == "rotated_page.pdf"
            continue
        want = [Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"]) for c in converted.chars]
        assert lean == want, (path.name, converted.page_number)
        lean_pages += 1
        embedded_pages += embedded
    assert embedded_pages > 50 and lean_pages >= embedded_pages


def test_grid_finds_pdfplumbers_tables(tmp_path: Path) -> None:
    """Rows, cells (None under merges) and row boxes as pdfplumber's
    TableFinder finds them, the rules a page break left out included.
    Tables are found from the edges alone, so every page of every PDF is
    compared, whatever fonts the machine has."""
    tables_seen = merged_seen = closed_seen = 0
    for path in _all_pdfs(tmp_path):
        for page in _pdfium_ruled_pages(path):
            verticals, horizontals = rules(page.edges)
            closing = open_rule_ends(
                [(v[0], v[1], v[3]) for v in verticals], [(h[1], h[0], h[2]) for h in horizontals], 3.0, RULE_MIN_LENGTH,
                stretches=True,
            )
            explicit = [(x0, y, x1, y, x1 - x0) for y, x0, x1 in closing]
            settings: dict[str, object] = {"snap_tolerance": 3.0, "join_tolerance": 3.0, "intersection_tolerance": 3.0}
            if closing:
                settings["explicit_horizontal_lines"] = [
                    {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}
                    for y, x0, x1 in closing
                ]
            # TableFinder is annotated for pdfplumber's Page; PdfiumPage has what it reads (as in pdfium/page.py)
            found = TableFinder(page, settings).tables  # type: ignore[arg-type]
            want = [[(row.cells, row.bbox) for row in table.rows] for table in found]
            got = [
                [(row.cells, row.bbox) for row in table.rows]
                for table in find_tables(verticals, horizontals, explicit, Tolerances(3.0, 3.0, 3.0))
            ]
            assert got == want, (path.name, page.page_number)
            tables_seen += len(want)
            merged_seen += any(cell is None for table in want for row, _ in table for cell in row)
            closed_seen += bool(closing) and bool(want)
    assert tables_seen > 50 and merged_seen and closed_seen


def test_lean_assignment_is_the_references(tmp_path: Path) -> None:
    """Characters go to the same cells in the same order, including those
    whose centre sits exactly on a rule two cells share.  Every page of a PDF
    that embeds its fonts is compared; a page of the others only where this
    machine's fonts let PDFium read it."""
    merged = tmp_path / "merged.pdf"
    with _typeset_in(EMBEDDED):
        _merged_cells(merged)
    compared = 0
    for _, embedded, page, chars in _read_pages([*FIXTURE_PDFS, merged]):
        assert chars is not None
        boxes = [cell for table in page.find_tables({}) for row in table.rows for cell in row.cells if cell is not None]
        assert assign_chars_fast(chars, boxes) == assign_chars(chars, boxes)
        compared += embedded
    assert compared > 50
    on_rule = [Char("甲", 10, 20, 5, 15, 10), Char("乙", 15, 25, 0, 10, 10), Char("丙", 0, 10, 100, 110, 10)]
    boxes = [(0.0, 0.0, 20.0, 10.0), (20.0, 0.0, 40.0, 10.0), (0.0, 0.0, 40.0, 20.0)]
    assert assign_chars_fast(on_rule, boxes) == assign_chars(on_rule, boxes)
    assert assign_chars_fast(on_rule, []) == ([], on_rule)


def test_fast_line_properties_are_lines() -> None:
    chars = (Char(" ", 0, 3, 0, 10, 9), Char("甲", 3, 12, 1, 10, 9), Char("①", 12, 16, 0, 6, 5.04), Char(" ", 16, 19, 0, 10, 9))
    line, fast = Line(chars), FastLine(chars)
    for name in ("x0", "x1", "top", "bottom", "ink_x1", "size", "char_width"):
        assert getattr(fast, name) == getattr(line, name), name
        assert getattr(fast, name) == getattr(line, name), name  # cached the second time


def test_lean_path_reads_ruled_pages(tmp_path: Path) -> None:
    """The identity tests above exercise the lean path, not only the fallback:
    every page of a ruled document is read lean, a quarter-turned one is not,
    and none goes to the reference reader (their fonts are embedded, so the
    machine's fonts cannot decide anything)."""
    with _typeset_in(EMBEDDED):
        path = tmp_path / "wraps.pdf"
        _wraps_and_page_breaks(path)
        doc = parse_pdf(path)
        assert doc.pages > 1 and len(doc.notes) == 1, doc.notes
        assert doc.notes[0].message.endswith(
            f"{doc.pages}/{doc.pages} pages with text, 0 read with the horizontal-rules fallback, 0 through pdfplumber's objects"
        )
        path = tmp_path / "rotated.pdf"
        _rotated_page(path)
        notes = parse_pdf(path).notes
        assert len(notes) == 1 and notes[0].message.endswith(", 1 through pdfplumber's objects"), notes


def test_an_unknown_engine_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    _wraps_and_page_breaks(path)
    with pytest.raises(ParseError) as info:
        parse_file(path, ParseOptions(pdf_engine="tesseract"))
    assert info.value.reason == "unknown PDF engine 'tesseract'"
    assert info.value.path == str(path)
