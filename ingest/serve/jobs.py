"""Uploads as jobs: each in its own folder under an unguessable token, worked by a process pool.

Two people using the server at once never see each other's files: a job is
reached only through its token (128 random bits), and its folder is named by
nothing else.  Work runs in worker processes, so a long OCR never blocks the
page; a worker that dies (out of memory) costs its document, not the server:
the pool is rebuilt and the document says why.  Finished jobs are removed
after ``keep_seconds``; everything is removed when the server stops.
"""

from __future__ import annotations

import logging
import multiprocessing
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duty_lists.ingest.serve.settings import ServeSettings

log = logging.getLogger(__name__)

#: What a document gets when its worker process died under it.
WORKER_DIED = "处理进程意外退出（文件可能过大或已损坏）"


@dataclass
class Job:
    token: str
    kind: str  # "check", "batch" or "compare"
    folder: Path
    created: float
    names: list[str] = field(default_factory=list)
    futures: list[Future] = field(default_factory=list)
    #: Why the whole upload could not be worked (a bad zip), for the page.
    error: str | None = None

    @property
    def done(self) -> bool:
        return all(f.done() for f in self.futures)

    @property
    def finished(self) -> int:
        return sum(f.done() for f in self.futures)

    def results(self) -> list[Any]:
        return [f.result() for f in self.futures if f.done()]


class JobStore:
    def __init__(self, settings: ServeSettings, make_failure: Callable[[str, str], Any]) -> None:
        self.settings = settings
        #: ``make_failure(name, reason)``: the result a document gets when its worker died.
        self.make_failure = make_failure
        self.root = Path(tempfile.mkdtemp(prefix="duty-lists-serve-"))
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: a fork of a server with threads and an event loop is not safe
        return ProcessPoolExecutor(max_workers=self.settings.jobs, mp_context=multiprocessing.get_context("spawn"))

    def new(self, kind: str) -> Job:
        token = secrets.token_urlsafe(16)
        folder = self.root / token
        folder.mkdir()
        job = Job(token=token, kind=kind, folder=folder, created=time.monotonic())
        with self.lock:
            self.jobs[token] = job
        return job

    def get(self, token: str) -> Job | None:
        with self.lock:
            return self.jobs.get(token)

    def submit(self, job: Job, name: str, fn: Callable[..., Any], *args: Any) -> None:
        """Work ``fn(*args)`` for the document the user calls ``name``."""
        outer: Future = Future()
        job.names.append(name)
        job.futures.append(outer)
        self._submit(outer, name, fn, args, retries=1)

    def _submit(self, outer: Future, name: str, fn: Callable[..., Any], args: tuple, retries: int) -> None:
        try:
            inner = self.pool.submit(fn, *args)
        except (BrokenProcessPool, RuntimeError):
            self._rebuild()
            inner = self.pool.submit(fn, *args)

        def settle(done: Future) -> None:
            try:
                outer.set_result(done.result())
            except BrokenProcessPool:
                # A worker died: the pool is unusable for everyone.  Rebuild it,
                # and give the document one more try in a fresh worker (it may
                # have been another document that killed it).
                self._rebuild()
                if retries:
                    self._submit(outer, name, fn, args, retries - 1)
                else:
                    log.warning("worker died on %s", name)
                    outer.set_result(self.make_failure(name, WORKER_DIED))
            except Exception as exc:  # the work functions catch their own; this is a bug
                log.exception("work on %s failed", name)
                outer.set_result(self.make_failure(name, f"内部错误 (internal error: {type(exc).__name__})"))

        inner.add_done_callback(settle)

    def _rebuild(self) -> None:
        with self.lock:
            old, self.pool = self.pool, self._new_pool()
        old.shutdown(wait=False, cancel_futures=False)

    def expire(self, now: float | None = None) -> int:
        """Remove finished jobs older than ``keep_seconds``; how many went."""
        now = time.monotonic() if now is None else now
        with self.lock:
            old = [t for t, job in self.jobs.items() if job.done and now - job.created > self.settings.keep_seconds]
            removed = [self.jobs.pop(token) for token in old]
        for job in removed:
            shutil.rmtree(job.folder, ignore_errors=True)
        return len(removed)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.root, ignore_errors=True)
