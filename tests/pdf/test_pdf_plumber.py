"""The pdfplumber parser, on the rebuilt 沙河镇 PDF and on tiny PDFs made here."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from duty_lists.parsers import ParseOptions, parse_file
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.layout.cell_text import join_cell_lines, unruled_text_edges
from duty_lists.parsers.layout.footer import page_number
from duty_lists.parsers.layout.geometry import Char, Line, assign_chars, line_text
from duty_lists.parsers.layout.paragraph_gaps import cell_pitches, is_paragraph_gap, line_pitches
from duty_lists.parsers.layout.ruling import open_rule_ends
from duty_lists.parsers.model import RawDocument, TableRow, TextLine
from duty_lists.parsers.pdf.plumber import (
    CORRUPT,
    NEED_PASSWORD,
    NO_PAGES,
    NO_TEXT,
    WRONG_PASSWORD,
    PdfSettings,
    parse_pdf,
)
from duty_lists.parsers.text_form import decode, parse_text
from duty_lists.schema.assembly.normalise import STEP_MARKER, collapse_space, html_to_text
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

RAW = Path(__file__).resolve().parents[2] / "raw"
STEM = "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单"
PDF = RAW / f"{STEM}（重建版）.pdf"
TEXT = RAW / f"{STEM}.txt"
TITLES = [f"新疆生产建设兵团第一师阿拉尔市五团沙河镇{kind}履职事项清单" for kind in ("基本", "配合", "收回")]
FONT = "STSong-Light"


@pytest.fixture(scope="module")
def doc() -> RawDocument:
    return parse_file(PDF)


def by_list(blocks: list[TextLine | TableRow], titles: list[str]) -> list[list[TableRow]]:
    """Data rows (header copies dropped) grouped under the list title above them."""
    lists: list[list[TableRow]] = []
    for block in blocks:
        if isinstance(block, TextLine):
            if block.text.strip() in titles:
                lists.append([])
        elif block.cells[0] != "序号":
            lists[-1].append(block)
    return lists


def stitched(rows: list[TableRow]) -> dict[str, list[list[str]]]:
    """序号 → the row's parts (a part per page it was printed on)."""
    out: dict[str, list[list[str]]] = {}
    last = ""
    for row in rows:
        cells = [cell or "" for cell in row.cells]
        if cells[0]:
            last = cells[0].strip()
            out.setdefault(last, []).append(cells)
        else:
            out[last].append(cells)
    return out


# --------------------------------------------------------------------------- the 沙河镇 PDF


def test_titles_are_text_lines_before_their_tables(doc: RawDocument) -> None:
    for title in TITLES:
        index = next(i for i, b in enumerate(doc.blocks) if isinstance(b, TextLine) and b.text == title)
        after = doc.blocks[index + 1]
        assert isinstance(after, TableRow) and after.cells[0] == "序号"
        assert after.prov.page == doc.blocks[index].prov.page


def test_every_seq_is_a_first_cell_exactly_once(doc: RawDocument) -> None:
    lists = by_list(doc.blocks, TITLES)
    for rows, total in zip(lists, (101, 86, 80), strict=True):
        # A row cut by the page break ends "4\n": its paragraph ended there.
        seqs = [(row.cells[0] or "").rstrip("\n") for row in rows if (row.cells[0] or "").strip().isdigit()]
        assert seqs == [str(n) for n in range(1, total + 1)]
        assert all(row.cells[0] == "" for row in rows if not (row.cells[0] or "").strip().isdigit())


def test_continuation_rows_exist(doc: RawDocument) -> None:
    continuations = [b for b in doc.blocks if isinstance(b, TableRow) and b.cells[0] == ""]
    assert len(continuations) >= 5
    # A continuation is the first row under the header repeated on a new page.
    assert all(row.prov.row == 2 for row in continuations)


def test_printed_pages_are_physical_minus_one(doc: RawDocument) -> None:
    assert doc.pages == len(pdfplumber.open(PDF).pages)
    assert doc.printed_pages == {page: page - 1 for page in range(2, doc.pages + 1)}
    footers = [b for b in doc.blocks if isinstance(b, TextLine) and re.fullmatch(r"— \d+ —", b.text)]
    assert len(footers) == doc.pages - 1
    for footer in footers:
        on_page = [b for b in doc.blocks if b.prov.page == footer.prov.page]
        assert on_page[-1] is footer, "footers come last in reading order"
        assert footer.y is not None and footer.y > 0.92


