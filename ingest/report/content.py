"""The review report's content as data, shared by every rendering of it.

Which lists, in which order, which counts, how findings are ordered, grouped
and located: decided once here, so ``report.md`` (:mod:`.markdown`),
``report.html`` (:mod:`.html`) and ``validate``'s output cannot disagree about
what a document contains.

Everything is deterministic: no timestamps, and findings are totally ordered
(severity, list, seq, code, then the remaining fields as tie-breakers) so the
same Document always renders to the same string whatever order its checks ran in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from duty_lists.schema.checks import finding_types
from duty_lists.schema.records import LIST_NAMES, LIST_TYPES, Document, DutyList, Finding

SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER: tuple[str, ...] = ("error", "warning", "info")

#: Offending text longer than this is cut in table cells (HTML keeps the whole
#: text in a tooltip); item names run to several hundred characters and would
#: otherwise swamp the findings table.
TEXT_LIMIT = 80

#: Shown for an item without a category, so the bar/row is not blank.
NO_CATEGORY = "（未分类）"


@dataclass(frozen=True, slots=True)
class CategoryCount:
    category: str
    count: int
    #: What the document's section row states (一、党的建设（17项）), if anything.
    stated: int | None

    @property
    def mismatch(self) -> bool:
        return self.stated is not None and self.stated != self.count


@dataclass(frozen=True, slots=True)
class CodeCount:
    code: str
    #: The rule's Chinese title(s) from the check registry; "" for a code no registered check declares.
    title: str
    errors: int
    warnings: int
    infos: int = 0

    @property
    def total(self) -> int:
        return self.errors + self.warnings + self.infos


def finding_key(finding: Finding) -> tuple[object, ...]:
    """Severity, list order, seq, code — then every other field, so ties never depend on input order."""
    list_rank = -1 if finding.list_type is None else LIST_TYPES.index(finding.list_type)  # whole-document first
    return (
        SEVERITY_ORDER.index(finding.severity),
        list_rank,
        -1 if finding.seq is None else finding.seq,
        finding.code,
        -1 if finding.page is None else finding.page,
        finding.message,
        finding.text or "",
    )


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=finding_key)


def findings_by_severity(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """(severity, its findings) in report order, errors first; severities with no findings are left out."""
    ordered = sorted_findings(findings)
    groups = [(severity, [f for f in ordered if f.severity == severity]) for severity in SEVERITY_ORDER]
    return [(severity, group) for severity, group in groups if group]


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def passed(doc: Document) -> bool:
    """Warnings alone do not block publication; any error does."""
    return not any(f.severity == "error" for f in doc.findings)


def verdict_text(doc: Document) -> str:
    counts = severity_counts(doc.findings)
    word = "通过" if passed(doc) else "未通过"
    infos = f"，提示 {counts['info']} 项" if counts["info"] else ""
    return f"{word}：错误 {counts['error']} 项，警告 {counts['warning']} 项{infos}"


def ordered_lists(doc: Document) -> list[DutyList]:
    """The document's lists in the canonical basic/cooperative/reclaimed order, whatever order they were parsed in."""
    return sorted(doc.lists, key=lambda lst: LIST_TYPES.index(lst.list_type))


def missing_list_types(doc: Document) -> list[str]:
    present = {lst.list_type for lst in doc.lists}
    return [list_type for list_type in LIST_TYPES if list_type not in present]


def category_counts(lst: DutyList) -> list[CategoryCount]:
    """Items per category in the order categories first appear, then categories only the document states.

    A category that is stated but has no items is the most telling mismatch of
    all, so it is kept with a count of 0 rather than dropped.
    """
    counts: dict[str, int] = {}
    for item in lst.items:
        category = item.category.strip() or NO_CATEGORY
        counts[category] = counts.get(category, 0) + 1
    for category in lst.stated_category_counts:
        counts.setdefault(category, 0)
    return [CategoryCount(c, n, lst.stated_category_counts.get(c)) for c, n in counts.items()]


def code_counts(findings: Iterable[Finding]) -> list[CodeCount]:
    """Per rule code, its title and how often it fired at each severity, ordered by code.

    The title tells a reviewer what ``numbering.gap`` means without the docs;
    it is looked up rather than stored because Finding carries only the code.
    """
    tally: dict[str, dict[str, int]] = {}
    for finding in findings:
        tally.setdefault(finding.code, dict.fromkeys(SEVERITY_ORDER, 0))[finding.severity] += 1
    return [CodeCount(code, _rule_title(code, t), t["error"], t["warning"], t["info"]) for code, t in sorted(tally.items())]


def _rule_title(code: str, fired: dict[str, int]) -> str:
    """One code can be declared at two severities with different titles (category.unknown: a likely typo is an
    error, an unknown category a warning), so take the titles of the severities that actually fired."""
    declared = [t for t in finding_types() if t.code == code]
    titles = [t.title for t in declared if fired.get(t.severity)] or [t.title for t in declared]
    return "；".join(dict.fromkeys(titles))


def has_pages(findings: Iterable[Finding]) -> bool:
    """Page 0 means "unpaged format" (text form, DOCX), which is no more useful to show than None."""
    return any(f.page for f in findings)


def list_name(finding: Finding) -> str:
    return LIST_NAMES[finding.list_type] if finding.list_type else "全文"


def one_line(text: str) -> str:
    """Collapse every whitespace run (newlines included) so a cell or a grep line stays one line."""
    return re.sub(r"\s+", " ", text).strip()


def truncate(text: str, limit: int = TEXT_LIMIT) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def file_name(path: str) -> str:
    """The bare file name; paths may come from Windows machines, so split on both separators."""
    return re.split(r"[\\/]", path)[-1] or path


def short_sha(sha256: str) -> str:
    return sha256[:12]
