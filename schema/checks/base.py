"""Validation as data: finding types, checks, and the policy that runs them.

Following frictionless-py: each *finding type* is a tiny declaration with a
stable code, a default severity, a title, a description and a message
template; a *check* is a small class that declares which codes it can emit
and yields findings for one document.  The policy (rules file, ``--strict``)
is applied after the checks, so a check never needs to know about it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from duty_lists.schema.errors import first_error
from duty_lists.schema.records import LIST_NAMES, Document, Finding, Item, ListType, Severity
from pydantic import BaseModel, ConfigDict, Field, ValidationError


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
        list_type: ListType | None = None,
        seq: int | None = None,
        page: int | None = None,
        text: str | None = None,
        **values: object,
    ) -> Finding:
        return Finding(
            code=cls.code,
            severity=cls.severity,
            list_type=list_type,
            seq=seq,
            message=cls.template.format(seq=seq, list_name=LIST_NAMES.get(list_type or "", ""), **values),
            page=page,
            text=text,
        )

    @classmethod
    def at(cls, list_type: ListType, item: Item, text: str | None = None, **values: object) -> Finding:
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


class RulesFile(BaseModel):
    """What a ``--rules`` file may hold: unknown keys are an error, so a typo is never ignored."""

    model_config = ConfigDict(extra="forbid")
    EXAMPLE: ClassVar[str] = '{"disable": ["department.vague"], "severity": {"text.traditional": "error"}}'

    disable: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)


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
            rules = RulesFile.model_validate_json(Path(path).read_bytes())
        except OSError as exc:
            raise ValueError(f"{path}: cannot read the rules file ({exc.strerror or exc})") from exc
        except ValidationError as exc:
            raise ValueError(f"{path}: {first_error(exc)} (a rules file is {RulesFile.EXAMPLE})") from exc
        unknown_codes = (set(rules.disable) | set(rules.severity)) - known_codes
        if unknown_codes:
            raise ValueError(f"{path}: unknown rule codes {sorted(unknown_codes)}")
        return cls(disabled=frozenset(rules.disable), severity=dict(rules.severity))

    def apply(self, findings: list[Finding]) -> list[Finding]:
        kept = []
        for finding in findings:
            if finding.code in self.disabled:
                continue
            if finding.code in self.severity:
                finding = finding.model_copy(update={"severity": self.severity[finding.code]})
            kept.append(finding)
        return kept
