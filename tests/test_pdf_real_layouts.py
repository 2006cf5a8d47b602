"""Layout rules learnt from real producers (LibreOffice export, Chromium print).

Hand-made coordinates, one rule at a time: kinsoku line ends
(``pdf_layout.is_kinsoku_wrap``), the header row drawn without rules
(``pdf_header_band``), borders drawn as filled bars (``open_rule_ends``) and
PDFium's boxes for characters it normalised (``pdfium_objects``).  The whole
documents are checked by tests/test_real_producers.py and, through the PDFs
committed under tests/fixtures/generated/, by tests/test_formats_equivalence.py.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from parsers.pdf_header_band import band_lines, column_of, table_columns, unruled_headers
from parsers.pdf_layout import Char, Line, group_lines, is_kinsoku_wrap, join_cell_lines, line_text, open_rule_ends
from parsers.pdfium_lean import read_chars
from parsers.pdfium_objects import PageFrame, as_char, blank_chars, is_anchored, page_chars, piece_advance

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
    sides are segments that would "close" its own open end."""
    verticals = [(35.25, 678.0, 764.25), (36.0, 678.0, 764.25), (54.0, 678.0, 764.25), (54.75, 678.0, 764.25)]
    horizontals = [(678.0, 35.25, 54.75), (764.25, 35.25, 36.0), (764.25, 54.0, 54.75)]
    assert open_rule_ends(verticals, horizontals, 3.0) == []
    assert open_rule_ends(verticals, horizontals, 3.0, min_length=3.0) == [(764.25, 35.2, 54.8)]


# --------------------------------------------------------------------------- PDFium pieces


def test_pdfium_loose_box_anchor() -> None:
    assert is_anchored(110.19, 110.19)
    assert not is_anchored(172.15, 170.19)  # ⾃ read as 自: the ink box


def test_piece_advance_is_one_em_for_ideographs_only() -> None:
    assert piece_advance("自", 12.0, 8.28) == 12.0
    assert piece_advance("f", 12.0, 4.1) == 4.1


# --------------------------------------------------------------------------- spaces drawn as objects of their own


def test_pdfium_reads_a_space_drawn_as_its_own_text_object(tmp_path: Path) -> None:
    """LibreOffice draws the space between two runs as a text object of its
    own; PDFium's text page skips an object with no ink, pdfminer keeps the
    glyph.  Both readers must see the space: after 。 it separates steps."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "space_object.pdf"
    canvas = Canvas(str(path))
    canvas.setFont("STSong-Light", 12)
    for x, text in ((100.0, "安排考试。"), (160.0, " "), (163.0, "每个科目")):
        canvas.drawString(x, 700, text)  # one text object (BT … ET) each
    canvas.save()

    pdf = pdfium.PdfDocument(path)
    page = pdf[0]
    frame = PageFrame.of(page)
    textpage = page.get_textpage()
    blanks = blank_chars(page.raw, frame)
    lean = read_chars(textpage, frame)
    converted = [as_char(c) for c in page_chars(textpage, frame)]
    textpage.close()
    page.close()
    pdf.close()

    assert [(c["text"], round(c["x0"], 1), c["x1"] - c["x0"]) for c in blanks] == [(" ", 160.0, 0.0)]
    assert lean == converted
    with pdfplumber.open(path) as reference:
        want = line_text(group_lines([as_char(c) for c in reference.pages[0].chars], 3.0)[0], 0.3)
    got = line_text(group_lines(lean, 3.0)[0], 0.3)
    assert got == want == "安排考试。 每个科目"
