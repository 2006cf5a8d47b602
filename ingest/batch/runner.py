"""Batch runs: find inputs, skip what is unchanged, process the rest, keep a manifest.

The manifest (``DIR/manifest.json``) records for every input its sha256, the
installed version, a hash of the bundled vocabularies and header rules, the
options (option files by a hash of their content) and the outcome.  A rerun
skips an input whose sha256, version, bundled data and options are unchanged
and whose ``document.json`` is on disk.  ``all_items.csv`` is always rebuilt from the outputs on disk.

The worker side is :mod:`ingest.batch.worker`, the final table
:mod:`ingest.batch.all_items`.

Resuming a killed run:

* a document's folder is written beside its place (``.NAME.*.tmp``: by a
  local worker itself, or by this process from the files a remote worker
  returns) and only this process renames it into place, so a kill leaves
  whole folders or none, and the staging leftovers are swept by the next run;
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

import logging
import os
import re
import shutil
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from duty_lists.ingest.batch.executors import Executor
from duty_lists.ingest.batch.manifest import JOURNAL, MANIFEST, Manifest, ManifestEntry, load_manifest, read_journal
from duty_lists.ingest.batch.names import inside
from duty_lists.ingest.batch.worker import (
    OPTION_FILES,
    Job,
    Rendered,
    Task,
    lost_document,
    render,
    version_key,
    write_failure,
)
from duty_lists.ingest.pipeline import RunOptions, tool_version
from duty_lists.ingest.writers import atomic_write_text, commit_folder, remove_folder, swap_in
from duty_lists.parsers import parser_modules

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent runs on one folder are then unguarded
    # mypy types the name as the module (it checks for Linux); here it is None, which the lock tests for
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

#: Files in an input folder that are documentation, not documents.
SKIPPED_NAMES = ("readme",)
SKIPPED_SUFFIXES = frozenset({".md", ".json", ".py", ".sh", ".csv", ".parquet", ".html.tmp"})


class BatchError(Exception):
    """The run cannot start (output folder busy); one line for the user."""


def discover(inputs: Iterable[Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files named on the command line, plus every document below named folders (sorted).

    Nothing below ``exclude`` (the run's own ``--out``) is found in a folder:
    an output folder inside the input folder is never read back as input.
    """
    excluded = [folder.resolve() for folder in exclude]
    found: list[Path] = []
    for entry in inputs:
        if entry.is_dir():
            for path in sorted(entry.rglob("*")):
                if path.is_file() and not _skipped(path, entry) and not inside(path, excluded):
                    found.append(path)
        else:
            found.append(entry)
    return list(dict.fromkeys(found))


