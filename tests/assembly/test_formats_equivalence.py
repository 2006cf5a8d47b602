"""The same fictional town in every format and layout gives the same records."""

from __future__ import annotations

from pathlib import Path

import build_fixtures
import pytest
from duty_lists.ingest.pipeline import process_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

GENERATED = sorted((FIXTURES / "generated").glob("qingshi_*"))


def content(doc) -> list:
    return [(dl.list_type, [item.content() for item in dl.items]) for dl in doc.lists]


def expected() -> list:
    """The canonical records the fixture data stands for: steps lose the ``；``
    that separated them, a discontinued statement is the only working-method step."""
    out = []
    for list_type, items in build_fixtures.LISTS.items():
        records = []
        for item in items:
            records.append({
                "seq": item.seq,
                "category": item.category,
                "name": item.name,
                "remark": item.remark or None,
                "superior_departments": list(item.superior_departments),
                "superior_duties": [s.rstrip("；") for s in item.superior_duties],
                "town_duties": [s.rstrip("；") for s in item.town_duties],
                "receiving_departments": list(item.receiving_departments),
                "working_method": [s.rstrip("；") for s in item.working_method] or (
                    [item.discontinued] if item.discontinued else []
                ),
                "discontinued": bool(item.discontinued),
                "extra": {},
            })
        out.append((list_type, records))
    return out


def test_fixtures_exist_in_every_format():
    suffixes = {path.suffix for path in GENERATED}
    assert {".docx", ".xlsx", ".html"} <= suffixes


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: p.name)
def test_every_format_gives_the_expected_records(path):
    doc = process_file(path)
    assert doc.issuer == build_fixtures.TOWN
    assert content(doc) == expected()
    assert [f for f in doc.findings if f.severity == "error"] == []
