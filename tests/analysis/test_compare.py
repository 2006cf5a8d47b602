"""compare: three fictional towns against a reference, and against each other."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from bench_compare import bench_compare
from duty_lists.ingest.analysis.compare import compare_towns, csv_rows, render_text, to_dict
from duty_lists.ingest.cli import main
from duty_lists.schema.records import Document, DutyList, Item, Source
from gen_corpus import generate_corpus

ROOT = Path(__file__).resolve().parents[2]

R = {
    "R1": "加强基层党组织建设，规范党内组织生活",
    "R2": "开展统计调查，按时上报统计数据",
    "R3": "最低生活保障对象的申请受理和入户调查",
    "R4": "农药经营许可的初审和实地核查",
    "R5": "秸秆禁烧宣传和日常巡查",
    "R6": "不规范地名清理整治",
}


def doc(issuer: str, lists: dict[str, list[str]]) -> Document:
    return Document(
        source=Source(path=f"{issuer}.pdf", sha256="0" * 64, format="pdf", pages=1),
        issuer=issuer,
        lists=[
            DutyList.model_validate(
                {"list_type": t, "title": t, "items": [Item(seq=i, category="综合", name=n) for i, n in enumerate(names, 1)]}
            )
            for t, names in lists.items()
        ],
    )


def towns() -> tuple[Document, list[Document]]:
    reference = doc("模板", {"basic": [R["R1"], R["R2"], R["R3"]], "cooperative": [R["R4"], R["R5"]], "reclaimed": [R["R6"]]})
    a = doc("甲镇", {"basic": [R["R2"], R["R1"], R["R3"], "甲镇葡萄产业园招商服务"],
                     "cooperative": ["农药经营许可的初审和现场核查"]})  # R4 reworded
    b = doc("乙镇", {"basic": [R["R6"], R["R5"], R["R4"]], "cooperative": [R["R3"], R["R2"], R["R1"]]})
    c = doc("丙镇", {"basic": [R["R1"], "丙镇红枣收购价格监测", "丙镇胡杨林景区安全巡查"],
                     "reclaimed": ["秸秆禁烧宣传和日常检查"]})  # R5 renamed
    return reference, [a, b, c]


def test_coverage_against_reference() -> None:
    reference, ts = towns()
    result = compare_towns(ts, reference)
    ref = result.reference_items
    table = {
        c.town: (
            sorted(ref[i].name for i, _, _ in c.covered),
            sorted(ref[i].name for i in c.lacking),
            sorted(it.name for it in c.own),
        )
        for c in result.coverage
    }
    assert table == {
        "甲镇": (sorted(R[k] for k in ("R1", "R2", "R3", "R4")), sorted([R["R5"], R["R6"]]), ["甲镇葡萄产业园招商服务"]),
        "乙镇": (sorted(R.values()), [], []),
        "丙镇": (sorted([R["R1"], R["R5"]]), sorted(R[k] for k in ("R2", "R3", "R4", "R6")),
                 sorted(["丙镇红枣收购价格监测", "丙镇胡杨林景区安全巡查"])),
    }
    (a,) = [c for c in result.coverage if c.town == "甲镇"]
    (r4,) = [(it, score) for i, it, score in a.covered if ref[i].name == R["R4"]]
    assert r4[0].name == "农药经营许可的初审和现场核查" and 0.4 <= r4[1] < 1.0


def test_shared_unique_and_similarity_without_reference() -> None:
    _, ts = towns()
    result = compare_towns(ts)
    # a group is named by its most common spelling; at 1:1 the first seen (甲镇's R4)
    shared = sorted(g.name for g in result.shared())
    assert shared == sorted([R["R1"], R["R2"], R["R3"], "农药经营许可的初审和现场核查", R["R5"]])
    assert sorted(g.names for g in result.shared()) == [1, 1, 1, 2, 2]
    unique = {(g.name, result.towns[g.towns[0]]) for g in result.unique()}
    assert unique == {(R["R6"], "乙镇"), ("甲镇葡萄产业园招商服务", "甲镇"), ("丙镇红枣收购价格监测", "丙镇"),
                      ("丙镇胡杨林景区安全巡查", "丙镇")}
    # 甲 {R1-R4, own}, 乙 {R1-R6}, 丙 {R1, R5, own×2}
    expected = [[1.0, 4 / 7, 1 / 8], [4 / 7, 1.0, 2 / 8], [1 / 8, 2 / 8, 1.0]]
    for row, want in zip(result.similarity, expected, strict=True):
        assert row == pytest.approx(want, abs=1e-4)


def test_renderings() -> None:
    reference, ts = towns()
    result = compare_towns(ts, reference)
    data = json.loads(json.dumps(to_dict(result), ensure_ascii=False))
    assert [c["counts"] for c in data["coverage"]] == [
        {"covered": 4, "lacking": 2, "own": 1}, {"covered": 6, "lacking": 0, "own": 0}, {"covered": 2, "lacking": 4, "own": 2}
    ]
    text = render_text(result)
    assert "甲镇：已有 4/6（67%），缺少 2，自有 1" in text
    assert "3 个乡镇（街道）" in text and "相似度" in text
    assert "| 丙镇 | 2 (33%) | 4 | 2 |" in render_text(result, markdown=True)
    rows = csv_rows(result, "coverage")
    assert rows[0][:2] == ["town", "status"] and sum(r[1] == "lacking" for r in rows[1:]) == 6
    with pytest.raises(ValueError):
        csv_rows(compare_towns(ts), "coverage")


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reference, ts = towns()
    paths = []
    for d in [reference, *ts]:
        path = tmp_path / f"{d.issuer}.json"
        path.write_text(d.model_dump_json(), encoding="utf-8")
        paths.append(str(path))
    assert main(["compare", *paths[1:], "--reference", paths[0], "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")  # Excel reads a CSV as UTF-8 only with its BOM
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert {(r[0], r[1]) for r in rows[1:]} >= {("甲镇", "own"), ("乙镇", "covered"), ("丙镇", "lacking")}
    assert main(["compare", *paths[1:], "--format", "csv", "--table", "similarity"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "\ufefftown,甲镇,乙镇,丙镇"
    assert main(["compare", paths[1], str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.json" in err[0]


def test_synthetic_corpus_recovers_the_template() -> None:
    """Every template item is shared; coverage is the share of it each town kept."""
    reference, ts = generate_corpus(40, 60, seed=3)
    result = compare_towns(ts, reference)
    assert len(result.shared()) == 60
    kept = sum(len(c.covered) for c in result.coverage) / (60 * 40)
    assert 0.85 < kept < 0.95  # towns keep 90 % of the template


def test_bench_reports_figures() -> None:
    figures = bench_compare(20, 50)
    assert figures["n_towns"] == 20 and figures["total_items"] > 20 * 40
    assert figures["compare_s"] > 0 and figures["shared_groups"] == 50


def test_a_town_given_in_several_versions_is_compared_in_its_last(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, (a, b, _) = towns()
    a_old = a.model_copy(update={"source": a.source.model_copy(update={"path": "甲镇旧版.json", "sha256": "1" * 64})})
    paths = []
    for n, d in enumerate([a_old, b, a]):
        path = tmp_path / f"{n}.json"
        path.write_text(d.model_dump_json(), encoding="utf-8")
        paths.append(str(path))
    assert main(["compare", *paths, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["towns"] == ["甲镇", "乙镇"]
    assert err.count("\n") == 1 and "甲镇: 2 个版本" in err and a.source.path in err
    assert main(["compare", *paths, "--format", "json", "--all-versions"]) == 0
    assert len(json.loads(capsys.readouterr().out)["towns"]) == 3
