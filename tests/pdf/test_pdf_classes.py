"""Issue #12's PDF classes on fixtures from several producers (build_pdf_class_fixtures.py).

Each fixture holds the same 44 items of a fictional 柳溪镇 basic list in
category blocks that cross page breaks; every record must come back as
printed, with no error finding, from both PDF readers.
"""

from __future__ import annotations

from pathlib import Path

import build_pdf_class_fixtures as gen
import pytest
from duty_lists.ingest.pipeline import RunOptions, process_file
from duty_lists.parsers import ParseOptions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generated" / "classes"
ENGINES = ("pdfium", "pdfplumber")


def records(name: str, engine: str) -> tuple[list[tuple[int, str, str, str]], list[str]]:
    doc = process_file(FIXTURES / name, RunOptions(parse=ParseOptions(pdf_engine=engine)))
    items = [item for lst in doc.lists for item in lst.items]
    errors = [finding.code for finding in doc.findings if finding.severity == "error"]
    return [(item.seq, item.category, item.name, item.remark or "") for item in items], errors


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["merged_label_lo.pdf", "merged_label_chromium.pdf"])
def test_a_merged_label_belongs_to_every_row_it_covers_on_every_page(name: str, engine: str) -> None:
    """Class 1: LibreOffice (vMerge, rows kept whole) and Chromium (rowspan,
    its split part left open at the page foot) print each label once."""
    got, errors = records(name, engine)
    assert got == gen.expected()
    assert errors == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["three_line_reportlab.pdf", "three_line_chromium.pdf"])
def test_three_line_tables(name: str, engine: str) -> None:
    """Class 4: rules above and under the header and at the end only;
    reportlab with centred cells and letter-spaced labels, Chromium with
    top-aligned cells; the category on a block's first row only."""
    got, errors = records(name, engine)
    assert got == gen.expected()
    assert errors == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["overlays_reportlab.pdf", "overlays_chromium.pdf"])
def test_what_is_drawn_over_the_table_is_not_the_table(name: str, engine: str) -> None:
    """Class 5: a diagonal light-grey watermark, a running head 附件1 and a
    footer (reportlab: 第 N 页 共 M 页 and a red seal over the last rows;
    Chromium: its own date, title, URL and N/M): none of their characters
    enters a cell, no row is lost."""
    got, errors = records(name, engine)
    assert got == gen.expected()
    assert errors == []


def test_slanted_runs_are_a_watermark_not_stacked_or_wrapped_text() -> None:
    from duty_lists.parsers.layout.geometry import Char
    from duty_lists.parsers.layout.overlays import slanted_runs

    def glyph(text: str, x: float, y: float, size: float = 10.0) -> Char:
        return Char(text, x, x + size, y, y + size, size)

    diagonal = [glyph(c, 100 + 9 * i, 300 - 5 * i, 14.0) for i, c in enumerate("某某镇人民政府")]
    wrapped_end = [glyph("府", 20, 400, 14.0)]
    line = [glyph(c, 50 + 10 * i, 100) for i, c in enumerate("做好信访工作")]
    stacked = [glyph(c, 30, 200 + 12 * i) for i, c in enumerate("序号")]
    narrow = [glyph(c, 60 + 10 * (i % 2), 150 + 12 * (i // 2)) for i, c in enumerate("应急管理及消防")]
    chars = line + diagonal + wrapped_end + stacked + narrow
    start = len(line)
    assert slanted_runs(chars) == set(range(start, start + len(diagonal) + 1))


def test_a_three_line_table_keeps_its_columns_over_a_page_with_one_short_line() -> None:
    """Class 4, LibreOffice: the header repeats on every page, centred over
    left-aligned cells; a page holding only ``实。`` (the end of a cell) must
    cut its columns where the table does, not in the widest gap of that line."""
    from duty_lists.parsers.layout.geometry import Char
    from duty_lists.parsers.pdf.three_line import CarriedColumns, three_line_tables

    def text(s: str, x0: float, top: float) -> list[Char]:
        return [Char(ch, x0 + i * 10, x0 + (i + 1) * 10, top, top + 10, 10.0) for i, ch in enumerate(s)]

    header = [*text("序号", 52.9, 49.9), *text("对应上级部门", 268.1, 49.9), *text("上级部门职责", 405.7, 49.9)]
    page_6 = [*header, *text("8", 60.4, 192.7), *text("县自然资源和", 263.3, 192.7), *text("1.耕地储备库管理", 343.6, 192.7),
              *text("规划局", 263.3, 204.2), *text("2.非农建设经批准占用", 343.6, 214.2)]
    page_7 = [*header, *text("实。", 343.6, 71.6)]
    rules = [(73.2, 45.6, 785.5), (525.7, 45.6, 785.5)]

    def duty_column(chars: list[Char], page: int, carried: CarriedColumns | None) -> tuple[float, float]:
        (table,) = three_line_tables(chars, rules if page == 6 else [*rules[:1], (95.3, 45.6, 785.5)], 540.0, 3.0, 3.0,
                                     page, carried)
        cell = table.rows[-1].cells[2]
        assert cell is not None
        return cell[0], cell[2]

    carried = CarriedColumns()
    left, _ = duty_column(page_6, 6, carried)
    assert 328.1 < left < 343.6
    assert duty_column(page_7, 7, carried)[0] == left
    # Alone, the page puts the boundary right of 实。, as it did before.
    assert duty_column(page_7, 7, None)[0] > 363.6
    # A page that does not follow, or whose header differs, carries nothing.
    assert duty_column(page_7, 9, carried)[0] > 363.6
