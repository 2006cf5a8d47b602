"""The Excel workbook a reviewer opens: one sheet per list, an overview and the findings.

County staff review towns' lists in Excel or WPS, so ``lists.xlsx`` prints
what the town printed — the Chinese headers, steps one per line inside a
cell — with a frozen header row, filters and wrapped text.  Every text value
is written as a string cell, so nothing is evaluated or reinterpreted: a name
starting with ``=`` stays text, and ``6、7`` in 页码 never becomes a date.

The bytes are deterministic (fixed document times, fixed ZIP member times), so
the same Document always gives the same file, like every other output.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from duty_lists.ingest.report.content import (
    SEVERITY_NAMES,
    category_counts,
    ordered_lists,
    severity_counts,
    sorted_findings,
)
from duty_lists.ingest.writers import deterministic_zip
from duty_lists.schema.fields import BY_KEY, FIELDS, FieldSpec
from duty_lists.schema.records import LIST_NAMES, LIST_TYPES, Document, Item
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

if TYPE_CHECKING:
    from duty_lists.ingest.analysis.diff import DocumentDiff

#: The diff's counts as a reviewer reads them.
DIFF_COUNT_LABELS = {"added": "新增", "removed": "删除", "renamed": "更名", "moved": "移动（清单或类别）",
                     "fields_changed": "内容有变化", "unchanged": "未变化", "renumbered": "仅序号变化"}

#: Written into every file duty-lists makes for people (HTML meta generator,
#: the workbook's creator), so a folder walk can leave them out.
GENERATOR = "duty-lists"

#: Column widths (in Excel's character units) by field kind; names and steps wrap.
WIDTHS: dict[str, float] = {"number": 7, "text": 18, "names": 24, "steps": 60, "flag": 10, "pages": 9}
#: Wider than WIDTHS["text"]: an item's name is the column people read.
NAME_WIDTH = 40
#: Columns of a list sheet: the fields a list carries, as people print them.
SHEET_KINDS = ("number", "text", "names", "steps", "flag", "pages")

#: Named styles, registered once per workbook: setting one name per cell costs
#: a third of setting font, fill and alignment one by one.
BODY_STYLE = NamedStyle("duty_body", alignment=Alignment(wrap_text=True, vertical="top"))
HEADER_STYLE = NamedStyle("duty_header", font=Font(bold=True), fill=PatternFill("solid", fgColor="DDEBF7"),
                          alignment=Alignment(wrap_text=True, vertical="top"))

#: The list sheets add who issued the list when a workbook holds several documents.
ISSUER_HEADER = "发布单位"
SOURCE_HEADER = "来源文件"


def list_columns(list_type: str) -> list[FieldSpec]:
    """The printed columns of one list type: its own fields, 备注 and 页码 last."""
    return [spec for spec in FIELDS if spec.kind in SHEET_KINDS and list_type in spec.lists]


def item_values(item: Item, columns: Sequence[FieldSpec]) -> list[object]:
    values: list[object] = []
    for spec in columns:
        value = getattr(item, spec.key)
        if spec.kind == "number":
            values.append(value)
        elif spec.kind == "flag":
            values.append("是" if value else "")
        elif isinstance(value, list):
            values.append(spec.joiner.join(str(v) for v in value))
        else:
            values.append(value or "")
    return values


def _cell(sheet: Worksheet, value: object, header: bool = False) -> WriteOnlyCell:
    """A cell that Excel shows as given: numbers as numbers, all else as text."""
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
    cell.style = HEADER_STYLE.name if header else BODY_STYLE.name
    return cell


def _table(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[float]) -> None:
    """A header row (bold, frozen, filtered) over ``rows``, streamed (write-only mode:
    a tenth of the time and memory of openpyxl's full model)."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, title, header=True) for title in header])
    rows = list(rows)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def _width(spec: FieldSpec) -> float:
    return NAME_WIDTH if spec.key == "name" else WIDTHS[spec.kind]


def _overview(sheet: Worksheet, docs: Sequence[Document]) -> None:
    header = [ISSUER_HEADER, SOURCE_HEADER, "格式", "页数", "清单", "事项类别", "事项数", "错误", "警告"]
    rows: list[list[object]] = []
    for doc in docs:
        counts = severity_counts(doc.findings)
        source = [doc.issuer, doc.source.path, doc.source.format, doc.source.pages]
        rows.append([*source, "（全部）", "", sum(len(dl.items) for dl in doc.lists), counts["error"], counts["warning"]])
        for dl in ordered_lists(doc):
            in_list = [f for f in doc.findings if f.list_type == dl.list_type]
            list_counts = severity_counts(in_list)
            rows.append([*source, LIST_NAMES[dl.list_type], "（全部）", len(dl.items),
                         list_counts["error"], list_counts["warning"]])
            rows.extend([*source, LIST_NAMES[dl.list_type], row.category, row.count, "", ""] for row in category_counts(dl))
    _table(sheet, header, rows, [30, 40, 8, 7, 22, 18, 8, 7, 7])


def _list_sheet(sheet: Worksheet, docs: Sequence[Document], list_type: str, with_issuer: bool) -> None:
    columns = list_columns(list_type)
    header = [spec.header for spec in columns]
    widths = [_width(spec) for spec in columns]
    if with_issuer:
        header, widths = [ISSUER_HEADER, *header], [30, *widths]
    rows = []
    for doc in docs:
        dl = doc.get_list(list_type)
        for item in dl.items if dl else []:
            values = item_values(item, columns)
            rows.append([doc.issuer, *values] if with_issuer else values)
    _table(sheet, header, rows, widths)


def _findings_sheet(sheet: Worksheet, docs: Sequence[Document], with_issuer: bool) -> None:
    header = ["严重程度", "代码", "清单", "序号", "页码", "说明", "原文"]
    widths = [9, 22, 22, 7, 7, 60, 50]
    if with_issuer:
        header, widths = [ISSUER_HEADER, *header], [30, *widths]
    rows = []
    for doc in docs:
        for finding in sorted_findings(doc.findings):
            row = [
                SEVERITY_NAMES.get(finding.severity, finding.severity),
                finding.code,
                LIST_NAMES.get(finding.list_type or "", ""),
                finding.seq if finding.seq is not None else "",
                finding.page if finding.page is not None else "",
                finding.message,
                finding.text or "",
            ]
            rows.append([doc.issuer, *row] if with_issuer else row)
    _table(sheet, header, rows, widths)


def _new_book() -> Workbook:
    book = Workbook(write_only=True)
    book.properties.creator = GENERATOR  # how a later run tells its own outputs from inputs
    for style in (BODY_STYLE, HEADER_STYLE):
        book.add_named_style(style)
    return book


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return deterministic_zip(buffer.getvalue())


def workbook_bytes(docs: Sequence[Document]) -> bytes:
    """One workbook for ``docs``: 概况, the three lists, 问题清单.

    With several documents (a dataset) each row names its issuer.
    """
    with_issuer = len(docs) != 1
    book = _new_book()
    _overview(book.create_sheet("概况"), docs)
    for list_type in LIST_TYPES:
        _list_sheet(book.create_sheet(LIST_NAMES[list_type]), docs, list_type, with_issuer)
    _findings_sheet(book.create_sheet("问题清单"), docs, with_issuer)
    return _saved(book)



def diff_workbook_bytes(diff: DocumentDiff) -> bytes:
    """``diff --format xlsx``: 概况 (the two versions and the counts) and 变化
    (one row per change; a pair with several changed fields, one row per field)."""
    book = _new_book()
    counts = diff.counts()
    overview: list[list[object]] = [["旧版本", diff.old_source], ["新版本", diff.new_source], ["发布单位", diff.new_issuer]]
    overview += [[DIFF_COUNT_LABELS[key], value] for key, value in counts.items()]
    _table(book.create_sheet("概况"), ["项目", "内容"], overview, [16, 60])
    header = ["变化", "旧清单", "旧序号", "新清单", "新序号", "事项类别", "履职事项名称", "字段", "旧内容", "新内容"]
    rows: list[list[object]] = []
    for ref in diff.removed:
        rows.append(["删除", LIST_NAMES[ref.list_type], ref.seq, "", "", ref.category, ref.name, "", "", ""])
    for ref in diff.added:
        rows.append(["新增", "", "", LIST_NAMES[ref.list_type], ref.seq, ref.category, ref.name, "", "", ""])
    for change in diff.changed:
        old, new = change.old, change.new
        where = [LIST_NAMES[old.list_type], old.seq, LIST_NAMES[new.list_type], new.seq, new.category]
        if change.renamed:
            rows.append(["更名", *where, new.name, BY_KEY["name"].label, old.name, new.name])
        if change.moved:
            rows.append(["移动", *where, new.name, "清单/类别", f"{LIST_NAMES[old.list_type]}／{old.category}",
                         f"{LIST_NAMES[new.list_type]}／{new.category}"])
        for field_change in change.fields:
            spec = BY_KEY.get(field_change.field)
            rows.append(["内容变化", *where, new.name, spec.label if spec else field_change.field,
                         field_change.old, field_change.new])
    _table(book.create_sheet("变化"), header, rows, [9, 20, 7, 20, 7, 14, 40, 12, 50, 50])
    return _saved(book)


#: compare's tables as sheet names, their column keys and values as people read them.
COMPARISON_SHEETS = {"coverage": "对照参考清单", "groups": "事项分组", "similarity": "相似度"}
COMPARISON_HEADERS = {
    "town": "乡镇（街道）", "status": "情况", "ref_list": "参考清单", "ref_seq": "参考序号", "ref_category": "参考事项类别",
    "ref_name": "参考事项名称", "list": "清单", "seq": "序号", "category": "事项类别", "name": "履职事项名称",
    "score": "名称相似度", "group": "组号", "n_towns": "乡镇数", "share": "占比", "spellings": "写法数", "towns": "乡镇（街道）",
}
COMPARISON_VALUES = {"covered": "已有", "lacking": "缺少", "own": "自有", **LIST_NAMES}


def comparison_workbook_bytes(tables: dict[str, list[list[object]]]) -> bytes:
    """``compare --format xlsx``: each of compare's CSV tables as a sheet (header row first)."""
    book = _new_book()
    for name, rows in tables.items():
        header, *body = rows
        coded = {i for i, key in enumerate(header) if key in {"status", "ref_list", "list"}}
        body = [[COMPARISON_VALUES.get(v, v) if i in coded and isinstance(v, str) else v for i, v in enumerate(row)] for row in body]
        titles = [COMPARISON_HEADERS.get(str(key), str(key)) for key in header]
        _table(book.create_sheet(COMPARISON_SHEETS.get(name, name)), titles, body, [18] * len(header))
    return _saved(book)
