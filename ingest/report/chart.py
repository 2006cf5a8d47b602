"""The bar charts of items per category, as geometry: the HTML template draws them as inline SVG.

Each list gets its own scale: the cooperative list often has ten times the
items of the others, and one shared scale would flatten their bars to
slivers.  The numbers printed beside each bar keep the lists comparable.
Where the document states a different count, the bar turns amber and a red
tick marks the stated count, with a dashed outline over the gap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from duty_lists.ingest.report.content import CategoryCount, category_counts
from duty_lists.schema.records import DutyList

# Chart geometry, in CSS pixels at the 13px chart font.
_FONT_PX = 13
_ROW_H = 24
_BAR_H = 16
_BAR_MAX = 380
_LABEL_MAX_PX = 15 * _FONT_PX  # labels beyond ~15 CJK characters are cut, full text in the tooltip
_GAP = 8
_PAD = 4


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    tip: str
    value: str
    mismatch: bool
    #: Coordinates, already formatted to one decimal (the SVG's bytes must not depend on float printing).
    label_x: str
    mid: str
    bar_x: str
    bar_y: str
    bar_w: str
    bar_h: int
    value_x: str
    #: The stated count's tick and the dashed gap, where the document states another count.
    tick_x: str | None = None
    tick_y1: str | None = None
    tick_y2: str | None = None
    gap_x: str | None = None
    gap_w: str | None = None


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]


def _f(value: float) -> str:
    return f"{value:.1f}"


def text_px(text: str) -> float:
    """Approximate rendered width: CJK and fullwidth characters are one em, the rest about 0.6 em."""
    return sum(_FONT_PX if unicodedata.east_asian_width(ch) in "WF" else _FONT_PX * 0.6 for ch in text)


def fit(text: str, max_px: float) -> str:
    if text_px(text) <= max_px:
        return text
    while text and text_px(text + "…") > max_px:
        text = text[:-1]
    return text + "…"


def _value_label(c: CategoryCount) -> str:
    return f"{c.count}（声明 {c.stated}）" if c.mismatch else str(c.count)


def chart_label_width(lists: list[DutyList]) -> float:
    """One label column for every chart of a report, so that the bars of all lists start at the same x."""
    labels = [fit(c.category, _LABEL_MAX_PX) for lst in lists for c in category_counts(lst)]
    return max((text_px(label) for label in labels), default=0)


def category_chart(lst: DutyList, label_w: float | None = None) -> Chart:
    """A horizontal bar chart of items per category, sized to its labels and rows."""
    counts = category_counts(lst)
    labels = [fit(c.category, _LABEL_MAX_PX) for c in counts]
    if label_w is None:
        label_w = max((text_px(label) for label in labels), default=0)
    value_w = max((text_px(_value_label(c)) for c in counts), default=0)
    # The scale reaches the stated count too, so a tick for "stated more than found" stays inside the chart.
    top = max((max(c.count, c.stated or 0) for c in counts), default=0) or 1
    bar_x = _PAD + label_w + _GAP
    bars = []
    for row, (c, label) in enumerate(zip(counts, labels, strict=True)):
        y = _PAD + row * _ROW_H
        mid = y + _ROW_H / 2
        bar_w = c.count / top * _BAR_MAX
        # The value label goes after whichever ends later, the bar or the stated tick, so they never overlap.
        end_x = bar_x + bar_w
        tick: dict[str, str] = {}
        if c.mismatch and c.stated is not None:
            tick_x = bar_x + c.stated / top * _BAR_MAX
            end_x = max(end_x, tick_x)
            tick = {
                "tick_x": _f(tick_x),
                "tick_y1": _f(y + 2),
                "tick_y2": _f(y + _ROW_H - 2),
                "gap_x": _f(min(bar_x + bar_w, tick_x)),
                "gap_w": _f(abs(tick_x - bar_x - bar_w)),
            }
        tip = f"{c.category}：{c.count} 项" + (f"，文中声明 {c.stated} 项" if c.stated is not None else "")
        bars.append(
            Bar(
                label=label,
                tip=tip,
                value=_value_label(c),
                mismatch=c.mismatch,
                label_x=_f(bar_x - _GAP),
                mid=_f(mid),
                bar_x=_f(bar_x),
                bar_y=_f(mid - _BAR_H / 2),
                bar_w=_f(bar_w),
                bar_h=_BAR_H,
                value_x=_f(end_x + _GAP),
                **tick,
            )
        )
    width = round(bar_x + _BAR_MAX + _GAP + value_w + _PAD)
    return Chart(width, _ROW_H * len(counts) + 2 * _PAD, bars)
