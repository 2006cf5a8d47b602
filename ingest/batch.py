"""Batch runs: find inputs, skip what is unchanged, process the rest, keep a manifest.

The manifest (``DIR/manifest.json``) records for every input its sha256, the
tool version and the outcome.  A rerun skips an input whose sha256, version
and options are unchanged and whose ``document.json`` is on disk, so a run
killed half-way resumes where it stopped.  ``all_items.csv`` is always
rebuilt from the ``document.json`` files on disk.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from parsers import ParseError
from schema.records import LIST_TYPES, Document

from .pipeline import TOOL_VERSION, RunOptions, process_file
from .writers import all_items_csv, atomic_write_text, to_json, write_document_dir

#: Files in an input folder that are documentation, not documents.
SKIPPED_NAMES = ("readme",)
SKIPPED_SUFFIXES = frozenset({".md", ".json", ".py", ".sh", ".csv", ".parquet", ".html.tmp"})


@dataclass(frozen=True)
class Job:
    path: str
    stem: str
    sha256: str


def discover(inputs: Iterable[Path]) -> list[Path]:
    """Files named on the command line, plus every document below named folders (sorted)."""
    found: list[Path] = []
    for entry in inputs:
        if entry.is_dir():
            for path in sorted(entry.rglob("*")):
                if path.is_file() and not _skipped(path, entry):
                    found.append(path)
        else:
            found.append(entry)
    return list(dict.fromkeys(found))


def _skipped(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    if any(part.startswith(".") for part in rel.parts):
        return True
    return path.name.lower().startswith(SKIPPED_NAMES) or path.suffix.lower() in SKIPPED_SUFFIXES


def assign_stems(paths: list[Path]) -> dict[Path, str]:
    """Output folder names: the file stem, disambiguated by extension when two collide."""
    counts: dict[str, int] = {}
    for path in paths:
        counts[path.stem] = counts.get(path.stem, 0) + 1
    stems: dict[Path, str] = {}
    used: set[str] = set()
    for path in paths:
        stem = path.stem if counts[path.stem] == 1 else f"{path.stem}{path.suffix.replace('.', '_')}"
        base, n = stem, 2
        while stem in used:
            stem, n = f"{base}_{n}", n + 1
        used.add(stem)
        stems[path] = stem
    return stems


def options_key(options: RunOptions) -> str:
    return json.dumps(asdict(options), sort_keys=True, default=str)


def reports_for(doc: Document) -> dict[str, str]:
    from .report_html import render_html
    from .report_md import render_markdown

    return {"report.html": render_html(doc), "report.md": render_markdown(doc)}


def process_job(job: Job, options: RunOptions, out_dir: str, debug: bool = False) -> dict:
    """Worker: one input to its output folder; returns its manifest entry.

    Never raises for a bad input: the reason goes into the entry, so one bad
    file never stops a batch.
    """
    entry: dict = {"path": job.path, "stem": job.stem, "sha256": job.sha256, "tool_version": TOOL_VERSION,
                   "options": options_key(options)}
    try:
        doc = process_file(Path(job.path), options, sha256=job.sha256)
        write_document_dir(doc, Path(out_dir) / job.stem, reports_for(doc))
    except ParseError as exc:
        return {**entry, "status": "failed", "error": exc.reason}
    except Exception as exc:
        if debug:
            traceback.print_exc()
        return {**entry, "status": "failed", "error": f"内部错误 (internal error: {type(exc).__name__}: {exc})"}
    return {
        **entry,
        "status": "ok",
        "error": None,
        "format": doc.source.format,
        "pages": doc.source.pages,
        "issuer": doc.issuer,
        "counts": {lt: len(dl.items) if (dl := doc.get_list(lt)) else 0 for lt in LIST_TYPES},
        "findings": {sev: sum(f.severity == sev for f in doc.findings) for sev in ("error", "warning")},
    }


def read_manifest(out_dir: Path) -> dict[str, dict]:
    path = out_dir / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return {entry["path"]: entry for entry in json.loads(path.read_text(encoding="utf-8")).get("inputs", [])}
    except (ValueError, KeyError, TypeError):
        return {}


def write_manifest(out_dir: Path, entries: list[dict]) -> None:
    ordered = sorted(entries, key=lambda e: e["path"])
    atomic_write_text(out_dir / "manifest.json", to_json({"tool_version": TOOL_VERSION, "inputs": ordered}))


def rebuild_all_items(out_dir: Path, entries: list[dict]) -> None:
    docs = []
    for entry in sorted(entries, key=lambda e: e["path"]):
        doc_path = out_dir / entry["stem"] / "document.json"
        if entry.get("status") == "ok" and doc_path.is_file():
            docs.append(Document.model_validate_json(doc_path.read_bytes()))
    atomic_write_text(out_dir / "all_items.csv", all_items_csv(docs))


def is_current(previous: dict | None, job: Job, options: RunOptions, out_dir: Path) -> bool:
    return bool(
        previous
        and previous.get("status") == "ok"
        and previous.get("sha256") == job.sha256
        and previous.get("tool_version") == TOOL_VERSION
        and previous.get("options") == options_key(options)
        and previous.get("stem") == job.stem
        and (out_dir / job.stem / "document.json").is_file()
    )


def execute(
    jobs: list[Job], options: RunOptions, out_dir: Path, n_jobs: int, debug: bool,
    on_done: Callable[[dict], None],
) -> Iterator[dict]:
    """Run jobs locally, in order when ``n_jobs == 1`` else through a process pool."""
    if n_jobs <= 1 or len(jobs) <= 1:
        for job in jobs:
            entry = process_job(job, options, str(out_dir), debug)
            on_done(entry)
            yield entry
        return
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        futures: list[Future] = [pool.submit(process_job, job, options, str(out_dir), debug) for job in jobs]
        for future in futures:
            entry = future.result()
            on_done(entry)
            yield entry


def say(message: str) -> None:
    print(message, file=sys.stderr)