def _marker_breaks_as_gaps(got: str, want: str) -> str:
    """A line that opens with the next step's marker starts a paragraph (rule
    ``paragraph.marker_sequence``) where the text form has a gap before the
    marker (``…核查； 2.对…``), which ``wrap.long_text`` reads as a separator
    all the same: count such a break as the text form's gap.  The two texts
    hold the same characters, so the n-th visible character of one is the
    n-th of the other."""
    before_visible: dict[int, str] = {}  # visible characters so far -> the white space before the next one
    count, space = 0, ""
    for char in want:
        if char.isspace():
            space += char
            continue
        before_visible[count] = space
        count, space = count + 1, ""

    def as_gap(match: re.Match) -> str:
        visible = len(re.sub(r"\s", "", got[: match.start()]))
        gap = before_visible.get(visible, "")
        return " " if gap and "\n" not in gap else match.group(0)

    return re.sub(rf"\n(?={STEP_MARKER.pattern})", as_gap, got)


def test_cell_text_matches_text_form(doc: RawDocument) -> None:
    """Every cell: same characters as the text form's cell after html_to_text
    (nothing lost or doubled across page breaks), and hard breaks kept."""
    source = parse_text(decode(TEXT.read_bytes())).blocks
    expected = [stitched(rows) for rows in by_list(source, TITLES)]
    actual = [stitched(rows) for rows in by_list(doc.blocks, TITLES)]
    compared = merged_breaks = 0
    for want_list, got_list in zip(expected, actual, strict=True):
        assert list(got_list) == list(want_list)
        for seq, want_parts in want_list.items():
            (want,) = want_parts
            got_parts = got_list[seq]
            for column, text in enumerate(want):
                got = "".join(part[column] for part in got_parts)
                assert re.sub(r"\s", "", got) == re.sub(r"\s", "", html_to_text(text)), (seq, column)
                if len(got_parts) > 1:
                    continue  # where a cut falls in a paragraph is not knowable
                got_lines = collapse_space(_marker_breaks_as_gaps(got, html_to_text(text))).split("\n")
                want_lines = collapse_space(html_to_text(text)).split("\n")
                compared += 1
                # A wrapped line is never read as a paragraph end, and with the
                # rebuild's paragraph spacing a paragraph whose last line fills
                # the cell is not read as wrapped either.
                assert len(got_lines) <= len(want_lines), (seq, column, got_lines)
                merged_breaks += len(got_lines) < len(want_lines)
    assert compared > 1000
    assert merged_breaks == 0


def test_paragraph_spacing_is_what_keeps_full_last_lines_apart() -> None:
    """Without the paragraph-gap rule the rebuild has full last lines glued
    to the next paragraph (cooperative 76 among them): the rule is doing work."""
    def duties_76(blocks: list[TextLine | TableRow]) -> str:
        return "".join(part[4] for part in stitched(by_list(blocks, TITLES)[1])["76"])

    assert "受损情况开展安全生产事故" in duties_76(parse_pdf(PDF, settings=PdfSettings(paragraph_gap_ratio=0)).blocks)
    assert "受损情况\n开展安全生产事故" in duties_76(parse_file(PDF).blocks)


def test_paragraph_end_at_a_page_break_is_kept(doc: RawDocument) -> None:
    """Cooperative item 4 is cut right after its first paragraph; a cut
    inside a wrapped line leaves nothing at the end."""
    parts = stitched(by_list(doc.blocks, TITLES)[1])
    assert parts["4"][0][4] == "市人大常委会、师市党委组织部：\n"
    assert len(parts["4"]) == 2 and parts["4"][1][4].startswith("市人大常委会制定选举工作方案")
    wrapped_cuts = [p[0][c] for p in parts.values() if len(p) > 1 for c in range(1, 7) if p[0][c] and p[1][c]]
    assert any(not text.endswith("\n") for text in wrapped_cuts)


