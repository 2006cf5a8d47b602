"""Characters: traditional forms in simplified text, and extraction garbage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.fields import BY_KEY, FIELDS
from duty_lists.schema.records import Document, Finding, Item

if TYPE_CHECKING:
    from opencc import OpenCC

GARBLED = re.compile(r"\(cid:\d+\)|\ufffd|[\ue000-\uf8ff]")


class TextTraditional(FindingType):
    code = "text.traditional"
    severity = "warning"
    title = "简体文本中夹有繁体字"
    description = "A traditional character in simplified text (kept as printed; to be fixed at the source)."
    template = "{list_name}第 {seq} 项「{field}」含繁体字 {chars}（简体：{simplified}）"


class TextGarbled(FindingType):
    code = "text.garbled"
    severity = "warning"
    title = "乱码"
    description = "Text the PDF could not map to characters: (cid:NN), U+FFFD or private-use code points."
    template = "{list_name}第 {seq} 项「{field}」含无法识别的字符 {sample}"


def item_texts(item: Item) -> Iterator[tuple[str, str]]:
    """(Chinese field name, text) for every text an item carries."""
    yield BY_KEY["category"].label, item.category
    yield BY_KEY["name"].label, item.name
    if item.remark:
        yield BY_KEY["remark"].label, item.remark
    for spec in FIELDS:
        if spec.kind in ("names", "steps") and (values := getattr(item, spec.key)):
            yield spec.label, "\n".join(values)


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def in_simplified_standard(char: str) -> bool:
    """Is ``char`` one of GB2312's characters, the standard simplified set?"""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def traditional_chars(text: str) -> list[tuple[int, str, str]]:
    """Positions of traditional characters: OpenCC's t2s changes them and
    they are not standard simplified characters.

    The second condition matters: t2s maps some characters that are also
    ordinary simplified ones (覆 in 覆盖 → 复), which would be false alarms.
    Only same-length conversions are compared.
    """
    if text.isascii():
        return []
    converted = _t2s().convert(text)
    if len(converted) != len(text):
        return []
    return [
        (i, a, b)
        for i, (a, b) in enumerate(zip(text, converted, strict=True))
        if a != b and not in_simplified_standard(a)
    ]


def excerpt(text: str, index: int, width: int = 12) -> str:
    start = max(0, index - width)
    return ("…" if start else "") + text[start : index + width] + ("…" if index + width < len(text) else "")


class TextCheck(Check):
    types = (TextTraditional, TextGarbled)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for dl in doc.lists:
            for item in dl.items:
                for label, text in item_texts(item):
                    diffs = traditional_chars(text)
                    if diffs:
                        yield TextTraditional.at(
                            dl.list_type, item, text=excerpt(text, diffs[0][0]),
                            field=label,
                            chars="、".join(dict.fromkeys(a for _, a, _ in diffs)),
                            simplified="、".join(dict.fromkeys(b for _, _, b in diffs)),
                        )
                    garbled = GARBLED.search(text)
                    if garbled:
                        yield TextGarbled.at(
                            dl.list_type, item, text=excerpt(text, garbled.start()),
                            field=label, sample=garbled.group(0),
                        )
