"""Steps numbered ① （1） (1) 1): every step where the document has it, in a DOCX or HTML list
and in its LibreOffice or Chromium print (tests/fixtures/classes/c7_markers__*, ground truth
marked ``steps_exact``).  The loose comparison of test_classes.py ignores step boundaries; here
each step must be one step of the truth, its marker and closing separator aside.  In a print the
step before often fills its last line, so only the next marker tells the line end
(rule ``paragraph.marker_sequence``); in the documents a ``；`` inside a ``1)`` step stays in it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.assembly.test_classes import FIXTURES, records

STEP_FIELDS = ("superior_duties", "town_duties", "working_method")
_MARKER = re.compile(r"^(?:[（(]?\d{1,2}[)）.．、]|[①-⑳])")
_WS = re.compile(r"\s+")


def _steps(values: list[str] | None) -> list[str]:
    return [_WS.sub("", _MARKER.sub("", value)).rstrip("；;，,") for value in values or []]


EXACT = [(d, e) for d, e in FIXTURES if json.loads(e.read_text(encoding="utf-8")).get("steps_exact")]


def test_there_are_fixtures_from_two_producers_of_pdf() -> None:
    names = {d.name for d, _e in EXACT}
    assert {"c7_markers__python-docx_libreoffice.pdf", "c7_markers__chromium.pdf"} <= names


@pytest.mark.parametrize(("document", "expected"), [pytest.param(d, e, id=d.name) for d, e in EXACT])
def test_every_step_as_the_document_has_it(document: Path, expected: Path) -> None:
    truth = json.loads(expected.read_text(encoding="utf-8"))
    got = {(lst["list_type"], it["seq"]): it for lst in records(document)["lists"] for it in lst["items"]}
    wrong = []
    for lst in truth["lists"]:
        for item in lst["items"]:
            mine = got[(lst["list_type"], item["seq"])]
            for field in STEP_FIELDS:
                if item["discontinued"] and field == "working_method":
                    continue
                if _steps(item[field]) != _steps(mine[field]):
                    wrong.append(f"{lst['list_type']} {item['seq']} {field}: {len(item[field])} steps, got "
                                 f"{len(mine[field])}: {[s[:30] for s in mine[field]]}")
    assert not wrong, f"{len(wrong)} fields:\n" + "\n".join(wrong)
