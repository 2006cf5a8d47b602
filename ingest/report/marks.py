"""What to highlight for a finding: the offending characters, names or empty fields, as data.

A Finding carries its code, message and an excerpt (``text``), not positions,
so the marks are read back from what the checks wrote: the characters a
``text.traditional`` or ``text.garbled`` message names, the names quoted
「…」 in a message (a department, a category), the field label of a
``field.empty``.  The HTML report marks them in the finding's excerpt and in
the item's row; a finding whose message names nothing is shown unmarked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from duty_lists.schema.fields import FIELDS
from duty_lists.schema.records import Finding

_TRADITIONAL = re.compile(r"含繁体字 (.+?)（简体")
_GARBLED = re.compile(r"含无法识别的字符 (.+)$")
_QUOTED = re.compile(r"「([^」]+)」")
_LABELS: dict[str, str] = {spec.label: spec.key for spec in FIELDS}

#: Codes whose quoted words name a field (the column), not text to find in it.
_FIELD_CODES = ("field.empty",)


@dataclass(frozen=True, slots=True)
class Marks:
    #: Pieces of text to highlight wherever they occur.
    needles: tuple[str, ...] = ()
    #: Item fields (keys) the finding says are empty.
    empty_fields: tuple[str, ...] = ()


def finding_marks(finding: Finding) -> Marks:
    """What ``finding`` points at, read from its code and message."""
    message = finding.message
    if finding.code in _FIELD_CODES:
        fields = [_field_key(label) for label in _QUOTED.findall(message)]
        return Marks(empty_fields=tuple(key for key in fields if key))
    if finding.code == "text.traditional" and (match := _TRADITIONAL.search(message)):
        return Marks(needles=tuple(match.group(1).split("、")))
    if finding.code == "text.garbled" and (match := _GARBLED.search(message)):
        return Marks(needles=(match.group(1),))
    quoted = [q for q in _QUOTED.findall(message) if q not in _LABELS and not _field_key(q)]
    if finding.text:
        quoted = [q for q in quoted if q in finding.text] or quoted
    return Marks(needles=tuple(dict.fromkeys(quoted)))


def _field_key(label: str) -> str | None:
    """「承接部门（或不再开展的说明）」 → receiving_departments."""
    return _LABELS.get(label) or _LABELS.get(label.split("（")[0])


def merged(marks: Iterable[Marks]) -> Marks:
    needles: dict[str, None] = {}
    empty: dict[str, None] = {}
    for mark in marks:
        needles.update(dict.fromkeys(mark.needles))
        empty.update(dict.fromkeys(mark.empty_fields))
    return Marks(tuple(needles), tuple(empty))


def segments(text: str, needles: Iterable[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, highlighted) runs; longer needles win where two overlap."""
    wanted = sorted({n for n in needles if n}, key=lambda n: (-len(n), n))
    if not wanted or not text:
        return [(text, False)] if text else []
    pattern = re.compile("|".join(re.escape(n) for n in wanted))
    out: list[tuple[str, bool]] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            out.append((text[at : match.start()], False))
        out.append((match.group(0), True))
        at = match.end()
    if at < len(text):
        out.append((text[at:], False))
    return out
