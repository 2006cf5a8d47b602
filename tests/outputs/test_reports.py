"""The reviewer-facing renderings: HTML and Markdown reports of one Document, and ``validate`` output."""

from __future__ import annotations

import base64
import importlib.util
import json
import random
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest
from duty_lists.ingest.cli.validate_output import ValidationResult, render_findings
from duty_lists.ingest.pipeline import process_file
from duty_lists.ingest.report.content import category_counts, code_counts, sorted_findings
from duty_lists.ingest.report.crops import CropSettings
from duty_lists.ingest.report.html import render_html
from duty_lists.ingest.report.markdown import render_markdown
from duty_lists.schema.checks import finding_types
from duty_lists.schema.records import Document, DutyList, Finding, Item, Source

SCRIPT = "<script>alert('x')</script>"


def _items(categories: list[tuple[str, int]]) -> list[Item]:
    items: list[Item] = []
    for category, n in categories:
        for _ in range(n):
            items.append(Item(seq=len(items) + 1, category=category, name=f"{category}事项{len(items) + 1}"))
    return items


def make_doc(*, pages: bool = True) -> Document:
    """Three lists, five categories, findings of both severities given in a deliberately scrambled order."""
    page = (lambda n: n) if pages else (lambda n: None)
    findings = [
        Finding(code="text.suspicious", severity="warning", list_type="reclaimed", seq=2, page=page(9),
                message="含有标签", text=f"收回 {SCRIPT} & <b>粗体</b>"),
        Finding(code="numbering.gap", severity="error", list_type="cooperative", seq=4, page=page(6),
                message="序号不连续", text="第一行\n第二行 | 含竖线"),
        Finding(code="departments.unknown", severity="warning", list_type="basic", seq=1, page=page(2),
                message="部门未知"),
        Finding(code="count.stated_mismatch", severity="error", list_type="basic", page=page(1),
                message="声明 6 项，实际 5 项"),
        Finding(code="numbering.gap", severity="error", list_type="basic", seq=3, page=page(2), message="序号跳号"),
    ]  # fmt: skip
    return Document(
        source=Source(path="raw/测试镇.pdf", sha256="ab" * 32, format="pdf", pages=10),
        issuer="测试县测试镇",
        lists=[
            # Parsed out of order on purpose: the report must put basic first.
            DutyList(list_type="reclaimed", title="收回清单", items=_items([(f"民生{SCRIPT}", 2)])),
            DutyList(
                list_type="basic",
                title="基本清单",
                items=_items([("党的建设", 3), ("经济发展", 2)]),
                stated_count=6,
                stated_category_counts={"党的建设": 3, "经济发展": 3, "生态环保": 1},
            ),
            DutyList(list_type="cooperative", title="配合清单", items=_items([("平安法治", 4), ("经济发展", 1)])),
        ],
        findings=findings,
    )


class _Tags(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


# --- HTML -------------------------------------------------------------------------


def test_html_is_self_contained() -> None:
    html = render_html(make_doc())
    found = tags(html)
    names = [name for name, _ in found]
    assert "link" not in names
    scripts = [attrs for name, attrs in found if name == "script"]
    assert scripts == [{}]  # one inline script (the filter boxes), nothing loaded
    for _, attrs in found:
        for key in ("src", "href"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(key, "")), attrs
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)


def test_html_chart_has_one_bar_per_category_per_list() -> None:
    doc = make_doc()
    charts = svgs(render_html(doc))
    assert len(charts) == 3
    by_order = {"basic": 0, "cooperative": 1, "reclaimed": 2}
    for lst in doc.lists:
        chart = charts[by_order[lst.list_type]]
        bars = [attrs for name, attrs in tags(chart) if name == "rect" and "bar" in attrs.get("class", "").split()]
        assert len(bars) == len(category_counts(lst))
    # basic: 党的建设 3, 经济发展 2 and the stated-only 生态环保 0 — bar widths follow the counts.
    basic_bars = [a for n, a in tags(charts[0]) if n == "rect" and "bar" in a.get("class", "").split()]
    widths = [float(a["width"]) for a in basic_bars]
    assert widths[0] > widths[1] > widths[2] == 0
    assert "经济发展" in charts[0] and "生态环保" in charts[0]


