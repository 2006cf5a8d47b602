"""Department names: keys, variant groups, truncated/vague/unknown findings, and the Shahe document."""

from __future__ import annotations

import csv
import io
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from duty_lists.ingest.analysis.dataset import build_dataset
from duty_lists.ingest.pipeline import process_file
from duty_lists.schema.checks import CheckContext, run_checks
from duty_lists.schema.checks.departments import iter_mentions, step_label_names
from duty_lists.schema.departments.names import parse_name
from duty_lists.schema.departments.registry import DepartmentRegistry
from duty_lists.schema.departments.similarity import abbreviates, same_department
from duty_lists.schema.records import Document, DutyList, Finding, Item, Source

REPO = Path(__file__).resolve().parents[2]
SHAHE_TXT = REPO / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单.txt"


def name(printed: str):
    parsed = parse_name(printed)
    assert parsed is not None, printed
    return parsed


def coop(seq: int, departments: list[str], duties: list[str] | None = None, pages: list[int] | None = None) -> Item:
    return Item(
        seq=seq, category="平安法治", name=f"配合事项{seq}",
        superior_departments=departments, superior_duties=duties or [], pages=pages or [],
    )


def reclaimed(seq: int, departments: list[str]) -> Item:
    return Item(seq=seq, category="城乡建设", name=f"收回事项{seq}", receiving_departments=departments)


def doc_of(cooperative: list[Item], reclaimed_items: list[Item] | None = None) -> Document:
    lists = [DutyList(list_type="cooperative", title="配合履职事项清单", items=cooperative)]
    if reclaimed_items:
        lists.append(DutyList(list_type="reclaimed", title="上级部门收回事项清单", items=reclaimed_items))
    return Document(source=Source(path="t.txt", sha256="0", format="text", pages=0), issuer="某县某镇", lists=lists)


def department_findings(doc: Document, registry: frozenset[str] = frozenset()) -> list[Finding]:
    return [f for f in run_checks(doc, CheckContext(departments=registry)) if f.code.startswith("department.")]


def summary(findings: list[Finding]) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(f.code, f.list_type, f.seq, f.text) for f in findings]


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("师市市场监管局", "师市市场监督管理局"),
        ("师市科技局", "师市科学技术局"),
        ("师市人社局", "师市人力资源和社会保障局"),
        ("县发改委", "县发展和改革委员会"),
        ("县卫健委", "县卫生健康委员会"),
        ("县住建局", "县住房和城乡建设局"),
        ("县住房城乡建设局", "县住房和城乡建设局"),  # a dropped 和 is no difference
        ("县 市场 监管局", "县市场监督管理局"),  # nor are spaces
    ],
)
def test_abbreviation_table_gives_equal_keys(short: str, full: str) -> None:
    assert name(short).key == name(full).key
    assert same_department(name(short), name(full))


def test_key_parts() -> None:
    parsed = name("师市市场监管局")
    assert (parsed.level, parsed.stem, parsed.ending) == ("师市", "市场监督管理", "局")
    assert name("师市党委政法委").ending == "委员会"  # 委 is the short form of 委员会
    assert name("法院").level == ""


def test_level_is_part_of_the_key() -> None:
    assert name("市公安局").level == "市"
    assert name("市公安局").key != name("师市公安局").key
    assert not same_department(name("市公安局"), name("师市公安局"))
    # 市场 starts with 市 but is no level: jieba keeps the word whole.
    assert name("市场监督管理局").level == ""


def test_vague_tail_and_role_are_split_off() -> None:
    vague = name("师市住房和城乡建设局等")
    assert (vague.name, vague.vague) == ("师市住房和城乡建设局", "等")
    assert name("县交通运输局等相关部门").vague == "等相关部门"
    role = name("师市自然资源和规划局（林业和草原局）")
    assert (role.name, role.role) == ("师市自然资源和规划局", "林业和草原局")
    assert role.key == name("师市自然资源和规划局").key


