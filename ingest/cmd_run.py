"""``duty-lists run INPUT... --out DIR``: records, reports and a manifest per input."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .batch import (
    Job,
    assign_stems,
    discover,
    execute,
    is_current,
    read_manifest,
    rebuild_all_items,
    say,
    write_manifest,
)
from .options import add_document_options, run_options
from .pipeline import sha256_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="document files or folders")
    parser.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    parser.add_argument("--jobs", type=int, default=1, help="documents processed in parallel (default 1; 0 = all cores)")
    parser.add_argument("--force", action="store_true", help="reprocess inputs even when unchanged")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    add_document_options(parser)


def run(args: argparse.Namespace) -> int:
    try:
        options = run_options(args)
    except ValueError as exc:
        say(f"duty-lists: {exc}")
        return 2
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = discover(args.inputs)
    if not paths:
        say("duty-lists: no input documents found")
        return 1
    stems = assign_stems(paths)
    previous = {} if args.force else read_manifest(out_dir)
    entries: dict[str, dict] = {}
    jobs: list[Job] = []
    for path in paths:
        key = path.as_posix()
        try:
            job = Job(path=key, stem=stems[path], sha256=sha256_of(path))
        except OSError as exc:
            entries[key] = {"path": key, "stem": stems[path], "sha256": None, "status": "failed",
                            "error": f"无法读取文件 (cannot read: {exc.strerror})"}
            continue
        if is_current(previous.get(key), job, options, out_dir):
            entries[key] = previous[key]
        else:
            jobs.append(job)
    n_jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    progress = _Progress(len(jobs), enabled=not args.quiet and sys.stderr.isatty())
    last_save = time.monotonic()
    for entry in execute(jobs, options, out_dir, n_jobs, getattr(args, "debug", False), progress.update):
        entries[entry["path"]] = entry
        if time.monotonic() - last_save > 2:
            write_manifest(out_dir, list(entries.values()))
            last_save = time.monotonic()
    progress.close()
    write_manifest(out_dir, list(entries.values()))
    rebuild_all_items(out_dir, list(entries.values()))
    failed = [e for e in entries.values() if e["status"] != "ok"]
    for entry in sorted(failed, key=lambda e: e["path"]):
        say(f"duty-lists: {entry['path']}: {entry['error']}")
    skipped = len(entries) - len(jobs) - sum(1 for e in entries.values() if e.get("sha256") is None)
    if not args.quiet:
        say(f"duty-lists: {len(entries) - len(failed)} ok, {len(failed)} failed, {max(skipped, 0)} unchanged → {out_dir}")
    return 1 if failed else 0


class _Progress:
    """A rich progress bar on a terminal; nothing when output is redirected."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        self.failures = 0
        self.pages = 0
        self.start = time.monotonic()
        if enabled and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), transient=True)
            self.task = self.bar.add_task("documents", total=total, rate="")
            self.bar.start()

    def update(self, entry: dict) -> None:
        self.failures += entry["status"] != "ok"
        self.pages += entry.get("pages") or 0
        if self.bar is not None:
            rate = self.pages / max(time.monotonic() - self.start, 1e-6)
            self.bar.update(self.task, advance=1, rate=f"{rate:.1f} pages/s, {self.failures} failed")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
