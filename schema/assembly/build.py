"""Records from assembled rows: apply the normalisation rules field by field."""

from __future__ import annotations

from duty_lists.schema.assembly.department_cells import is_discontinued, method_steps, split_departments, split_reclaimed
from duty_lists.schema.assembly.model import AssembledList, AssembledRow, Assembly
from duty_lists.schema.assembly.normalise import clean_remark, join_wrapped_phrase, split_steps
from duty_lists.schema.records import DutyList, Item, SkippedRow, SourceRef, TocEntry

#: Fields that belong to each list type; others found in a list go to ``extra``.
LIST_FIELDS: dict[str, frozenset[str]] = {
    "basic": frozenset({"seq", "category", "name", "remark"}),
    "cooperative": frozenset({"seq", "category", "name", "remark", "superior_departments", "superior_duties", "town_duties"}),
    "reclaimed": frozenset(
        {"seq", "category", "name", "remark", "receiving", "receiving_departments", "working_method"}
    ),
}


def _rounded(bbox: tuple[float, float, float, float] | None) -> tuple[float, float, float, float] | None:
    """A row's box to 0.1 pt: enough to crop it, and stable across readers' float noise."""
    return None if bbox is None else (round(bbox[0], 1), round(bbox[1], 1), round(bbox[2], 1), round(bbox[3], 1))


def build_item(row: AssembledRow, list_type: str, headers: dict[str, str]) -> Item:
    allowed = LIST_FIELDS[list_type]
    fields = row.fields
    extra = dict(row.extra)
    for key, text in fields.items():
        if key not in allowed and text:
            extra[headers.get(key, key)] = text
    get = lambda key: fields.get(key, "") if key in allowed else ""  # noqa: E731
    receiving_departments: list[str] = []
    working_method: list[str] = []
    discontinued = False
    if list_type == "reclaimed":
        if get("receiving"):
            receiving_departments, working_method, discontinued = split_reclaimed(get("receiving"))
        if get("receiving_departments") or get("working_method"):
            dept_text, method_text = get("receiving_departments"), get("working_method")
            if is_discontinued(dept_text):
                # The department cell states that nobody takes the work over (不再实施,
                # 此项工作已不再开展): a statement, not a name.  It is the method too
                # unless the method cell says more than a filler (／, —, 无).
                named, stated, said = split_reclaimed(dept_text)
                receiving_departments += named
                working_method += method_steps(method_text) or stated
                discontinued = discontinued or said
            else:
                receiving_departments += split_departments(dept_text)
                working_method += method_steps(method_text)
            discontinued = discontinued or (not receiving_departments and is_discontinued(method_text))
        # Forms without a 工作方式 column state it in 备注 (收回部门 ／, 备注
        # 此项工作已不再开展): nobody takes the work over, so it is discontinued.
        if not receiving_departments and not discontinued and is_discontinued(get("remark")):
            discontinued = True
    pages = sorted({ref.page for ref in row.prov if ref.page > 0})
    return Item(
        seq=int(fields["seq"]),
        category=join_wrapped_phrase(fields.get("category", "")),
        name=join_wrapped_phrase(fields.get("name", "")),
        remark=clean_remark(fields.get("remark")),
        superior_departments=split_departments(get("superior_departments")),
        superior_duties=split_steps(get("superior_duties")),
        town_duties=split_steps(get("town_duties")),
        receiving_departments=receiving_departments,
        working_method=working_method,
        discontinued=discontinued,
        pages=pages,
        ocr_confidence=dict(sorted(row.confidence.items())),
        extra={k: v for k, v in sorted(extra.items())},
        provenance=[SourceRef(page=p.page, row=p.row, bbox=_rounded(p.bbox)) for p in row.prov],
    )


def build_list(assembled: AssembledList) -> DutyList:
    headers = {
        column: label
        for column, label in zip(assembled.columns or [], assembled.headers, strict=False)
        if column
    }
    return DutyList(
        list_type=assembled.list_type,
        title=assembled.title,
        items=[build_item(row, assembled.list_type, headers) for row in assembled.rows],
        stated_count=assembled.stated_count,
        stated_category_counts=dict(assembled.stated_category_counts),
        start_page=assembled.start_page,
        skipped_rows=[SkippedRow(page=prov.page, row=prov.row, text=text) for prov, text in assembled.skipped],
    )


def build_lists(assembly: Assembly) -> tuple[list[DutyList], list[TocEntry]]:
    lists = [build_list(lst) for lst in assembly.lists]
    toc = [TocEntry(list_type=t.list_type, title=t.title, printed_page=t.printed_page) for t in assembly.toc]
    return lists, toc