def test_html_marks_stated_count_mismatch() -> None:
    basic_chart = svgs(render_html(make_doc()))[0]
    mismatched = [a for n, a in tags(basic_chart) if n == "rect" and "mismatch" in a.get("class", "").split()]
    assert len(mismatched) == 2  # 经济发展 2 vs 3 stated, 生态环保 0 vs 1 stated
    assert "2（声明 3）" in basic_chart


def test_html_escapes_document_text() -> None:
    doc = make_doc()
    doc.lists[0].items[0].name = f"名称{SCRIPT}"
    html = render_html(doc)
    assert html.lower().count("<script") == 1  # ours, at the end
    assert html.rindex("<script>") > html.index("名称&lt;script&gt;")
    assert "<b>粗体" not in html
    assert "&amp; &lt;b&gt;粗体" in html
    assert "民生&lt;script&gt;" in html  # a category, in the chart and the item table


def test_html_finding_shows_its_whole_text_on_one_line() -> None:
    doc = make_doc()
    long_text = "很长的事项名称" * 30
    doc.findings.append(Finding(code="text.too_long", severity="warning", message="过长", text=long_text + "\n第二行"))
    html = render_html(doc)
    assert html.count(long_text + " 第二行") == 1


def test_html_errors_before_warnings() -> None:
    html = render_html(make_doc())
    cards = [a["class"].split()[1] for n, a in tags(html) if n == "article"]
    assert cards == ["error"] * 3 + ["warning"] * 2
    assert html.index("错误（3）") < html.index("警告（2）")
    # Within a severity: list order basic → cooperative, then seq.
    errors = html[html.index("错误（3）") : html.index("警告（2）")]
    assert errors.index("声明 6 项") < errors.index("序号跳号") < errors.index("序号不连续")


def test_html_verdict() -> None:
    assert "未通过：错误 3 项，警告 2 项" in render_html(make_doc())
    doc = make_doc()
    doc.findings = [f for f in doc.findings if f.severity == "warning"]
    assert "通过：错误 0 项，警告 2 项" in render_html(doc)
    assert "未通过" not in render_html(doc)


def test_page_column_iff_pages() -> None:
    assert "第 9 页" in render_html(make_doc(pages=True))
    assert "第 9 页" not in render_html(make_doc(pages=False))
    assert "| 页码 |" in render_markdown(make_doc(pages=True))
    assert "页码" not in render_markdown(make_doc(pages=False))


def test_html_source_line() -> None:
    html = render_html(make_doc())
    assert "测试镇.pdf" in html and "raw/" not in html
    assert "PDF" in html and "10 页" in html
    assert ("ab" * 6) in html


# --- Markdown ---------------------------------------------------------------------


def _table_rows(md: str, start: str, end: str) -> list[str]:
    """Body rows of every table between two headings (header and separator lines dropped)."""
    section = md[md.index(start) : md.index(end)]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [row for row in rows if not row.startswith("| 代码") and not row.startswith("|---")]


def _cells(row: str) -> int:
    return len(re.split(r"(?<!\\)\|", row)) - 2


def test_markdown_has_every_finding_once() -> None:
    doc = make_doc()
    rows = _table_rows(render_markdown(doc), "## 问题清单", "## 规则代码统计")
    assert len(rows) == len(doc.findings)
    assert all(_cells(row) == 6 for row in rows)  # 代码 清单 序号 页码 说明 原文


def test_markdown_escapes_pipes_newlines_and_html() -> None:
    doc = make_doc()
    doc.findings.append(Finding(code="x.multiline", severity="warning", message="说明一\n说明二 | 三"))
    md = render_markdown(doc)
    row = next(line for line in md.splitlines() if "说明一" in line)
    assert "| 说明一<br>说明二 \\| 三 |" in row and _cells(row) == 6
    # The 原文 excerpt is one line (full text in document.json); its pipe is still escaped.
    row = next(line for line in md.splitlines() if "第一行" in line)
    assert "| 第一行 第二行 \\| 含竖线 |" in row and _cells(row) == 6
    assert "<script" not in md
    assert "&lt;script&gt;" in md


