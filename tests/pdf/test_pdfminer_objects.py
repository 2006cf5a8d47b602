"""``page_objects`` gives exactly the characters and edges pdfplumber itself gives.

The pdfplumber reader takes its objects from pdfminer's layout directly
(:mod:`parsers.pdf.pdfminer_objects`) instead of through pdfplumber's per-attribute
dicts; the reader stays the reference only while the two are the same, on
every PDF fixture and on the coordinate systems the small layouts build
(rotated page, offset MediaBox, rules in a form XObject, curves).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from duty_lists.parsers.pdf.pdfium.page import as_char
from duty_lists.parsers.pdf.pdfminer_objects import page_objects

from tests.pdf.test_pdf_engines import FIXTURE_PDFS, LAYOUTS


def _edge_key(edge: dict[str, Any]) -> tuple:
    return tuple(edge.get(k) for k in ("object_type", "orientation", "x0", "x1", "top", "bottom", "width", "height", "doctop"))


def assert_same_objects(path: Path) -> int:
    """Pages compared; fails on the first page whose objects differ."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars, edges = page_objects(page)
            assert chars == [as_char(obj) for obj in page.chars], f"{path.name} p.{page.page_number}: characters differ"
            assert sorted(map(_edge_key, edges), key=repr) == sorted(map(_edge_key, page.edges), key=repr), (
                f"{path.name} p.{page.page_number}: edges differ"
            )
            page.close()
        return len(pdf.pages)


@pytest.mark.parametrize("path", FIXTURE_PDFS, ids=lambda p: p.name)
def test_fixture_objects_equal_pdfplumbers(path: Path) -> None:
    assert assert_same_objects(path) > 0


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_objects_equal_pdfplumbers(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.pdf"
    LAYOUTS[name](path)
    assert assert_same_objects(path) > 0


def test_objects_are_really_there() -> None:
    """Guards the comparison: the rebuilt Shahe PDF has text and ruled edges on every table page."""
    path = next(p for p in FIXTURE_PDFS if p.name.endswith("（重建版）.pdf"))
    with pdfplumber.open(path) as pdf:
        chars, edges = page_objects(pdf.pages[2])
    assert len(chars) > 500
    assert {e["orientation"] for e in edges} == {"h", "v"}