def _skipped(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    if any(part.startswith(".") for part in rel.parts):
        return True
    return path.name.lower().startswith(SKIPPED_NAMES) or path.suffix.lower() in SKIPPED_SUFFIXES or is_own_output(path)


#: How far into a file the generator mark is looked for: HTML puts it in the head.
MARK_WINDOW = 4096
OWN_WORKBOOK = re.compile(rb"<dc:creator[^>]*>duty-lists</dc:creator>")


def is_own_output(path: Path) -> bool:
    """A file duty-lists wrote (a report, a diff page, a workbook) or one inside
    a run's output folder: a folder given as input is never read back into itself."""
    if (path.parent / "document.json").is_file() or (path.parent / "manifest.json").is_file():
        return True
    try:
        if path.suffix.lower() in {".html", ".htm"}:
            with path.open("rb") as handle:
                return b'<meta name="generator" content="duty-lists">' in handle.read(MARK_WINDOW)
        if path.suffix.lower() == ".xlsx":
            with zipfile.ZipFile(path) as archive, archive.open("docProps/core.xml") as core:
                return OWN_WORKBOOK.search(core.read(MARK_WINDOW)) is not None  # never the whole member
    except (OSError, KeyError, zipfile.BadZipFile):
        return False  # unreadable here: the parser will say why
    return False


def execute(jobs: list[Job], options: RunOptions, key: str, out_dir: Path, executor: Executor,
            debug: bool = False) -> Iterator[ManifestEntry]:
    """Process ``jobs`` on ``executor``, commit each result under ``out_dir``; entries in completion order.

    ``key`` is :func:`~ingest.batch.worker.options_key` of ``options``."""
    if executor.preloads:
        executor.prepare(parser_modules(Path(job.path) for job in jobs))
    tasks = (_task(job, options, key, debug, executor.remote, out_dir) for job in jobs)  # lazy: shipped bytes stay bounded
    for rendered in executor.map_unordered(render, tasks, lost=lost_document):
        yield _commit(rendered, out_dir)


def _commit(rendered: Rendered, out_dir: Path) -> ManifestEntry:
    """Put a worker's folder in place; the entry, failed if it could not be written (a full disk)."""
    try:
        if rendered.staged:
            swap_in(out_dir / rendered.entry.stem, Path(rendered.staged))
        elif rendered.files:
            commit_folder(out_dir / rendered.entry.stem, rendered.files)
        else:
            # The input is bad now: outputs of an earlier version would
            # contradict the manifest's "failed".
            remove_folder(out_dir / rendered.entry.stem)
    except OSError as exc:
        return rendered.entry.failed(write_failure(exc))
    return rendered.entry


def _task(job: Job, options: RunOptions, key: str, debug: bool, ship: bool, out_dir: Path) -> Task:
    if not ship:
        return Task(job, options, key, debug, out_dir=str(out_dir))
    shipped: dict[str, bytes] = {}
    for path in (job.path, *(getattr(options, name) for name in OPTION_FILES)):
        if path is not None and path not in shipped:
            try:
                shipped[path] = Path(path).read_bytes()
            except OSError:
                continue  # the worker reports the input as unreadable
    return Task(job, options, key, debug, shipped)


def sweep_leftovers(out_dir: Path) -> list[str]:
    """Remove the staging (``.*.tmp``) and replaced (``.*.old``) entries a killed run left; their names."""
    removed = []
    for path in sorted(out_dir.iterdir()):
        if path.name.startswith(".") and path.name.endswith((".tmp", ".old")):
            log.info("removing %s, left by a run that was killed", path)
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
        _not_inherited(self.handle)

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

    def record(self, entry: ManifestEntry) -> None:
        # flushed, not fsynced: a killed process loses nothing the kernel has;
        # a power cut may lose the last lines, which only means redoing those documents
        # keys in their own order (not sorted): a manifest must not depend on whether an entry came from here
        self.handle.write(entry.journal_line())
        self.handle.flush()

    def finish(self, out_dir: Path, entries: list[ManifestEntry]) -> None:
        """Write the full manifest, then drop the journal (replaying it over the manifest is harmless)."""
        write_manifest(out_dir, entries)
        self.release()

    def release(self) -> None:
        """End the run: drop the journal, then the lock (in that order, see ``_open_locked``)."""
        self.path.unlink(missing_ok=True)
        self.close()

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()


#: Lock handles of this process, which forked children must not keep (see :func:`_not_inherited`).
_HELD: list[IO[str]] = []
_FORK_HOOK: list[bool] = []


def _not_inherited(handle: IO[str]) -> None:
    """Keep ``handle``'s lock in this process only.

    An ``flock`` belongs to the open file, which a forked worker shares: after
    a SIGKILL of this process, orphaned workers would hold the lock for as long
    as they live.  Each child points the descriptor at ``/dev/null`` instead,
    so the lock dies with the process that took it.
    """
    if not hasattr(os, "register_at_fork"):
        return  # no fork on this platform
    if not _FORK_HOOK:
        os.register_at_fork(after_in_child=_drop_held_locks)
        _FORK_HOOK.append(True)
    _HELD[:] = [held for held in _HELD if not held.closed]
    _HELD.append(handle)


def _drop_held_locks() -> None:
    for handle in _HELD:
        if not handle.closed:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, handle.fileno())  # the lock's file is no longer open here; the number stays valid
            os.close(null)
    _HELD.clear()


def read_manifest(out_dir: Path) -> dict[str, ManifestEntry]:
    """Entries by input path: ``manifest.json``, then the journal of a run that did not finish.

    Raises :class:`~ingest.batch.manifest.ManifestError` when ``manifest.json``
    is damaged; :func:`read_journal` alone then still gives what a killed run finished."""
    path = out_dir / MANIFEST
    entries = {entry.path: entry for entry in load_manifest(path).inputs} if path.is_file() else {}
    return {**entries, **read_journal_of(out_dir)}


def read_journal_of(out_dir: Path) -> dict[str, ManifestEntry]:
    """The journal's entries by input path (later lines win)."""
    journal = out_dir / JOURNAL
    return {entry.path: entry for entry in read_journal(journal)} if journal.is_file() else {}


def write_manifest(out_dir: Path, entries: list[ManifestEntry]) -> None:
    manifest = Manifest(tool_version=tool_version(), inputs=sorted(entries, key=lambda e: e.path))
    atomic_write_text(out_dir / MANIFEST, manifest.text())


def stale_reason(previous: ManifestEntry | None, job: Job, key: str, out_dir: Path) -> str | None:
    """Why ``job`` must be processed again, or ``None`` when ``previous`` (its manifest
    entry) is what processing it with the options whose key is ``key`` would give now,
    and its outputs are on disk."""
    if previous is None:
        return "not in the manifest"
    if not previous.ok:
        return "failed last time"
    if previous.sha256 != job.sha256:
        return "the file changed (sha256)"
    for name, value in version_key().items():
        if getattr(previous, name) != value:
            return f"{name} changed"
    if previous.options != key:
        return "the options or an option file changed"
    if previous.stem != job.stem:
        return "its output folder's name changed"
    if not (out_dir / job.stem / "document.json").is_file():
        return "its document.json is missing"
    return None


def say(message: str) -> None:
    print(message, file=sys.stderr)