def test_known_soft_wraps_joined(doc: RawDocument) -> None:
    rows = {(row.cells[0] or "").strip(): row for row in by_list(doc.blocks, TITLES)[1]}
    # The text form keeps the original's wrap gaps; the PDF's own wraps add none.
    assert rows["7"].cells[2] == "统计执法检查 和统计违法违纪 案件查处"
    assert (rows["11"].cells[4] or "").startswith("一、高新技术企业认定及科技型中小企业申报")


def test_each_page_is_released(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[int] = []
    original = pdfplumber.page.Page.close

    def close(page: pdfplumber.page.Page) -> None:
        closed.append(page.page_number)
        original(page)

    monkeypatch.setattr(pdfplumber.page.Page, "close", close)
    doc = parse_pdf(PDF)
    assert closed[: doc.pages] == list(range(1, doc.pages + 1))


# --------------------------------------------------------------------------- tiny PDFs


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _table_pdf(path: Path, cells: list[list[list[str]]], widths: list[float], space_before: float = 0) -> None:
    style = ParagraphStyle("c", fontName=_font(), fontSize=9, leading=12, wordWrap="CJK", spaceBefore=space_before)
    data = [[[Paragraph(text, style) for text in cell] for cell in row] for row in cells]
    table = Table(data, colWidths=widths)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([table])


LONG = "负责指导各团镇做好团镇开展连队党支部书记擂台比武工作，推荐连队乡村振兴现场点，组织开展党建现场会点位观摩。"


def test_soft_wrap_in_narrow_cell_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "narrow.pdf"
    _table_pdf(path, [[["序号"], ["内容"]], [["1"], [LONG]]], [40, 80])
    rows = [b for b in parse_pdf(path).blocks if isinstance(b, TableRow)]
    assert rows[1].cells == ["1", LONG]


def test_two_paragraphs_give_one_hard_break(tmp_path: Path) -> None:
    path = tmp_path / "paras.pdf"
    _table_pdf(path, [[["序号"], ["内容"]], [["1"], [LONG, "第二段：备案。"]]], [40, 120])
    rows = [b for b in parse_pdf(path).blocks if isinstance(b, TableRow)]
    assert rows[1].cells[1] == LONG + "\n第二段：备案。"
    assert rows[1].cells[1].count("\n") == 1


#: Cell width for exactly ten 9 pt characters a line (6 pt padding each side).
TEN_WIDE = 12 + 10 * 9
FULL = "做好阶段性自然灾害风险普查及更新相关工作"  # 20 characters: two full lines
NEXT = "建立工作机制"


def test_spaced_paragraph_with_a_full_last_line_ends_there(tmp_path: Path) -> None:
    path = tmp_path / "spaced.pdf"
    _table_pdf(path, [[["序号"], ["内容"]], [["1"], [FULL, NEXT]]], [40, TEN_WIDE], space_before=3)
    rows = [b for b in parse_pdf(path).blocks if isinstance(b, TableRow)]
    assert rows[1].cells[1] == f"{FULL}\n{NEXT}"
    # The same page read without the rule: the full last line looks wrapped.
    off = [b for b in parse_pdf(path, settings=PdfSettings(paragraph_gap_ratio=0)).blocks if isinstance(b, TableRow)]
    assert off[1].cells[1] == FULL + NEXT


def test_unspaced_full_last_line_is_still_read_as_a_wrap(tmp_path: Path) -> None:
    """No spacing, no evidence: the documented limitation, unchanged."""
    path = tmp_path / "unspaced.pdf"
    _table_pdf(path, [[["序号"], ["内容"]], [["1"], [FULL, NEXT]]], [40, TEN_WIDE])
    rows = [b for b in parse_pdf(path).blocks if isinstance(b, TableRow)]
    assert rows[1].cells[1] == FULL + NEXT


def test_spaced_wrapped_lines_stay_joined(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.pdf"
    _table_pdf(path, [[["序号"], ["内容"]], [["1"], [FULL + FULL + "一二三"]]], [40, TEN_WIDE], space_before=3)
    rows = [b for b in parse_pdf(path).blocks if isinstance(b, TableRow)]
    assert rows[1].cells[1] == FULL + FULL + "一二三"


def test_pitch_is_learnt_from_the_whole_page(tmp_path: Path) -> None:
    """A cell of one-line paragraphs has no wrapped line to measure; another
    cell's wrapped paragraph gives the page's line pitch."""
    path = tmp_path / "page_pitch.pdf"
    one_line = FULL[:10]
    _table_pdf(
        path, [[["序号"], ["内容"], ["说明"]], [["1"], [one_line, NEXT], [FULL + "一二三"]]], [40, TEN_WIDE, TEN_WIDE],
        space_before=3,
    )
    rows = [b for b in parse_pdf(path).blocks if isinstance(b, TableRow)]
    assert rows[1].cells[1:] == [f"{one_line}\n{NEXT}", FULL + "一二三"]


def test_table_with_only_horizontal_rules(tmp_path: Path) -> None:
    path = tmp_path / "hrules.pdf"
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont(_font(), 10)
    canvas.drawString(72, 780, "只有横线的表格")
    rows = [("序号", "事项类别", "履职事项名称"), ("1", "党的建设", "加强党建"), ("2", "经济发展", "价格监测"),
            ("3", "民生服务", "救助管理")]
    top = 740
    for index, row in enumerate(rows):
        y = top - index * 24
        canvas.line(60, y + 16, 500, y + 16)
        for x, text in zip((72, 150, 260), row, strict=True):
            canvas.drawString(x, y, text)
    canvas.line(60, top - len(rows) * 24 + 16, 500, top - len(rows) * 24 + 16)
    canvas.save()
    doc = parse_pdf(path)
    table_rows = [b for b in doc.blocks if isinstance(b, TableRow)]
    assert [row.cells for row in table_rows] == [list(row) for row in rows]
    assert isinstance(doc.blocks[0], TextLine) and doc.blocks[0].text == "只有横线的表格"
    assert "1 read with the horizontal-rules fallback" in doc.notes[0].message


def test_table_left_open_at_the_bottom(tmp_path: Path) -> None:
    """A row cut by a page break is often drawn without its bottom rule."""
    path = tmp_path / "open.pdf"
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
    canvas.save()
    rows = [b for b in parse_pdf(path).blocks if isinstance(b, TableRow)]
    # The cut row's lines end short of the edge: paragraphs ended at the cut.
    assert [row.cells for row in rows] == [["序号", "名称"], ["9\n", "被分页截断的行\n"]]


def test_merged_cell_positions_are_none(tmp_path: Path) -> None:
    path = tmp_path / "span.pdf"
    style = ParagraphStyle("c", fontName=_font(), fontSize=9, leading=12)
    data = [[Paragraph("序号", style), Paragraph("名称", style), Paragraph("备注", style)],
            [Paragraph("1", style), Paragraph("跨两列", style), ""],
            [Paragraph("2", style), Paragraph("甲", style), ""]]
    table = Table(data, colWidths=[40, 80, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("SPAN", (1, 1), (2, 1))]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([table])
    rows = [b.cells for b in parse_pdf(path).blocks if isinstance(b, TableRow)]
    assert rows == [["序号", "名称", "备注"], ["1", "跨两列", None], ["2", "甲", ""]]


@pytest.fixture()
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "locked.pdf"
    canvas = Canvas(str(path), encrypt="pw", invariant=1)
    # Latin text: pdfminer does not map the CID font's codes back to Unicode
    # in an encrypted file, which is beside the point here.
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 720, "locked duty list")
    canvas.save()
    return path


def test_encrypted_without_password(encrypted: Path) -> None:
    with pytest.raises(ParseError) as info:
        parse_file(encrypted)
    assert info.value.reason == NEED_PASSWORD


def test_encrypted_wrong_password(encrypted: Path) -> None:
    with pytest.raises(ParseError) as info:
        parse_file(encrypted, ParseOptions(password="nope"))
    assert info.value.reason == WRONG_PASSWORD
    assert "PDF 已加密" in str(info.value)


def test_encrypted_with_password(encrypted: Path) -> None:
    doc = parse_file(encrypted, ParseOptions(password="pw"))
    assert [b.text if isinstance(b, TextLine) else b for b in doc.blocks] == ["locked duty list"]


def test_unmapped_glyphs_are_noted(tmp_path: Path) -> None:
    """pdfminer loses the CID font's Unicode mapping in an encrypted file
    (the situation of owner-password-only official PDFs); the reader is told."""
    path = tmp_path / "cid.pdf"
    canvas = Canvas(str(path), encrypt="pw", invariant=1)
    canvas.setFont(_font(), 12)
    canvas.drawString(72, 720, "加密的清单")
    canvas.save()
    doc = parse_pdf(path, password="pw")
    assert any("5 glyphs have no Unicode mapping" in note.message for note in doc.notes), doc.notes


def test_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(PDF.read_bytes()[:50_000])
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert info.value.reason == CORRUPT


def test_cut_pdf_with_eof_marker_is_a_parse_error(tmp_path: Path) -> None:
    """The end marker is present, the body is cut: pdfminer's error must not escape."""
    path = tmp_path / "cut_eof.pdf"
    path.write_bytes(PDF.read_bytes()[:50_000] + b"\n%%EOF\n")
    with pytest.raises(ParseError) as info:
        parse_pdf(path)
    assert info.value.reason == f"{CORRUPT}: PSEOF"
    assert isinstance(info.value.__cause__, Exception)


def test_catalog_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    with pytest.raises(ParseError) as info:
        parse_pdf(path)
    assert info.value.reason == NO_PAGES


def test_image_only_pdf_needs_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path), invariant=1)
    canvas.rect(72, 72, 400, 600, fill=1)
    canvas.showPage()
    canvas.rect(100, 100, 100, 100, fill=0)
    canvas.save()
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert info.value.reason == NO_TEXT


