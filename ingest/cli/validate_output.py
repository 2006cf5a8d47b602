"""What ``duty-lists validate`` prints for a run over several inputs: text, JSON or Markdown.

Each input gives one :class:`ValidationResult` — a Document, or the one-line
reason it could not be read — so one unreadable file neither stops the run nor
hides the others' findings.  Ordering and counting come from ``report.markdown``'s
shared helpers, so this output agrees line for line with the review reports.

* text: one line per finding, ``path: 错误 code [清单 #seq p.N] message — «text»``,
  made to be grepped (every line starts with its path, no line wraps), then one
  summary line per file;
* json: a list with one object per input, for scripts and CI;
* markdown: an overview table, then one section per file with its findings tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from duty_lists.ingest.report.markdown import (
    SEVERITY_NAMES,
    md_cell,
    md_findings,
    md_table,
    one_line,
    ordered_lists,
    passed,
    severity_counts,
    sorted_findings,
    truncate,
    verdict_text,
)
from duty_lists.schema.records import LIST_NAMES, Document, Finding

FORMATS: tuple[str, ...] = ("text", "json", "markdown")

_RESET = "\x1b[0m"
_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[36m", "pass": "\x1b[32m", "fail": "\x1b[1;31m"}


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One input of a validate run: its Document, or why none could be produced."""

    path: str
    document: Document | None
    error: str | None = None

    def __post_init__(self) -> None:
        # A result with neither would print as neither ok nor failed; catch the caller's bug here.
        if self.document is None and self.error is None:
            raise ValueError(f"{self.path}: a ValidationResult needs a document or an error")

    @property
    def failed(self) -> bool:
        return self.error is not None or self.document is None

    @property
    def ok_document(self) -> Document | None:
        """The Document to report on, or None when the input failed (a partial document is not reported)."""
        return None if self.failed else self.document


def _paint(text: str, key: str, color: bool) -> str:
    return f"{_COLORS[key]}{text}{_RESET}" if color else text


def _item_counts(doc: Document) -> dict[str, int]:
    return {lst.list_type: len(lst.items) for lst in ordered_lists(doc)}


# --- text -------------------------------------------------------------------------


def finding_line(path: str, finding: Finding, color: bool = False) -> str:
    where = []
    if finding.list_type:
        where.append(LIST_NAMES[finding.list_type])
    if finding.seq is not None:
        where.append(f"#{finding.seq}")
    if finding.page:
        where.append(f"p.{finding.page}")
    location = f" [{' '.join(where)}]" if where else ""
    quoted = f" — «{truncate(finding.text)}»" if finding.text else ""
    severity = _paint(SEVERITY_NAMES[finding.severity], finding.severity, color)
    return f"{path}: {severity} {finding.code}{location} {one_line(finding.message)}{quoted}"


def summary_line(result: ValidationResult, color: bool = False) -> str:
    doc = result.ok_document
    if doc is None:
        return f"{result.path}: {_paint('读取失败', 'fail', color)} — {one_line(result.error or '')}"
    verdict = _paint(verdict_text(doc), "pass" if passed(doc) else "fail", color)
    items = "，".join(f"{LIST_NAMES[t]} {n} 项" for t, n in _item_counts(doc).items()) or "未识别出清单"
    return f"{result.path}: {verdict}；{items}"


def render_text(results: list[ValidationResult], color: bool = False) -> str:
    """Findings and a verdict per document.  An input that could not be read
    is not listed again: its one line is already on stderr, and the run's
    total counts it."""
    lines = []
    for result in results:
        if (doc := result.ok_document) is not None:
            lines += [finding_line(result.path, f, color) for f in sorted_findings(doc.findings)]
            lines.append(summary_line(result, color))
    if len(results) > 1:
        lines.append(_run_total(results))
    return "\n".join(lines) + "\n" if lines else ""


def _run_total(results: list[ValidationResult]) -> str:
    failed = sum(r.failed for r in results)
    ok = [doc for r in results if (doc := r.ok_document) is not None]
    good = sum(passed(doc) for doc in ok)
    return f"共 {len(results)} 个文件：通过 {good}，未通过 {len(ok) - good}，读取失败 {failed}"


# --- json -------------------------------------------------------------------------


def result_record(result: ValidationResult) -> dict[str, object]:
    """One input as plain data; ``counts``/``passed`` are null when the input could not be read."""
    doc = result.ok_document
    counts = None
    if doc is not None:
        severities = severity_counts(doc.findings)
        counts = {"errors": severities["error"], "warnings": severities["warning"], "infos": severities["info"],
                  "items": _item_counts(doc)}
    return {
        "path": result.path,
        "status": "failed" if doc is None else "ok",
        "error": result.error,
        "passed": None if doc is None else passed(doc),
        "counts": counts,
        "findings": [] if doc is None else [f.model_dump(mode="json") for f in sorted_findings(doc.findings)],
    }


def render_json(results: list[ValidationResult]) -> str:
    return json.dumps([result_record(r) for r in results], ensure_ascii=False, indent=2) + "\n"


# --- markdown ---------------------------------------------------------------------


def render_markdown_run(results: list[ValidationResult]) -> str:
    overview = []
    for r in results:
        if (doc := r.ok_document) is None:
            overview.append([md_cell(r.path), "读取失败", "", "", ""])
            continue
        counts = severity_counts(doc.findings)
        status = "通过" if passed(doc) else "未通过"
        items = str(sum(_item_counts(doc).values()))
        overview.append([md_cell(r.path), status, str(counts["error"]), str(counts["warning"]), items])
    lines = ["# 校验结果", "", *md_table(["文件", "结论", "错误", "警告", "事项数"], overview)]
    for r in results:
        lines += ["", f"## {md_cell(r.path)}", ""]
        if (doc := r.ok_document) is None:
            lines.append(f"读取失败：{md_cell(one_line(r.error or ''))}")
        else:
            lines += [f"结论：**{verdict_text(doc)}**", "", *md_findings(doc.findings, level=3)]
    return "\n".join(lines) + "\n"


def render_findings(results: list[ValidationResult], fmt: str, color: bool = False) -> str:
    """Render a whole validate run; ``color`` (ANSI, text format only) is for a terminal, never for a file or pipe."""
    if fmt == "text":
        return render_text(results, color)
    if fmt == "json":
        return render_json(results)
    if fmt == "markdown":
        return render_markdown_run(results)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
