"""Tables without vertical rules (probe class B): rules between rows, shading.

The fixtures (build_pdf_rowrule_fixtures.py) print the 44 柳溪镇 items of
build_pdf_class_fixtures.py with a rule under every row and none between
columns (reportlab, LibreOffice, Chromium) and with zebra shading (reportlab,
Chromium); every record must come back from both readers.  The stages —
which rules a body runs over, rows between rules, cells merged over a rule
that leaves their column out, a header whose label hangs under the others,
a table running into the footer zone, shading — are tested on their own.
"""

from __future__ import annotations

from pathlib import Path

import build_pdf_class_fixtures as gen
import pytest
from duty_lists.parsers.layout.geometry import Char, group_lines
from duty_lists.parsers.model import TableRow
from duty_lists.parsers.pdf.shading import is_shading, without_band_sides
from duty_lists.parsers.pdf.text_columns import header_band
from duty_lists.parsers.pdf.text_rows import body_rules, row_bounds, table_foot
from duty_lists.parsers.pdf.three_line import grid_of, row_rules, three_line_tables

from tests.pdf.test_pdf_classes import ENGINES, records

SIZE = 10.0


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["row_rules_reportlab.pdf", "row_rules_lo.pdf", "row_rules_chromium.pdf"])
def test_a_rule_under_every_row_and_none_between_columns(name: str, engine: str) -> None:
    """reportlab (cells centred), LibreOffice (insideH, the category merged
    over its block), Chromium (``border-bottom`` bars, ``thead`` repeated)."""
    got, errors = records(name, engine)
    assert got == gen.expected()
    assert errors == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["zebra_reportlab.pdf", "zebra_chromium.pdf", "shaded_reportlab.pdf"])
def test_zebra_rows_are_rows_not_cells(name: str, engine: str) -> None:
    """Rule ``shading.band``: shaded rows bound rows, their sides are no
    columns; with grey rules under the rows or none at all (a shaded header)."""
    got, errors = records(name, engine)
    assert got == gen.expected()
    assert errors == []


# ------------------------------------------------------------------ stages


def text(string: str, x: float, top: float) -> list[Char]:
    """``string`` set from ``x`` at ``top``, one character a font size wide."""
    return [Char(ch, x + i * SIZE, x + (i + 1) * SIZE, top, top + SIZE, SIZE) for i, ch in enumerate(string)]


def between_of(chars: list[Char]):
    def between(upper: float, lower: float) -> list[Char]:
        return [c for c in chars if upper < (c.top + c.bottom) / 2 < lower]

    return between


def test_the_body_runs_over_each_rule_whose_band_holds_a_numbered_row() -> None:
    """A rule under every row: the body goes on while a band holds a 序号,
    and stops at the rule above a title (the next list's)."""
    chars = [*text("1", 10, 22), *text("甲事项", 60, 22), *text("2", 10, 42), *text("乙事项", 60, 42),
             *text("配合履职事项清单", 40, 62)]
    rules = [(40.0, 0.0, 200.0), (60.0, 0.0, 200.0), (80.0, 0.0, 200.0)]
    chain, closed = body_rules(between_of(chars), (20.0, 0.0, 200.0), rules, 500.0, 40.0, 3.0)
    assert [rule[0] for rule in chain] == [40.0, 60.0]
    assert closed


def test_a_row_cut_by_the_page_runs_on_past_the_last_rule() -> None:
    """No rule under the lowest row (a page break cut it): the body runs on
    to the page's foot, and into the footer zone at line spacing."""
    chars = [*text("1", 10, 22), *text("甲事项", 60, 22), *text("2", 10, 42), *text("乙事项", 60, 42),
             *text("续行", 60, 54)]
    chain, closed = body_rules(between_of(chars), (20.0, 0.0, 200.0), [(40.0, 0.0, 200.0)], 50.0, 40.0, 3.0)
    assert not closed
    assert chain[-1][0] > 64.0


def test_table_foot_stops_at_a_page_number_set_apart() -> None:
    lines = group_lines([*text("正文", 60, 40), *text("续行", 60, 52), *text("第1页", 60, 90)], 3.0)
    assert 62.0 < table_foot(lines, 50.0) < 90.0


def test_lines_above_a_centred_number_are_its_own_row() -> None:
    """Between two rules, a cell centred in its height puts lines above the
    序号 at line spacing: one row, not a continued row and a new one."""
    body = group_lines([*text("长名称第一行", 60, 22), *text("1", 10, 34), *text("长名称第二行", 60, 34),
                        *text("长名称第三行", 60, 46)], 3.0)
    assert row_bounds(body, 40.0, 20.0, 60.0, continued=False) == [(20.0, 60.0)]
    assert row_bounds(body, 40.0, 20.0, 60.0) == [(20.0, 60.0)]