def test_markdown_errors_before_warnings_and_counts() -> None:
    md = render_markdown(make_doc())
    assert md.index("### 错误（3）") < md.index("### 警告（2）")
    assert "未通过：错误 3 项，警告 2 项" in md
    assert "| 党的建设 | 3 | 3 |" in md
    assert "| 生态环保 | 0 | 1 ⚠ |" in md
    assert re.search(r"^\| `numbering\.gap` \| [^|]* \| 2 \| 0 \| 2 \|$", md, flags=re.M)


def test_code_table_names_rules_from_the_registry() -> None:
    registered = finding_types()[0]
    doc = make_doc()
    doc.findings = [
        Finding(code=registered.code, severity="error", message="甲"),
        Finding(code="not.registered", severity="warning", message="乙"),
    ]
    md = render_markdown(doc)
    assert f"| `{registered.code}` | {registered.title} | 1 | 0 | 1 |" in md
    assert "| `not.registered` |  | 0 | 1 | 1 |" in md
    assert f"</code></td><td>{registered.title}</td>" in render_html(doc)


def test_code_title_follows_the_severities_that_fired(monkeypatch: pytest.MonkeyPatch) -> None:
    typo = type("Typo", (), {"code": "category.unknown", "severity": "error", "title": "疑似错字"})
    unknown = type("Unknown", (), {"code": "category.unknown", "severity": "warning", "title": "不在类别表中"})
    monkeypatch.setattr("duty_lists.ingest.report.content.finding_types", lambda: [typo, unknown])
    warning = Finding(code="category.unknown", severity="warning", message="乙")
    error = Finding(code="category.unknown", severity="error", message="甲")
    assert [c.title for c in code_counts([warning])] == ["不在类别表中"]
    assert [c.title for c in code_counts([warning, error])] == ["疑似错字；不在类别表中"]


def test_markdown_truncates_long_text() -> None:
    doc = make_doc()
    doc.findings.append(Finding(code="text.too_long", severity="warning", message="过长", text="长" * 500))
    row = next(line for line in render_markdown(doc).splitlines() if "text.too_long" in line)
    assert "长" * 79 + "…" in row and "长" * 80 not in row


def test_category_counts_keep_stated_only_categories() -> None:
    basic = next(lst for lst in make_doc().lists if lst.list_type == "basic")
    counts = [(c.category, c.count, c.stated, c.mismatch) for c in category_counts(basic)]
    assert counts == [("党的建设", 3, 3, False), ("经济发展", 2, 3, True), ("生态环保", 0, 1, True)]


# --- validate output --------------------------------------------------------------


def _run() -> list[ValidationResult]:
    return [
        ValidationResult("raw/a.pdf", make_doc()),
        ValidationResult("raw/b.docx", None, "文件损坏\n无法打开"),
        ValidationResult("raw/c.txt", make_doc(pages=False)),
    ]


def test_json_round_trips() -> None:
    out = render_findings(_run(), "json")
    assert "序号不连续" in out  # ensure_ascii=False
    data = json.loads(out)
    assert [r["path"] for r in data] == ["raw/a.pdf", "raw/b.docx", "raw/c.txt"]
    assert [r["status"] for r in data] == ["ok", "failed", "ok"]
    assert data[1]["error"] == "文件损坏\n无法打开" and data[1]["findings"] == [] and data[1]["counts"] is None
    assert data[0]["counts"] == {"errors": 3, "warnings": 2, "infos": 0, "items": {"basic": 5, "cooperative": 5, "reclaimed": 2}}
    assert data[0]["passed"] is False
    assert [Finding.model_validate(f) for f in data[0]["findings"]] == sorted_findings(make_doc().findings)
    assert [f["severity"] for f in data[0]["findings"]] == ["error"] * 3 + ["warning"] * 2


