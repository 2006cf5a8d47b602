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
    shipped = json.loads(resources.files("schema").joinpath("data/headers.json").read_text(encoding="utf-8"))
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
