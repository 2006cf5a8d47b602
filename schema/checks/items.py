"""Items named twice: within one list, or in two lists."""

from __future__ import annotations

import re
from collections.abc import Iterator

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.records import LIST_NAMES, Document, Finding


class ItemDuplicate(FindingType):
    code = "item.duplicate"
    severity = "error"
    title = "同一清单内事项重复"
    description = "The same item name appears twice in one list."
    template = "{list_name}第 {seq} 项与第 {first} 项名称相同"


class ItemCrossList(FindingType):
    code = "item.cross_list"
    severity = "error"
    title = "事项同时出现在两个清单"
    description = "An item name appears in two lists (e.g. a reclaimed duty still listed as basic)."
    template = "{list_name}第 {seq} 项同时出现在{other_name}第 {other_seq} 项"


def name_key(name: str) -> str:
    """Compare names without punctuation and spacing differences."""
    return re.sub(r"[\s，。、；：,.;:“”\"'（）()]", "", name)


class ItemCheck(Check):
    types = (ItemDuplicate, ItemCrossList)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        first_in: dict[str, dict[str, int]] = {}
        for dl in doc.lists:
            seen: dict[str, int] = {}
            for item in dl.items:
                key = name_key(item.name)
                if not key:
                    continue
                if key in seen:
                    yield ItemDuplicate.at(
                        dl.list_type, item, text=item.name,
                        first=seen[key],
                    )
                    continue
                seen[key] = item.seq
                for other_type, other_seq in first_in.get(key, {}).items():
                    yield ItemCrossList.at(
                        dl.list_type, item, text=item.name,
                        other_name=LIST_NAMES[other_type], other_seq=other_seq,
                    )
                first_in.setdefault(key, {})[dl.list_type] = item.seq