def test_text_has_one_line_per_finding() -> None:
    out = render_findings(_run(), "text")
    lines = out.splitlines()
    finding_lines = [line for line in lines if re.match(r"\S+: (错误|警告) ", line)]
    assert len(finding_lines) == 2 * len(make_doc().findings)
    # findings + one summary line per file read + one run total
    assert len(lines) == len(finding_lines) + 2 + 1
    assert all(line.startswith(("raw/a.pdf: ", "raw/b.docx: ", "raw/c.txt: ", "共 ")) for line in lines)
    assert "raw/a.pdf: 错误 numbering.gap [配合履职事项清单 #4 p.6] 序号不连续 — «第一行 第二行 | 含竖线»" in lines
    assert "raw/c.txt: 错误 numbering.gap [配合履职事项清单 #4] 序号不连续 — «第一行 第二行 | 含竖线»" in lines
    assert not [line for line in lines if "raw/b.docx" in line]  # its one line goes to stderr, not twice
    assert lines[-1] == "共 3 个文件：通过 0，未通过 2，读取失败 1"


def test_text_keeps_a_multiline_finding_on_one_line() -> None:
    doc = make_doc()
    doc.findings = [Finding(code="x.multi", severity="error", list_type="basic", message="甲\n乙", text="丙\r\n丁")]
    lines = render_findings([ValidationResult("a.pdf", doc)], "text").splitlines()
    assert lines[0] == "a.pdf: 错误 x.multi [基本履职事项清单] 甲 乙 — «丙 丁»"
    assert len(lines) == 2


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in render_findings(_run(), "text")
    coloured = render_findings(_run(), "text", color=True)
    assert "\x1b[1;31m错误\x1b[0m" in coloured and "\x1b[33m警告\x1b[0m" in coloured


def test_markdown_run_reuses_findings_tables() -> None:
    out = render_findings(_run(), "markdown")
    assert out.count("### 错误（3）") == 2
    assert "## raw/b.docx" in out and "读取失败：文件损坏 无法打开" in out
    a_rows = _table_rows(out, "## raw/a.pdf", "## raw/b.docx")
    assert len(a_rows) == len(make_doc().findings)


def test_unknown_format_and_empty_result_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_findings(_run(), "csv")
    with pytest.raises(ValueError, match="document or an error"):
        ValidationResult("x.pdf", None, None)


# --- determinism ------------------------------------------------------------------


def _with_ties(doc: Document) -> Document:
    """Add findings equal in severity, list, seq and code, so only the tie-breakers fix their order."""
    ties = [Finding(code="name.duplicate", severity="warning", list_type="basic", seq=2, message="重复", text=t)
            for t in ("乙", "甲", "丙")]  # fmt: skip
    return doc.model_copy(update={"findings": [*doc.findings, *ties]})


def _shuffled(doc: Document, seed: int) -> Document:
    copy = doc.model_copy(deep=True)
    rng = random.Random(seed)
    rng.shuffle(copy.findings)
    rng.shuffle(copy.lists)
    return copy


@pytest.mark.parametrize("render", [render_html, render_markdown])
def test_reports_are_deterministic(render: Callable[[Document], str]) -> None:
    doc = _with_ties(make_doc())
    first = render(doc)
    assert render(doc) == first
    assert render(_with_ties(make_doc())) == first
    # Check order and list parse order must not show through.
    assert all(render(_shuffled(doc, seed)) == first for seed in range(5))


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_validate_output_is_deterministic(fmt: str) -> None:
    first = render_findings(_run(), fmt)
    assert render_findings(_run(), fmt) == first
    shuffled = [ValidationResult(r.path, r.document and _shuffled(r.document, 1), r.error) for r in _run()]
    assert render_findings(shuffled, fmt) == first


# --- screenshot tool ----------------------------------------------------------------


