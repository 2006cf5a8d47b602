"""The checklist: every check the validator runs, in report order.

A new check is one small class in a module here plus one line in
:data:`CHECKS`.
"""

from __future__ import annotations

from .base import Check, CheckContext, FindingType, Policy
from .categories import CategoryCheck
from .departments import DepartmentCheck
from .fields import FieldCheck
from .items import ItemCheck
from .numbering import NumberingCheck
from .ocr import OcrCheck
from .structure import CountCheck, SkippedRowCheck, TocCheck
from .text import TextCheck

CHECKS: tuple[type[Check], ...] = (
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


def run_checks(doc, ctx: CheckContext, policy: Policy | None = None):
    """Every finding for ``doc``, policy applied, in a stable order."""
    findings = [finding for check in CHECKS for finding in check().run(doc, ctx)]
    return (policy or Policy()).apply(findings)
