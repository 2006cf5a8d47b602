"""dataset: determinism, formula safety, department grouping, Frictionless validity."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import frictionless
import pyarrow.parquet as pq
import pytest
from duty_lists.ingest.analysis.dataset import build_dataset
from duty_lists.ingest.cli import main
from duty_lists.schema.records import Document, DutyList, Finding, Item, Source

FILES = ("items.csv", "items.parquet", "towns.csv", "departments.csv", "datapackage.json", "lists.xlsx")


def town(issuer: str, items: list[Item], reclaimed: list[Item] | None = None) -> Document:
    return Document(
        source=Source(path=f"in/{issuer}.pdf", sha256=hashlib.sha256(issuer.encode()).hexdigest(), format="pdf", pages=3),
        issuer=issuer,
        lists=[DutyList(list_type="cooperative", title="配合", items=items),
               DutyList(list_type="reclaimed", title="收回", items=reclaimed or [])],
        findings=[Finding(code="seq.gap", severity="warning", message="序号不连续"),
                  Finding(code="count", severity="error", message="合计不符")],
    )


def run_dir(root: Path, docs: list[Document]) -> Path:
    """A folder laid out as `duty-lists run` writes it."""
    root.mkdir(parents=True)
    entries = []
    for doc in docs:
        (root / doc.issuer).mkdir()
        (root / doc.issuer / "document.json").write_text(doc.model_dump_json(), encoding="utf-8")
        entries.append({"path": doc.source.path, "stem": doc.issuer, "status": "ok"})
    (root / "stale").mkdir()  # a failed input's leftover: not in the manifest as ok
    (root / "stale" / "document.json").write_text(town("旧镇", []).model_dump_json(), encoding="utf-8")
    entries.append({"path": "in/旧镇.pdf", "stem": "stale", "status": "failed"})
    (root / "manifest.json").write_text(json.dumps({"inputs": entries}), encoding="utf-8")
    return root


def inputs(tmp_path: Path) -> list[Path]:
    a = town("甲镇", [
        Item(seq=2, category="应急", name="=HYPERLINK(\"http://x\")", superior_departments=["师市市场监管局"],
             town_duties=["1.排查", "2.上报"], pages=[1, 2]),
        Item(seq=1, category="民政", name="-低保入户调查", superior_departments=["师市民政局"]),
        Item(seq=1, category="民政", name="重复序号的事项", superior_departments=["师市民政局"]),
    ], reclaimed=[Item(seq=1, category="综合", name="地名清理", receiving_departments=["师市市场监督管理局"])])
    b = town("乙镇", [
        Item(seq=1, category="应急", name="@安全检查", superior_departments=["师市市场监督管理局", "师市应急管理局"]),
    ])
    return [run_dir(tmp_path / "run1", [a]), run_dir(tmp_path / "run2", [b])]


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    dirs = inputs(tmp_path)
    build_dataset(dirs, tmp_path / "one")
    build_dataset(list(reversed(dirs)), tmp_path / "two")  # input order does not matter either
    for name in FILES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert not [p for p in (tmp_path / "one").iterdir() if p.name not in FILES]  # no temporary files left


def test_items_table(tmp_path: Path) -> None:
    build_dataset(inputs(tmp_path), tmp_path / "ds")
    raw = (tmp_path / "ds" / "items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["issuer"] for r in rows] == ["乙镇", "甲镇", "甲镇", "甲镇", "甲镇"]  # sorted by issuer, list, seq
    names = [r["name"] for r in rows]
    assert names[0] == "'@安全检查" and "'-低保入户调查" in names and "'=HYPERLINK(\"http://x\")" in names
    assert len({r["item_id"] for r in rows}) == 5  # the repeated seq 1 still gets its own id
    first = next(r for r in rows if r["issuer"] == "甲镇" and r["list_type"] == "cooperative")
    assert first["item_id"] == hashlib.sha1("甲镇|cooperative|1".encode()).hexdigest()[:16]
    hyper = next(r for r in rows if "HYPERLINK" in r["name"])
    assert hyper["town_duties"] == "1.排查\n2.上报" and hyper["pages"] == "1、2"
    table = pq.read_table(tmp_path / "ds" / "items.parquet")
    assert table.column("name").to_pylist()[0] == "@安全检查"  # Parquet keeps the plain value
    assert table.schema.field("seq").type == "int64" and table.num_rows == 5
    metadata = table.schema.metadata or {}
    assert not any(b"pandas" in key for key in metadata)


def test_content_hash_ignores_seq_only(tmp_path: Path) -> None:
    item = Item(seq=1, category="民政", name="低保", superior_departments=["师市民政局"])
    moved = item.model_copy(update={"seq": 7})
    edited = item.model_copy(update={"name": "低保审核"})
    dirs = [run_dir(tmp_path / n, [town(n, [it])]) for n, it in (("甲", item), ("乙", moved), ("丙", edited))]
    build_dataset(dirs, tmp_path / "ds")
    rows = {r["issuer"]: r for r in csv.DictReader(io.StringIO((tmp_path / "ds" / "items.csv").read_text("utf-8-sig")))}
    assert rows["甲"]["content_hash"] == rows["乙"]["content_hash"] != rows["丙"]["content_hash"]


def test_towns_and_departments(tmp_path: Path) -> None:
    build_dataset(inputs(tmp_path), tmp_path / "ds")
    towns = list(csv.DictReader(io.StringIO((tmp_path / "ds" / "towns.csv").read_text("utf-8-sig"))))
    assert [t["issuer"] for t in towns] == ["乙镇", "甲镇"]  # the stale folder is not a town
    jia = towns[1]
    assert (jia["items_cooperative"], jia["items_reclaimed"], jia["items_total"]) == ("3", "1", "4")
    assert (jia["findings_error"], jia["findings_warning"], jia["source_pages"]) == ("1", "1", "3")
    depts = list(csv.DictReader(io.StringIO((tmp_path / "ds" / "departments.csv").read_text("utf-8-sig"))))
    market = next(d for d in depts if d["canonical"] == "师市市场监督管理局")
    assert set(market["variants"].split("、")) == {"师市市场监督管理局", "师市市场监管局"}
    assert (market["count"], market["towns"]) == ("3", "2")


def test_departments_are_grouped_as_the_department_check_groups_them(tmp_path: Path) -> None:
    items = [
        Item(seq=1, category="综合", name="甲", superior_departments=["师市市场监管局", "师市农业局"]),
        Item(seq=2, category="综合", name="乙", superior_departments=["师市市场监督管理局", "师市农业农村局"]),
        Item(seq=3, category="综合", name="丙", superior_departments=["师市民政局。", "师市住房和城乡建设局等"]),
        Item(seq=4, category="综合", name="丁", superior_departments=["师市民政局", "师市住房和城乡建设局"],
             town_duties=["师市应急管理局：组织演练"]),
    ]
    build_dataset([run_dir(tmp_path / "run", [town("甲镇", items)])], tmp_path / "ds")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "ds" / "departments.csv").read_text("utf-8-sig"))))
    groups = {row["canonical"]: set(row["variants"].split("、")) for row in rows}
    assert groups == {
        "师市市场监督管理局": {"师市市场监督管理局", "师市市场监管局"},  # the full form is canonical
        "师市农业农村局": {"师市农业农村局"},  # 农村 is not abbreviated away: another department
        "师市农业局": {"师市农业局"},
        "师市民政局": {"师市民政局"},  # a stray full stop is no spelling
        "师市住房和城乡建设局": {"师市住房和城乡建设局"},  # nor a vague tail
        "师市应急管理局": {"师市应急管理局"},  # named as a step's label
    }
    counts = {row["canonical"]: row["count"] for row in rows}
    assert counts["师市市场监督管理局"] == counts["师市民政局"] == counts["师市住房和城乡建设局"] == "2"


def test_datapackage_is_valid(tmp_path: Path) -> None:
    build_dataset(inputs(tmp_path), tmp_path / "ds")
    descriptor = json.loads((tmp_path / "ds" / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == ["items", "items-parquet", "towns", "departments"]
    assert all(resource["schema"]["fields"] for resource in descriptor["resources"])  # declared, not inferred
    report = frictionless.validate(str(tmp_path / "ds" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [5, 5, 2, 3]


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dirs = inputs(tmp_path)
    assert main(["dataset", *map(str, dirs), "--into", str(tmp_path / "ds")]) == 0
    assert "事项 5 条，乡镇（街道）2 个" in capsys.readouterr().out
    assert main(["dataset", "/no/such/run", "--into", str(tmp_path / "y")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "/no/such/run" in err[0]


def test_versions_of_one_town_share_item_ids(tmp_path: Path) -> None:
    """Two versions of a town: one town with two versions, items keyed by (id, source)."""
    old = town("甲镇", [Item(seq=1, category="党的建设", name="加强党建")])
    new = town("甲镇", [Item(seq=1, category="党的建设", name="加强党的建设")])
    new = new.model_copy(update={"source": new.source.model_copy(update={"path": "in/甲镇v2.pdf", "sha256": "f" * 64})})
    build_dataset([run_dir(tmp_path / "a", [old]), run_dir(tmp_path / "b", [new])], tmp_path / "ds")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "ds" / "items.csv").read_text("utf-8-sig"))))
    assert len(rows) == 2 and rows[0]["item_id"] == rows[1]["item_id"]
    assert rows[0]["content_hash"] != rows[1]["content_hash"]
    towns = list(csv.DictReader(io.StringIO((tmp_path / "ds" / "towns.csv").read_text("utf-8-sig"))))
    assert [(t["issuer"], t["versions"], t["source_path"]) for t in towns] == [("甲镇", "2", "in/甲镇v2.pdf")]
    assert towns[0]["all_source_paths"].splitlines() == ["in/甲镇.pdf", "in/甲镇v2.pdf"]
    report = frictionless.validate(str(tmp_path / "ds" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_four_versions_of_one_town_are_one_town(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Run folders named oldest first: the last is the latest, whatever the file names say."""
    dirs = []
    for n, name in enumerate(["加强党的建设", "加强党建", "加强党建工作", "加强党的建设工作"]):
        doc = town("甲镇", [Item(seq=1, category="党的建设", name=name)])
        doc = doc.model_copy(update={"source": doc.source.model_copy(update={"path": f"in/v{4 - n}.pdf", "sha256": f"{n}" * 64})})
        dirs.append(run_dir(tmp_path / f"run{n}", [doc]))
    assert main(["dataset", *map(str, dirs), "--into", str(tmp_path / "ds")]) == 0
    assert "事项 4 条，乡镇（街道）1 个" in capsys.readouterr().out
    (row,) = csv.DictReader(io.StringIO((tmp_path / "ds" / "towns.csv").read_text("utf-8-sig")))
    assert (row["versions"], row["source_path"], row["items_total"]) == ("4", "in/v1.pdf", "1")
    assert row["all_source_paths"].splitlines() == ["in/v4.pdf", "in/v3.pdf", "in/v2.pdf", "in/v1.pdf"]
