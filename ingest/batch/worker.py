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
import tempfile
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from duty_lists.ingest.pipeline import TOOL_VERSION, RunOptions, process_file
from duty_lists.ingest.writers import document_files, stage_folder
from duty_lists.parsers import ParseError
from duty_lists.schema.records import LIST_TYPES, Document

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


#: Options that change how fast a document is read, never what it becomes.
SPEED_ONLY_OPTIONS = ("ocr_jobs", "ocr_cache")


def options_key(options: RunOptions) -> str:
    """The options that decide an input's outputs, as a comparable string."""
    data = asdict(options)
    for name in SPEED_ONLY_OPTIONS:
        data["parse"].pop(name, None)
    return json.dumps(data, sort_keys=True, default=str)


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
    entry: dict = {"path": job.path, "stem": job.stem, "sha256": job.sha256, "tool_version": TOOL_VERSION,
                   "options": options_key(task.options)}
    try:
        with tempfile.TemporaryDirectory(prefix="duty-lists-") as scratch:
            path, options = _materialise(task, Path(scratch))
            doc = process_file(path, options, sha256=job.sha256)
            if path.as_posix() != job.path:
                # parsed from a shipped copy: the record names the client's file
                doc = doc.model_copy(update={"source": doc.source.model_copy(update={"path": job.path})})
            files = outputs_for(doc, path, options.parse.password)
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
