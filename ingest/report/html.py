"""The HTML review report of one validated Document: a single self-contained file.

A county official opens it from a mail attachment, often offline and with
scripts blocked, so the file carries everything itself: inline CSS, charts as
inline SVG, no JavaScript, no external fonts or images.  The content (what is
counted and in which order) comes from ``report.markdown``'s shared helpers; this
module only draws it.  Every piece of document text goes through ``_e`` —
item text is copied from published files and can contain ``<``, ``>`` or ``&``.
"""

from __future__ import annotations

import html
import unicodedata

from duty_lists.ingest.report.content import (
    SEVERITY_NAMES,
    CategoryCount,
    category_counts,
    code_counts,
    file_name,
    findings_by_severity,
    has_pages,
    list_name,
    missing_list_types,
    ordered_lists,
    passed,
    short_sha,
    truncate,
    verdict_text,
)
from duty_lists.schema.records import LIST_NAMES, Document, DutyList, Finding

#: Fonts that carry CJK glyphs on Windows, macOS and Linux, in that rough order
#: of likelihood; the generic fallback alone renders tofu on some Linux desktops.
FONT_STACK = (
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", sans-serif'
)

CSS = f"""
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT_STACK}; font-size: 14px; line-height: 1.55; color: #1f2328;
  max-width: 1180px; margin: 24px auto; padding: 0 20px; }}
h1 {{ font-size: 22px; margin: 0 0 6px; }}
h2 {{ font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }}
h3 {{ font-size: 15px; margin: 18px 0 8px; }}
.meta {{ color: #57606a; margin: 0 0 12px; }}
code {{ font-family: ui-monospace, Consolas, "Liberation Mono", monospace; font-size: 13px; }}
.verdict {{ font-size: 16px; font-weight: bold; padding: 8px 14px; border-radius: 6px; display: inline-block; }}
.verdict.pass {{ background: #dafbe1; color: #116329; border: 1px solid #4ac26b; }}
.verdict.fail {{ background: #ffebe9; color: #a40e26; border: 1px solid #ff8182; }}
table {{ border-collapse: collapse; width: 100%; margin: 4px 0 12px; }}
th, td {{ border: 1px solid #d0d7de; padding: 5px 8px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }}
th {{ background: #f6f8fa; font-weight: 600; white-space: nowrap; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
table.summary, table.codes {{ width: auto; min-width: 50%; }}
table.findings {{ table-layout: fixed; }}
table.findings col.code {{ width: 15em; }}
table.findings col.list {{ width: 11.5em; }}
table.findings col.seq, table.findings col.page {{ width: 4.5em; }}
table.findings col.msg {{ width: 30%; }}
tr.error td:first-child {{ border-left: 4px solid #cf222e; }}
tr.warning td:first-child {{ border-left: 4px solid #bf8700; }}
h3.error {{ color: #cf222e; }}
h3.warning {{ color: #9a6700; }}
td.text {{ color: #57606a; }}
.muted {{ color: #8c959f; }}
.mismatch {{ color: #cf222e; font-weight: 600; }}
figure {{ margin: 0 0 18px; }}
figcaption {{ font-weight: 600; margin-bottom: 4px; }}
svg.chart {{ max-width: 100%; height: auto; font-family: {FONT_STACK}; }}
svg.chart text {{ font-size: 13px; fill: #1f2328; }}
svg.chart text.value {{ fill: #57606a; }}
svg.chart text.value.mismatch {{ fill: #cf222e; }}
svg.chart rect.bar {{ fill: #4f7fc4; }}
svg.chart rect.bar.mismatch {{ fill: #d4a72c; }}
svg.chart line.stated {{ stroke: #cf222e; stroke-width: 2; }}
svg.chart rect.gap {{ fill: none; stroke: #cf222e; stroke-width: 1; stroke-dasharray: 3 2; }}
@media print {{ tr, figure {{ break-inside: avoid; }} body {{ margin: 0; }} }}
"""

# Chart geometry, in CSS pixels at the 13px chart font.
_FONT_PX = 13
_ROW_H = 24
_BAR_H = 16
_BAR_MAX = 380
_LABEL_MAX_PX = 15 * _FONT_PX  # labels beyond ~15 CJK characters are cut, full text in the tooltip
_GAP = 8
_PAD = 4


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _code(code: str) -> str:
    """A rule code with line-break hints after its dots, so a narrow column wraps it at a part boundary."""
    return ".<wbr>".join(_e(part) for part in code.split("."))


