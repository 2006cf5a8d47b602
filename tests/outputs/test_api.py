"""The notebook API: ``import duty_lists`` and the shipped JSON Schema."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from duty_lists.ingest.cli import main
from duty_lists.ingest.cli.schema import document_schema
from duty_lists.ingest.pipeline import process_file
from duty_lists.schema.records import Document

import duty_lists
from tests.conftest import SHAHE_ISSUER, SHAHE_TXT, write_text_form

COUNTS = {"basic": 101, "cooperative": 86, "reclaimed": 80}


@pytest.fixture(scope="module")
def shahe() -> Document:
    return duty_lists.parse(str(SHAHE_TXT))


def test_parse_takes_a_string_or_a_path_and_gives_what_run_gives(shahe: Document) -> None:
    assert isinstance(shahe, duty_lists.Document)
    assert shahe == duty_lists.parse(SHAHE_TXT) == process_file(str(SHAHE_TXT))
    assert {dl.list_type: len(dl.items) for dl in shahe.lists} == COUNTS


def test_to_pandas_gives_one_frame_per_list_and_the_findings(shahe: Document) -> None:
    frames = shahe.to_pandas()
    assert {name: len(frame) for name, frame in frames.items()} == {**COUNTS, "findings": len(shahe.findings)}
    cooperative = frames["cooperative"]
    assert cooperative["seq"].tolist() == list(range(1, 87))
    assert set(cooperative["issuer"]) == {SHAHE_ISSUER} and set(cooperative["list_type"]) == {"cooperative"}
    cooperative_list = shahe.get_list("cooperative")
    assert cooperative_list is not None
    first = cooperative_list.items[0]
    assert cooperative.loc[0, "superior_departments"] == first.superior_departments  # lists stay lists
    assert cooperative.explode("superior_departments")["superior_departments"].notna().all()
    assert list(frames["findings"].columns[:3]) == ["issuer", "source_path", "source_sha256"]


def test_frames_of_several_documents_concatenate(shahe: Document, tmp_path: Path) -> None:
    other = duty_lists.parse(write_text_form(tmp_path / "甲镇.txt"))
    other_basic = other.get_list("basic")
    assert other_basic is not None
    both = pd.concat([shahe.to_pandas()["basic"], other.to_pandas()["basic"]], ignore_index=True)
    assert both.groupby("issuer").size().to_dict() == {
        SHAHE_ISSUER: 101, other.issuer: len(other_basic.items)}


def test_diff_and_compare_return_data(shahe: Document, tmp_path: Path) -> None:
    renamed = shahe.model_copy(deep=True)
    renamed.lists[0].items[0].name += "（修订）"
    changes = duty_lists.diff(shahe, renamed)
    assert [c.new.name for c in changes.changed] == [renamed.lists[0].items[0].name]
    assert changes.unchanged == sum(COUNTS.values()) - 1
    folder = tmp_path / "out"
    assert main(["run", str(SHAHE_TXT), "--out", str(folder), "--quiet"]) == 0
    from_json = duty_lists.diff(folder / SHAHE_TXT.stem / "document.json", str(SHAHE_TXT))
    assert not from_json.changed and not from_json.added and not from_json.removed
    comparison = duty_lists.compare([shahe, renamed])
    assert comparison.towns and comparison.similarity[0][1] > 0.99


def test_a_bad_input_raises_parse_error_with_the_cli_reason(tmp_path: Path) -> None:
    bad = tmp_path / "通知.txt"
    bad.write_text("这是一份通知。\n", encoding="utf-8")
    with pytest.raises(duty_lists.ParseError) as caught:
        duty_lists.parse(bad)
    assert "未找到履职事项清单表格" in caught.value.reason


def test_version_is_the_installed_metadata() -> None:
    from importlib.metadata import version

    assert duty_lists.__version__ == version("duty-lists")


def test_schema_command_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    shipped = json.loads(resources.files("duty_lists.schema").joinpath("data/document.schema.json").read_text("utf-8"))
    assert printed == shipped == document_schema(), "stale: run duty-lists schema > schema/data/document.schema.json"
    assert set(printed["properties"]) >= {"schema_version", "source", "issuer", "lists", "findings"}