# --------------------------------------------------------------------------- settings and geometry


def test_settings_reject_bad_values() -> None:
    with pytest.raises(ValueError, match="footer_zone"):
        PdfSettings(footer_zone=0.9)
    with pytest.raises(ValueError, match="line_y_tolerance"):
        PdfSettings(line_y_tolerance=-1)
    with pytest.raises(ValueError, match="paragraph_gap_ratio"):
        PdfSettings(paragraph_gap_ratio=1.0)
    assert PdfSettings(paragraph_gap_ratio=0).paragraph_gap_ratio == 0


def _line(text: str, x0: float, top: float, size: float = 10.0) -> Line:
    return Line(tuple(Char(ch, x0 + i * size, x0 + (i + 1) * size, top, top + size, size) for i, ch in enumerate(text)))


def test_join_cell_lines_soft_and_hard() -> None:
    bbox = (0.0, 0.0, 106.0, 60.0)  # 6 pt padding each side: text may reach x = 100
    full = _line("一二三四五六七八九十", 6, 3)  # ends at 106 - 6 = 100
    almost = _line("一二三四五六七八九", 6, 15)  # one character short: still a wrap
    short = _line("一二三四五六七", 6, 27)  # three short: a paragraph end
    last = _line("完", 6, 39)
    assert join_cell_lines([full, almost, short, last], bbox, 0.3, 1.5) == (
        "一二三四五六七八九十一二三四五六七八九一二三四五六七\n完"
    )