def test_missing_ending() -> None:
    assert name("师市人力资源和社会保障").ending == ""
    assert name("师市人力资源和社会保障局").ending == "局"


# --------------------------------------------------------------------------- similarity


@pytest.mark.parametrize(
    ("short", "full"),
    [("县机关事务局", "县机关事务管理局"), ("县应急局", "县应急管理局"), ("县退役军人局", "县退役军人事务局")],
)
def test_abbreviation_outside_the_table(short: str, full: str) -> None:
    assert name(short).key != name(full).key  # not in the table …
    assert abbreviates(name(short), name(full))  # … but it picks a character of every word
    assert same_department(name(short), name(full))


def test_one_slip_in_a_long_name() -> None:
    assert same_department(name("县住房和城乡健设局"), name("县住房和城乡建设局"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("师市自然资源局", "师市自然资源和规划局"),  # 规划 dropped: some places have both
        ("县农业局", "县农业农村局"),
        ("县民政局", "县财政局"),  # one character apart, but short names
        ("县文化和旅游局", "县文化体育广电和旅游局"),
        ("县科技局", "县科协"),  # 局 and 协会: different kinds of body
        ("师市民政局", "师市农业农村局"),
    ],
)
def test_different_departments_stay_apart(a: str, b: str) -> None:
    assert not same_department(name(a), name(b))


#: Distinct departments of a typical city (no two are one department); every
#: pair must stay apart.  The number of pairs grouped is the false-positive count.
ROSTER = """
发展和改革委员会 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 财政局 人力资源和社会保障局
自然资源和规划局 自然资源局 规划局 生态环境局 住房和城乡建设局 交通运输局 水利局 农业农村局 农业局 商务局
文化体育广电和旅游局 文化和旅游局 体育局 广播电视局 卫生健康委员会 退役军人事务局 应急管理局 审计局
国有资产监督管理委员会 市场监督管理局 统计局 医疗保障局 城市管理局 林业和草原局 信访局 数据局 乡村振兴局
民族宗教事务委员会 机关事务管理局 粮食和物资储备局 税务局 气象局 消防救援支队 政务服务和数据管理局 党委组织部
党委宣传部 党委统战部 党委政法委 党委编办 总工会 团委 妇联 科协 文联 残联 红十字会 工商联 人民法院 人民检察院
公共资源交易中心 融媒体中心 住房公积金管理中心 行政审批局 城市管理综合行政执法局 交通运输综合行政执法支队
生态环境保护综合行政执法支队 农业综合行政执法支队 市场监管综合行政执法支队 水务局 国土资源局
安全生产监督管理局 食品药品监督管理局 工商行政管理局 质量技术监督局 卫生局 新闻出版局 外事办公室 政府办公室
党委办公室 人大常委会 教育和科学技术局
""".split()


def test_no_false_positives_on_a_roster_of_distinct_departments() -> None:
    names = [name("师市" + department) for department in ROSTER]
    grouped = [(a.name, b.name) for a, b in itertools.combinations(names, 2) if same_department(a, b)]
    assert grouped == []


# --------------------------------------------------------------------------- registry


def test_registry_groups_variants_and_picks_the_full_form() -> None:
    registry = DepartmentRegistry()
    for printed in ["师市市场监管局", "师市市场监管局", "师市市场监督管理局", "师市民政局", "师市农业农村局"]:
        registry.add(printed)
    groups = {group.canonical: set(group.names) for group in registry.groups()}
    assert groups == {
        "师市市场监督管理局": {"师市市场监管局", "师市市场监督管理局"},
        "师市民政局": {"师市民政局"},
        "师市农业农村局": {"师市农业农村局"},
    }
    assert registry.variant_of("师市市场监管局") == "师市市场监督管理局"
    assert registry.variant_of("师市市场监督管理局") is None
    assert registry.canonical("师市市场监管局等") == "师市市场监督管理局"


