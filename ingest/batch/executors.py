"""Where documents are processed: this process, a local process pool, or a Dask cluster.

An executor knows nothing about duty lists: it maps a picklable module-level
function over work items and yields results *as they finish*, so the caller
can record each finished document at once (that is what makes a killed run
resumable).  Work is submitted through a bounded window rather than all at
once: with 38,000 inputs, submitting everything would hold every pending
argument (and, for Dask, every shipped input file) in memory.

``dask.distributed`` is imported only when ``--executor dask`` is chosen; it is
an optional extra (``pip install 'duty-lists[dask]'``).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
#: ``lost(item, exc)``: the result standing in for an item whose worker died.
Lost = Callable[[Any, BaseException], Any]

EXECUTORS = ("local", "dask")
DASK_MISSING = "--executor dask needs the dask extra: pip install 'duty-lists[dask]'"
#: Items in flight per worker: one running, one queued, so a worker never idles
#: while the client collects a result.
IN_FLIGHT_PER_WORKER = 2


class ExecutorError(Exception):
    """The executor cannot be set up (extra missing, scheduler unreachable); one line for the user."""


class Executor(ABC):
    #: True when workers may not see the client's files, so inputs must travel with the work.
    remote: bool = False
    #: True when the executor loads the parsers ahead (see :meth:`prepare`).
    preloads: bool = False

    @abstractmethod
    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T], lost: Lost | None = None) -> Iterator[R]:
        """``fn(item)`` for every item, yielded in completion order.

        ``lost(item, exc)`` stands in for the result of an item whose worker
        died on it (killed by the OOM killer, a crash in a C library), so one
        item costs itself, not the batch; without it, the death is raised.
        """

    def prepare(self, modules: Iterable[str]) -> None:  # noqa: B027 - only a forking pool can use it
        """The parser modules the coming work needs, for an executor that loads them ahead."""

    def close(self) -> None:  # noqa: B027 - most executors hold nothing between runs
        """Release workers or connections."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcess(Executor):
    """``--jobs 1``: no pool at all, so tracebacks and profilers see the real work."""

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T], lost: Lost | None = None) -> Iterator[R]:
        for item in items:
            yield fn(item)


class LocalPool(Executor):
    """A process pool on this machine (documents are CPU-bound; threads would share one GIL)."""

    preloads = True

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.modules: tuple[str, ...] = ()

    def prepare(self, modules: Iterable[str]) -> None:
        self.modules = tuple(sorted(modules))

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T], lost: Lost | None = None) -> Iterator[R]:
        context = None
        if "fork" in multiprocessing.get_all_start_methods():
            # Load the heavy parts once, here, and fork: every worker starts
            # warm instead of paying the imports and jieba's dictionary itself.
            warm_up(self.modules)
            # Out of the collector's sight: a collection in a worker would
            # otherwise write into every inherited object's header and copy
            # the parent's pages one by one (gc.freeze's documented purpose).
            gc.freeze()
            context = multiprocessing.get_context("fork")
        try:
            yield from self._survive_deaths(fn, iter(items), lost, context)
        finally:
            gc.unfreeze()  # workers fork on demand, so only once the pool is gone

    def _survive_deaths(self, fn: Callable[[T], R], pending: Iterator[T], lost: Lost | None, context: Any) -> Iterator[R]:
        """Run the items on a pool; when a worker dies, every item then in flight
        is retried alone in a fresh pool, so only the one that kills its
        worker again is ``lost``, and the rest of the batch goes on."""
        window = self.workers * IN_FLIGHT_PER_WORKER
        while True:
            suspects: list[T] = []
            with ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                     initializer=limit_worker_memory) as pool:
                try:
                    yield from _windowed(lambda item: pool.submit(fn, item), pending, window, suspects)
                    return
                except BrokenProcessPool:
                    if lost is None:
                        raise
                    log.info("a worker process died; the %d documents then in flight are retried one at a time",
                                len(suspects))
            for item in suspects:
                yield _alone(fn, item, lost, context)


def _alone(fn: Callable[[T], R], item: T, lost: Lost, context: Any) -> R:
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=limit_worker_memory) as pool:
        try:
            return pool.submit(fn, item).result()
        except BrokenProcessPool as exc:
            return lost(item, exc)


#: Address space a local worker may take (``resource.RLIMIT_AS``): a document
#: that needs more fails alone (MemoryError, or a dead worker) instead of
#: taking the machine.  ``DUTY_LISTS_WORKER_MEMORY`` (bytes, 0 = no limit) overrides it.
WORKER_MEMORY = 4 * 1024**3


