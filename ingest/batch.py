"""Batch runs: find inputs, skip what is unchanged, process the rest, keep a manifest.

The manifest (``DIR/manifest.json``) records for every input its sha256, the
tool version, the options and the outcome.  A rerun skips an input whose
sha256, version and options are unchanged and whose ``document.json`` is on
disk.  ``all_items.csv`` is always rebuilt from the outputs on disk.

Resuming a killed run:

* only this process writes under ``DIR`` — workers (local or on a Dask
  cluster) return a document's files and the client commits them as one
  folder rename, so a kill leaves whole folders or none;
* each finished document is appended as one line to ``DIR/manifest.journal``
  at once (cheap for 38,000 inputs, unlike rewriting the manifest); a rerun
  reads the manifest and then the journal, so it skips every document whose
  line was written; ``manifest.json`` is rewritten and the journal removed
  when the run ends;
* the journal is also the run's lock (``flock``), so a second run on the same
  ``DIR`` fails at once instead of interleaving, and a new run can safely sweep
  the ``.*.tmp``/``.*.old`` leftovers a killed one left behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO

from parsers import ParseError, parser_modules
from schema.records import LIST_TYPES, Document

from .executors import Executor
from .pipeline import TOOL_VERSION, RunOptions, process_file
from .writers import (
    ITEM_COLUMNS,
    atomic_open,
    atomic_write_text,
    commit_folder,
    csv_text,
    document_files,
    item_rows,
    remove_folder,
    safe_cell,
    stage_folder,
    swap_in,
    to_json,
)

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent runs on one folder are then unguarded
    fcntl = None  # type: ignore[assignment]

#: Files in an input folder that are documentation, not documents.
SKIPPED_NAMES = ("readme",)
SKIPPED_SUFFIXES = frozenset({".md", ".json", ".py", ".sh", ".csv", ".parquet", ".html.tmp"})
JOURNAL = "manifest.journal"
ALL_ITEMS_COLUMNS = (*ITEM_COLUMNS, "issuer", "list_type")
#: Option fields naming files a remote worker must be sent.
OPTION_FILES = ("headers_file", "categories_file", "departments_file", "rules_file")


class BatchError(Exception):
    """The run cannot start (output folder busy); one line for the user."""


@dataclass(frozen=True)
class Job:
    path: str
    stem: str
    sha256: str


@dataclass(frozen=True)
class Task:
    """What a worker needs for one document.

    ``shipped`` maps the client's paths (the input, and any option files) to
    their bytes, for workers that cannot see the client's filesystem; ``None``
    means the worker reads the paths itself.
    """

    job: Job
    options: RunOptions
    debug: bool = False
    shipped: dict[str, bytes] | None = None
    #: The client's output folder, for a worker on the client's machine: it
    #: writes the document's folder beside its final place itself and returns
    #: only the staged path, so the files neither cross a pipe nor are all
    #: created by the one client process (creating a file is slow on some
    #: filesystems).  ``None``: return the files.
    out_dir: str | None = None


@dataclass(frozen=True)
class Rendered:
    """A worker's answer: the manifest entry and, when it succeeded, the folder's files."""

    entry: dict
    files: dict[str, bytes] = field(default_factory=dict)
    #: The folder the worker staged (``Task.out_dir``), to be swapped into place.
    staged: str | None = None


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


#: Options that change how fast a document is read, never what it becomes.
SPEED_ONLY_OPTIONS = ("ocr_jobs", "ocr_cache")


def options_key(options: RunOptions) -> str:
    """The options that decide an input's outputs, as a comparable string."""
    data = asdict(options)
    for name in SPEED_ONLY_OPTIONS:
        data["parse"].pop(name, None)
    return json.dumps(data, sort_keys=True, default=str)


def reports_for(doc: Document) -> dict[str, str]:
    from .report_html import render_html
    from .report_md import render_markdown

    return {"report.html": render_html(doc), "report.md": render_markdown(doc)}


# --------------------------------------------------------------------------- the worker side


