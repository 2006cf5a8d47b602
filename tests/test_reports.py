"""The reviewer-facing renderings: HTML and Markdown reports of one Document, and ``validate`` output."""

from __future__ import annotations

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
from duty_lists.ingest.report.content import category_counts, code_counts, sorted_findings
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
    assert "script" not in names  # no JavaScript at all, inline or external
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
    html = render_html(make_doc())
    assert "<script" not in html.lower()
    assert "<b>粗体" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; &lt;b&gt;粗体" in html


def test_html_full_text_kept_in_title_when_truncated() -> None:
    doc = make_doc()
    long_text = "很长的事项名称" * 30
    doc.findings.append(Finding(code="text.too_long", severity="warning", message="过长", text=long_text))
    html = render_html(doc)
    cell = re.search(rf'<td class="text" title="{long_text}">([^<]*)</td>', html)
    assert cell and cell.group(1) == long_text[:79] + "…"
    assert html.count(long_text) == 1  # only in the tooltip


def test_html_errors_before_warnings() -> None:
    html = render_html(make_doc())
    rows = [a["class"] for n, a in tags(html) if n == "tr" and a.get("class") in ("error", "warning")]
    assert rows == ["error"] * 3 + ["warning"] * 2
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
    assert "<th>页码</th>" in render_html(make_doc(pages=True))
    assert "<th>页码</th>" not in render_html(make_doc(pages=False))
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
    assert data[0]["counts"] == {"errors": 3, "warnings": 2, "items": {"basic": 5, "cooperative": 5, "reclaimed": 2}}
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
    path = Path(__file__).resolve().parent.parent / "tools" / "screenshot_report.py"
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
    assert "<script" not in html and "&lt;script&gt;" in html
