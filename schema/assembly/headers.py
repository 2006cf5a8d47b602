"""Map printed column headers to canonical fields, by synonyms kept as data.

The synonyms live in ``schema/data/headers.json`` so a user can extend them
with a file of the same shape instead of editing code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from duty_lists.schema.text.distance import within_one_edit

#: Canonical fields a column can map to.  ``receiving`` is the combined
#: 承接部门及工作方式 column that normalisation splits in two.
FIELDS = (
    "seq",
    "category",
    "name",
    "superior_departments",
    "superior_duties",
    "town_duties",
    "receiving",
    "receiving_departments",
    "working_method",
    "remark",
)


@dataclass(frozen=True)
class HeaderRule:
    field: str
    exact: frozenset[str]
    contains: tuple[str, ...]


def clean_header(text: str | None) -> str:
    """Header text without HTML, whitespace, line breaks or a trailing colon."""
    text = re.sub(r"<[^>]*>", "", text or "")
    return re.sub(r"[\s\u3000]+", "", text).rstrip("：:")


def _rules_from(data: dict) -> list[HeaderRule]:
    rules = []
    for entry in data.get("fields", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("field"), str):
            raise ValueError(f"each header synonym entry needs a 'field' name, got {entry!r}")
        if not all(isinstance(x, str) for key in ("exact", "contains") for x in entry.get(key, [])):
            raise ValueError(f"'exact' and 'contains' of {entry['field']!r} must be lists of strings")
        field = entry["field"]
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r} in header synonyms (known: {', '.join(FIELDS)})")
        unknown = set(entry) - {"field", "exact", "contains"}
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)} for field {field!r} in header synonyms")
        rules.append(
            HeaderRule(
                field=field,
                exact=frozenset(clean_header(x) for x in entry.get("exact", [])),
                contains=tuple(clean_header(x) for x in entry.get("contains", [])),
            )
        )
    return rules


@lru_cache(maxsize=8)
def load_rules(user_file: str | None = None) -> tuple[HeaderRule, ...]:
    """Shipped synonyms, with a user file's rules tried first."""
    shipped = json.loads(resources.files("duty_lists.schema").joinpath("data/headers.json").read_text(encoding="utf-8"))
    rules = _rules_from(shipped)
    if user_file:
        try:
            data = json.loads(Path(user_file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ValueError(f"{user_file}: not a readable JSON header-synonyms file ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("fields", []), list):
            raise ValueError(f"{user_file}: expected {{\"fields\": [{{\"field\": …, \"exact\": […]}}]}}")
        rules = _rules_from(data) + rules
    return tuple(rules)


def map_header(text: str | None, rules: tuple[HeaderRule, ...]) -> str | None:
    """The canonical field for one printed header, or ``None`` if unknown."""
    cleaned = clean_header(text)
    if not cleaned:
        return None
    for rule in rules:
        if cleaned in rule.exact:
            return rule.field
    for rule in rules:
        if any(part and part in cleaned for part in rule.contains):
            return rule.field
    return None


#: Shortest synonym an OCR'd header may be one edit away from: a one-edit
#: neighbour of a two- or three-character header (序号, 备注, 类别) is as
#: likely another word as a misread one.
FUZZY_MIN_LENGTH = 4


def map_header_fuzzy(text: str | None, rules: tuple[HeaderRule, ...]) -> str | None:
    """:func:`map_header` for headers read by OCR, which misreads one character
    now and then (门 as 内: 上级部内职责).

    An exact synonym wins; then a header one edit from exactly one field's
    synonyms (of at least :data:`FUZZY_MIN_LENGTH` characters) maps to that
    field; then the ``contains`` rules.  The near match comes before
    ``contains`` because a misread 承接部内及工作方式 still contains 工作方式
    and would otherwise become the wrong column.  Two fields equally near
    decide nothing.  Only the column mapping changes: the cell text stays as read.
    """
    cleaned = clean_header(text)
    if not cleaned:
        return None
    for rule in rules:
        if cleaned in rule.exact:
            return rule.field
    if len(cleaned) >= FUZZY_MIN_LENGTH - 1:
        near = {
            rule.field
            for rule in rules
            for synonym in rule.exact
            if len(synonym) >= FUZZY_MIN_LENGTH and within_one_edit(cleaned, synonym)
        }
        if len(near) == 1:
            return near.pop()
    return map_header(cleaned, rules)


def looks_like_header(cells: list[str | None], rules: tuple[HeaderRule, ...]) -> bool:
    """A row is a header when ≥2 of its cells are known headers, one of them 序号 or the name."""
    fields = [map_header(cell, rules) for cell in cells if cell]
    known = [f for f in fields if f]
    return len(known) >= 2 and ("seq" in known or "name" in known)


def list_type_from_fields(fields: set[str]) -> str:
    """Guess the list type from a header signature when no title says it."""
    if fields & {"receiving", "receiving_departments", "working_method"}:
        return "reclaimed"
    if fields & {"superior_departments", "superior_duties", "town_duties"}:
        return "cooperative"
    return "basic"