def test_line_text_keeps_real_spaces_and_reads_gaps() -> None:
    chars = (Char("甲", 0, 10, 0, 10, 10), Char(" ", 10, 13, 0, 10, 10), Char("乙", 13, 23, 0, 10, 10),
             Char("丙", 30, 40, 0, 10, 10), Char("丁", 40, 50, 0, 10, 10))
    assert line_text(Line(chars), 0.3) == "甲 乙 丙丁"


def test_assign_chars_by_centre() -> None:
    chars = [Char("a", 1, 9, 1, 9, 8), Char("b", 11, 19, 1, 9, 8), Char("c", 1, 9, 30, 38, 8)]
    inside, outside = assign_chars(chars, [(0, 0, 10, 10), (10, 0, 20, 10)])
    assert [[c.text for c in box] for box in inside] == [["a"], ["b"]]
    assert [c.text for c in outside] == ["c"]


def test_open_rule_ends() -> None:
    verticals = [(60.0, 0.0, 60.0), (120.0, 0.0, 60.0), (300.0, 0.0, 60.0), (500.0, 100.0, 130.0)]
    horizontals = [(0.0, 60.0, 300.0), (20.0, 60.0, 300.0)]
    assert open_rule_ends(verticals, horizontals, 3.0) == [(60.0, 60.0, 300.0)]


