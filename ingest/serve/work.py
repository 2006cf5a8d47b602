"""What a worker process does with one upload: the same pipeline and outputs as ``run``.

Functions here run in the server's process pool, so they take plain,
picklable arguments and return small summaries; the files go into the
upload's folder.  They never raise for a bad document: its reason is the one
line the command line would print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from duty_lists.ingest.batch.worker import outputs_for
from duty_lists.ingest.pipeline import RunOptions, process_file
from duty_lists.ingest.writers import atomic_write_bytes, commit_folder
from duty_lists.parsers import ParseError
from duty_lists.schema.records import LIST_TYPES, Document


@dataclass(frozen=True)
class Checked:
    """One document checked: its summary for the page, or why it could not be read."""

    name: str
    folder: str | None = None
    error: str | None = None
    issuer: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.error is None and self.findings.get("error", 0) == 0


def _read(stored: Path, name: str, options: RunOptions) -> Document:
    """The document, named as the user named it (not the stored path)."""
    doc = process_file(stored, options)
    return doc.model_copy(update={"source": doc.source.model_copy(update={"path": name})})


def _read_version(upload: tuple[str, str], options: RunOptions) -> Document:
    """One side of a comparison (stored path, name): a reason that says which side."""
    stored, name = upload
    try:
        return _read(Path(stored), name, options)
    except ParseError as exc:
        raise ParseError(f"{name}：{exc.reason}") from exc


def _reason(exc: Exception) -> str:
    if isinstance(exc, ParseError):
        return exc.reason
    return f"内部错误 (internal error: {type(exc).__name__})"


def check_document(stored: str, name: str, folder: str, options: RunOptions) -> Checked:
    """Read, check and write one document's outputs (as ``run`` writes them) into ``folder``."""
    try:
        doc = _read(Path(stored), name, options)
        commit_folder(Path(folder), outputs_for(doc))
    except Exception as exc:  # one bad file never takes the server down
        return Checked(name=name, error=_reason(exc))
    return Checked(
        name=name,
        folder=Path(folder).name,
        issuer=doc.issuer,
        counts={lt: len(dl.items) if (dl := doc.get_list(lt)) else 0 for lt in LIST_TYPES},
        findings={sev: sum(f.severity == sev for f in doc.findings) for sev in ("error", "warning")},
    )


@dataclass(frozen=True)
class Compared:
    old: str
    new: str
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    identical: bool = False


def compare_versions(old: tuple[str, str], new: tuple[str, str], folder: str, options: RunOptions) -> Compared:
    """``duty-lists diff`` of two uploads: diff.html, diff.json and diff.xlsx in ``folder``."""
    from duty_lists.ingest.analysis.diff import diff_documents, render_html, to_json
    from duty_lists.ingest.report.workbook import diff_workbook_bytes

    old_name, new_name = old[1], new[1]
    try:
        result = diff_documents(_read_version(old, options), _read_version(new, options))
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target / "diff.html", render_html(result).encode("utf-8"))
        atomic_write_bytes(target / "diff.json", to_json(result).encode("utf-8"))
        atomic_write_bytes(target / "diff.xlsx", diff_workbook_bytes(result))
    except Exception as exc:
        return Compared(old_name, new_name, error=_reason(exc))
    return Compared(old_name, new_name, counts=result.counts(), identical=result.identical)