def test_a_registered_name_is_canonical_even_if_shorter() -> None:
    registry = DepartmentRegistry(["师市市场监管局"])
    registry.add("师市市场监督管理局")
    assert registry.canonical("师市市场监督管理局") == "师市市场监管局"
    assert registry.variant_of("师市市场监督管理局") == "师市市场监管局"


def test_second_nameplate_is_the_same_department_and_no_variant() -> None:
    registry = DepartmentRegistry()
    registry.add("师市自然资源和规划局（林业和草原局）")
    registry.add("师市自然资源和规划局")
    registry.add("师市林业和草原局")
    assert registry.canonical("师市林业和草原局") == "师市自然资源和规划局"
    assert registry.variant_of("师市林业和草原局") is None
    assert registry.variant_of("师市自然资源和规划局") is None


def test_step_labels() -> None:
    assert step_label_names("师市市场监管局：建立价格领域巡查机制") == ["师市市场监管局"]
    assert step_label_names("市人大常委会、师市党委组织部：") == ["市人大常委会", "师市党委组织部"]
    assert step_label_names("1.审核：师市残联对办证申请材料进行审核") == []
    assert step_label_names("各行业监管部门共性职责：") == []
    assert step_label_names("负责查处违法行为。") == []


# --------------------------------------------------------------------------- findings


def test_clean_list_has_no_findings() -> None:
    doc = doc_of([
        coop(1, ["县民政局", "县农业农村局"], ["县民政局：负责审核。"]),
        coop(2, ["县自然资源和规划局"]),
        coop(3, ["县自然资源和规划局（林业和草原局）", "县公安局"]),
    ])
    assert department_findings(doc) == []


def test_variant_once_per_list_with_every_item() -> None:
    doc = doc_of([
        coop(1, ["县市场监督管理局"], pages=[4]),
        coop(2, ["县市场监管局"], pages=[5]),
        coop(3, ["县民政局"], ["县市场监管局：负责价格巡查。"]),
        coop(4, ["县市场监管局"]),
    ])
    findings = department_findings(doc)
    assert summary(findings) == [("department.variant", "cooperative", 2, "县市场监管局")]
    assert findings[0].severity == "warning"
    assert findings[0].page == 5
    assert "「县市场监管局」与「县市场监督管理局」疑为同一部门的不同写法" in findings[0].message
    assert "见第 2、4 项，及第 3 项的职责文字" in findings[0].message


def test_variant_across_lists_is_reported_in_the_list_that_uses_it() -> None:
    doc = doc_of([coop(1, ["县人力资源和社会保障局"])], [reclaimed(1, ["县人社局"]), reclaimed(2, ["县人社局"])])
    assert summary(department_findings(doc)) == [("department.variant", "reclaimed", 1, "县人社局")]


def test_truncated() -> None:
    doc = doc_of([coop(1, ["县人力资源和社会保障局"]), coop(2, ["县人力资源和社会保障"])])
    findings = department_findings(doc)
    assert summary(findings) == [("department.truncated", "cooperative", 2, "县人力资源和社会保障")]
    assert "疑为「县人力资源和社会保障局」" in findings[0].message


def test_no_ending_but_nothing_it_truncates_is_no_finding() -> None:
    assert department_findings(doc_of([coop(1, ["县人力资源和社会保障"])])) == []


def test_vague() -> None:
    doc = doc_of([coop(1, ["县住房和城乡建设局等"]), coop(2, ["县住房和城乡建设局"]), coop(3, ["相关部门"])])
    findings = department_findings(doc)
    assert summary(findings) == [
        ("department.vague", "cooperative", 1, "县住房和城乡建设局等"),
        ("department.vague", "cooperative", 3, "相关部门"),
    ]
    assert "以「等」结尾" in findings[0].message


def test_unknown_only_with_a_registry() -> None:
    doc = doc_of([coop(1, ["县民政局", "县市场监管局"]), coop(2, ["县水利局"])])
    assert department_findings(doc) == []
    registry = frozenset({"县民政局", "县市场监督管理局", "县水利和湖泊局"})
    findings = department_findings(doc, registry)
    # 县市场监管局 is known through its variant; 县水利局 is not in the registry.
    assert summary(findings) == [
        ("department.variant", "cooperative", 1, "县市场监管局"),
        ("department.unknown", "cooperative", 2, "县水利局"),
    ]
    assert "最接近的是「县水利和湖泊局」" in findings[1].message


