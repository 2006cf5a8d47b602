"""The Markdown review report of one validated Document.

Its content (what is counted, in which order) comes from :mod:`.content`;
this module only writes it as GitHub-flavoured Markdown.
"""

from __future__ import annotations

import re

from duty_lists.ingest.report.content import (
    SEVERITY_NAMES,
    category_counts,
    code_counts,
    file_name,
    findings_by_severity,
    has_pages,
    list_name,
    missing_list_types,
    ordered_lists,
    short_sha,
    truncate,
    verdict_text,
)

# validate's output still imports these from here
from duty_lists.ingest.report.content import one_line as one_line
from duty_lists.ingest.report.content import passed as passed
from duty_lists.ingest.report.content import severity_counts as severity_counts
from duty_lists.ingest.report.content import sorted_findings as sorted_findings
from duty_lists.schema.records import LIST_NAMES, Document, DutyList, Finding

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
_CODE_SAFE = re.compile(r"[\w.\-]+")


def md_cell(text: object) -> str:
    """Escape a value for a GFM table cell.

    HTML is escaped too: Markdown viewers pass raw tags through (or strip
    them), and a reviewer must see an item's ``<script>`` as text.  Newlines
    become ``<br>`` — added *after* escaping, so only ours are real tags.
    """
    value = str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return "<br>".join(value.splitlines())


def md_code(code: str) -> str:
    """Rule codes read best as code spans; anything unusual falls back to an escaped cell."""
    return f"`{code}`" if _CODE_SAFE.fullmatch(code) else md_cell(code)


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Cells must already be escaped (``md_cell``/``md_code``)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def md_findings(findings: list[Finding], level: int) -> list[str]:
    """Findings grouped by severity, one table per severity, headings at ``level``."""
    groups = findings_by_severity(findings)
    if not groups:
        return ["未发现问题。"]
    show_page = has_pages(findings)
    header = ["代码", "清单", "序号"] + (["页码"] if show_page else []) + ["说明", "原文"]
    lines: list[str] = []
    for severity, group in groups:
        rows = []
        for f in group:
            row = [md_code(f.code), md_cell(list_name(f)), "" if f.seq is None else str(f.seq)]
            if show_page:
                row.append(str(f.page) if f.page else "")
            row += [md_cell(f.message), md_cell(truncate(f.text)) if f.text else ""]
            rows.append(row)
        lines += [f"{'#' * level} {SEVERITY_NAMES[severity]}（{len(group)}）", "", *md_table(header, rows), ""]
    return lines[:-1]


def md_summary(doc: Document) -> list[str]:
    rows = []
    for lst in ordered_lists(doc):
        stated = "" if lst.stated_count is None else str(lst.stated_count)
        if lst.stated_count not in (None, len(lst.items)):
            stated += " ⚠"
        rows.append(
            [
                md_cell(LIST_NAMES[lst.list_type]),
                md_cell(lst.title),
                str(len(lst.items)),
                stated,
                str(len(category_counts(lst))),
                "" if lst.start_page is None else str(lst.start_page),
            ]
        )
    for list_type in missing_list_types(doc):
        rows.append([md_cell(LIST_NAMES[list_type]), "（文中未出现）", "0", "", "0", ""])
    return md_table(["清单", "标题", "事项数", "文中声明", "类别数", "起始页"], rows)


def md_categories(lst: DutyList) -> list[str]:
    counts = category_counts(lst)
    if not counts:
        return ["（无事项）"]
    rows = []
    for c in counts:
        stated = "" if c.stated is None else str(c.stated) + (" ⚠" if c.mismatch else "")
        rows.append([md_cell(c.category), str(c.count), stated])
    return md_table(["类别", "事项数", "文中声明"], rows)


def md_codes(findings: list[Finding]) -> list[str]:
    counts = code_counts(findings)
    if not counts:
        return ["（无）"]
    rows = [[md_code(c.code), md_cell(c.title), str(c.errors), str(c.warnings), str(c.total)] for c in counts]
    return md_table(["代码", "名称", "错误", "警告", "合计"], rows)


def render_markdown(doc: Document) -> str:
    src = doc.source
    lines = [
        f"# {md_cell(doc.issuer)}履职事项清单审核报告",
        "",
        f"- 来源文件：{md_cell(file_name(src.path))}（{src.format}，{src.pages} 页，SHA-256 `{short_sha(src.sha256)}`）",
        f"- 结论：**{verdict_text(doc)}**",
        "",
        "## 清单概况",
        "",
        *md_summary(doc),
        "",
        "## 各类别事项数",
    ]
    for lst in ordered_lists(doc):
        lines += ["", f"### {md_cell(LIST_NAMES[lst.list_type])}", "", *md_categories(lst)]
    lines += ["", "## 问题清单", "", *md_findings(doc.findings, level=3)]
    lines += ["", "## 规则代码统计", "", *md_codes(doc.findings)]
    return "\n".join(lines) + "\n"
