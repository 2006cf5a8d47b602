"""Classes 10 and 11 (tests/fixtures/classes/c10_*, c11_*): the findings their records alone do not show.

Class 10's headers are wordings no synonym names (read by their head) plus a column the lists do not
define: that column, and no other, is reported as ``column.unmapped`` in the lists that print it.
Class 11 prints column numbers under every header: nothing may be reported about them (their records,
with no extra item, are held by test_classes.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.assembly.test_classes import FIXTURES, records


def _of_class(*classes: int) -> list[tuple[Path, dict]]:
    out = []
    for document, expected in FIXTURES:
        truth = json.loads(expected.read_text(encoding="utf-8"))
        if truth.get("class") in classes:
            out.append((document, truth))
    return out


@pytest.mark.parametrize(("document", "truth"), [pytest.param(d, t, id=d.name) for d, t in _of_class(10, 11)])
def test_exactly_the_columns_no_list_defines_are_reported(document: Path, truth: dict) -> None:
    doc = records(document)
    reported: dict[str, list[str]] = {}
    for finding in doc["findings"]:
        if finding["code"] == "column.unmapped":
            reported.setdefault(finding["list_type"], []).append(finding["text"])
    assert reported == truth.get("unmapped_columns", {})
    for lst in doc["lists"]:
        for item in lst["items"]:
            assert set(item["extra"]) <= set(reported.get(lst["list_type"], [])), (lst["list_type"], item["seq"])


def test_both_classes_come_from_at_least_two_producers() -> None:
    for cls in (10, 11):
        producers = {t["producer"].split(" → ")[-1] for _d, t in _of_class(cls)}
        assert len(producers) >= 2, (cls, producers)
