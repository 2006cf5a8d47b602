"""The server: one page to check lists, compare two versions and validate many.

The forms are plain ``multipart/form-data`` uploads, so the page works in any
browser an office has, without JavaScript; a little script adds drag and drop
and a progress bar.  Every response is rendered from Jinja2 templates with
autoescaping: file names and document text from uploads are shown, never
interpreted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jinja2
from duty_lists.ingest.pipeline import RunOptions
from duty_lists.ingest.report.workbook import DIFF_COUNT_LABELS
from duty_lists.ingest.serve.jobs import Job, JobStore
from duty_lists.ingest.serve.settings import MB, ServeSettings
from duty_lists.ingest.serve.uploads import BadZip, BodyLimit, Stored, display_name, stored_name, unpack_zip
from duty_lists.ingest.serve.work import Checked, Compared, check_document, compare_versions
from duty_lists.schema.records import LIST_NAMES
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

log = logging.getLogger(__name__)

#: Files a job folder may serve, and how: reports open in the browser, the rest download.
DOWNLOADS = {
    "report.html": "inline", "diff.html": "inline",
    "lists.xlsx": "attachment", "document.json": "attachment", "report.md": "attachment",
    "basic.csv": "attachment", "cooperative.csv": "attachment", "reclaimed.csv": "attachment",
    "diff.xlsx": "attachment", "diff.json": "attachment",
}
#: The upload fields that carry reviewer options, and the run option each sets.
#: The form's option files (each becomes the RunOptions field ``<name>_file``).
OPTION_FIELDS = ("categories", "departments", "rules")
CHUNK = 1 << 20

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("duty_lists.ingest.serve", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(list_names=LIST_NAMES, **context), status_code=status)


def problem(message: str, status: int) -> HTMLResponse:
    return page("problem.html", status=status, message=message)


async def _save(upload: UploadFile, target: Path) -> None:
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            out.write(chunk)


async def save_documents(uploads: list[UploadFile], job: Job, max_files: int) -> list[Stored]:
    """The uploaded documents in the job's folder under names of our own; zips opened."""
    incoming = job.folder / "in"
    incoming.mkdir(exist_ok=True)
    stored: list[Stored] = []
    for upload in uploads:
        if not upload.filename and not upload.size:
            continue  # an empty file input
        name = display_name(upload.filename)
        target = incoming / stored_name(len(stored), name)
        await _save(upload, target)
        if target.suffix == ".zip":
            stored.extend(await asyncio.to_thread(unpack_zip, target, incoming, len(stored) + 1, max_files - len(stored)))
            target.unlink()
        else:
            stored.append(Stored(target, name))
        if len(stored) > max_files:
            raise BadZip(f"一次最多上传 {max_files} 个文件")
    return stored


async def run_options(form: Any, job: Job) -> RunOptions:
    """Run options from the uploaded option files (categories, registry, rules), checked before any work."""
    folder = job.folder / "options"
    folder.mkdir(exist_ok=True)
    chosen: dict[str, str] = {}
    for field_name in OPTION_FIELDS:
        upload = form.get(field_name)
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            target = folder / f"{field_name}.txt"
            await _save(upload, target)
            chosen[field_name] = str(target)
    # raises ValueError with a one-line reason
    return RunOptions(
        categories_file=chosen.get("categories"), departments_file=chosen.get("departments"), rules_file=chosen.get("rules")
    )


