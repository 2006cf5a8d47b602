"""Layout rules learnt from real producers (LibreOffice export, Chromium print).

Hand-made coordinates, one rule at a time: kinsoku line ends
(``layout.wrap.is_kinsoku_wrap``), the header row drawn without rules
(``layout.header_band``), borders drawn as filled bars (``open_rule_ends``) and
PDFium's boxes for characters it normalised (``pdfium.glyphs``).  The whole
documents are checked by tests/pdf/test_real_producers.py and, through the PDFs
committed under tests/fixtures/generated/, by tests/assembly/test_formats_equivalence.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pdfplumber
import pypdfium2 as pdfium
import pytest
from duty_lists.parsers.layout.cell_text import ends_paragraph_at_page_foot, join_cell_lines
from duty_lists.parsers.layout.geometry import AUTOSPACE, Char, Line, group_lines, line_text
from duty_lists.parsers.layout.header_band import band_lines, column_of, table_columns, unruled_headers
from duty_lists.parsers.layout.justified import is_justified, is_stretched, spread_of
from duty_lists.parsers.layout.ruling import open_rule_ends
from duty_lists.parsers.layout.wrap import is_kinsoku_wrap, leading_unit
from duty_lists.parsers.model import TextLine
from duty_lists.parsers.pdf.pdfium.chars import blank_chars, page_chars
from duty_lists.parsers.pdf.pdfium.frame import PageFrame
from duty_lists.parsers.pdf.pdfium.glyphs import is_anchored, piece_advance
from duty_lists.parsers.pdf.pdfium.lean import read_chars
from duty_lists.parsers.pdf.pdfium.page import as_char

SIZE = 11.0


def _line(text: str, x0: float, top: float, size: float = SIZE) -> Line:
    return Line(tuple(Char(ch, x0 + i * size, x0 + (i + 1) * size, top, top + size, size) for i, ch in enumerate(text)))


# --------------------------------------------------------------------------- kinsoku

# A LibreOffice cell from the export: 5.5 pt padding, room for 2.97
# characters, so a full line holds two and ends 10.7 pt short of the edge.
EDGE = 387.6


def test_line_shortened_by_a_pushed_character_is_a_wrap() -> None:
    # "方案；" would not fit; "；" may not start a line, so "案" went down with it.
    assert is_kinsoku_wrap(_line("方", 354.9, 84.5), _line("案；", 354.9, 97.3), EDGE, 1.5)
    # Two characters short in a wider cell: "县民政" / "局、县财".
    assert is_kinsoku_wrap(_line("县民政", 275.2, 507.9), _line("局、县财", 275.2, 520.7), 325.9, 1.5)


def test_line_before_a_prohibited_mark_is_a_wrap() -> None:
    assert is_kinsoku_wrap(_line("方案", 354.9, 84.5), _line("；", 354.9, 97.3), EDGE + SIZE, 1.5)


def test_list_marker_is_a_paragraph_start() -> None:
    for marker in ("2、做好", "一、做好", "a.做好"):
        assert not is_kinsoku_wrap(_line("方", 354.9, 84.5), _line(marker, 354.9, 97.3), EDGE, 1.5), marker


def test_kinsoku_needs_the_line_within_one_more_character() -> None:
    # Three characters short: a paragraph end whatever the next line holds.
    assert not is_kinsoku_wrap(_line("一", 300.0, 0), _line("查；", 300.0, 13), 300.0 + 4 * SIZE + 0.5, 1.5)
    assert not is_kinsoku_wrap(_line("方", 354.9, 84.5), _line("案件", 354.9, 97.3), EDGE, 1.5)


def test_join_cell_lines_reads_kinsoku_wraps() -> None:
    """A LibreOffice cell with a hanging list number: the number sits at the
    padding, so the edge is read from it; "方" ends a character and a half
    short and is still a wrap, because "案；" was pushed down."""
    bbox = (331.4, 70.0, 393.1, 320.0)
    number = (Char("2", 336.9, 342.9, 110.1, 121.1, SIZE), Char(".", 342.9, 354.9, 110.1, 121.1, SIZE))
    lines = [
        _line("防控", 354.9, 71.7),
        _line("方", 354.9, 84.5),
        _line("案；", 354.9, 97.3),
        Line((*number, *_line("组织", 354.9, 110.1).chars)),
        _line("开", 354.9, 122.9),
        _line("展", 354.9, 135.7),
    ]
    # A full line ending in ； is a wrap like any other; normalisation splits
    # the steps there.  "开" is a paragraph end: "展" is no line-start mark.
    assert join_cell_lines(lines, bbox, 0.3, 1.5) == "防控方案；2.组织开\n展"


# --------------------------------------------------------------------------- the LibreOffice export of the Shahe lists
#
# Coordinates from raw/…（LibreOffice导出）.pdf (tools/build_shahe_docx.py):
# 10.5 pt 宋体 (Noto CJK), cells padded 5.5 pt.

CJK = 10.5


def _run(text: str, x0: float, top: float = 100.0, gap: float = 0.0, size: float = CJK) -> Line:
    """A line of one-em glyphs ``gap`` apart (justification spreads them)."""
    step = size + gap
    return Line(tuple(Char(ch, x0 + i * step, x0 + i * step + size, top, top + size, size) for i, ch in enumerate(text)))


def _ending_at(text: str, x1: float, top: float = 100.0) -> Line:
    return _run(text, x1 - len(text) * CJK, top)


def test_opening_bracket_or_quote_goes_down_with_what_it_opens() -> None:
    # "落实“六" did not fit: “ may not end a line, so it went down with 六.
    assert is_kinsoku_wrap(_ending_at("人才落实", 702.9), _run("“六必报”制度", 524.7, 113.0), 720.8, 1.5)
    assert is_kinsoku_wrap(_ending_at("由连队", 703.2), _run("（社区）向居民", 524.7, 113.0), 720.8, 1.5)
    # Room for “六 (17.9 pt > 21 pt is false): then the line ended its paragraph.
    assert not is_kinsoku_wrap(_ending_at("人才落", 692.4), _run("“六必报”制度", 524.7, 113.0), 720.8, 1.5)


def test_a_character_goes_down_with_every_mark_after_it() -> None:
    # 30.7 pt of room, but 等）， is 31.5 pt wide: three characters short is still a wrap.
    assert is_kinsoku_wrap(_ending_at("人员搜救", 690.1), _run("等），及时", 524.7, 113.0), 720.8, 1.5)
    assert leading_unit(_run("等），及时", 524.7)) == list(_run("等），", 524.7).chars)
    assert not is_kinsoku_wrap(_ending_at("人员搜", 679.6), _run("等），及时", 524.7, 113.0), 720.8, 1.5)


def test_a_number_goes_down_whole_but_a_list_number_starts_a_paragraph() -> None:
    number = Line((*_run("（1", 302.7).chars[:1], Char("1", 313.2, 318.45, 100.0, 110.5, CJK), *_run("：2", 318.45).chars))
    assert [c.text for c in leading_unit(number)] == ["（", "1", "："]
    assert is_kinsoku_wrap(_ending_at("③规划图", 672.3), number, 691.2, 1.5)
    for marker in ("（1）登记表", "(一)申请", "10.存档"):
        assert not is_kinsoku_wrap(_ending_at("③规划图", 672.3), _run(marker, 302.7, 113.0), 691.2, 1.5), marker


# Cooperative 76, 上级部门职责: a paragraph of exactly two lines, the second
# 8.3 pt short — less than a character, so only justification tells.
EDGE_76 = 521.0
CELL_76 = (297.2, 270.0, 526.6, 340.0)
STRETCHED = _run("三、开展安全生产事故及自然灾害应急救援抢", 302.7, 279.1, gap=0.4352)
LAST = _run("险工作，评估、核定并发布自然灾害受损情况", 302.7, 292.1)
NEXT = _run("开展安全生产事故及自然灾害应急救援抢险工", 302.7, 305.1, gap=0.4352)
END = _run("作，评估、核定并发布自然灾害受损情况。", 302.7, 318.1)


def test_justified_text_ends_paragraphs_wherever_a_line_stops_short() -> None:
    assert is_stretched(STRETCHED, EDGE_76) and not is_stretched(LAST, EDGE_76)
    assert is_justified([STRETCHED, LAST, NEXT, END], EDGE_76)
    text = join_cell_lines([STRETCHED, LAST, NEXT, END], CELL_76, 0.3, 1.5)
    assert text == (
        "三、开展安全生产事故及自然灾害应急救援抢险工作，评估、核定并发布自然灾害受损情况\n"
        "开展安全生产事故及自然灾害应急救援抢险工作，评估、核定并发布自然灾害受损情况。"
    )


def test_ragged_text_cannot_tell_a_full_last_line() -> None:
    """Set ragged (not spread), the same paragraph end reads as a wrap: the known limit."""
    ragged = [_run("".join(c.text for c in line.chars), 302.7, line.top) for line in (STRETCHED, LAST, NEXT, END)]
    assert not is_justified(ragged, EDGE_76)
    assert "\n" not in join_cell_lines(ragged, CELL_76, 0.3, 1.5)


def test_spacing_put_in_by_the_layout_is_not_a_word_space() -> None:
    # 两张1寸 in a justified line: 1.1 pt spread everywhere, 3.6 pt where
    # Chinese meets the digit (LibreOffice's quarter em on top).
    glyphs = [Char("两", 0.0, 10.5, 0, 10.5, CJK), Char("张", 11.6, 22.1, 0, 10.5, CJK),
              Char("1", 25.7, 30.95, 0, 10.5, CJK), Char("寸", 34.1, 44.6, 0, 10.5, CJK),
              Char("照", 45.7, 56.2, 0, 10.5, CJK), Char("片", 57.3, 67.8, 0, 10.5, CJK)]
    line = Line(tuple(glyphs))
    assert spread_of(line) == pytest.approx(1.1)
    assert line_text(line, 0.3) == "两张 1 寸照片"
    assert line_text(line, 0.3, spread=spread_of(line), autospace=AUTOSPACE) == "两张1寸照片"
    # A real gap of half an em between Chinese and Latin is still a space.
    wide = Line((Char("第", 0.0, 10.5, 0, 10.5, CJK), Char("2", 18.0, 23.25, 0, 10.5, CJK)))
    assert line_text(wide, 0.3, autospace=AUTOSPACE) == "第 2"


def test_foot_of_page_paragraph_end() -> None:
    """The lowest row of a page may go on over it (Word and LibreOffice
    close the table anyway): its last line ended a paragraph only where no
    kinsoku push explains the shortfall, or where justified text stops short."""
    cell = (526.6, 400.0, 756.0, 530.0)  # text from 532.1 to 750.5
    heading = _run("二、增减挂项目", 532.1, 513.1)
    pushed = _ending_at("申请条件的，农机监理机构应当受理并在驾驶员情", 739.9, 513.1)
    assert ends_paragraph_at_page_foot([heading], cell)
    assert not ends_paragraph_at_page_foot([pushed], cell)
    spread = _run("一、职工工伤保险政策宣传及工伤认定材料收", 532.1, 500.1, gap=0.4306)
    assert is_stretched(spread, 750.5)
    assert ends_paragraph_at_page_foot([spread, _ending_at("集工作，做好工伤认定材料的收集初审", 740.0, 513.1)], cell)
    assert not ends_paragraph_at_page_foot([spread, _run("一、职工工伤保险政策宣传及工伤认定材料收", 532.1, 513.1, gap=0.4306)], cell)


# --------------------------------------------------------------------------- header band

# Chromium's print of the HTML page: ``td`` cells are bordered, ``th`` are
# not, so the header is text over the ruled body, two-line cells interleaved
# with a centred one-line cell.
COLUMNS_CELLS = [(35.6, 329.6, 58.6, 369.0), (58.6, 329.6, 108.4, 432.0), (108.4, 329.6, 456.0, 369.0), (456.0, 329.6, 576.4, 369.0)]
TITLE = _line("某某省某某县青石镇基本履职事项清单", 33.7, 250.5, 12.0)


def _header_lines() -> list[Line]:
    return [
        Line((*_line("序", 41.2, 293.2, 12.0).chars, *_line("事项类", 62.2, 293.2, 12.0).chars)),
        Line((*_line("履职事项名称", 246.0, 302.2, 12.0).chars, *_line("备注", 504.2, 302.2, 12.0).chars)),
        Line((*_line("号", 41.2, 311.2, 12.0).chars, *_line("别", 79.3, 311.2, 12.0).chars)),
    ]


def test_table_columns_from_cell_left_sides() -> None:
    assert table_columns(COLUMNS_CELLS) == [(35.6, 58.6), (58.6, 108.4), (108.4, 456.0), (456.0, 576.4)]


def test_band_of_lines_that_fill_every_column() -> None:
    columns = table_columns(COLUMNS_CELLS)
    band = band_lines(329.6, columns, [TITLE, *_header_lines()], gap=1.0)
    assert sorted(line.top for line in band) == [293.2, 302.2, 311.2]


def test_title_crossing_a_column_boundary_is_not_a_header() -> None:
    columns = table_columns(COLUMNS_CELLS)
    # Right above the table, but one run of text over two columns.
    title = _line("某某省某某县青石镇基本履职事项清单", 50.0, 311.2, 12.0)
    assert column_of(title.chars[0], columns) is None
    assert band_lines(329.6, columns, [title], gap=1.0) == []


def test_band_must_label_every_column() -> None:
    columns = table_columns(COLUMNS_CELLS)
    assert band_lines(329.6, columns, _header_lines()[:1], gap=1.0) == []  # 履职事项名称, 备注 missing


def test_band_must_touch_the_table() -> None:
    columns = table_columns(COLUMNS_CELLS)
    # The same band a blank line higher up: a heading, not the table's header.
    lifted = [Line(tuple(Char(c.text, c.x0, c.x1, c.top - 20, c.bottom - 20, c.size) for c in line.chars)) for line in _header_lines()]
    assert band_lines(329.6, columns, lifted, gap=1.0) == []


def test_unruled_headers_become_a_row_of_column_boxes() -> None:
    chars = [char for line in (TITLE, *_header_lines()) for char in line.chars]
    bands, rest = unruled_headers([COLUMNS_CELLS], chars, 3.0, gap=1.0)
    assert "".join(char.text for char in rest) == "某某省某某县青石镇基本履职事项清单"
    (band,) = bands
    assert band.table == 0
    assert band.boxes == [(left, 293.2, right, 329.6) for left, right in table_columns(COLUMNS_CELLS)]
    texts = ["".join(c.text for line in group_lines(cell, 3.0) for c in line.chars) for cell in band.chars]
    assert texts == ["序号", "事项类别", "履职事项名称", "备注"]
    assert unruled_headers([COLUMNS_CELLS], chars, 3.0, gap=0.0) == ([], chars)


# --------------------------------------------------------------------------- borders drawn as bars


def test_bar_caps_do_not_close_a_row_cut_by_the_page() -> None:
    """Chromium draws a border as a 0.75 pt filled bar: each bar's short
    sides are segments at its own open end; stretch by stretch, they do
    not span the stretch between two bars, which stays open."""
    verticals = [(35.25, 678.0, 764.25), (36.0, 678.0, 764.25), (54.0, 678.0, 764.25), (54.75, 678.0, 764.25)]
    horizontals = [(678.0, 35.25, 54.75), (764.25, 35.25, 36.0), (764.25, 54.0, 54.75)]
    assert open_rule_ends(verticals, horizontals, 3.0) == []
    assert open_rule_ends(verticals, horizontals, 3.0, min_length=3.0) == [(764.25, 35.2, 54.8)]
    assert open_rule_ends(verticals, horizontals, 3.0, stretches=True) == [(764.25, 35.2, 54.8)]


def test_a_split_rowspan_cell_is_closed_between_closed_neighbours() -> None:
    """Chromium closes the cells a page break did not cut and leaves a split
    ``rowspan`` cell open: its neighbours' rules reach its sides, yet the
    stretch between them is open.  Its sides are drawn a piece per row, and
    only the last piece ends (corpus h05)."""
    sides = [(x, top, top + 20.0) for x in (92.25, 181.5) for top in (327.0, 347.0, 367.0)]
    verticals = [(46.5, 327.0, 387.0), *sides, (690.75, 327.0, 387.0)]
    horizontals = [(327.0, 46.5, 690.75), (387.0, 46.5, 91.5), (387.0, 182.25, 690.75)]
    assert open_rule_ends(verticals, horizontals, 3.0, stretches=True) == [(387.0, 92.2, 181.5)]


# --------------------------------------------------------------------------- PDFium pieces


def test_pdfium_loose_box_anchor() -> None:
    assert is_anchored(110.19, 110.19)
    assert not is_anchored(172.15, 170.19)  # ⾃ read as 自: the ink box


def test_piece_advance_is_one_em_for_ideographs_only() -> None:
    assert piece_advance("自", 12.0, 8.28) == 12.0
    assert piece_advance("f", 12.0, 4.1) == 4.1


# --------------------------------------------------------------------------- spaces drawn as objects of their own


#: ``安排考试。``, a space and ``每个科目`` at their x, one text object each.
SPACE_OBJECTS = ((100.0, "安排考试。"), (160.0, " "), (163.0, "每个科目"))


def _space_object_pdf(path: Path, font: str) -> Path:
    """``安排考试。``, a space and ``每个科目``, one text object each, as
    LibreOffice draws the space between two runs."""
    from pdf_fonts import register
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1)
    canvas.setFont(register(font), 12)
    for x, text in SPACE_OBJECTS:
        canvas.drawString(x, 700, text)  # one text object (BT … ET) each
    canvas.save()
    return path


T = TypeVar("T")


def _pdfium_first_page(path: Path, read: Callable[[Any, Any, PageFrame], T]) -> T:
    pdf = pdfium.PdfDocument(path)
    page = pdf[0]
    textpage = page.get_textpage()
    try:
        return read(page, textpage, PageFrame.of(page))
    finally:
        textpage.close()
        page.close()
        pdf.close()


def test_pdfium_reads_a_space_drawn_as_its_own_text_object(tmp_path: Path) -> None:
    """LibreOffice draws the space between two runs as a text object of its
    own; PDFium's text page skips an object with no ink, pdfminer keeps the
    glyph.  Both readers must see the space: after 。 it separates steps.
    The font is embedded (as LibreOffice's are), so PDFium knows the space
    has no ink from the document itself, on every machine."""
    from pdf_fonts import EMBEDDED

    path = _space_object_pdf(tmp_path / "space_object.pdf", EMBEDDED)
    blanks, lean, converted = _pdfium_first_page(
        path,
        lambda page, textpage, frame: (
            blank_chars(page.raw, frame),
            read_chars(textpage, frame),
            [as_char(c) for c in page_chars(textpage, frame)],
        ),
    )

    assert [(c["text"], round(c["x0"], 1), c["x1"] - c["x0"]) for c in blanks] == [(" ", 160.0, 0.0)]
    assert lean is not None and lean == converted
    with pdfplumber.open(path) as reference:
        want = line_text(group_lines([as_char(c) for c in reference.pages[0].chars], 3.0)[0], 0.3)
    got = line_text(group_lines(lean, 3.0)[0], 0.3)
    assert got == want == "安排考试。 每个科目"


def test_an_opening_quote_binds_the_characters_on_both_sides() -> None:
    # c7_pair (LibreOffice 7.4): 通知被考核人员撰 / 写“四述”报告 in a cell ten
    # characters wide — two characters of room, but 写“四 is three.
    assert [c.text for c in leading_unit(_run("写“四述”报告", 394.1))] == ["写", "“", "四"]
    assert is_kinsoku_wrap(_ending_at("通知被考核人员撰", 474.1), _run("写“四述”报告", 394.1, 113.0), 494.1, 1.5)
    # Four characters of room: 写“四 would have fitted, so the line ended its paragraph.
    assert not is_kinsoku_wrap(_ending_at("通知被考核人", 452.1), _run("写“四述”报告", 394.1, 113.0), 494.1, 1.5)


def test_a_space_object_in_a_font_not_embedded_goes_to_the_reference_reader(tmp_path: Path) -> None:
    """The same page in a font the PDF does not embed: PDFium's width for the
    space object is the substitute font's, and a text object of an ideograph
    the substitute cannot draw has no width either, so neither PDFium path
    can tell it from a blank.  Both raise, the reader reads the page with
    pdfminer, keeps the space, and its note says so — with or without CJK
    fonts installed."""
    from duty_lists.parsers.pdf.pdfium.chars import SubstitutedBlank
    from duty_lists.parsers.pdf.pdfium.reader import parse_pdf
    from pdf_fonts import NOT_EMBEDDED

    path = _space_object_pdf(tmp_path / "space_object.pdf", NOT_EMBEDDED)
    for read in (
        lambda page, textpage, frame: blank_chars(page.raw, frame),
        lambda page, textpage, frame: read_chars(textpage, frame),
        lambda page, textpage, frame: page_chars(textpage, frame),
    ):
        with pytest.raises(SubstitutedBlank) as raised:
            _pdfium_first_page(path, read)
        assert raised.value.font == NOT_EMBEDDED
    doc = parse_pdf(path)
    assert [line.text if isinstance(line, TextLine) else line for line in doc.blocks] == ["安排考试。 每个科目"]
    assert doc.notes[0].message.startswith("pdfium ") and doc.notes[0].message.endswith(", 0 through pdfplumber's objects")
    assert doc.notes[1].message.startswith(
        f"pages 1 read by the reference reader (pdfminer): a text object in a font the PDF does not embed ({NOT_EMBEDDED})"
    )
