"""The canonical records: what every input, whatever its format, becomes.

These classes *are* the output contract of ``document.json`` (schema version
1).  Field order here is the key order in JSON and the column order in CSV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

if TYPE_CHECKING:
    import pandas

SCHEMA_VERSION = "1"

ListType = Literal["basic", "cooperative", "reclaimed"]
#: ``info`` is for a finding that only informs (a legacy file read through a
#: conversion); it never fails ``validate``, not even ``--strict``.
Severity = Literal["error", "warning", "info"]
SourceFormat = Literal["pdf", "docx", "xlsx", "html", "text", "image"]

LIST_TYPES: tuple[ListType, ...] = ("basic", "cooperative", "reclaimed")

#: Chinese names used in reports and messages.
LIST_NAMES: dict[str, str] = {
    "basic": "基本履职事项清单",
    "cooperative": "配合履职事项清单",
    "reclaimed": "上级部门收回事项清单",
}


class SourceRef(BaseModel):
    """Where one item's text was printed: page (0 if unpaged) and row/line.

    ``bbox`` is the table row's box on a PDF page (text layer or scan), in
    points from the page's top-left: x0, top, x1, bottom, to 0.1 pt.  Absent
    where the format has no page geometry; it is left out of JSON then.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    page: int
    row: int
    bbox: tuple[float, float, float, float] | None = None

    # No return annotation (so mypy's ignore below): with one, pydantic would describe SourceRef in the
    # JSON Schema as that type.
    @model_serializer(mode="wrap")
    def _without_absent_bbox(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data = handler(self)
        if data.get("bbox") is None:
            data.pop("bbox", None)
        return data


class Item(BaseModel):
    """One duty item of one list, normalised."""

    model_config = ConfigDict(extra="forbid")

    seq: int
    category: str
    name: str
    remark: str | None = None
    superior_departments: list[str] = Field(default_factory=list)
    superior_duties: list[str] = Field(default_factory=list)
    town_duties: list[str] = Field(default_factory=list)
    receiving_departments: list[str] = Field(default_factory=list)
    working_method: list[str] = Field(default_factory=list)
    discontinued: bool = False
    pages: list[int] = Field(default_factory=list)
    #: Lowest OCR confidence per field, for items read from a scan (else empty).
    ocr_confidence: dict[str, float] = Field(default_factory=dict)
    #: Columns the header mapping did not recognise, by their printed header; and
    #: 原序号 (fields.PRINTED_SEQ), the 序号 as printed when ``seq`` is read from it (2.3 → 3).
    extra: dict[str, str] = Field(default_factory=dict)
    #: Every source row the item was assembled from (stitched rows give several).
    provenance: list[SourceRef] = Field(default_factory=list)

    def content(self) -> dict[str, object]:
        """The item without where it was printed or how it was read: equal for
        PDF, scan and text form."""
        return self.model_dump(exclude={"pages", "provenance", "ocr_confidence"})


class SkippedRow(BaseModel):
    """A table row with content but no usable 序号, not read as an item."""

    model_config = ConfigDict(extra="forbid")

    page: int
    row: int
    text: str


class DutyList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list_type: ListType
    title: str
    items: list[Item] = Field(default_factory=list)
    #: A count the document states for the whole list (共X项), if any.
    stated_count: int | None = None
    #: Stated counts per category from section rows (一、党的建设（17项）).
    stated_category_counts: dict[str, int] = Field(default_factory=dict)
    #: Where the list's title was printed (physical page, 0 if unpaged).
    start_page: int | None = None
    skipped_rows: list[SkippedRow] = Field(default_factory=list)


class Finding(BaseModel):
    """One problem found by a check, located as precisely as the source allows."""

    model_config = ConfigDict(extra="forbid")

    code: str
    severity: Severity
    list_type: ListType | None = None
    seq: int | None = None
    message: str
    page: int | None = None
    text: str | None = None


class SourceNote(BaseModel):
    """Something the parser noticed about the document (a page it could not
    read, text it read unreliably, a hidden sheet it skipped); each is also a
    ``source.*`` finding."""

    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    #: 1-based page (PDF page, XLSX sheet position), when the note is about one.
    page: int | None = None
    #: The worksheet's name, for a note about one sheet.
    sheet: str | None = None


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    sha256: str
    format: SourceFormat
    pages: int


class TocEntry(BaseModel):
    """A line of the document's table of contents, as printed."""

    model_config = ConfigDict(extra="forbid")

    list_type: ListType | None
    title: str
    printed_page: int


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    source: Source
    issuer: str
    lists: list[DutyList] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    toc: list[TocEntry] = Field(default_factory=list)
    #: Physical page -> printed page number, where footers state one.
    printed_pages: dict[int, int] = Field(default_factory=dict)
    #: What the parser noticed about the source (added in schema version 1 as
    #: an optional key: a ``document.json`` without it reads as no notes).
    notes: list[SourceNote] = Field(default_factory=list)

    def get_list(self, list_type: str) -> DutyList | None:
        return next((lst for lst in self.lists if lst.list_type == list_type), None)

    def to_pandas(self) -> dict[str, pandas.DataFrame]:
        """One DataFrame per list and one of the findings (see :mod:`schema.frames`)."""
        from duty_lists.schema.frames import document_frames

        return document_frames(self)
