"""The 青石镇 PDFs as different producers print them: each file really has the
layout it claims, and page facts (TOC, printed numbers, cut rows) come through.
That their records equal every other format's is tests/assembly/test_formats_equivalence.py."""

from __future__ import annotations

from pathlib import Path

import build_pdf_fixtures as gen
import pdfplumber
import pytest
from duty_lists.ingest.pipeline import process_file
from duty_lists.parsers.model import TableRow, TextLine
from duty_lists.parsers.pdf.plumber import parse_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

GENERATED = FIXTURES / "generated"
RULED = GENERATED / "qingshi_ruled_landscape.pdf"
HRULES = GENERATED / "qingshi_hrules_portrait.pdf"
SHARED = GENERATED / "qingshi_several_tables_per_page.pdf"
BROWSER = GENERATED / "qingshi_browser_print.pdf"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, gen.BuildInfo]]:
    """A fresh build: file name -> (path, what the build measured)."""
    outdir = tmp_path_factory.mktemp("pdf_fixtures")
    return {path.name: (path, info) for path, info in gen.build(outdir).items()}


@pytest.fixture(scope="module")
def fresh(built: dict[str, tuple[Path, gen.BuildInfo]]) -> dict[str, gen.BuildInfo]:
    return {name: info for name, (_, info) in built.items()}


@pytest.mark.parametrize("name", list(gen.BUILDERS))
def test_committed_pdfs_are_current_and_deterministic(name: str, built: dict, tmp_path: Path) -> None:
    again = tmp_path / name
    gen.BUILDERS[name](again)
    assert again.read_bytes() == built[name][0].read_bytes()
    assert (GENERATED / name).read_bytes() == again.read_bytes(), f"stale: run python {gen.__file__}"


@pytest.mark.parametrize("name", list(gen.BUILDERS))
def test_items_know_their_pages(name: str, fresh: dict) -> None:
    doc = process_file(GENERATED / name)
    info: gen.BuildInfo = fresh[name]
    assert doc.source.pages == info.pages
    assert [dl.start_page for dl in doc.lists] == info.title_pages
    for dl in doc.lists:
        for item in dl.items:
            assert item.pages, (dl.list_type, item.seq)
            assert item.pages == sorted(set(item.pages))
            assert all(1 <= page <= info.pages for page in item.pages)
            cut = (dl.list_type, str(item.seq)) in info.cut_rows
            assert len(item.pages) == (2 if cut else 1), (dl.list_type, item.seq, item.pages)


def test_several_lists_share_a_page() -> None:
    doc = process_file(SHARED)
    starts = [dl.start_page for dl in doc.lists]
    assert starts.count(starts[0]) >= 2
    with pdfplumber.open(SHARED) as pdf:
        assert len(pdf.pages[0].find_tables()) >= 2
    # Reading order: each title sits right above its own table's header.
    blocks = parse_pdf(SHARED).blocks
    titles = [i for i, b in enumerate(blocks) if isinstance(b, TextLine) and b.text in gen.content.TITLES.values()]
    assert len(titles) == 3
    for index in titles:
        after = blocks[index + 1]
        assert isinstance(after, TableRow) and after.cells[0] == "编号"


def test_toc_and_printed_pages_agree() -> None:
    doc = process_file(RULED)
    assert doc.printed_pages == {page: page - 1 for page in range(2, doc.source.pages + 1)}
    assert [entry.printed_page for entry in doc.toc] == [
        doc.printed_pages[dl.start_page] for dl in doc.lists if dl.start_page is not None
    ]
    assert [entry.list_type for entry in doc.toc] == list(gen.content.LISTS)
    assert not [f for f in doc.findings if f.code == "toc.page_mismatch"]


def test_wrong_toc_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "qingshi_wrong_toc.pdf"
    right = gen.ruled_landscape(tmp_path / "right.pdf").toc_numbers
    wrong = [right[0], right[1] + 1, right[2]]
    info = gen.ruled_landscape(path, toc_numbers=wrong)
    assert info.toc_numbers == wrong
    mismatches = [f for f in process_file(path).findings if f.code == "toc.page_mismatch"]
    assert [(f.list_type, f.page) for f in mismatches] == [("cooperative", info.title_pages[1])]


@pytest.mark.parametrize(("path", "footer"), [(HRULES, "— {} —"), (BROWSER, "- {} -")])
def test_footer_numbers(path: Path, footer: str) -> None:
    doc = parse_pdf(path)
    assert doc.printed_pages == {page: page for page in range(1, doc.pages + 1)}
    footers = [b.text for b in doc.blocks if isinstance(b, TextLine) and b.y is not None and b.y > 0.9]
    assert footers == [footer.format(page) for page in range(1, doc.pages + 1)]


def test_hrules_pdf_has_no_vertical_lines() -> None:
    with pdfplumber.open(HRULES) as pdf:
        for page in pdf.pages:
            assert not page.rects and not page.curves
            assert page.lines, "the tables are ruled horizontally"
            assert all(abs(line["x1"] - line["x0"]) > 100 and line["top"] == line["bottom"] for line in page.lines)
            assert not [edge for edge in page.edges if edge["orientation"] == "v"]
    doc = parse_pdf(HRULES)
    assert f"{doc.pages} read with the horizontal-rules fallback" in doc.notes[0].message
    # The 说明 comes before the first table, the 注 after the last.
    texts = [(i, b.text) for i, b in enumerate(doc.blocks) if isinstance(b, TextLine)]
    rows = [i for i, b in enumerate(doc.blocks) if isinstance(b, TableRow)]
    intro = next(i for i, text in texts if text.startswith("说明："))
    note = next(i for i, text in texts if text.startswith("注："))
    assert intro < rows[0] and note > rows[-1]


def test_browser_print_leaves_a_cut_row_open(fresh: dict) -> None:
    """At the foot of a page the vertical rules stop with no rule joining
    them; on the next page they start again with none either, and no header."""
    with pdfplumber.open(BROWSER) as pdf:
        first, second = pdf.pages[0], pdf.pages[1]
        bottom = max(edge["bottom"] for edge in first.edges if edge["orientation"] == "v")
        assert not [e for e in first.edges if e["orientation"] == "h" and abs(e["top"] - bottom) < 1]
        top = min(edge["top"] for edge in second.edges if edge["orientation"] == "v")
        assert not [e for e in second.edges if e["orientation"] == "h" and abs(e["top"] - top) < 1]
        assert "序号" not in (second.extract_text() or "").splitlines()[0]
    list_type, seq = next(iter(fresh[BROWSER.name].cut_rows))
    rows = [b for b in parse_pdf(BROWSER).blocks if isinstance(b, TableRow)]
    continuation = next(row for row in rows if row.prov.page == 2)
    assert continuation.prov.row == 1 and continuation.cells[0] == ""
    # The row it continues is the last on the page before, the one the build cut.
    cut = rows[rows.index(continuation) - 1]
    assert cut.prov.page == 1 and (cut.cells[0] or "").strip() == seq
    doc = process_file(BROWSER)
    duty_list = doc.get_list(list_type)
    assert duty_list is not None and duty_list.items[int(seq) - 1].pages == [1, 2]
