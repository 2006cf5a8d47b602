"""The rebuilt 沙河镇 PDF: deterministic, faithful to its text form, and
paginated the way the parser tests rely on (TOC numbers, split rows)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import build_shahe_pdf as gen
import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parents[2]



@pytest.fixture(scope="module")
def built() -> tuple[bytes, gen.BuildReport]:
    return gen.build()


def test_build_is_byte_identical(tmp_path: Path, built: tuple[bytes, gen.BuildReport]) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert gen.main(["--output", str(first)]) == 0
    assert gen.main(["--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes() == built[0]


def test_committed_pdf_is_current(built: tuple[bytes, gen.BuildReport]) -> None:
    assert gen.OUTPUT.read_bytes() == built[0], "raw PDF is stale: run python tools/build_shahe_pdf.py"


def test_source_lists() -> None:
    source = gen.read_source(gen.SOURCE)
    assert source.title == "新疆生产建设兵团第一师阿拉尔市 五团沙河镇履职事项清单"
    assert [len(duty_list.rows) for duty_list in source.lists] == [101, 86, 80]
    assert [len(duty_list.header) for duty_list in source.lists] == [4, 7, 5]
    assert [duty_list.title for duty_list in source.lists] == [
        f"新疆生产建设兵团第一师阿拉尔市五团沙河镇{kind}履职事项清单" for kind in ("基本", "配合", "收回")
    ]
    for duty_list in source.lists:
        assert [row[0] for row in duty_list.rows] == [str(n) for n in range(1, len(duty_list.rows) + 1)]


def test_source_rejects_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("标题\n\n某某清单\n序号\t类别\t名称\n1\t党的建设\n", encoding="utf-8")
    with pytest.raises(ValueError, match="2 cells, header has 3"):
        gen.read_source(path)


def test_cell_flowables_one_paragraph_per_hard_line() -> None:
    style = gen._styles()["cell"]
    paragraphs = gen.cell_flowables("<p>甲：</p> <ol> 1.乙&amp;丙； 2.丁", style)
    # reportlab drops a paragraph's leading space; the gaps inside stay.
    assert [p.getPlainText() for p in paragraphs] == ["甲：", "1.乙&丙； 2.丁"]


def test_rows_span_pages(built: tuple[bytes, gen.BuildReport]) -> None:
    assert len(built[1].split_rows) >= gen.MIN_SPLIT_ROWS
    # Independently of the generator's bookkeeping: pages whose first row
    # under the repeated header has no 序号 carry the rest of a cut row.
    continued = 0
    with pdfplumber.open(gen.OUTPUT) as pdf:
        for page in pdf.pages[1:]:
            table = page.extract_table()
            if table and len(table) > 1 and table[0][0] == "序号" and not table[1][0]:
                continued += 1
            page.close()
    assert continued >= gen.MIN_SPLIT_ROWS


def test_toc_numbers_are_where_titles_are_printed(built: tuple[bytes, gen.BuildReport]) -> None:
    report = built[1]
    source = gen.read_source(gen.SOURCE)
    with pdfplumber.open(gen.OUTPUT) as pdf:
        assert len(pdf.pages) == report.pages
        cover = pdf.pages[0].extract_text()
        toc = [int(n) for n in re.findall(r"清单\.+\((\d+)\)", cover)]
        assert toc == report.toc_numbers
        assert "— " not in cover, "the cover must be unnumbered"
        for duty_list, number in zip(source.lists, toc, strict=True):
            printed = [
                index for index, page in enumerate(pdf.pages)
                if duty_list.title in (page.extract_text() or "").splitlines()[:1]
            ]
            assert len(printed) == 1
            page_text = pdf.pages[printed[0]].extract_text()
            assert page_text.splitlines()[-1] == f"— {number} —"
            physical = printed[0] + 1
            assert physical == number + 1


def test_paragraphs_in_a_cell_are_spaced(built: tuple[bytes, gen.BuildReport]) -> None:
    """Inside a cell, lines follow at the 12 pt leading within a paragraph and
    PARAGRAPH_SPACE further apart between paragraphs — measured on the first
    pages of the 配合 list (many-paragraph cells), not taken from the styles."""
    start = built[1].title_pages[1]
    pitches: set[float] = set()
    with pdfplumber.open(gen.OUTPUT) as pdf:
        for page in pdf.pages[start - 1 : start + 2]:
            for table in page.find_tables():
                for row in table.rows:
                    for box in filter(None, row.cells):
                        tops = sorted({round(char["top"], 1) for char in page.within_bbox(box).chars})
                        pitches.update(round(b - a, 1) for a, b in pairwise(tops))
            page.close()
    assert pitches == {12.0, 12.0 + gen.PARAGRAPH_SPACE}