def limit_worker_memory() -> None:
    """In a fresh worker: cap its memory where the platform can (not on Windows or macOS)."""
    limit = int(os.environ.get("DUTY_LISTS_WORKER_MEMORY", WORKER_MEMORY))
    try:
        import resource
    except ImportError:
        return
    if limit <= 0 or not sys.platform.startswith("linux"):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def warm_up(parser_modules: Iterable[str] = ()) -> None:
    """Import the pipeline, the given parser modules and build the shared tokenizer.

    Only the parsers the batch needs: a batch of text files should not pay
    for pdfplumber, PDFium and numpy (~0.2 s) in the serial part of the run.
    """
    import importlib

    import duty_lists.ingest.pipeline
    import duty_lists.ingest.report.html
    import duty_lists.ingest.report.markdown
    import duty_lists.schema.assembly.assemble
    import duty_lists.schema.checks  # noqa: F401
    from duty_lists.schema.checks.text import traditional_chars
    from duty_lists.schema.text.segmenter import tokenizer

    for name in parser_modules:
        importlib.import_module(name)
    tokenizer()
    traditional_chars("務")


class DaskCluster(Executor):
    """Documents sent to a ``dask.distributed`` scheduler; results come back to this process."""

    remote = True

    def __init__(self, scheduler: str, timeout: float = 10.0) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ExecutorError(DASK_MISSING) from exc
        try:
            self.client = Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T], lost: Lost | None = None) -> Iterator[R]:
        """The cluster's answers as they come; an item whose workers kept dying
        on it (the scheduler retries it on another worker up to its
        ``allowed-failures``, then gives up with ``KilledWorker``) is ``lost``.

        The scheduler counts a death against every task the dead worker held,
        queued ones too, so a document that only stood beside the one that
        kills its worker can be given up with it.  Every given-up item is
        therefore run once more alone, after the rest: only one that kills
        its worker again is ``lost`` (as the local pool's suspects are).
        """
        from distributed import KilledWorker, as_completed

        threads = sum(self.client.nthreads().values()) or 1
        window = threads * IN_FLIGHT_PER_WORKER
        pending = iter(items)
        items_of: dict[Any, Any] = {}
        given_up: list[Any] = []

        def submit(item: Any) -> Any:
            # pure=False: two identical items (same bytes, two paths) are still two tasks
            future = self.client.submit(fn, item, pure=False)
            items_of[future.key] = item
            return future

        completed = as_completed([submit(item) for item in _take(pending, window)],
                                 loop=self.client.loop)  # not the default client: set_as_default=False
        for future in completed:
            item = items_of.pop(future.key)
            try:
                result = future.result()
            except KilledWorker:
                if lost is None:
                    raise
                given_up.append(item)
                continue
            finally:
                future.release()  # the result is ours now; let the cluster forget it
                for following in _take(pending, 1):
                    completed.add(submit(following))
            yield result
        for item in given_up:
            future = submit(item)
            try:
                result = future.result()
            except KilledWorker as exc:
                assert lost is not None
                result = lost(item, exc)
            finally:
                items_of.pop(future.key, None)
                future.release()
            yield result

    def close(self) -> None:
        self.client.close()


def make_executor(kind: str, jobs: int, scheduler: str | None = None) -> Executor:
    """The executor for ``--executor KIND --jobs N [--scheduler ADDR]``; ``jobs <= 0`` means all cores."""
    if kind == "dask":
        if not scheduler:
            raise ExecutorError("--executor dask needs --scheduler tcp://HOST:PORT")
        return DaskCluster(scheduler)
    if kind != "local":
        raise ExecutorError(f"unknown executor {kind!r} (choose from {', '.join(EXECUTORS)})")
    if scheduler:
        raise ExecutorError("--scheduler only applies to --executor dask")
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    return InProcess() if workers == 1 else LocalPool(workers)


def _take(items: Iterator[T], n: int) -> list[T]:
    taken: list[T] = []
    for item in items:
        taken.append(item)
        if len(taken) == n:
            break
    return taken


def _windowed(submit: Callable[[Any], Future], items: Iterable[Any], window: int,
              in_flight: list[Any] | None = None) -> Iterator[Any]:
    """Results as they finish, at most ``window`` items submitted at a time.

    When a result raises, ``in_flight`` holds the items not yet yielded that
    had been submitted (the suspects of a dead worker)."""
    pending = iter(items)
    items_of: dict[Future, Any] = {}

    def start(item: Any) -> Future:
        future = submit(item)
        items_of[future] = item
        return future

    running = {start(item) for item in _take(pending, window)}
    while running:
        done, running = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            try:
                result = future.result()
            except BaseException:
                if in_flight is not None:
                    in_flight.extend(items_of.values())
                raise
            del items_of[future]
            yield result
        for _ in done:
            running.update(start(item) for item in _take(pending, 1))
