"""Table structure on the 白石镇 fixtures (issue #12, classes 2, 3, 6, 9): each
case written by two or more producers gives the records it stands for."""

from __future__ import annotations

from pathlib import Path

import build_structure_fixtures as fixtures
import pytest
from duty_lists.ingest.pipeline import process_file

GENERATED = sorted(fixtures.OUT.glob("baishi_*"))


def case_of(path: Path) -> str:
    return next(case for case in sorted(fixtures.CASES, key=len, reverse=True) if path.stem.startswith(f"baishi_{case}"))


def test_every_case_has_two_producers() -> None:
    for case in fixtures.CASES:
        made = [path for path in GENERATED if case_of(path) == case]
        assert len(made) >= 2, case


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: p.name)
def test_structure_gives_the_expected_records(path: Path) -> None:
    doc = process_file(path)
    want = fixtures.expected(case_of(path))
    got = {lst.list_type: lst.items for lst in doc.lists}
    assert sorted(got) == sorted(want)
    for list_type, items in want.items():
        assert len(got[list_type]) == len(items), list_type
        for record, expected in zip(got[list_type], items, strict=True):
            content = record.content()
            assert {key: content[key] for key in expected} == expected, (list_type, record.seq)
            assert not record.extra, (list_type, record.seq)
    assert [f.code for f in doc.findings if f.severity == "error"] == []
