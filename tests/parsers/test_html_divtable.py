"""Class H: tables a page builds from <div>s styled display:table / table-row / table-cell
(parsers/html_divtable.py), read as tables with the provenance of <table>s."""

from __future__ import annotations

import lxml.html
from duty_lists.parsers import TableRow, TextLine
from duty_lists.parsers.html_divtable import class_displays, display_of
from duty_lists.parsers.html_page import parse_html

ROW = "display:table-row"
CELL = "display:table-cell"


def view(html: str) -> list[tuple]:
    return [
        ("row", b.prov.table, b.prov.row, b.cells) if isinstance(b, TableRow) else ("text", b.text)
        for b in parse_html(html).blocks
    ]


def test_inline_styles_make_rows_and_cells():
    html = (
        "<body><p>某某镇基本履职事项清单</p><div style='display: table'>"
        f"<div style='{ROW}'><div style='{CELL}'>序号</div><div style='{CELL}'>事项名称</div></div>"
        f"<div style='{ROW}'><div style='{CELL}'>1</div><div style='{CELL}'>甲<br>乙</div></div>"
        f"<div style='display:none'><div style='{CELL}'>{{{{x}}}}</div></div>"
        "</div><p>注：无</p></body>"
    )
    assert view(html) == [
        ("text", "某某镇基本履职事项清单"),
        ("row", 0, 1, ["序号", "事项名称"]),
        ("row", 0, 2, ["1", "甲\n乙"]),
        ("text", "注：无"),
    ]


def test_a_div_table_after_a_table_takes_the_next_table_number():
    html = (
        "<body><table><tr><td>序号</td><td>名称</td></tr></table>"
        f"<div style='display:table'><div style='{ROW}'><div style='{CELL}'>1</div><div style='{CELL}'>甲</div></div></div>"
        "</body>"
    )
    assert [v[:3] for v in view(html)] == [("row", 0, 1), ("row", 1, 1)]


def test_the_pages_style_rules_and_row_groups():
    html = (
        "<head><style>/* list */ .tbl{display:table} .tr{display:table-row}\n.th, div.td {display: table-cell}"
        ".thead{display:table-header-group}.tbody{display:table-row-group}"
        "@media (max-width: 640px) { .td {display:block} }</style></head><body>"
        "<div class='tbl'><div class='thead'><div class='tr'><div class='th'>序号</div><div class='th'>名称</div></div></div>"
        "<div class='tbody'><div class='tr'><div class='td'>1</div><div class='td'>甲</div></div></div></div></body>"
    )
    assert [v[3] for v in view(html)] == [["序号", "名称"], ["1", "甲"]]


def test_rules_inside_media_blocks_are_not_the_page_style():
    root = lxml.html.document_fromstring(
        "<html><head><style>.c{display:table-cell} @media print { .c{display:block} .x{display:table-row} }"
        "</style></head><body></body></html>"
    )
    assert class_displays(root) == {"c": "table-cell"}


def test_class_names_of_html_elements_without_a_style_sheet():
    html = (
        "<body><div class='table'><div class='tr'><div class='th'>序号</div><div class='th'>名称</div></div>"
        "<div class='tr'><div class='td'>1</div><div class='td'>甲</div></div></div></body>"
    )
    assert [v[3] for v in view(html)] == [["序号", "名称"], ["1", "甲"]]


def test_what_the_style_says_wins_over_a_class_name():
    root = lxml.html.document_fromstring("<html><body><div class='tr' style='display:flex'>x</div></body></html>")
    assert display_of(root.find(".//div"), {}) == "flex"
    assert display_of(lxml.html.fragment_fromstring("<div class='td'>x</div>"), {"td": "block"}) == "block"


def test_one_styled_row_without_a_table_is_no_table():
    """CSS would wrap it in an anonymous table, but one row of cells is a line of boxes, not a list."""
    html = f"<body><div><div style='{ROW}'><div style='{CELL}'>首页</div><div style='{CELL}'>政务公开</div></div></div></body>"
    assert all(isinstance(b, TextLine) for b in parse_html(html).blocks)


def test_a_css_frame_around_the_page_is_no_table():
    """A menu cell beside a content cell holding the list: the frame is unwrapped, the list read."""
    menu = "".join(f"<div>栏目{k}</div>" for k in range(3))
    html = (
        f"<body><div style='display:table'><div style='{ROW}'><div style='{CELL}'>{menu}</div><div style='{CELL}'>"
        "<p>某某镇基本履职事项清单</p><table><tr><td>序号</td><td>事项名称</td></tr><tr><td>1</td><td>甲</td></tr>"
        "<tr><td>2</td><td>乙</td></tr></table></div></div></div></body>"
    )
    assert [v for v in view(html) if v[0] == "row"] == [
        ("row", 0, 1, ["序号", "事项名称"]), ("row", 0, 2, ["1", "甲"]), ("row", 0, 3, ["2", "乙"])]
