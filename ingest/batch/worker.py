"""The worker side of a batch: one input to its output files and manifest entry.

Runs wherever the executor puts it — this process, a forked local worker, or
a Dask worker on another machine — so it takes everything it needs in one
picklable :class:`Task` and never raises for a bad input: the reason goes
into the manifest entry, so one bad file never stops a batch.  A worker on
the client's machine writes the document's folder beside its final place
itself (``Task.out_dir``) and returns only that folder's path; a remote one
returns the files, and the client writes them.
"""

from __future__ import annotations

import json
import logging
import tempfile
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TypedDict

from duty_lists.ingest.batch.manifest import ManifestEntry
from duty_lists.ingest.batch.names import display_path
from duty_lists.ingest.pipeline import RunOptions, bundled_data_sha256, process_file, sha256_of, tool_version
from duty_lists.ingest.writers import document_files, stage_folder
from duty_lists.parsers import ParseError, over_budget
from duty_lists.schema.records import LIST_TYPES, Document

log = logging.getLogger(__name__)

#: Option fields naming files a remote worker must be sent.
OPTION_FILES = ("headers_file", "categories_file", "departments_file", "rules_file")


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
    #: :func:`options_key` of ``options``, computed once by the client (where
    #: the option files are), recorded in the manifest entry.
    options_key: str
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

    entry: ManifestEntry
    files: dict[str, bytes] = field(default_factory=dict)
    #: The folder the worker staged (``Task.out_dir``), to be swapped into place.
    staged: str | None = None


#: Options that change how fast a document is read, never what it becomes.
SPEED_ONLY_OPTIONS = ("ocr_jobs", "ocr_cache")


def options_key(options: RunOptions) -> str:
    """The options that decide an input's outputs, as a comparable string.

    An option file counts by its content (sha256), not its path: an edited
    rules file reprocesses, the same file moved elsewhere does not.  Raises
    ``OSError`` when an option file cannot be read."""
    data = asdict(options)
    for name in SPEED_ONLY_OPTIONS:
        data["parse"].pop(name, None)
    for name in OPTION_FILES:
        if data[name] is not None:
            data[name] = {"sha256": sha256_of(Path(data[name]))}
    _redact(data)
    return json.dumps(data, sort_keys=True, default=str)


def _redact(data: dict) -> None:
    """No secret in a manifest: a password only counts as given (it changes
    whether a PDF opens, never what it becomes once open)."""
    if data["parse"].get("password") is not None:
        data["parse"]["password"] = "(given)"


class VersionKey(TypedDict):
    """The manifest fields :func:`version_key` fills."""

    tool_version: str
    bundled_data: str


def version_key() -> VersionKey:
    """What this process brings to an output besides the input and the options:
    the installed version and the bundled vocabularies and header rules."""
    return {"tool_version": tool_version(), "bundled_data": bundled_data_sha256()}


def outputs_for(doc: Document, source: Path | None = None, password: str | None = None) -> dict[str, bytes]:
    """Everything ``run`` writes for one document, by file name: records, CSVs,
    the reports and the workbook.  ``source``, the file the document was read
    from, gives the HTML report its page crops (PDFs only)."""
    from duty_lists.ingest.report.html import render_html
    from duty_lists.ingest.report.markdown import render_markdown
    from duty_lists.ingest.report.workbook import workbook_bytes

    html = render_html(doc, source, password=password)
    files = document_files(doc, {"report.html": html, "report.md": render_markdown(doc)})
    files["lists.xlsx"] = workbook_bytes([doc])
    return files


def render(task: Task) -> Rendered:
    """Worker: one input to its output files and manifest entry.

    Never raises for a bad input: the reason goes into the entry, so one bad
    file never stops a batch.
    """
    job = task.job
    entry = _entry(task)
    try:
        with tempfile.TemporaryDirectory(prefix="duty-lists-") as scratch, quiet_libraries(task.debug):
            path, options = _materialise(task, Path(scratch))
            doc = process_file(path, options, sha256=job.sha256)
            if doc.source.path != entry.path:
                # parsed from a shipped copy, or a name that needed escaping: the record names the client's file
                doc = doc.model_copy(update={"source": doc.source.model_copy(update={"path": entry.path})})
            files = outputs_for(doc, path, options.parse.password)
            try:
                staged = stage_folder(Path(task.out_dir) / job.stem, files) if task.out_dir else None
            except OSError as exc:
                return Rendered(entry.failed(write_failure(exc)))
    except ParseError as exc:
        return Rendered(entry.failed(one_line(exc.reason)))
    except Exception as exc:
        if task.debug:
            traceback.print_exc()
        return Rendered(entry.failed(one_line(failure_reason(exc))))
    return Rendered(
        entry.model_copy(update={
            "status": "ok",
            "error": None,
            "format": doc.source.format,
            "pages": doc.source.pages,
            "issuer": doc.issuer,
            "counts": {lt: len(dl.items) if (dl := doc.get_list(lt)) else 0 for lt in LIST_TYPES},
            "findings": {sev: sum(f.severity == sev for f in doc.findings) for sev in ("error", "warning")},
        }),
        {} if staged else files,
        str(staged) if staged else None,
    )


def _entry(task: Task) -> ManifestEntry:
    """The entry before the outcome is known (failed until the document is written)."""
    job = task.job
    return ManifestEntry(path=display_path(job.path), stem=job.stem, sha256=job.sha256, **version_key(),
                         options=task.options_key, status="failed")


def failure_reason(exc: BaseException) -> str:
    """The reason for an exception that escaped the pipeline: a budget it exceeded, or a bug."""
    if isinstance(exc, (MemoryError, RecursionError)):
        log.info("a budget stopped a document: %s", type(exc).__name__)
        return over_budget(exc)
    return f"内部错误 (internal error: {type(exc).__name__}: {exc})"


def write_failure(exc: OSError) -> str:
    """An output that could not be written (a full disk, a folder taken away)."""
    log.info("cannot write outputs: %s", exc)
    return f"无法写入输出 (cannot write the outputs: {exc.strerror or exc})"


def lost_document(task: Task, exc: BaseException) -> Rendered:
    """The answer for a document whose worker died on it (the OOM killer, a crash in a C library)."""
    log.info("%s: its worker process died on it, alone in a fresh pool (%s): counted as failed", task.job.path, exc)
    return Rendered(_entry(task).failed("处理进程意外终止 (the worker process died on this document: out of memory or a crash)"))


def one_line(text: str) -> str:
    """A reason as one line: nothing from a library's message may start a line of its own."""
    return " ".join(text.split("\n")).replace("\r", " ")


@contextmanager
def quiet_libraries(debug: bool = False) -> Iterator[None]:
    """Third-party warnings (Pillow, openpyxl, pdfminer) off stderr: a bad input gets one line, ours."""
    if debug:
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


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

    def moved(path: str | None) -> str | None:
        return str(local[path]) if path is not None and path in local else path

    options = task.options
    return local[task.job.path], replace(
        options,
        headers_file=moved(options.headers_file),
        categories_file=moved(options.categories_file),
        departments_file=moved(options.departments_file),
        rules_file=moved(options.rules_file),
    )
