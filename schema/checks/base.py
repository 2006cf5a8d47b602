"""Validation as data: finding types, checks, and the policy that runs them.

Following frictionless-py: each *finding type* is a tiny declaration with a
stable code, a default severity, a title, a description and a message
template; a *check* is a small class that declares which codes it can emit
and yields findings for one document.  The policy (rules file, ``--strict``)
is applied after the checks, so a check never needs to know about it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, get_args

from duty_lists.schema.records import LIST_NAMES, Document, Finding, Item, Severity


class FindingType:
    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    description: ClassVar[str]
    template: ClassVar[str]

    @classmethod
    def make(
        cls,
        *,
        list_type: str | None = None,
        seq: int | None = None,
        page: int | None = None,
        text: str | None = None,
        **values: object,
    ) -> Finding:
        return Finding(
            code=cls.code,
            severity=cls.severity,
            list_type=list_type,  # type: ignore[arg-type]
            seq=seq,
            message=cls.template.format(seq=seq, list_name=LIST_NAMES.get(list_type or "", ""), **values),
            page=page,
            text=text,
        )

    @classmethod
    def at(cls, list_type: str, item: Item, text: str | None = None, **values: object) -> Finding:
        """A finding located at one item: its list, seq and first page."""
        return cls.make(
            list_type=list_type,
            seq=item.seq,
            page=item.pages[0] if item.pages else None,
            text=text,
            **values,
        )


@dataclass
class CheckContext:
    """What checks may consult besides the document itself."""

    categories: frozenset[str] = frozenset()
    #: Known department names (a registry file); empty = no registry given.
    departments: frozenset[str] = frozenset()


class Check:
    """A pluggable rule: subclasses set ``types`` and implement ``run``."""

    types: ClassVar[tuple[type[FindingType], ...]] = ()

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        raise NotImplementedError


@dataclass
class Policy:
    """Which codes run and at what severity; loaded from a rules file.

    Rules file (JSON): ``{"disable": ["department.vague"], "severity":
    {"category.unknown": "warning"}}``.  Unknown keys or codes are an error,
    so a typo in a rules file is never silently ignored.
    """

    disabled: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path | None, known_codes: set[str]) -> Policy:
        if path is None:
            return cls()
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ValueError(f"{path}: not a readable JSON rules file ({exc})") from exc
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a rules file is a JSON object with 'disable' and/or 'severity'")
        disable, severity = data.get("disable", []), data.get("severity", {})
        if not (isinstance(disable, list) and all(isinstance(code, str) for code in disable)):
            raise ValueError(f"{path}: 'disable' must be a list of rule codes")
        if not (isinstance(severity, dict) and all(isinstance(v, str) for v in severity.values())):
            raise ValueError(f"{path}: 'severity' must map rule codes to 'error', 'warning' or 'info'")
        unknown_keys = set(data) - {"disable", "severity"}
        if unknown_keys:
            raise ValueError(f"{path}: unknown keys {sorted(unknown_keys)} (allowed: disable, severity)")
        codes = set(data.get("disable", [])) | set(data.get("severity", {}))
        unknown_codes = codes - known_codes
        if unknown_codes:
            raise ValueError(f"{path}: unknown rule codes {sorted(unknown_codes)}")
        for code, severity in data.get("severity", {}).items():
            if severity not in get_args(Severity):
                raise ValueError(f"{path}: severity of {code} must be 'error', 'warning' or 'info', not {severity!r}")
        return cls(disabled=frozenset(data.get("disable", [])), severity=dict(data.get("severity", {})))

    def apply(self, findings: list[Finding]) -> list[Finding]:
        kept = []
        for finding in findings:
            if finding.code in self.disabled:
                continue
            if finding.code in self.severity:
                finding = finding.model_copy(update={"severity": self.severity[finding.code]})
            kept.append(finding)
        return kept