def render(task: Task) -> Rendered:
    """Worker: one input to its output files and manifest entry.

    Never raises for a bad input: the reason goes into the entry, so one bad
    file never stops a batch.
    """
    job = task.job
    entry: dict = {"path": job.path, "stem": job.stem, "sha256": job.sha256, "tool_version": TOOL_VERSION,
                   "options": options_key(task.options)}
    try:
        with tempfile.TemporaryDirectory(prefix="duty-lists-") as scratch:
            path, options = _materialise(task, Path(scratch))
            doc = process_file(path, options, sha256=job.sha256)
            if path.as_posix() != job.path:
                # parsed from a shipped copy: the record names the client's file
                doc = doc.model_copy(update={"source": doc.source.model_copy(update={"path": job.path})})
            files = document_files(doc, reports_for(doc))
            staged = stage_folder(Path(task.out_dir) / job.stem, files) if task.out_dir else None
    except ParseError as exc:
        return Rendered({**entry, "status": "failed", "error": exc.reason})
    except Exception as exc:
        if task.debug:
            traceback.print_exc()
        return Rendered({**entry, "status": "failed", "error": f"内部错误 (internal error: {type(exc).__name__}: {exc})"})
    return Rendered(
        {
            **entry,
            "status": "ok",
            "error": None,
            "format": doc.source.format,
            "pages": doc.source.pages,
            "issuer": doc.issuer,
            "counts": {lt: len(dl.items) if (dl := doc.get_list(lt)) else 0 for lt in LIST_TYPES},
            "findings": {sev: sum(f.severity == sev for f in doc.findings) for sev in ("error", "warning")},
        },
        {} if staged else files,
        str(staged) if staged else None,
    )


def _materialise(task: Task, scratch: Path) -> tuple[Path, RunOptions]:
    """The input and options as this worker can read them: the client's paths, or shipped copies."""
    if task.shipped is None:
        return Path(task.job.path), task.options
    if task.job.path not in task.shipped:
        raise ParseError("无法读取文件 (cannot read the input on the client)", path=task.job.path)
    local: dict[str, Path] = {}
    for n, (original, data) in enumerate(task.shipped.items()):
        # one folder per file keeps the original name (parsers sniff bytes, but
        # messages and notes read better with the real name)
        target = scratch / "in" / str(n) / Path(original).name
        target.parent.mkdir(parents=True)
        target.write_bytes(data)
        local[original] = target
    moved = {name: str(local[value]) for name in OPTION_FILES if (value := getattr(task.options, name)) in local}
    return local[task.job.path], replace(task.options, **moved)


# --------------------------------------------------------------------------- the client side


def execute(jobs: list[Job], options: RunOptions, out_dir: Path, executor: Executor, debug: bool = False) -> Iterator[dict]:
    """Process ``jobs`` on ``executor``, commit each result under ``out_dir``; entries in completion order."""
    if executor.preloads:
        executor.prepare(parser_modules((Path(job.path) for job in jobs), options.parse))
    tasks = (_task(job, options, debug, executor.remote, out_dir) for job in jobs)  # lazy: shipped bytes stay bounded
    for rendered in executor.map_unordered(render, tasks):
        if rendered.staged:
            swap_in(out_dir / rendered.entry["stem"], Path(rendered.staged))
        elif rendered.files:
            commit_folder(out_dir / rendered.entry["stem"], rendered.files)
        else:
            # The input is bad now: outputs of an earlier version would
            # contradict the manifest's "failed".
            remove_folder(out_dir / rendered.entry["stem"])
        yield rendered.entry


def _task(job: Job, options: RunOptions, debug: bool, ship: bool, out_dir: Path) -> Task:
    if not ship:
        return Task(job, options, debug, out_dir=str(out_dir))
    shipped: dict[str, bytes] = {}
    for path in (job.path, *(getattr(options, name) for name in OPTION_FILES)):
        if path is not None and path not in shipped:
            try:
                shipped[path] = Path(path).read_bytes()
            except OSError:
                continue  # the worker reports the input as unreadable
    return Task(job, options, debug, shipped)


def sweep_leftovers(out_dir: Path) -> list[str]:
    """Remove the staging (``.*.tmp``) and replaced (``.*.old``) entries a killed run left; their names."""
    removed = []
    for path in sorted(out_dir.iterdir()):
        if path.name.startswith(".") and path.name.endswith((".tmp", ".old")):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


