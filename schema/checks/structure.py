"""Document structure: stated counts and table-of-contents pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.records import LIST_NAMES, Document, Finding


class CountMismatch(FindingType):
    code = "count.mismatch"
    severity = "error"
    title = "声明的事项数与实际不符"
    description = "A count stated in a title or section row (共X项, （17项）) differs from the items listed."
    template = "{scope}声明 {stated} 项，实际列出 {actual} 项"


class TocPageMismatch(FindingType):
    code = "toc.page_mismatch"
    severity = "warning"
    title = "目录页码与实际不符"
    description = "A table-of-contents entry points to a page where its list does not start."
    template = "目录中「{title}」标注第 {toc_page} 页，实际从{kind}第 {actual} 页开始"


class RowUnnumbered(FindingType):
    code = "row.unnumbered"
    severity = "warning"
    title = "无法识别序号的行"
    description = "A table row with content whose 序号 is not a number: it was not read as an item."
    template = "{list_name}中有一行序号为「{seq_text}」，未作为事项读取"


class SkippedRowCheck(Check):
    types = (RowUnnumbered,)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for dl in doc.lists:
            for skipped in dl.skipped_rows:
                yield RowUnnumbered.make(
                    list_type=dl.list_type, page=skipped.page or None, text=skipped.text,
                    seq_text=skipped.text.split(" ")[0],
                )


class CountCheck(Check):
    types = (CountMismatch,)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for dl in doc.lists:
            name = LIST_NAMES[dl.list_type]
            if dl.stated_count is not None and dl.stated_count != len(dl.items):
                yield CountMismatch.make(
                    list_type=dl.list_type, page=dl.start_page, text=dl.title,
                    scope=name, stated=dl.stated_count, actual=len(dl.items),
                )
            actual = Counter(item.category for item in dl.items)
            for category, stated in dl.stated_category_counts.items():
                if actual.get(category, 0) != stated:
                    first = next((i for i in dl.items if i.category == category), None)
                    yield CountMismatch.make(
                        list_type=dl.list_type, seq=first.seq if first else None,
                        page=first.pages[0] if first and first.pages else None, text=category,
                        scope=f"{name}「{category}」", stated=stated, actual=actual.get(category, 0),
                    )


class TocCheck(Check):
    """Compare like with like: printed numbers when footers give them, else physical pages."""

    types = (TocPageMismatch,)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for entry in doc.toc:
            dl = doc.get_list(entry.list_type) if entry.list_type else None
            if dl is None or not dl.start_page:
                continue
            if doc.printed_pages:
                actual = doc.printed_pages.get(dl.start_page)
                kind = "页脚页码"
                if actual is None:
                    continue
            else:
                actual, kind = dl.start_page, "物理页"
            if actual != entry.printed_page:
                yield TocPageMismatch.make(
                    list_type=dl.list_type, page=dl.start_page, text=entry.title,
                    title=entry.title or LIST_NAMES[dl.list_type], toc_page=entry.printed_page, kind=kind, actual=actual,
                )