def test_a_rule_that_leaves_a_column_out_merges_its_cells() -> None:
    """A category merged over two rows: the rule between them stops short of
    its column, so row 2's cell there is row 1's, reaching down."""
    table = grid_of([(0.0, 10.0), (10.0, 20.0), (20.0, 30.0)], [set(), set(), {1}], [(0.0, 5.0), (5.0, 9.0)])
    assert table.rows[2].cells == [(0.0, 20.0, 5.0, 30.0), None]
    assert table.rows[1].cells[1] == (5.0, 10.0, 9.0, 30.0)


def test_a_row_rule_is_what_is_drawn_at_one_height() -> None:
    """Pieces drawn cell by cell, or stopping short of a merged category's
    column, are one row rule when together they cover half the table; a
    short rule (under a heading inside one column) is none."""
    under = (10.0, 0.0, 400.0)
    pieces = [(30.0, 0.0, 100.0), (30.2, 200.0, 300.0), (30.0, 300.0, 400.0), (50.0, 0.0, 100.0), (70.0, 0.0, 400.0)]
    assert row_rules(pieces, under, 3.0) == [(30.0, 0.0, 400.0), (70.0, 0.0, 400.0)]


def test_a_label_wrapped_one_character_a_line_hangs_under_the_header() -> None:
    """事/项/类/别 in a narrow column: its last two characters are the lowest lines."""
    chars = [*text("序号", 10, 12), *text("事", 40, 2), *text("项", 40, 12), *text("事项名称", 80, 12),
             *text("类", 40, 22), *text("别", 40, 32)]
    band = header_band(chars, (45.0, 0.0, 200.0), 0.0, 3.0)
    assert band is not None and band[1]


def test_rows_ruled_under_every_row_come_out_as_rows() -> None:
    """The whole reader on a page: header, two rows, each under a rule, then a title."""
    chars = [*text("序号", 10, 12), *text("事项名称", 80, 12),
             *text("1", 15, 32), *text("甲事项", 80, 32), *text("2", 15, 52), *text("乙事项", 80, 52),
             *text("下一清单标题", 60, 90)]
    rules = [(10.0, 5.0, 200.0), (25.0, 5.0, 200.0), (45.0, 5.0, 200.0), (65.0, 5.0, 200.0)]
    tables = three_line_tables(chars, rules, 500.0, 3.0, 3.0)
    assert len(tables) == 1
    assert [(row.bbox[1], row.bbox[3]) for row in tables[0].rows] == [(10.0, 25.0), (25.0, 45.0), (45.0, 65.0)]


def test_a_filled_band_is_shading_and_a_bar_or_a_frame_is_not() -> None:
    assert is_shading("rect", 500.0, 18.0, fill=True, stroke=False)
    assert not is_shading("rect", 500.0, 1.5, fill=True, stroke=False)  # a border drawn as a bar
    assert not is_shading("rect", 500.0, 18.0, fill=True, stroke=True)  # a frame
    assert not is_shading("line", 500.0, 18.0, fill=True, stroke=False)
    side = {"orientation": "v", "shading": True}
    top = {"orientation": "h", "shading": True}
    rule = {"orientation": "v", "shading": False}
    assert without_band_sides([side, top, rule]) == [top, rule]



def _v(x: float, top: float, bottom: float) -> dict:
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom, "height": bottom - top}


def test_the_two_sides_of_a_bar_drawn_rule_are_one_rule_at_its_centre() -> None:
    from duty_lists.parsers.pdf.shading import bar_centres

    # Measured in a Chromium print: the 序号 border of the lower table (51.75 and 52.5 pt, twice
    # over) and of the table above it (55.5 and 55.88 pt) chained, 3 pt apart, into one snapped
    # rule at 54.9 pt that the rule under row 2 no longer reached.
    edges = [_v(51.75, 462, 508), _v(52.5, 462, 508), _v(52.5, 462, 508), _v(55.5, 59, 86), _v(56.25, 59, 86)]
    rules = bar_centres(edges, "v")
    assert [(round(e["x0"], 3), e["top"], e["bottom"], e["height"]) for e in rules] == [
        (52.125, 462, 508, 46), (55.875, 59, 86, 27),
    ]
    # A lone line, and a second line beside it that it does not run along, stay as they are.
    lone = [_v(100.0, 0, 50), _v(100.5, 60, 90)]
    assert bar_centres(lone, "v") == lone


def test_rows_under_a_table_whose_rules_stand_3_pt_off_the_table_above_stay_apart() -> None:
    """probe2 q43 (Chromium): cooperative 2 and 3 were read as one item 23."""
    from duty_lists.parsers import ParseOptions, parse_file

    path = Path(__file__).resolve().parents[1] / "fixtures" / "probe2" / "q43_beiguan_caption__chromium.pdf"
    for engine in ("pdfium", "pdfplumber"):
        raw = parse_file(path, ParseOptions(pdf_engine=engine))
        numbers = [b.cells[0] for b in raw.blocks if isinstance(b, TableRow) and b.prov.page == 1 and b.prov.table == 1]
        assert numbers == ["序号", "1", "2", "3"], engine
