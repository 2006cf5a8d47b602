"""``DIR/manifest.json`` and its journal as typed records, for writing and for reading.

An entry is written with the keys it was given, in the order of the fields
below (``exclude_unset``): an input that could not be read has no version
keys, a failed one no counts, so a manifest says only what is known.  A
manifest that does not parse as :class:`Manifest` is damaged
(:class:`ManifestError`, one line saying where and what).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from duty_lists.schema.errors import first_error
from pydantic import BaseModel, ConfigDict, ValidationError

MANIFEST = "manifest.json"
JOURNAL = "manifest.journal"


class ManifestError(Exception):
    """A ``manifest.json`` that cannot be read as one; the message is one line naming the file."""


class ManifestEntry(BaseModel):
    """One input of a run: what it was, what it was read with, and the outcome."""

    model_config = ConfigDict(frozen=True)

    #: The input as the user named it (:func:`~ingest.batch.names.display_path`): the manifest's key.
    path: str
    #: Its output folder's name under ``DIR``.
    stem: str
    #: ``None`` when the input could not be read.
    sha256: str | None = None
    tool_version: str | None = None
    #: sha256 of the bundled vocabularies and header rules.
    bundled_data: str | None = None
    #: :func:`~ingest.batch.worker.options_key` of the run's options.
    options: str | None = None
    status: Literal["ok", "failed"]
    error: str | None = None
    format: str | None = None
    pages: int | None = None
    issuer: str | None = None
    #: Items per list type.
    counts: dict[str, int] | None = None
    #: Findings per severity (error, warning).
    findings: dict[str, int] | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def failed(self, error: str) -> ManifestEntry:
        """This entry with the outcome replaced by a failure."""
        return self.model_copy(update={"status": "failed", "error": error})

    def data(self) -> dict:
        """The entry as written: the keys it was given, in field order."""
        return self.model_dump(exclude_unset=True)

    def journal_line(self) -> str:
        return json.dumps(self.data(), ensure_ascii=False) + "\n"


class Manifest(BaseModel):
    """``manifest.json``: the version that wrote it and every input ever given to runs on ``DIR``."""

    tool_version: str | None = None
    inputs: list[ManifestEntry] = []

    def text(self) -> str:
        # json.dumps of the entries' own dicts, as writers.to_json writes every JSON file
        data = {"tool_version": self.tool_version, "inputs": [entry.data() for entry in self.inputs]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load_manifest(path: Path) -> Manifest:
    """``path`` read as a manifest; :class:`ManifestError` when it is unreadable or damaged."""
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise ManifestError(f"{path}: 无法读取清单 (cannot read the manifest: {exc.strerror or exc})") from exc
    except ValidationError as exc:
        raise ManifestError(f"{path}: 清单已损坏 (damaged manifest: {first_error(exc)})") from exc


def read_journal(path: Path) -> list[ManifestEntry]:
    """The entries of a journal a run did not finish; a line that does not parse
    (the last line of a killed run may be cut short) is passed over."""
    entries = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entries.append(ManifestEntry.model_validate_json(line))
        except ValidationError:
            continue
    return entries
