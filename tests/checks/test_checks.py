"""Each check on small documents: what it finds, where it locates it, and what it leaves alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import RunOptions, process_file
from duty_lists.schema.checks import CheckContext, Policy, all_codes, run_checks
from duty_lists.schema.checks.vocabulary import load_categories
from duty_lists.schema.records import DutyList, Finding, Item, TocEntry

from tests.conftest import SHAHE_TXT, TOWN, basic, item, make_doc, of_code, write_text_form

CATEGORIES = load_categories()


def check(doc) -> list[Finding]:
    return run_checks(doc, CheckContext(categories=CATEGORIES))


def numbered(*seqs: int, category: str = "党的建设") -> list[Item]:
    return [item(s, category, f"{category}第{i}个事项") for i, s in enumerate(seqs)]


def numbering_findings(*items: Item) -> list[Finding]:
    return [f for f in check(make_doc(basic(*items))) if f.code.startswith("numbering.")]


# --------------------------------------------------------------------------- numbering


def test_clean_numbering_has_no_finding() -> None:
    assert numbering_findings(*numbered(1, 2, 3, 4)) == []


def test_numbering_start() -> None:
    findings = numbering_findings(*numbered(2, 3, 4))
    assert [(f.code, f.list_type, f.seq, f.text) for f in findings] == [("numbering.start", "basic", 2, "2")]
    assert "从 2 开始" in findings[0].message


def test_numbering_gap() -> None:
    items = numbered(1, 2, 5)
    findings = numbering_findings(*items)
    assert [(f.code, f.list_type, f.seq, f.text) for f in findings] == [("numbering.gap", "basic", 5, items[2].name)]
    assert "缺少 3、4" in findings[0].message


def test_numbering_duplicate() -> None:
    items = numbered(1, 2, 2, 3)
    findings = numbering_findings(*items)
    assert [(f.code, f.list_type, f.seq, f.text) for f in findings] == [("numbering.duplicate", "basic", 2, items[2].name)]


def test_numbering_order() -> None:
    items = numbered(1, 3, 2)
    order = [f for f in numbering_findings(*items) if f.code == "numbering.order"]
    assert [(f.list_type, f.seq, f.text) for f in order] == [("basic", 2, items[2].name)]
    assert "序号 2 出现在 3 之后" in order[0].message


def test_swapped_numbers_are_an_order_problem_not_gaps() -> None:
    findings = numbering_findings(*numbered(1, 3, 2, 4))
    assert [f.code for f in findings] == ["numbering.order"]


def test_numbering_restarting_per_category_is_accepted() -> None:
    items = numbered(1, 2, 3, category="党的建设") + numbered(1, 2, category="经济发展") + numbered(1, category="平安法治")
    assert numbering_findings(*items) == []


def test_gap_inside_a_restarting_category_is_caught() -> None:
    items = numbered(1, 2, 3, category="党的建设") + numbered(1, 3, category="经济发展")
    findings = numbering_findings(*items)
    assert [(f.code, f.seq) for f in findings] == [("numbering.gap", 3)]
    assert "「经济发展」" in findings[0].message
    assert findings[0].text == items[-1].name


def test_restart_inside_one_category_is_not_per_category_numbering() -> None:
    # Restarting at 1 without a category change is a numbering error, not a new sequence.
    findings = numbering_findings(*numbered(1, 2, 3, 1, 2))
    assert {f.code for f in findings} == {"numbering.duplicate"}


# --------------------------------------------------------------------------- categories


def test_one_character_typo_is_an_error_with_a_suggestion() -> None:
    doc = make_doc(basic(item(1, "经济发展"), item(2, "经济发屐"), item(3, "经济发屐")))
    findings = of_code(check(doc), "category.unknown")
    assert len(findings) == 1  # reported once per list, not per row
    finding = findings[0]
    assert (finding.severity, finding.list_type, finding.seq, finding.text) == ("error", "basic", 2, "经济发屐")
    assert "经济发展" in finding.message


def test_far_unknown_category_is_a_warning() -> None:
    doc = make_doc(basic(item(1, "量子计算研究")))
    assert of_code(check(doc), "category.unknown") == []
    findings = of_code(check(doc), "category.unlisted")
    assert [(f.severity, f.list_type, f.seq, f.text) for f in findings] == [("warning", "basic", 1, "量子计算研究")]


def test_every_finding_code_is_declared_once() -> None:
    # One code, one default severity: a rules file addresses exactly one kind of finding.
    from collections import Counter

    from duty_lists.schema.checks import finding_types

    assert [code for code, n in Counter(t.code for t in finding_types()).items() if n > 1] == []


def test_known_categories_pass() -> None:
    assert of_code(check(make_doc(basic(item(1, "党的建设"), item(2, "经济发展")))), "category.unknown") == []


def test_category_split() -> None:
    doc = make_doc(basic(item(1, "党的建设"), item(2, "党的建设"), item(3, "经济发展"), item(4, "党的建设")))
    findings = of_code(check(doc), "category.split")
    assert [(f.severity, f.list_type, f.seq, f.text) for f in findings] == [("warning", "basic", 4, "党的建设")]


def test_contiguous_categories_are_not_split() -> None:
    doc = make_doc(basic(item(1, "党的建设"), item(2, "经济发展"), item(3, "经济发展")))
    assert of_code(check(doc), "category.split") == []


# --------------------------------------------------------------------------- required fields


def test_cooperative_item_without_superior_department() -> None:
    items = [
        item(1, "平安法治", "配合禁毒宣传", superior_departments=["县公安局"], town_duties=["组织宣传"]),
        item(2, "平安法治", "配合消防检查", town_duties=["排查隐患"]),
    ]
    findings = of_code(check(make_doc(DutyList(list_type="cooperative", title="配合", items=items))), "field.empty")
    assert [(f.severity, f.list_type, f.seq, f.text) for f in findings] == [("error", "cooperative", 2, "配合消防检查")]
    assert "对应上级部门" in findings[0].message


def test_reclaimed_item_needs_a_receiver_or_a_discontinued_statement() -> None:
    items = [
        item(1, "城乡建设", "施工许可", receiving_departments=["县住建局"]),
        item(2, "生态环保", "排污许可", discontinued=True, working_method=["此项工作已不再开展"]),
        item(3, "生态环保", "环评审批"),
    ]
    findings = of_code(check(make_doc(DutyList(list_type="reclaimed", title="收回", items=items))), "field.empty")
    assert [(f.severity, f.list_type, f.seq, f.text) for f in findings] == [("error", "reclaimed", 3, "环评审批")]
    assert "承接部门" in findings[0].message


# --------------------------------------------------------------------------- items


def test_item_duplicate_within_a_list() -> None:
    doc = make_doc(basic(item(1, name="做好党员发展、教育工作"), item(2, name="统计数据"), item(3, name="做好党员发展，教育工作。")))
    findings = of_code(check(doc), "item.duplicate")
    assert [(f.severity, f.list_type, f.seq, f.text) for f in findings] == [("error", "basic", 3, "做好党员发展，教育工作。")]
    assert "第 1 项" in findings[0].message


def test_reclaimed_item_still_listed_as_basic_is_a_cross_list_error() -> None:
    doc = make_doc(
        basic(item(1, name="加强党组织建设"), item(2, "城乡建设", name="建筑工程施工许可")),
        DutyList(
            list_type="reclaimed", title="收回", items=[item(1, "城乡建设", "建筑工程施工许可", receiving_departments=["县住建局"])]
        ),
    )
    findings = of_code(check(doc), "item.cross_list")
    assert [(f.severity, f.list_type, f.seq, f.text) for f in findings] == [("error", "reclaimed", 1, "建筑工程施工许可")]
    assert "基本履职事项清单第 2 项" in findings[0].message


# --------------------------------------------------------------------------- text


def test_traditional_character_is_a_warning() -> None:
    doc = make_doc(basic(item(1, name="做好团员发展、教育、管理和服務工作")))
    findings = of_code(check(doc), "text.traditional")
    assert [(f.severity, f.list_type, f.seq) for f in findings] == [("warning", "basic", 1)]
    assert "服務" in (findings[0].text or "")
    assert "務" in findings[0].message and "务" in findings[0].message


def test_simplified_fugai_is_not_traditional() -> None:
    # OpenCC's t2s turns 一批覆盖 into 一批复盖 (phrase 批覆); 覆 is a standard simplified character.
    doc = make_doc(basic(item(1, name="共建联建一批覆盖师团的基层就业服务站")))
    assert of_code(check(doc), "text.traditional") == []


@pytest.mark.parametrize("garbage", ["(cid:12)", "\ufffd", "\ue000"], ids=["cid", "replacement", "private-use"])
def test_garbled_text(garbage: str) -> None:
    name = f"做好{garbage}统计工作"
    findings = of_code(check(make_doc(basic(item(1, name=name)))), "text.garbled")
    assert [(f.severity, f.list_type, f.seq) for f in findings] == [("warning", "basic", 1)]
    assert garbage in (findings[0].text or "")
    assert garbage in findings[0].message


def test_clean_text_has_no_text_finding() -> None:
    findings = check(make_doc(basic(item(1, name="做好统计工作（PM2.5监测）"))))
    assert [f for f in findings if f.code.startswith("text.")] == []


# --------------------------------------------------------------------------- counts


def test_count_mismatch_from_a_title(tmp_path: Path) -> None:
    rows = {"basic": [(1, "党的建设", "加强党组织建设", ""), (2, "经济发展", "统计经济数据", "")]}
    path = write_text_form(tmp_path / "共3项.txt", rows, titles={"basic": f"{TOWN}基本履职事项清单（共3项）"})
    findings = of_code(process_file(path).findings, "count.mismatch")
    assert [(f.severity, f.list_type, f.seq) for f in findings] == [("error", "basic", None)]
    assert "声明 3 项，实际列出 2 项" in findings[0].message
    assert "共3项" in (findings[0].text or "")


def test_count_matching_the_title_passes(tmp_path: Path) -> None:
    rows = {"basic": [(1, "党的建设", "加强党组织建设", ""), (2, "经济发展", "统计经济数据", "")]}
    path = write_text_form(tmp_path / "共2项.txt", rows, titles={"basic": f"{TOWN}基本履职事项清单（共2项）"})
    assert of_code(process_file(path).findings, "count.mismatch") == []


def test_count_mismatch_from_a_section_count() -> None:
    items = numbered(1, 2, category="党的建设") + numbered(3, category="经济发展")
    doc = make_doc(basic(*items, stated_category_counts={"党的建设": 3, "经济发展": 1}))
    findings = of_code(check(doc), "count.mismatch")
    assert [(f.severity, f.list_type, f.seq, f.text) for f in findings] == [("error", "basic", 1, "党的建设")]
    assert "声明 3 项，实际列出 2 项" in findings[0].message


def test_section_line_count_is_not_the_list_count(tmp_path: Path) -> None:
    text = "\n".join([
        f"{TOWN}基本履职事项清单",
        "序号\t事项类别\t履职事项名称\t备注",
        "一、党的建设（2项）",
        "1\t党的建设\t加强党组织建设\t",
        "2\t党的建设\t开展党员教育\t",
        "二、经济发展（1项）",
        "3\t经济发展\t统计经济数据\t",
    ]) + "\n"  # fmt: skip
    path = tmp_path / "分节.txt"
    path.write_text(text, encoding="utf-8")
    assert of_code(process_file(path).findings, "count.mismatch") == []


# --------------------------------------------------------------------------- table of contents


def toc_doc(printed_pages: dict[int, int] | None, toc_pages: tuple[int, int]) -> list[Finding]:
    lists = (
        basic(item(1), start_page=3),
        DutyList(list_type="cooperative", title="配合", start_page=5,
                 items=[item(1, "平安法治", "配合禁毒", superior_departments=["县公安局"], town_duties=["宣传"], pages=[5])]),
    )  # fmt: skip
    toc = [TocEntry(list_type="basic", title="基本履职事项清单", printed_page=toc_pages[0]),
           TocEntry(list_type="cooperative", title="配合履职事项清单", printed_page=toc_pages[1])]  # fmt: skip
    return of_code(check(make_doc(*lists, toc=toc, printed_pages=printed_pages, pages=8)), "toc.page_mismatch")


def test_toc_compares_printed_page_numbers_when_footers_give_them() -> None:
    printed = {1: 0, 2: 0, 3: 1, 4: 2, 5: 3}  # cover and TOC unnumbered; page 3 prints "1"
    assert toc_doc(printed, (1, 3)) == []
    findings = toc_doc(printed, (1, 5))  # physical page 5 would be wrong to compare here
    assert [(f.severity, f.list_type, f.text) for f in findings] == [("warning", "cooperative", "配合履职事项清单")]
    assert "页脚页码第 3 页" in findings[0].message and "第 5 页" in findings[0].message


def test_toc_compares_physical_pages_without_printed_numbers() -> None:
    assert toc_doc(None, (3, 5)) == []
    findings = toc_doc(None, (1, 5))
    assert [(f.list_type, f.page, f.text) for f in findings] == [("basic", 3, "基本履职事项清单")]
    assert "物理页第 3 页" in findings[0].message


# --------------------------------------------------------------------------- findings carry their location


def test_item_findings_carry_list_type_seq_and_text() -> None:
    doc = make_doc(
        basic(
            item(1, "党的建设", "加强党组织建设"), item(3, "经济发屐", "统计服務(cid:3)数据"), item(4, "党的建设", "加强党组织建设")
        ),
        DutyList(list_type="reclaimed", title="收回", items=[item(1, "党的建设", "统计服務(cid:3)数据")]),
    )
    findings = check(doc)
    codes = {f.code for f in findings}
    assert {"numbering.gap", "category.unknown", "category.split", "item.duplicate", "item.cross_list",
            "text.traditional", "text.garbled", "field.empty"} <= codes  # fmt: skip
    for finding in findings:
        assert finding.list_type in {"basic", "reclaimed"}, finding
        assert finding.seq is not None, finding
        assert finding.text, finding
        assert finding.message and "{" not in finding.message, finding


# --------------------------------------------------------------------------- policy


def test_rules_file_disables_a_code_and_changes_a_severity(tmp_path: Path) -> None:
    doc = make_doc(basic(item(1, "党的建设"), item(2, "经济发展"), item(3, "党的建设", name="做好服務工作")))
    before = check(doc)
    assert of_code(before, "text.traditional") and of_code(before, "category.split")[0].severity == "warning"
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"disable": ["text.traditional"], "severity": {"category.split": "error"}}), encoding="utf-8")
    policy = Policy.from_file(rules, all_codes())
    after = run_checks(doc, CheckContext(categories=CATEGORIES), policy)
    assert of_code(after, "text.traditional") == []
    assert [f.severity for f in of_code(after, "category.split")] == ["error"]
    assert len(after) == len(before) - len(of_code(before, "text.traditional"))


def test_rules_file_through_the_pipeline(tmp_path: Path) -> None:
    rows = {"basic": [(1, "党的建设", "做好服務工作", ""), (2, "量子计算研究", "开展量子计算", "")]}
    path = write_text_form(tmp_path / "规则.txt", rows)
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"severity": {"text.traditional": "error"}, "disable": ["category.unlisted"]}), encoding="utf-8")
    findings = process_file(path, RunOptions(rules_file=str(rules))).findings
    assert [(f.code, f.severity) for f in findings] == [("text.traditional", "error")]


@pytest.mark.parametrize(
    ("rules", "match"),
    [
        ({"disable": ["numbering.gapp"]}, "unknown rule codes.*numbering.gapp"),
        ({"severity": {"no.such.code": "error"}}, "unknown rule codes.*no.such.code"),
        ({"disabled": ["numbering.gap"]}, "disabled: Extra inputs are not permitted"),
        ({"severity": {"numbering.gap": "fatal"}}, "severity.numbering.gap: Input should be 'error', 'warning' or 'info'"),
        ({"disable": "numbering.gap"}, "disable: Input should be a valid array"),
        ("[1, 2]", "Input should be an object"),
    ],
    ids=["unknown-disabled-code", "unknown-severity-code", "unknown-key", "unknown-severity", "not-a-list", "not-an-object"],
)
def test_bad_rules_file_is_a_value_error(tmp_path: Path, rules: dict | str, match: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(rules if isinstance(rules, str) else json.dumps(rules), encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        Policy.from_file(path, all_codes())


def test_rules_file_that_is_not_json_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text("{disable: [numbering.gap]}", encoding="utf-8")
    with pytest.raises(ValueError):
        Policy.from_file(path, all_codes())


@pytest.mark.parametrize("text", ["3", "null", '{"severity": ["numbering.gap"]}', '{"disable": [["numbering.gap"]]}'])
def test_rules_file_of_the_wrong_shape_is_a_value_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError):
        Policy.from_file(path, all_codes())


def test_no_rules_file_keeps_everything() -> None:
    assert Policy.from_file(None, all_codes()) == Policy()


# --------------------------------------------------------------------------- the real 沙河镇 text form


@pytest.fixture(scope="module")
def shahe_findings() -> list[Finding]:
    return process_file(SHAHE_TXT).findings


def test_shahe_has_no_error(shahe_findings: list[Finding]) -> None:
    assert [f for f in shahe_findings if f.severity == "error"] == []


def test_shahe_has_the_traditional_fu_wu_in_basic_15(shahe_findings: list[Finding]) -> None:
    hits = [f for f in of_code(shahe_findings, "text.traditional") if (f.list_type, f.seq) == ("basic", 15)]
    assert len(hits) == 1
    assert hits[0].severity == "warning"
    assert "服務" in (hits[0].text or "") and "務" in hits[0].message


def test_a_misspelt_category_does_not_break_restarting_numbering() -> None:
    from duty_lists.schema.checks.numbering import sequences

    items = [
        Item(seq=1, category="党的建设", name="甲"), Item(seq=2, category="党的建设", name="乙"),
        Item(seq=1, category="经济发屐", name="丙"), Item(seq=2, category="经济发展", name="丁"),
    ]
    dl = DutyList(list_type="basic", title="t", items=items)
    assert [len(block) for _, block in sequences(dl)] == [2, 2]


def test_a_list_without_categories_is_not_an_empty_cell_on_every_row() -> None:
    from duty_lists.schema.checks.fields import missing_fields

    items = [Item(seq=1, category="", name="甲", superior_departments=["县民政局"], town_duties=["配合"])]
    dl = DutyList(list_type="cooperative", title="t", items=items)
    assert missing_fields(dl, items[0]) == []
    with_categories = DutyList(list_type="cooperative", title="t", items=[*items, Item(seq=2, category="民生服务", name="乙")])
    assert "事项类别" in missing_fields(with_categories, items[0])


# --------------------------------------------------------------------------- columns


def test_a_column_no_field_names_is_reported_once_per_list_at_its_first_item() -> None:
    doc = make_doc(basic(
        item(1, name="组织学习"),
        item(2, name="党员管理", extra={"街道责任科室": "党建办", "列5": " "}),
        item(3, name="低保初审", extra={"街道责任科室": "民政办"}),
    ))
    (finding,) = of_code(check(doc), "column.unmapped")
    assert (finding.severity, finding.list_type, finding.seq, finding.text) == ("warning", "basic", 2, "街道责任科室")
    assert finding.message == '基本履职事项清单的列"街道责任科室"未识别为清单字段，内容保留在 extra（2 项）'


def test_an_empty_unmapped_column_and_a_disabled_rule_say_nothing(tmp_path: Path) -> None:
    doc = make_doc(basic(item(1, extra={"列4": ""})))
    assert of_code(check(doc), "column.unmapped") == []
    rules = tmp_path / "rules.json"
    rules.write_text('{"disable": ["column.unmapped"]}', encoding="utf-8")
    noisy = make_doc(basic(item(1, extra={"科室": "党建办"})))
    policy = Policy.from_file(rules, all_codes())
    assert of_code(run_checks(noisy, CheckContext(categories=CATEGORIES), policy), "column.unmapped") == []
