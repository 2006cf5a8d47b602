"""The Shahe lists, from every raw document and with both PDF readers, equal
the reviewed golden dataset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import RunOptions, process_file
from duty_lists.parsers import ParseOptions

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = json.loads((ROOT / "tests/golden/shahe.json").read_text(encoding="utf-8"))
STEM = "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单"
TEXT_FORM = ROOT / f"raw/{STEM}.txt"
REBUILT_PDF = ROOT / f"raw/{STEM}（重建版）.pdf"
REBUILT_DOCX = ROOT / f"raw/{STEM}（重建版）.docx"
LIBREOFFICE_PDF = ROOT / f"raw/{STEM}（LibreOffice导出）.pdf"
CONTENT_KEYS = (
    "seq", "category", "name", "remark", "superior_departments", "superior_duties",
    "town_duties", "receiving_departments", "working_method", "discontinued",
)
#: (document, PDF reader); the reader is ignored for other formats.
SOURCES = {
    "text": (TEXT_FORM, "pdfium"),
    "pdf": (REBUILT_PDF, "pdfium"),
    "docx": (REBUILT_DOCX, "pdfium"),
    "libreoffice-pdfium": (LIBREOFFICE_PDF, "pdfium"),
    "libreoffice-pdfplumber": (LIBREOFFICE_PDF, "pdfplumber"),
}
PAGED = {"pdf": REBUILT_PDF, "libreoffice": LIBREOFFICE_PDF}


def read(path: Path, engine: str = "pdfium"):
    return process_file(path, RunOptions(parse=ParseOptions(pdf_engine=engine)))


@pytest.fixture(scope="module", params=list(SOURCES), ids=list(SOURCES))
def shahe(request):
    return read(*SOURCES[request.param])


def content(doc) -> dict:
    return {
        "issuer": doc.issuer,
        "lists": [
            {
                "list_type": dl.list_type,
                "title": dl.title,
                "items": [{k: getattr(item, k) for k in CONTENT_KEYS} for item in dl.items],
            }
            for dl in doc.lists
        ],
    }


def test_counts(shahe):
    assert [(dl.list_type, len(dl.items)) for dl in shahe.lists] == [
        ("basic", 101), ("cooperative", 86), ("reclaimed", 80),
    ]


def test_records_equal_golden_item_by_item(shahe):
    got = content(shahe)
    assert got["issuer"] == GOLDEN["issuer"]
    for got_list, want_list in zip(got["lists"], GOLDEN["lists"], strict=True):
        assert got_list["list_type"] == want_list["list_type"]
        assert got_list["title"] == want_list["title"]
        for got_item, want_item in zip(got_list["items"], want_list["items"], strict=True):
            assert got_item == want_item, f"{got_list['list_type']} item {want_item['seq']}"


def test_issue_examples(shahe):
    cooperative, reclaimed = shahe.get_list("cooperative"), shahe.get_list("reclaimed")
    assert len(cooperative.items[2].superior_duties) == 9
    assert len(cooperative.items[2].town_duties) == 6
    assert reclaimed.items[0].receiving_departments == ["师市农业农村局"]
    assert len(reclaimed.items[0].working_method) == 3
    assert reclaimed.items[2].discontinued


def test_no_error_findings_and_traditional_warning(shahe):
    assert [f for f in shahe.findings if f.severity == "error"] == []
    assert any(f.code == "text.traditional" and f.seq == 15 and f.list_type == "basic" for f in shahe.findings)


@pytest.mark.parametrize("path", list(PAGED.values()), ids=list(PAGED))
def test_pdf_items_know_their_pages(path):
    doc = read(path)
    for dl in doc.lists:
        for item in dl.items:
            assert item.pages, (dl.list_type, item.seq)
            assert item.pages == sorted(set(item.pages))
            assert all(1 <= p <= doc.source.pages for p in item.pages)
            # Every page an item is on names a table row there, in page order.
            assert sorted({ref.page for ref in item.provenance}) == item.pages
            assert [ref.page for ref in item.provenance] == sorted(ref.page for ref in item.provenance)
    spanning = [item for dl in doc.lists for item in dl.items if len(item.pages) > 1]
    assert len(spanning) >= 5


def test_libreoffice_export_pages_and_footers():
    """46 pages; each footer's PAGE field prints its own page number, and
    each list starts on its own page (the DOCX breaks before lists 2 and 3)."""
    doc = read(LIBREOFFICE_PDF)
    assert doc.source.pages == 46
    assert doc.printed_pages == {page: page for page in range(1, 47)}
    starts = [dl.items[0].pages[0] for dl in doc.lists]
    assert starts[0] == 1 and starts == sorted(starts)
    for dl, start in zip(doc.lists[1:], starts[1:], strict=True):
        assert dl.start_page == start


def test_docx_items_have_no_pages_but_table_row_provenance():
    doc = read(REBUILT_DOCX)
    for dl in doc.lists:
        assert all(item.pages == [] for item in dl.items)
        # One table per list: row 1 is the header, item n is row n + 1.
        assert [[(ref.page, ref.row) for ref in item.provenance] for item in dl.items] == [
            [(0, item.seq + 1)] for item in dl.items
        ]


def test_text_form_items_have_no_pages_but_line_provenance():
    doc = process_file(TEXT_FORM)
    first = doc.lists[0].items[0]
    assert first.pages == []
    lines = TEXT_FORM.read_text(encoding="utf-8").splitlines()
    assert lines[first.provenance[0].row - 1].startswith("1\t党的建设")