def _text_px(text: str) -> float:
    """Approximate rendered width: CJK and fullwidth characters are one em, the rest about 0.6 em."""
    return sum(_FONT_PX if unicodedata.east_asian_width(ch) in "WF" else _FONT_PX * 0.6 for ch in text)


def _fit(text: str, max_px: float) -> str:
    if _text_px(text) <= max_px:
        return text
    while text and _text_px(text + "…") > max_px:
        text = text[:-1]
    return text + "…"


def _value_label(c: CategoryCount) -> str:
    return f"{c.count}（声明 {c.stated}）" if c.mismatch else str(c.count)


def chart_label_width(lists: list[DutyList]) -> float:
    """One label column for every chart of a report, so that the bars of all lists start at the same x."""
    labels = [_fit(c.category, _LABEL_MAX_PX) for lst in lists for c in category_counts(lst)]
    return max((_text_px(label) for label in labels), default=0)


def category_chart(lst: DutyList, label_w: float | None = None) -> str:
    """A horizontal bar chart of items per category, sized to its labels and rows.

    Each list gets its own scale: the cooperative list often has ten times the
    items of the others, and one shared scale would flatten their bars to
    slivers.  The numbers printed beside each bar keep the lists comparable.
    Where the document states a different count, the bar turns amber and a red
    tick marks the stated count.
    """
    counts = category_counts(lst)
    labels = [_fit(c.category, _LABEL_MAX_PX) for c in counts]
    if label_w is None:
        label_w = max((_text_px(label) for label in labels), default=0)
    value_w = max((_text_px(_value_label(c)) for c in counts), default=0)
    # The scale reaches the stated count too, so a tick for "stated more than found" stays inside the chart.
    top = max((max(c.count, c.stated or 0) for c in counts), default=0) or 1
    bar_x = _PAD + label_w + _GAP
    width = round(bar_x + _BAR_MAX + _GAP + value_w + _PAD)
    height = _ROW_H * len(counts) + 2 * _PAD
    name = LIST_NAMES[lst.list_type]
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(name)}各类别事项数">'
    ]
    for row, (c, label) in enumerate(zip(counts, labels, strict=True)):
        y = _PAD + row * _ROW_H
        mid = y + _ROW_H / 2
        bar_w = c.count / top * _BAR_MAX
        # The value label goes after whichever ends later, the bar or the stated tick, so they never overlap.
        end_x = bar_x + bar_w
        mismatch = " mismatch" if c.mismatch else ""
        tip = f"{c.category}：{c.count} 项" + (f"，文中声明 {c.stated} 项" if c.stated is not None else "")
        parts.append(f"<g><title>{_e(tip)}</title>")
        parts.append(f'<text x="{bar_x - _GAP:.1f}" y="{mid:.1f}" text-anchor="end" dominant-baseline="central">{_e(label)}</text>')
        parts.append(
            f'<rect class="bar{mismatch}" x="{bar_x:.1f}" y="{mid - _BAR_H / 2:.1f}" width="{bar_w:.1f}" height="{_BAR_H}" rx="2"/>'
        )
        if c.mismatch and c.stated is not None:
            tick_x = bar_x + c.stated / top * _BAR_MAX
            end_x = max(end_x, tick_x)
            # A dashed outline spans found → stated, so the shortfall (or excess) reads as a gap, not a stray tick.
            gap_x, gap_w = min(bar_x + bar_w, tick_x), abs(tick_x - bar_x - bar_w)
            parts.append(f'<rect class="gap" x="{gap_x:.1f}" y="{mid - _BAR_H / 2:.1f}" width="{gap_w:.1f}" height="{_BAR_H}"/>')
            parts.append(f'<line class="stated" x1="{tick_x:.1f}" x2="{tick_x:.1f}" y1="{y + 2:.1f}" y2="{y + _ROW_H - 2:.1f}"/>')
        parts.append(
            f'<text class="value{mismatch}" x="{end_x + _GAP:.1f}" y="{mid:.1f}" '
            f'dominant-baseline="central">{_e(_value_label(c))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _summary_table(doc: Document) -> str:
    rows = []
    for lst in ordered_lists(doc):
        stated = "" if lst.stated_count is None else str(lst.stated_count)
        cls = ' class="num mismatch"' if lst.stated_count not in (None, len(lst.items)) else ' class="num"'
        rows.append(
            f"<tr><td>{_e(LIST_NAMES[lst.list_type])}</td><td>{_e(lst.title)}</td>"
            f'<td class="num">{len(lst.items)}</td><td{cls}>{stated}</td>'
            f'<td class="num">{len(category_counts(lst))}</td>'
            f'<td class="num">{"" if lst.start_page is None else lst.start_page}</td></tr>'
        )
    for list_type in missing_list_types(doc):
        rows.append(
            f'<tr><td>{_e(LIST_NAMES[list_type])}</td><td class="muted">（文中未出现）</td>'
            '<td class="num">0</td><td></td><td class="num">0</td><td></td></tr>'
        )
    return (
        '<table class="summary"><thead><tr><th>清单</th><th>标题</th><th class="num">事项数</th>'
        '<th class="num">文中声明</th><th class="num">类别数</th><th class="num">起始页</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _charts(doc: Document) -> str:
    figures = []
    lists = ordered_lists(doc)
    label_w = chart_label_width(lists)
    for lst in lists:
        caption = f"{LIST_NAMES[lst.list_type]}（{len(lst.items)} 项，{len(category_counts(lst))} 类）"
        has_bars = lst.items or lst.stated_category_counts
        body = category_chart(lst, label_w) if has_bars else '<p class="muted">（无事项）</p>'
        figures.append(f"<figure><figcaption>{_e(caption)}</figcaption>{body}</figure>")
    return "".join(figures) or '<p class="muted">（文中未识别出任何清单）</p>'


def _finding_row(f: Finding, show_page: bool) -> str:
    cells = [
        f"<td><code>{_code(f.code)}</code></td>",
        f"<td>{_e(list_name(f))}</td>",
        f'<td class="num">{"" if f.seq is None else f.seq}</td>',
    ]
    if show_page:
        cells.append(f'<td class="num">{f.page or ""}</td>')
    cells.append(f"<td>{_e(f.message)}</td>")
    # The tooltip keeps the exact text, line breaks included; the cell shows a one-line excerpt.
    cells.append(f'<td class="text" title="{_e(f.text)}">{_e(truncate(f.text))}</td>' if f.text else "<td></td>")
    return f'<tr class="{f.severity}">{"".join(cells)}</tr>'


def _findings(findings: list[Finding]) -> str:
    groups = findings_by_severity(findings)
    if not groups:
        return "<p>未发现问题。</p>"
    show_page = has_pages(findings)
    cols = ["code", "list", "seq"] + (["page"] if show_page else []) + ["msg", "text"]
    heads = ["代码", "清单", "序号"] + (["页码"] if show_page else []) + ["说明", "原文"]
    colgroup = "<colgroup>" + "".join(f'<col class="{c}">' for c in cols) + "</colgroup>"
    thead = "<thead><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead>"
    out = []
    for severity, group in groups:
        rows = "".join(_finding_row(f, show_page) for f in group)
        out.append(
            f'<h3 class="{severity}">{SEVERITY_NAMES[severity]}（{len(group)}）</h3>'
            f'<table class="findings {severity}">{colgroup}{thead}<tbody>{rows}</tbody></table>'
        )
    return "".join(out)


def _codes(findings: list[Finding]) -> str:
    counts = code_counts(findings)
    if not counts:
        return '<p class="muted">（无）</p>'
    rows = "".join(
        f'<tr><td><code>{_code(c.code)}</code></td><td>{_e(c.title)}</td><td class="num">{c.errors}</td>'
        f'<td class="num">{c.warnings}</td><td class="num">{c.errors + c.warnings}</td></tr>'
        for c in counts
    )
    return (
        '<table class="codes"><thead><tr><th>代码</th><th>名称</th><th class="num">错误</th><th class="num">警告</th>'
        f'<th class="num">合计</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def render_html(doc: Document) -> str:
    src = doc.source
    title = f"{doc.issuer}履职事项清单审核报告"
    verdict_cls = "pass" if passed(doc) else "fail"
    meta = (
        f"来源文件 <b>{_e(file_name(src.path))}</b> · {_e(src.format.upper())} · {src.pages} 页 · "
        f'SHA-256 <code title="{_e(src.sha256)}">{_e(short_sha(src.sha256))}</code>'
    )
    body = (
        f'<header><h1>{_e(title)}</h1><p class="meta">{meta}</p>'
        f'<p class="verdict {verdict_cls}">{_e(verdict_text(doc))}</p></header>'
        f"<section><h2>清单概况</h2>{_summary_table(doc)}</section>"
        f"<section><h2>各类别事项数</h2>{_charts(doc)}</section>"
        f"<section><h2>问题清单</h2>{_findings(doc.findings)}</section>"
        f"<section><h2>规则代码统计</h2>{_codes(doc.findings)}</section>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
