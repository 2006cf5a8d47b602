"""Map printed column headers to canonical fields, by synonyms kept as data.

The synonyms live in ``schema/data/headers.json`` so a user can extend them
with a file of the same shape instead of editing code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, get_args

from duty_lists.schema.errors import first_error
from duty_lists.schema.text.distance import within_one_edit
from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    from duty_lists.schema.records import ListType

#: Canonical fields a column can map to.  ``receiving`` is the combined
#: 承接部门及工作方式 column that normalisation splits in two.
FieldName = Literal[
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
]
FIELDS: tuple[str, ...] = get_args(FieldName)


@dataclass(frozen=True)
class HeaderRule:
    field: str
    exact: frozenset[str]
    contains: tuple[str, ...]


def clean_header(text: str | None) -> str:
    """Header text without HTML, whitespace, line breaks or a trailing colon."""
    text = re.sub(r"<[^>]*>", "", text or "")
    return re.sub(r"[\s\u3000]+", "", text).rstrip("：:")


class HeaderSynonyms(BaseModel):
    """One field's printed headers: ``exact`` must equal the cleaned header, ``contains`` must occur in it."""

    model_config = ConfigDict(extra="forbid")

    field: FieldName
    exact: list[str] = []
    contains: list[str] = []


class HeadersFile(BaseModel):
    """A ``--headers`` file, the shape of ``schema/data/headers.json``: unknown keys are an error."""

    model_config = ConfigDict(extra="forbid")
    EXAMPLE: ClassVar[str] = '{"fields": [{"field": "name", "exact": ["工作任务"], "contains": []}]}'

    comment: str | None = Field(default=None, alias="_comment")
    fields: list[HeaderSynonyms] = []

    def rules(self) -> list[HeaderRule]:
        return [
            HeaderRule(
                field=entry.field,
                exact=frozenset(clean_header(x) for x in entry.exact),
                contains=tuple(clean_header(x) for x in entry.contains),
            )
            for entry in self.fields
        ]


def read_headers_file(data: bytes | str, name: str) -> HeadersFile:
    """``data`` as a headers file; ``ValueError`` with one line naming ``name``, where and what."""
    try:
        return HeadersFile.model_validate_json(data)
    except ValidationError as exc:
        raise ValueError(f"{name}: {first_error(exc)} (a headers file is {HeadersFile.EXAMPLE})") from exc


@lru_cache(maxsize=8)
def load_rules(user_file: str | None = None) -> tuple[HeaderRule, ...]:
    """Shipped synonyms, with a user file's rules tried first."""
    shipped = resources.files("duty_lists.schema").joinpath("data/headers.json").read_bytes()
    rules = read_headers_file(shipped, "schema/data/headers.json").rules()
    if user_file:
        try:
            data = Path(user_file).read_bytes()
        except OSError as exc:
            raise ValueError(f"{user_file}: cannot read the headers file ({exc.strerror or exc})") from exc
        rules = read_headers_file(data, user_file).rules() + rules
    return tuple(rules)


def map_header(text: str | None, rules: tuple[HeaderRule, ...]) -> str | None:
    """The canonical field for one printed header, or ``None`` if unknown."""
    cleaned = clean_header(text)
    if not cleaned:
        return None
    return _exact(cleaned, rules) or next(
        (rule.field for rule in rules if any(part and part in cleaned for part in rule.contains)), None
    )


def _exact(cleaned: str, rules: tuple[HeaderRule, ...]) -> str | None:
    """The field a cleaned header is an exact synonym of: what both mappings try first."""
    return next((rule.field for rule in rules if cleaned in rule.exact), None)


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
    if exact := _exact(cleaned, rules):
        return exact
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


#: A sub-header label is short and has no clause punctuation; a step text
#: cut by a page break under a repeated header is neither.
_SUB_LABEL_MAX = 16
_CLAUSE_PUNCT = re.compile(r"[。；;，,]")
#: A cell that goes on after a label's colon (``工作方式：…``) or ends a sentence
#: is text, not a label: the rest of a row cut by a page break can sit right
#: under the header the next page repeats.
LABEL_WITH_TEXT = re.compile(r"[：:]\s*\S|[。；;]")


def group_spans(header: list[str | None]) -> list[tuple[int, int]]:
    """Column ranges ``[start, end)`` of header cells merged across several
    columns (an anchor followed by ``None``): groups such as 职责分工 over
    区级部门 / 区级部门职责 / 街道职责."""
    spans: list[tuple[int, int]] = []
    j = 0
    while j < len(header):
        end = j + 1
        if clean_header(header[j]):
            while end < len(header) and header[end] is None:
                end += 1
            if end - j > 1:
                spans.append((j, end))
        j = end
    return spans


def is_sub_header(above: list[list[str | None]], cells: list[str | None], rules: tuple[HeaderRule, ...]) -> bool:
    """Is ``cells``, right under the header rows ``above``, their second row?

    Either every label is a known header, or — whatever the words — the row
    names the sub-columns of a group above: its cells stand only under
    merged header cells, there are at least two of them, and each is short
    and clause-free as labels are.  The second test is what makes a group
    over sub-columns the form did not borrow from our synonyms work.
    """
    filled = [(j, cell) for j, cell in enumerate(cells) if cell is not None and cell.strip()]
    if not above or not filled:
        return False
    if any(LABEL_WITH_TEXT.search(cell) for _, cell in filled):
        return False
    if all(map_header(cell, rules) for _, cell in filled):
        return True
    spans = [span for row in above for span in group_spans(row)]
    return len(filled) >= 2 and all(
        any(start <= j < end for start, end in spans)
        and len(clean_header(cell)) <= _SUB_LABEL_MAX
        and not _CLAUSE_PUNCT.search(cell)
        for j, cell in filled
    )


def combine_header_rows(
    header_rows: list[list[str | None]], mapper: Callable[[str | None, tuple[HeaderRule, ...]], str | None],
    rules: tuple[HeaderRule, ...],
) -> tuple[list[str | None], list[str]]:
    """Column fields and labels from one or more header rows: the lowest label wins.

    A position covered by a merge takes the label from its left in that row
    (a header merged across columns names each of them).  A sub-column label
    the synonyms do not know is tried again with its group's label in front
    (上级部门 over 名称 / 职责 → 上级部门名称, 上级部门职责).
    """
    width = max(len(r) for r in header_rows)
    labels: list[str] = [""] * width
    groups: list[str] = [""] * width
    for header in header_rows:
        carried = ""
        for j in range(width):
            cell = header[j] if j < len(header) else None
            if cell is None:
                # Covered by a merge: horizontally from the left in this row.
                cell = carried if not labels[j] else None
            if cell:
                label = clean_header(cell)
                if labels[j] and labels[j] != label:
                    groups[j] = labels[j]
                labels[j] = label
                carried = cell
    columns = []
    for label, group in zip(labels, groups, strict=True):
        column = mapper(label, rules)
        if column is None and group:
            column = mapper(group + label, rules)
        columns.append(column)
    return columns, labels


def list_type_from_fields(fields: set[str]) -> ListType:
    """Guess the list type from a header signature when no title says it."""
    if fields & {"receiving", "receiving_departments", "working_method"}:
        return "reclaimed"
    if fields & {"superior_departments", "superior_duties", "town_duties"}:
        return "cooperative"
    return "basic"