def test_mentions_come_from_columns_and_step_labels() -> None:
    doc = doc_of([coop(7, ["县教育局"], ["县财政局、县教育局：保障经费。", "1.审核：县教育局审核材料"])])
    assert [(m.item.seq, m.printed, m.in_step) for m in iter_mentions(doc)] == [
        (7, "县教育局", False), (7, "县财政局", True), (7, "县教育局", True),
    ]


# --------------------------------------------------------------------------- Shahe


@pytest.mark.skipif(not SHAHE_TXT.exists(), reason="Shahe text form not in raw/")
def test_shahe_department_findings() -> None:
    from duty_lists.ingest.pipeline import process_file

    findings = [f for f in process_file(SHAHE_TXT).findings if f.code.startswith("department.")]
    assert {(f.code, f.list_type, f.text) for f in findings} == {
        ("department.variant", "cooperative", "师市市场监管局"),
        ("department.variant", "cooperative", "师市科技局"),
        # 人社 is an abbreviation pair: the reclaimed list's spelling of the cooperative list's bureau.
        ("department.variant", "reclaimed", "师市人社局"),
        ("department.truncated", "cooperative", "师市人力资源和社会保障"),
        ("department.vague", "cooperative", "师市住房和城乡建设局等"),
    }
    assert len(findings) == 5
    messages = {f.text: f.message for f in findings}
    assert "与「师市市场监督管理局」" in messages["师市市场监管局"]
    assert "与「师市科学技术局」" in messages["师市科技局"]
    assert "与「师市人力资源和社会保障局」" in messages["师市人社局"]
    # Used as a step label in item 51 only: the message says so.
    assert "第 15、51 项的职责文字" in messages["师市市场监管局"]


def test_cli_help_does_not_load_jieba() -> None:
    code = (
        "import sys, contextlib, io\n"
        "import ingest.cli, schema.checks, schema.departments.registry\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        ingest.cli.main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('jieba' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- the report and the dataset agree

FIXTURES = sorted([*(p for p in (REPO / "tests" / "fixtures" / "generated").rglob("*") if p.is_file() and p.suffix != ".json"),
                   *(REPO / "raw").glob("*.txt")])
_VARIANT = re.compile(r"「(?P<name>[^」]+)」与「(?P<canonical>[^」]+)」")


@pytest.mark.parametrize("source", FIXTURES, ids=lambda path: path.name)
def test_the_checks_and_departments_csv_group_names_alike(source: Path, tmp_path: Path) -> None:
    """Every spelling the report calls a variant of X is in X's row of
    ``departments.csv``, and every other spelling in a row is reported as a
    variant of that row's name (a second nameplate excepted: it is its
    bureau's, never a variant)."""
    doc = process_file(source)
    reported = {
        (m["name"], m["canonical"])
        for finding in doc.findings if finding.code == "department.variant"
        for m in [_VARIANT.search(finding.message)] if m
    }
    assert len(reported) == len({f.text for f in doc.findings if f.code == "department.variant"})
    folder = tmp_path / "run" / "doc"
    folder.mkdir(parents=True)
    (folder / "document.json").write_text(doc.model_dump_json(), encoding="utf-8")
    build_dataset([tmp_path / "run"], tmp_path / "ds")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "ds" / "departments.csv").read_text("utf-8-sig"))))
    assert rows or not reported
    in_rows = {(variant, row["canonical"]) for row in rows for variant in row["variants"].split("、")}
    plates = {f"{parsed.level}{parsed.role}" for mention in iter_mentions(doc)
              if (parsed := parse_name(mention.printed)) is not None and parsed.role}
    assert reported <= in_rows
    assert {(v, c) for v, c in in_rows if v != c and v not in plates} == reported
