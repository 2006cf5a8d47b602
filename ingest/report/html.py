"""The HTML review report of one validated Document: a single self-contained file.

A county reviewer opens it from a mail attachment, often offline and with
scripts blocked, so the file carries everything itself: inline CSS, charts as
inline SVG, page crops as embedded PNG, no external fonts or images.  Findings
come first, grouped by severity, each linking to its item's row in the item
tables below, with the characters it is about highlighted; the one inline
script only adds a filter box to the item tables (without it the page is
complete).  The content (what is counted and in which order) comes from
:mod:`.content`, the highlights from :mod:`.marks`, the crops from
:mod:`.crops`; this module arranges them and the Jinja2 templates in
``templates/`` draw them, with autoescape: document text is copied from
published files and can contain ``<``, ``>`` or ``&``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from duty_lists.ingest.report.chart import Chart, category_chart, chart_label_width
from duty_lists.ingest.report.content import (
    SEVERITY_NAMES,
    CategoryCount,
    category_counts,
    code_counts,
    file_name,
    findings_by_severity,
    list_name,
    missing_list_types,
    one_line,
    ordered_lists,
    passed,
    short_sha,
    verdict_text,
)
from duty_lists.ingest.report.crops import Crop, CropSettings, ItemKey, item_crops
from duty_lists.ingest.report.marks import Marks, finding_marks, merged, segments
from duty_lists.ingest.templating import environment
from duty_lists.schema.checks import finding_types
from duty_lists.schema.fields import BY_KEY, FIELDS
from duty_lists.schema.records import LIST_NAMES, Document, DutyList, Finding, Item

#: Item fields shown as table columns, in the table of fields' order.
_COLUMN_KINDS = ("number", "text", "names", "steps", "flag", "pages")

Segments = list[tuple[str, bool]]
#: A line of a cell: plain text, or text cut into highlighted and plain runs.
Line = str | Segments


@dataclass
class FindingView:
    finding: Finding
    anchor: str
    severity_name: str
    title: str
    where: str
    #: ``#item-…`` (the item's row), ``#list-…`` (a whole list) or "" (the whole document).
    href: str
    text: Segments
    empty_fields: list[str]
    crops: list[Crop]
    #: Where the item's crops are drawn when an earlier finding on the same item drew them (each PNG once).
    crops_at: str = ""


@dataclass
class CellView:
    key: str
    lines: Sequence[Line]
    #: A field a finding says is empty.
    marked_empty: bool = False


@dataclass
class ItemView:
    item: Item
    anchor: str
    severity: str
    cells: list[CellView]
    findings: list[FindingView] = field(default_factory=list)
    crops: list[Crop] = field(default_factory=list)


@dataclass
class ListView:
    lst: DutyList
    name: str
    anchor: str
    columns: list[str]
    items: list[ItemView]
    chart: Chart | None
    categories: list[CategoryCount]


def _rule_titles() -> dict[str, str]:
    titles: dict[str, str] = {}
    for finding_type in finding_types():
        titles.setdefault(finding_type.code, finding_type.title)
    return titles


def _columns(list_type: str) -> list[str]:
    return [spec.key for spec in FIELDS if spec.kind in _COLUMN_KINDS and list_type in spec.lists]


def _lines(item: Item, key: str, needles: tuple[str, ...]) -> Sequence[Line]:
    value = getattr(item, key)
    kind = BY_KEY[key].kind
    if kind in ("names", "steps"):
        texts = [str(v) for v in value]
    elif kind == "pages":
        texts = ["、".join(str(p) for p in value)] if value else []
    elif kind == "flag":
        texts = ["是"] if value else []
    else:
        texts = [str(value)] if value not in (None, "") else []
    if not needles:
        return texts  # most cells: plain text is far cheaper to draw than runs
    return [segments(text, needles) for text in texts]


def _item_anchors(lists: list[DutyList]) -> dict[ItemKey, str]:
    """``item-basic-13``; a 序号 printed twice gets ``item-basic-13-2`` for its second row."""
    anchors: dict[ItemKey, str] = {}
    for lst in lists:
        used: dict[int, int] = {}
        for index, item in enumerate(lst.items):
            used[item.seq] = used.get(item.seq, 0) + 1
            suffix = "" if used[item.seq] == 1 else f"-{used[item.seq]}"
            anchors[(lst.list_type, index)] = f"item-{lst.list_type}-{item.seq}{suffix}"
    return anchors


def _item_of(finding: Finding, lists: list[DutyList]) -> ItemKey | None:
    for lst in lists:
        if lst.list_type == finding.list_type and finding.seq is not None:
            for index, item in enumerate(lst.items):
                if item.seq == finding.seq:
                    return (lst.list_type, index)
    return None


def _where(finding: Finding) -> str:
    parts = [list_name(finding)]
    if finding.seq is not None:
        parts.append(f"第 {finding.seq} 项")
    if finding.page:
        parts.append(f"第 {finding.page} 页")
    return " · ".join(parts)


def report_view(
    doc: Document, source: Path | str | None = None, crops: CropSettings | None = None, password: str | None = None
) -> dict[str, object]:
    """Everything the template draws, as data."""
    lists = ordered_lists(doc)
    anchors = _item_anchors(lists)
    titles = _rule_titles()
    groups = findings_by_severity(doc.findings)
    ordered = [f for _, group in groups for f in group]
    targets = [_item_of(f, lists) for f in ordered]
    marks = [finding_marks(f) for f in ordered]
    crop_map = item_crops(doc, source, [t for t in targets if t is not None], crops, password)

    views: list[FindingView] = []
    by_item: dict[ItemKey, list[tuple[FindingView, Marks]]] = {}
    for number, (finding, target, mark) in enumerate(zip(ordered, targets, marks, strict=True), start=1):
        if target is not None:
            href = "#" + anchors[target]
        else:
            href = f"#list-{finding.list_type}" if finding.list_type and doc.get_list(finding.list_type) else ""
        view = FindingView(
            finding=finding,
            anchor=f"finding-{number}",
            severity_name=SEVERITY_NAMES.get(finding.severity, finding.severity),
            title=titles.get(finding.code, ""),
            where=_where(finding),
            href=href,
            text=segments(one_line(finding.text or ""), mark.needles),
            empty_fields=[BY_KEY[key].label for key in mark.empty_fields],
            crops=crop_map.get(target, []) if target is not None and target not in by_item else [],
        )
        if target is not None:
            if target in by_item and crop_map.get(target):
                view.crops_at = by_item[target][0][0].anchor
            by_item.setdefault(target, []).append((view, mark))
        views.append(view)

    label_w = chart_label_width(lists)
    list_views = []
    for lst in lists:
        columns = _columns(lst.list_type)
        items = []
        for index, item in enumerate(lst.items):
            key = (lst.list_type, index)
            found = by_item.get(key, [])
            mark = merged(m for _, m in found)
            cells = [CellView(c, _lines(item, c, mark.needles), c in mark.empty_fields) for c in columns]
            severity = next((s for s, _ in groups if any(v.finding.severity == s for v, _ in found)), "")
            # An item with findings has its crops in its first finding's card; the PNG is embedded once.
            own_crops = [] if found else crop_map.get(key, [])
            items.append(ItemView(item, anchors[key], severity, cells, [v for v, _ in found], own_crops))
        has_bars = bool(lst.items or lst.stated_category_counts)
        list_views.append(
            ListView(
                lst=lst,
                name=LIST_NAMES[lst.list_type],
                anchor=f"list-{lst.list_type}",
                columns=columns,
                items=items,
                chart=category_chart(lst, label_w) if has_bars else None,
                categories=category_counts(lst),
            )
        )

    return {
        "doc": doc,
        "title": f"{doc.issuer}履职事项清单审核报告",
        "file_name": file_name(doc.source.path),
        "short_sha": short_sha(doc.source.sha256),
        "verdict": verdict_text(doc),
        "passed": passed(doc),
        "groups": [(severity, SEVERITY_NAMES.get(severity, severity), [v for v in views if v.finding.severity == severity])
                   for severity, _ in groups],
        "lists": list_views,
        "missing": [LIST_NAMES[t] for t in missing_list_types(doc)],
        "codes": code_counts(doc.findings),
        "labels": {spec.key: spec.header for spec in FIELDS},
        "cropped": bool(crop_map),
    }


def render_html(
    doc: Document, source: Path | str | None = None, crops: CropSettings | None = None, password: str | None = None
) -> str:
    """The report; with ``source`` (the PDF the document was read from) it embeds page crops."""
    return environment("duty_lists.ingest.report").get_template("report.html.j2").render(report_view(doc, source, crops, password))
