"""Rule ``paragraph.marker_sequence`` (parsers.layout.markers): a line at a cell's left edge that
opens with the next marker of the list the cell prints starts a step, however full the line
before it is.  Coordinates as LibreOffice prints the probe's p01 (10 pt, cells padded 5.5 pt):
the step before fills its last line to within a character of the edge, as a wrap would."""

from __future__ import annotations

import pytest
from duty_lists.parsers.layout.cell_text import join_cell_lines
from duty_lists.parsers.layout.geometry import Char, Line
from duty_lists.parsers.layout.markers import chinese_number, line_marker, marker_sequence_starts
from duty_lists.parsers.pdf.page import lowest_row

SIZE = 10.0
LEFT = 540.6
CELL = (535.1, 98.2, 724.2, 159.0)  # text may reach 718.7


def _line(text: str, top: float, x0: float = LEFT) -> Line:
    return Line(tuple(Char(ch, x0 + i * SIZE, x0 + (i + 1) * SIZE, top, top + SIZE, SIZE) for i, ch in enumerate(text)))


def _cell(*texts: str, x0: float = LEFT) -> list[Line]:
    return [_line(text, 98.0 + 10.0 * i, x0) for i, text in enumerate(texts)]


def test_each_marker_form_and_its_number() -> None:
    forms = {
        "①开展": ("circled", 1), "⑫做好": ("circled", 12), "（3）审核": ("paren", 3), "(3)审核": ("paren", 3),
        "3)审核": ("closing", 3), "12）审核": ("closing", 12), "3.审核": ("dot", 3), "3．审核": ("dot", 3),
        "3、审核": ("comma", 3), "三、审核": ("chinese", 3), "（十二）审核": ("paren_chinese", 12),
    }
    for text, expected in forms.items():
        assert line_marker(_line(text, 0)) == expected, text
    for text in ("2.5万元", "审核（3）", "十十、", "第（2）项"):
        assert line_marker(_line(text, 0)) is None, text
    assert [chinese_number(t) for t in ("一", "十", "十一", "二十", "九十九", "十十", "二二")] == [1, 10, 11, 20, 99, None, None]


@pytest.mark.parametrize(
    ("first", "second", "third"),
    [("①", "②", "③"), ("（1）", "（2）", "（3）"), ("(1)", "(2)", "(3)"), ("1)", "2)", "3)"), ("1.", "2.", "3.")],
)
def test_a_full_line_before_the_next_marker_ends_a_step(first: str, second: str, third: str) -> None:
    """p01 cooperative 6: 「…选树和打造乡村振兴现场点」 stops 0.8 character short of the edge."""
    lines = _cell(
        f"{first}开展镇党支部书记乡村振兴“擂台比",
        "武”工作，选树和打造乡村振兴现场点",
        f"{second}组织人员参加县党支部书记乡村振",
        "兴“擂台比武”工作，选树和打造乡村点",
        f"{third}做好总结。",
    )
    text = join_cell_lines(lines, CELL, 0.3, 1.5)
    assert text.split("\n") == [
        f"{first}开展镇党支部书记乡村振兴“擂台比武”工作，选树和打造乡村振兴现场点",
        f"{second}组织人员参加县党支部书记乡村振兴“擂台比武”工作，选树和打造乡村点",
        f"{third}做好总结。",
    ]


def test_a_cell_cut_by_a_page_break_reads_the_sequence_from_below() -> None:
    """The steps before ⑥ are on the page before: ⑦ below shows the sequence."""
    lines = _cell("作为平时考核的重要依据，并做好记录整理", "⑥每月上报援疆干部人才数据统计表格", "⑦配合做好考核工作。")
    assert marker_sequence_starts(lines) == {1, 2}
    # A sub-list numbered again from 1 is a sequence too.
    restart = _cell("1.县残联：", "（1）审核材料，并报送县残联审核", "（2）批准，并报送县残联审核批准", "2.县民政局：",
                    "（1）审核申请材料并报送县民政局", "（2）批准。")
    assert marker_sequence_starts(restart) == {1, 2, 3, 4, 5}


def test_a_reference_at_a_line_start_is_no_step() -> None:
    """A wrap may put 「（2）」 at a line start inside a sentence: without the number before or
    after it in the cell's list, or after 第, it is text."""
    alone = _cell("按照本条例规定执行的，依照第五条", "（2）项的规定办理，并报送县民政局备案")
    assert marker_sequence_starts(alone) == frozenset()
    after_di = _cell("（1）依照本条例规定执行的，依照第", "（2）项的规定办理，并报送县民政局备案")
    assert marker_sequence_starts(after_di) == frozenset()
    assert "\n" not in join_cell_lines(after_di, CELL, 0.3, 1.5)


def test_only_at_the_left_edge_and_in_one_form() -> None:
    indented = [_line("①开展镇党支部书记乡村振兴“擂台比", 98.0), _line("武”工作，选树和打造乡村振兴现场点", 108.0),
                _line("②组织人员参加县党支部书记乡村振", 118.0, LEFT + 2 * SIZE)]
    assert marker_sequence_starts(indented) == frozenset()
    mixed = _cell("①开展镇党支部书记乡村振兴“擂台比", "武”工作，选树和打造乡村振兴现场点", "（2）组织人员参加县党支部书记乡村")
    assert marker_sequence_starts(mixed) == frozenset()
    skipped = _cell("①开展镇党支部书记乡村振兴“擂台比", "武”工作，选树和打造乡村振兴现场点", "③组织人员参加县党支部书记乡村振")
    assert marker_sequence_starts(skipped) == frozenset()


class _Row:
    def __init__(self, cells: list, bbox: tuple) -> None:
        self.cells, self.bbox = cells, bbox


class _Table:
    def __init__(self, rows: list) -> None:
        self.rows = rows


def test_the_lowest_row_under_a_category_merged_down_to_the_foot() -> None:
    """p01's LibreOffice print: the row holding a merged 事项类别 ends at the page foot like the
    last row, whose cells are the ones a page break cut."""
    merged = (60.0, 200.0, 100.0, 531.4)
    first = _Row([(0.0, 200.0, 60.0, 390.2), merged, (100.0, 200.0, 300.0, 390.2)], (0.0, 200.0, 300.0, 531.4))
    last = _Row([(0.0, 390.2, 60.0, 531.4), None, (100.0, 390.2, 300.0, 531.4)], (0.0, 390.2, 300.0, 531.4))
    assert lowest_row([_Table([first, last])]) == {(0.0, 390.2, 60.0, 531.4), (100.0, 390.2, 300.0, 531.4)}