class App:
    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.store = JobStore(settings, lambda name, reason: Checked(name=name, error=reason))

    # --- pages ---------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        return page("index.html", settings=self.settings, max_mb=self.settings.max_upload_bytes // MB)

    async def upload(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in {"check", "batch", "compare"}:
            return problem("没有这个功能", 404)
        async with request.form(max_files=self.settings.max_files + len(OPTION_FIELDS) + 2, max_fields=20) as form:
            job = self.store.new(kind)
            try:
                options = await run_options(form, job)
                if kind == "compare":
                    old = [u for u in form.getlist("old") if isinstance(u, UploadFile)]
                    new = [u for u in form.getlist("new") if isinstance(u, UploadFile)]
                    stored = await save_documents(old[:1] + new[:1], job, 2)
                    if len(stored) != 2:
                        raise BadZip("请选择旧版本和新版本两个文件")
                else:
                    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile)]
                    stored = await save_documents(uploads, job, self.settings.max_files)
                    if not stored:
                        raise BadZip("请选择至少一个文件")
            except (BadZip, ValueError) as exc:
                shutil.rmtree(job.folder, ignore_errors=True)
                return problem(str(exc).splitlines()[0], 400)
        if kind == "compare":
            (old_file, new_file) = stored
            self.store.submit(job, f"{old_file.name} → {new_file.name}", compare_versions,
                              (str(old_file.path), old_file.name), (str(new_file.path), new_file.name),
                              str(job.folder / "diff"), options)
        else:
            for n, item in enumerate(stored, start=1):
                self.store.submit(job, item.name, check_document, str(item.path), item.name, str(job.folder / f"{n:03d}"), options)
        return RedirectResponse(f"/jobs/{job.token}", status_code=303)

    def _job(self, request: Request) -> Job | None:
        return self.store.get(request.path_params["token"])

    async def job_page(self, request: Request) -> Response:
        job = self._job(request)
        if job is None:
            return problem("没有找到这次上传（链接有误，或结果已过期被清除）", 404)
        results = job.results()
        context: dict[str, Any] = {"job": job, "results": results, "diff_labels": DIFF_COUNT_LABELS}
        if job.done and job.kind == "compare" and results and isinstance(results[0], Compared):
            context["compared"] = results[0]
        return page("job.html", **context)

    async def job_status(self, request: Request) -> Response:
        job = self._job(request)
        if job is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse({"done": job.done, "finished": job.finished, "total": len(job.futures)})

    async def download(self, request: Request) -> Response:
        job = self._job(request)
        folder, name = request.path_params["folder"], request.path_params["name"]
        valid_folder = folder == "diff" or (folder.isdigit() and len(folder) == 3)
        if job is None or name not in DOWNLOADS or not valid_folder:
            return problem("没有这个文件", 404)
        path = job.folder / folder / name
        if not path.is_file():
            return problem("没有这个文件", 404)
        label = self._download_name(job, folder, name)
        return FileResponse(path, filename=label, content_disposition_type=DOWNLOADS[name])

    def _download_name(self, job: Job, folder: str, name: str) -> str:
        """``<the user's file name>-lists.xlsx``: a download says which document it came from."""
        if folder.isdigit() and 0 < int(folder) <= len(job.names):
            return f"{Path(job.names[int(folder) - 1]).stem}-{name}"
        return name

    # --- the application ------------------------------------------------------

    def build(self) -> Any:
        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            sweeper = asyncio.create_task(self._sweep())
            try:
                yield
            finally:
                sweeper.cancel()
                self.store.close()

        app = Starlette(
            routes=[
                Route("/", self.index),
                Route("/{kind}", self.upload, methods=["POST"]),
                Route("/jobs/{token}", self.job_page),
                Route("/jobs/{token}/status", self.job_status),
                Route("/jobs/{token}/files/{folder}/{name}", self.download),
            ],
            lifespan=lifespan,
            exception_handlers={413: self.too_large},
        )
        return BodyLimit(app, self.settings.max_upload_bytes, lambda: self._too_large_page())

    def _too_large_page(self) -> Response:
        return problem(f"上传内容超过 {self.settings.max_upload_bytes // MB} MB 的上限", 413)

    async def too_large(self, request: Request, exc: Exception) -> Response:
        return self._too_large_page()

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(min(60, self.settings.keep_seconds))
            if removed := self.store.expire():
                log.info("removed %d expired uploads", removed)


def create_app(settings: ServeSettings | None = None) -> Any:
    """The ASGI application (also what tests drive)."""
    return App(settings or ServeSettings()).build()