def _screenshot_tool() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "tools" / "screenshot_report.py"
    spec = importlib.util.spec_from_file_location("screenshot_report", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_screenshot_tool_without_chromium_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = _screenshot_tool()
    monkeypatch.setattr(tool.shutil, "which", lambda name: None)
    assert tool.main([str(tmp_path)]) == 2
    assert "apt-get install chromium" in capsys.readouterr().out
    assert not (tmp_path / "report.png").exists()


def test_screenshot_sample_document_exercises_the_report() -> None:
    doc = _screenshot_tool().sample_document()
    assert {f.severity for f in doc.findings} == {"error", "warning"}
    assert all(f.page for f in doc.findings)
    html = render_html(doc)
    assert html.lower().count("<script") == 1 and "&lt;script&gt;" in html


# --- the reviewer's report: findings first, linked, highlighted; items; page crops ---------------

ROOT = Path(__file__).resolve().parents[2]
EXPORT_PDF = next((ROOT / "raw").glob("*LibreOffice导出*.pdf"))
TEXT_FORM = next((ROOT / "raw").glob("*.txt"))


@pytest.fixture(scope="module")
def export_doc() -> Document:
    """The LibreOffice export (embedded fonts): its findings sit on items, its rows carry boxes."""
    return process_file(EXPORT_PDF)


def _ids(html: str) -> list[str]:
    return [attrs["id"] for _, attrs in tags(html) if "id" in attrs]


def _finding_links(html: str) -> list[str]:
    """The item link of every finding card (the ``where`` line)."""
    return re.findall(r'<article class="finding[^"]*" id="finding-\d+">.*?<p class="where"><a href="#([^"]+)">', html, re.S)


def test_findings_come_before_the_item_tables() -> None:
    html = render_html(make_doc())
    ids = _ids(html)
    assert ids.index("findings") < ids.index("list-basic") < ids.index("list-cooperative") < ids.index("list-reclaimed")
    assert html.index('id="finding-1"') < html.index('id="item-basic-1"')


def test_each_finding_links_to_an_existing_item_anchor() -> None:
    doc = make_doc()
    html = render_html(doc)
    ids = set(_ids(html))
    assert len(ids) == len(_ids(html))  # anchors are unique
    hrefs = [attrs["href"][1:] for name, attrs in tags(html) if name == "a" and attrs.get("href", "").startswith("#")]
    assert hrefs and set(hrefs) <= ids
    # findings on an item link to its row; the list-level count finding to the list
    links = _finding_links(html)
    assert links == ["list-basic", "item-basic-3", "item-cooperative-4", "item-basic-1", "item-reclaimed-2"]
    # and every item row with findings links back to them
    row = re.search(r'<tr class="item warning" id="item-basic-1">.*?</tr>', html, re.S)
    assert row and 'href="#finding-4"' in row.group(0)


def test_a_seq_printed_twice_gets_two_anchors() -> None:
    doc = make_doc()
    doc.lists[1].items[1].seq = 1
    ids = _ids(render_html(doc))
    assert "item-basic-1" in ids and "item-basic-1-2" in ids


def _marked(html: str) -> list[str]:
    return re.findall(r"<mark>([^<]*)</mark>", html)


def test_offending_characters_are_highlighted() -> None:
    doc = make_doc()
    cooperative = doc.get_list("cooperative")
    reclaimed = doc.get_list("reclaimed")
    assert cooperative and reclaimed
    item = cooperative.items[0]
    item.name = "团员发展、管理和服務工作"
    item.superior_departments = ["师市市场监管局", "师市科学技术局"]
    doc.findings += [
        Finding(code="text.traditional", severity="warning", list_type="cooperative", seq=1,
                message="配合履职事项清单第 1 项「履职事项名称」含繁体字 務（简体：务）", text="…管理和服務工作"),
        Finding(code="department.variant", severity="warning", list_type="cooperative", seq=1,
                message="配合履职事项清单：「师市市场监管局」与「师市市场监督管理局」疑为同一部门的不同写法（见第 1 项）",
                text="师市市场监管局"),
        Finding(code="field.empty", severity="error", list_type="reclaimed", seq=1,
                message="上级部门收回事项清单第 1 项的「承接部门（或不再开展的说明）」为空", text=reclaimed.items[0].name),
    ]  # fmt: skip
    html = render_html(doc)
    cards = html[html.index('id="findings"') : html.index('id="overview"')]
    assert _marked(cards).count("務") == 1 and _marked(cards).count("师市市场监管局") == 1
    row = re.search(r'<tr class="item warning" id="item-cooperative-1">.*?</tr>', html, re.S)
    assert row
    assert _marked(row.group(0)) == ["務", "师市市场监管局"]  # the variant name, not its neighbour 师市科学技术局
    empty = re.search(r'<tr class="item error" id="item-reclaimed-1">.*?</tr>', html, re.S)
    assert empty and '<td class="receiving_departments"><mark class="empty">（空）</mark></td>' in empty.group(0)
    assert "「承接部门」<mark class=\"empty\">（空）</mark>" in cards


def test_item_rows_are_whole_with_steps_one_per_line() -> None:
    doc = make_doc()
    cooperative = doc.get_list("cooperative")
    assert cooperative
    cooperative.items[0].town_duties = ["1.收集信息", "2.上报情况"]
    cooperative.items[0].remark = "备注<i>"
    html = render_html(doc)
    row = re.search(r'id="item-cooperative-1">.*?</tr>', html, re.S)
    assert row
    cell = row.group(0)
    assert '<div class="line">1.收集信息</div><div class="line">2.上报情况</div>' in cell
    assert "备注&lt;i&gt;" in cell
    assert "<th>乡镇（街道）配合职责</th>" in html and "<th>承接部门</th>" in html


def test_filter_boxes_need_the_script_and_do_not_print() -> None:
    html = render_html(make_doc())
    boxes = [attrs for name, attrs in tags(html) if name == "input"]
    assert len(boxes) == 3 and all("hidden" in attrs for attrs in boxes)  # shown by the script only
    assert {attrs["data-table"] for attrs in boxes} <= set(_ids(html))
    assert re.search(r"@media print \{.*?input\.filter[^}]*\{ display: none", html, re.S)


def test_crops_for_a_pdf_input(export_doc: Document) -> None:
    html = render_html(export_doc, EXPORT_PDF)
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    with_items = [f for f in export_doc.findings if f.seq is not None]
    assert with_items and len(images) >= len({(f.list_type, f.seq) for f in with_items})
    assert all(base64.b64decode(image).startswith(b"\x89PNG") for image in images)
    assert len(images) == len(set(images))  # each crop embedded once
    first = re.search(r'<article class="finding (\w+) cropped" id="finding-1">.*?</article>', html, re.S)
    assert first and "原件第" in first.group(0)
    # every row box is on its page, and JSON carries it
    for dl in export_doc.lists:
        for item in dl.items:
            for ref in item.provenance:
                assert ref.bbox and 0 <= ref.bbox[0] < ref.bbox[2] and 0 <= ref.bbox[1] < ref.bbox[3]
    assert "bbox" in export_doc.model_dump(mode="json")["lists"][0]["items"][0]["provenance"][0]


def test_crops_are_capped(export_doc: Document) -> None:
    count = lambda html: html.count("data:image/png;base64,")  # noqa: E731
    assert count(render_html(export_doc, EXPORT_PDF, CropSettings(max_items=1))) == 1
    assert count(render_html(export_doc, EXPORT_PDF, CropSettings(max_bytes=100))) == 0
    assert count(render_html(export_doc, EXPORT_PDF, CropSettings(other_items=3))) == count(render_html(export_doc, EXPORT_PDF)) + 3
    assert count(render_html(export_doc)) == 0  # document.json only: no crops


def test_no_crops_for_a_text_input() -> None:
    doc = process_file(TEXT_FORM)
    assert all(ref.bbox is None for dl in doc.lists for item in dl.items for ref in item.provenance)
    assert "bbox" not in doc.model_dump(mode="json")["lists"][0]["items"][0]["provenance"][0]
    assert "data:image" not in render_html(doc, TEXT_FORM, CropSettings(other_items=10))


def test_pdf_report_is_the_same_bytes_twice(export_doc: Document) -> None:
    assert render_html(export_doc, EXPORT_PDF).encode() == render_html(export_doc, EXPORT_PDF).encode()