class Journal:
    """``DIR/manifest.journal``: one JSON line per finished document, and the run's lock."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / JOURNAL
        self.handle: IO[str] = self._open_locked()

    def _open_locked(self) -> IO[str]:
        handle = self.path.open("a", encoding="utf-8")
        if fcntl is None:
            return handle
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise BatchError(f"{self.path.parent}: another duty-lists run is writing to this folder") from exc
        # a run that just finished may have unlinked the file we locked: then our lock guards nothing
        if not self.path.exists() or os.stat(handle.fileno()).st_ino != self.path.stat().st_ino:
            handle.close()
            raise BatchError(f"{self.path.parent}: another duty-lists run just finished here; run again")
        return handle

    def record(self, entry: dict) -> None:
        # flushed, not fsynced: a killed process loses nothing the kernel has;
        # a power cut may lose the last lines, which only means redoing those documents
        # keys in their own order (not sorted): a manifest must not depend on whether an entry came from here
        self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.handle.flush()

    def finish(self, out_dir: Path, entries: list[dict]) -> None:
        """Write the full manifest, then drop the journal (replaying it over the manifest is harmless)."""
        write_manifest(out_dir, entries)
        self.path.unlink(missing_ok=True)
        self.close()

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()


def read_manifest(out_dir: Path) -> dict[str, dict]:
    """Entries by input path: ``manifest.json``, then the journal of a run that did not finish."""
    entries: dict[str, dict] = {}
    path = out_dir / "manifest.json"
    if path.is_file():
        try:
            entries = {entry["path"]: entry for entry in json.loads(path.read_text(encoding="utf-8")).get("inputs", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            entries = {}
    journal = out_dir / JOURNAL
    if journal.is_file():
        for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
                entries[entry["path"]] = entry
            except (ValueError, KeyError, TypeError):
                continue  # the last line of a killed run may be cut short
    return entries


def write_manifest(out_dir: Path, entries: list[dict]) -> None:
    ordered = sorted(entries, key=lambda e: e["path"])
    atomic_write_text(out_dir / "manifest.json", to_json({"tool_version": TOOL_VERSION, "inputs": ordered}))


def rebuild_all_items(out_dir: Path, entries: list[dict]) -> None:
    """``all_items.csv`` from the folders on disk, streamed one document at a time.

    Holding every document at once does not scale to tens of thousands of
    inputs.  A document's rows are its per-list CSV rows plus ``list_type``
    (both come from :func:`item_rows`), so they are copied from those CSVs:
    as text where the copy is provably exact (:func:`_copied_rows`), parsed
    and rewritten otherwise, and from ``document.json`` when a folder's CSV
    header differs (written by another version).  This runs after the last
    document, alone, so its speed is the serial end of every batch.
    """
    with atomic_open(out_dir / "all_items.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(ALL_ITEMS_COLUMNS)
        for entry in sorted(entries, key=lambda e: e["path"]):
            folder = out_dir / entry["stem"]
            if entry.get("status") == "ok" and (folder / "document.json").is_file():
                copied = _copied_rows(folder, entry.get("counts") or {})
                if copied is not None:
                    handle.write(copied)
                else:
                    writer.writerows(_document_rows(folder))


#: The per-list CSVs' header line, as :func:`ingest.writers.csv_text` writes it.
_LIST_HEADER = csv_text(ALL_ITEMS_COLUMNS[:-1], []).removesuffix("\r\n")


def _copied_rows(folder: Path, counts: dict[str, int]) -> str | None:
    """The document's ``all_items`` rows as CSV text, each per-list record with
    ``,list_type`` put before its line end — or ``None`` when that would not be
    exact.  It is exact when a list's CSV holds exactly one carriage return per
    item: then every ``\\r\\n`` ends a record (cells may hold bare ``\\n``), and
    a ``list_type`` never needs quoting."""
    parts = []
    for list_type in LIST_TYPES:
        try:
            # bytes, not read_text: universal newlines would fold the \\r\\n away
            text = (folder / f"{list_type}.csv").read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        header, _, body = text.partition("\r\n")
        count = counts.get(list_type)
        if header != _LIST_HEADER or count is None or body.count("\r") != count or body.count("\r\n") != count:
            return None
        parts.append(body.replace("\r\n", f",{list_type}\r\n"))
    return "".join(parts)


def _document_rows(folder: Path) -> Iterator[list[str]]:
    per_list: list[tuple[str, list[list[str]]]] = []
    for list_type in LIST_TYPES:
        try:
            text = (folder / f"{list_type}.csv").read_text(encoding="utf-8-sig")
        except OSError:
            break
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows or tuple(rows[0]) != ALL_ITEMS_COLUMNS[:-1]:
            break
        per_list.append((list_type, rows[1:]))
    else:
        for list_type, rows in per_list:
            for row in rows:
                yield [*row, list_type]  # cells were defused when the per-list CSV was written
        return
    doc = Document.model_validate_json((folder / "document.json").read_bytes())
    for list_type in LIST_TYPES:
        for row in item_rows(doc, list_type, with_list_type=True):
            yield [safe_cell(cell) for cell in row]


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


def say(message: str) -> None:
    print(message, file=sys.stderr)
