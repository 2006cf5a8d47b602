"""``duty-lists run INPUT... --out DIR``: records, reports and a manifest per input."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from duty_lists.ingest.batch.all_items import rebuild_all_items
from duty_lists.ingest.batch.executors import EXECUTORS, ExecutorError, make_executor
from duty_lists.ingest.batch.manifest import ManifestEntry, ManifestError
from duty_lists.ingest.batch.names import assign_stems, display_path
from duty_lists.ingest.batch.runner import (
    BatchError,
    Journal,
    discover,
    execute,
    read_journal_of,
    read_manifest,
    say,
    stale_reason,
    sweep_leftovers,
    write_manifest,
)
from duty_lists.ingest.batch.worker import Job, options_key
from duty_lists.ingest.options import add_document_options, run_options_or_none
from duty_lists.ingest.pipeline import RunOptions, sha256_of
from duty_lists.parsers import ParseError

log = logging.getLogger(__name__)


def job_count(text: str) -> int:
    """``--jobs``: a whole number of worker processes, 0 for one per core."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (one per core) or more, got {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="document files or folders")
    parser.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    parser.add_argument("--jobs", type=job_count, default=1,
                        help="local executor: documents processed in parallel (default 1; 0 = all cores)")
    parser.add_argument("--executor", choices=EXECUTORS, default="local",
                        help="local (this machine) or dask (a dask.distributed cluster; needs --scheduler)")
    parser.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--force", action="store_true", help="reprocess inputs even when unchanged")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    add_document_options(parser)


def run(args: argparse.Namespace) -> int:
    options = run_options_or_none(args)
    if options is None:
        return 2
    out_dir: Path = args.out
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        journal = Journal(out_dir)
    except BatchError as exc:
        say(f"duty-lists: {exc}")
        return 2
    except OSError as exc:
        say(f"duty-lists: {display_path(out_dir)}: 无法用作输出文件夹 (cannot use as the output folder: "
            f"{exc.strerror or exc})")
        return 2
    try:
        return _run_locked(args, options, out_dir, journal)
    finally:
        journal.close()


def _run_locked(args: argparse.Namespace, options: RunOptions, out_dir: Path, journal: Journal) -> int:
    # Safe only under the journal's lock: no other run is staging files here.
    sweep_leftovers(out_dir)
    paths = discover(args.inputs, exclude=[out_dir])
    if not paths:
        say("duty-lists: no input documents found")
        return 1
    try:
        options_id = options_key(options)
    except OSError as exc:
        say(f"duty-lists: cannot read an option file: {exc}")
        return 2
    try:
        earlier = read_manifest(out_dir)
    except ManifestError as exc:
        say(f"duty-lists: {exc}; every input is processed again")
        earlier = read_journal_of(out_dir)
    stems = assign_stems(paths, {key: entry.stem for key, entry in earlier.items()})
    previous = {} if args.force else earlier
    entries: dict[str, ManifestEntry] = {}
    jobs: list[Job] = []
    for path in paths:
        key = display_path(path)
        try:
            job = Job(path=path.as_posix(), stem=stems[path], sha256=sha256_of(path))
        except OSError as exc:
            entries[key] = ManifestEntry(path=key, stem=stems[path], sha256=None, status="failed",
                                         error=f"无法读取文件 (cannot read: {exc.strerror})")
            continue
        except ParseError as exc:
            entries[key] = ManifestEntry(path=key, stem=stems[path], sha256=None, status="failed", error=exc.reason)
            continue
        why = "--force" if args.force else stale_reason(previous.get(key), job, options_id, out_dir)
        if why is None:
            log.debug("%s: skipped: unchanged (input, version, bundled data, options) and on disk", key)
            entries[key] = previous[key]
        else:
            log.debug("%s: processed: %s", key, why)
            jobs.append(job)
    unchanged = len(entries) - sum(1 for e in entries.values() if e.sha256 is None)
    try:
        executor = make_executor(args.executor, args.jobs, args.scheduler) if jobs else None
    except ExecutorError as exc:
        say(f"duty-lists: {exc}")
        return 2
    progress = _Progress(len(jobs), enabled=not args.quiet and sys.stderr.isatty())
    try:
        if executor is not None:
            with executor:
                for entry in execute(jobs, options, options_id, out_dir, executor, getattr(args, "debug", False)):
                    _journal(journal, entry)
                    entries[entry.path] = entry
                    progress.update(entry)
    finally:
        progress.close()
    failed = [e for e in entries.values() if not e.ok]
    for entry in sorted(failed, key=lambda e: e.path):
        say(f"duty-lists: {entry.path}: {entry.error}")
    if not _finish(journal, out_dir, {**remembered(earlier, entries), **entries}):
        return 1
    if not args.quiet:
        say(f"duty-lists: {len(entries) - len(failed)} ok, {len(failed)} failed, {unchanged} unchanged, "
            f"{len(jobs)} processed → {out_dir}")
    return 1 if failed else 0


def remembered(earlier: dict[str, ManifestEntry], current: dict[str, ManifestEntry]) -> dict[str, ManifestEntry]:
    """Entries of earlier runs' inputs that this run was not given: the manifest keeps
    every input ever written (their folders stay, and so does their place in ``all_items.csv``)."""
    return {key: entry for key, entry in earlier.items() if key not in current}


def _journal(journal: Journal, entry: ManifestEntry) -> None:
    try:
        journal.record(entry)
    except OSError:
        pass  # a full disk: the journal only speeds up a resume; the manifest is tried at the end


def _finish(journal: Journal, out_dir: Path, entries: dict[str, ManifestEntry]) -> bool:
    """The manifest, then ``all_items.csv``, then the lock released: the lock covers the
    whole run.  False (after one line) when they cannot be written: the journal stays,
    so a rerun resumes."""
    try:
        write_manifest(out_dir, list(entries.values()))
        rebuild_all_items(out_dir, list(entries.values()))
    except OSError as exc:
        say(f"duty-lists: {display_path(out_dir)}: 无法写入清单 (cannot write manifest.json/all_items.csv: "
            f"{exc.strerror or exc})")
        return False
    journal.release()
    return True


class _Progress:
    """A rich progress bar on a terminal (documents done, pages/s, failures); nothing when redirected."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        self.failures = 0
        self.pages = 0
        self.start = time.monotonic()
        if enabled and total:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            # stderr, the stream whose terminal was checked: stdout stays clean for pipes
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), transient=True,
                                console=Console(stderr=True))
            self.task = self.bar.add_task("documents", total=total, rate="")
            self.bar.start()

    def update(self, entry: ManifestEntry) -> None:
        self.failures += not entry.ok
        self.pages += entry.pages or 0
        if self.bar is not None:
            rate = self.pages / max(time.monotonic() - self.start, 1e-6)
            self.bar.update(self.task, advance=1, rate=f"{rate:.1f} pages/s, {self.failures} failed")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
