"""The checklist: every check the validator runs, in report order.

A new check is one small class in a module here plus one line in
:data:`CHECKS`.
"""

from __future__ import annotations

from duty_lists.schema.checks.base import Check, CheckContext, FindingType, Policy
from duty_lists.schema.checks.categories import CategoryCheck
from duty_lists.schema.checks.departments import DepartmentCheck
from duty_lists.schema.checks.fields import FieldCheck
from duty_lists.schema.checks.items import ItemCheck
from duty_lists.schema.checks.numbering import NumberingCheck
from duty_lists.schema.checks.ocr import OcrCheck
from duty_lists.schema.checks.source import SourceCheck
from duty_lists.schema.checks.structure import CountCheck, SkippedRowCheck, TocCheck
from duty_lists.schema.checks.text import TextCheck
from duty_lists.schema.records import Document, Finding

CHECKS: tuple[type[Check], ...] = (
    SourceCheck,
    NumberingCheck,
    CategoryCheck,
    FieldCheck,
    ItemCheck,
    CountCheck,
    TocCheck,
    SkippedRowCheck,
    TextCheck,
    DepartmentCheck,
    OcrCheck,
)

__all__ = ["CHECKS", "Check", "CheckContext", "FindingType", "Policy", "all_codes", "finding_types", "run_checks"]


def finding_types() -> list[type[FindingType]]:
    return [t for check in CHECKS for t in check.types]


def all_codes() -> set[str]:
    return {t.code for t in finding_types()}


def run_checks(doc: Document, ctx: CheckContext, policy: Policy | None = None) -> list[Finding]:
    """Every finding for ``doc``, policy applied, in a stable order."""
    findings = [finding for check in CHECKS for finding in check().run(doc, ctx)]
    return (policy or Policy()).apply(findings)