@pytest.mark.parametrize(
    ("text", "number"),
    [("— 12 —", 12), ("- 3 -", 3), ("第 4 页", 4), ("第5页 共81页", 5), ("17", 17), ("2024年", None), ("— —", None)],
)
def test_page_number(text: str, number: int | None) -> None:
    assert page_number(text) == number


def test_join_cell_lines_marks_a_paragraph_end_at_a_cut() -> None:
    bbox = (0.0, 0.0, 106.0, 60.0)
    full, short = _line("一二三四五六七八九十", 6, 3), _line("一二三", 6, 15)
    assert join_cell_lines([full], bbox, 0.3, 1.5, cut=True) == "一二三四五六七八九十"
    assert join_cell_lines([full, short], bbox, 0.3, 1.5, cut=True) == "一二三四五六七八九十一二三\n"
    assert join_cell_lines([full, short], bbox, 0.3, 1.5) == "一二三四五六七八九十一二三"


def test_paragraph_gap_against_the_normal_pitch() -> None:
    bbox = (0.0, 0.0, 106.0, 80.0)
    first, second = _line("一二三四五六七八九十", 6, 3), _line("一二三四五六七八九十", 6, 15)  # wrapped: pitch 12
    third = _line("完", 6, 30)  # 15 below a full line: 段前 3 pt
    assert join_cell_lines([first, second, third], bbox, 0.3, 1.5) == "一二三四五六七八九十一二三四五六七八九十\n完"
    # Same 15 pt everywhere is the cell's own spacing, not a paragraph gap.
    even = [_line("一二三四五六七八九十", 6, top) for top in (3, 18, 33)]
    assert join_cell_lines(even, bbox, 0.3, 1.5) == "一二三四五六七八九十" * 3
    assert join_cell_lines([first, second, third], bbox, 0.3, 1.5, paragraph_gap_ratio=0).count("\n") == 0
    # Lines of different sizes are not compared.
    assert not is_paragraph_gap(second, _line("完", 6, 40, size=12), {10.0: 12.0}, 1.2)


def test_line_pitches_per_font_size_and_looser_cells() -> None:
    wrapped = [_line("一二", 6, 3), _line("三四", 6, 15)]
    spaced = [_line("一二", 6, 3), _line("三四", 6, 18)]
    small = [_line("一二", 6, 3, size=8), _line("三四", 6, 13, size=8)]
    assert line_pitches([wrapped, spaced, small]) == {10.0: 12.0, 8.0: 10.0}
    # A cell set at 1.5 lines (18 pt, three lines) keeps its own norm; a
    # two-line cell is judged by the page's.
    loose = [_line("一", 6, 3), _line("二", 6, 21), _line("三", 6, 39)]
    assert cell_pitches(loose, {10.0: 12.0}, 1.2) == {10.0: 18.0}
    assert cell_pitches(spaced, {10.0: 12.0}, 1.2) == {10.0: 12.0}
    assert cell_pitches(spaced, None, 1.2) == {10.0: 15.0}


def test_unruled_text_edges_from_the_narrowest_column_gap() -> None:
    # Column 0 wraps at x = 100 and column 1 starts at 112: the paddings are 12.
    wrapped = [[_line("一二三四五六七八九", 10, 3), _line("十", 10, 15)]]
    short = [[_line("甲乙", 112, 3)], [_line("丙", 112, 15)]]  # ends at 132; column 2 starts at 200
    last = [[_line("备注文字", 200, 3)]]
    assert unruled_text_edges([wrapped, short, last]) == [100.0, 188.0, 240.0]
    # Read against the box, column 0's full line would end a paragraph.
    bbox = (10.0, 0.0, 130.0, 30.0)  # a box the text strategy drew past the padding
    assert join_cell_lines(wrapped[0], bbox, 0.3, 1.5) == "一二三四五六七八九\n十"
    assert join_cell_lines(wrapped[0], bbox, 0.3, 1.5, right_edge=100.0) == "一二三四五六七八九十"
    # An empty column has no edge; the one before it measures to the next text.
    assert unruled_text_edges([wrapped, [], last]) == [100.0, None, 240.0]
