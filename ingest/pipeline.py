"""One document through the whole flow: parse → assemble → records → checks.

Library entry points (the CLI is a thin wrapper over these):

* :func:`process_file` — any supported input → validated :class:`Document`;
* :func:`load_document` — the same, or a ``document.json`` written earlier.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path

from duty_lists.parsers import ParseError, ParseOptions, parse_file
from duty_lists.parsers.detect import check_regular
from duty_lists.parsers.model import RawDocument, TableRow
from duty_lists.schema.records import SCHEMA_VERSION, Document, Source, SourceNote

from duty_lists import version


@lru_cache(maxsize=1)
def tool_version() -> str:
    """The installed duty-lists version (package metadata), read once per process."""
    return version()


@lru_cache(maxsize=1)
def bundled_data_sha256() -> str:
    """One sha256 over the vocabularies and header rules installed with the
    package (``schema/data/*``: names and contents), read once per process.

    They shape the records as much as the code does, so a rerun key holds it:
    an edited vocabulary reprocesses even when the version number stayed."""
    digest = hashlib.sha256()
    folder = resources.files("duty_lists.schema").joinpath("data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            data = entry.read_bytes()
            digest.update(f"{entry.name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class RunOptions:
    """Everything that changes what a document becomes, validated up front."""

    parse: ParseOptions = field(default_factory=ParseOptions)
    headers_file: str | None = None
    categories_file: str | None = None
    departments_file: str | None = None
    rules_file: str | None = None

    def __post_init__(self) -> None:
        for label, value in (
            ("--headers", self.headers_file),
            ("--categories", self.categories_file),
            ("--departments", self.departments_file),
            ("--rules", self.rules_file),
        ):
            if value is not None and not Path(value).is_file():
                raise ValueError(f"{label}: no such file: {value}")
        for label, value in (("--categories", self.categories_file), ("--departments", self.departments_file)):
            if value is not None:
                check_text_file(label, Path(value))
        if self.rules_file is not None:
            # A broken rules file is a usage error, found before any input is read.
            from duty_lists.schema.checks import Policy, all_codes

            Policy.from_file(Path(self.rules_file), all_codes())
        if self.headers_file is not None:
            from duty_lists.schema.assembly.headers import load_rules

            load_rules(self.headers_file)


def check_text_file(label: str, path: Path) -> None:
    """A one-name-per-line option file must be UTF-8 text: found before any input
    is read, so a GBK or binary file stops the run before it touches ``--out``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{label}: cannot read {path}: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{label}: {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8, one name per line") \
            from exc
    if "\x00" in text:
        raise ValueError(f"{label}: {path} is not a text file (it holds NUL bytes)")


def sha256_of(path: Path) -> str:
    """The file's sha256; :class:`ParseError` for what is not a plain file (a FIFO, ``/dev/zero``)."""
    try:
        check_regular(path)
    except ParseError as exc:
        exc.path = str(path)
        raise
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def no_table_reason(raw: RawDocument) -> str:
    """Why no list was found, naming OCR where it decided the outcome: a
    reviewer of a scan must know whether OCR ran and saw no table, saw
    tables that are not a list, or never ran."""
    if raw.unread_image_pages:
        from duty_lists.parsers.ocr.text import OCR_EXTRA  # numpy: only when it is needed

        return (f"未找到履职事项清单表格，{len(raw.unread_image_pages)} 页扫描页需要 OCR "
                f"(no duty-list table found; {len(raw.unread_image_pages)} image-only pages need OCR: {OCR_EXTRA})")
    if raw.ocr_pages:
        scanned = set(raw.ocr_pages)
        rows = sum(isinstance(block, TableRow) and block.prov.page in scanned for block in raw.blocks)
        if not rows:
            return f"OCR 未找到表格 (OCR found no table on {len(scanned)} scanned pages)"
        return f"OCR 读出的表格不是履职事项清单 (OCR found {rows} table rows on {len(scanned)} scanned pages, but no duty-list table)"
    return "未找到履职事项清单表格 (no duty-list table found)"


def build_document(path: Path, options: RunOptions, sha256: str | None = None) -> Document:
    """Parse and assemble ``path`` into records, without running checks."""
    from duty_lists.schema.assembly.assemble import assemble
    from duty_lists.schema.assembly.build import build_lists
    from duty_lists.schema.assembly.headers import load_rules

    raw = parse_file(path, options.parse)
    assembly = assemble(raw, load_rules(options.headers_file))
    if not assembly.lists:
        raise ParseError(no_table_reason(raw), path=str(path))
    lists, toc = build_lists(assembly)
    return Document(
        source=Source(path=path.as_posix(), sha256=sha256 or sha256_of(path), format=raw.format, pages=raw.pages),
        issuer=assembly.issuer,
        lists=lists,
        toc=toc,
        printed_pages=dict(sorted(assembly.printed_pages.items())),
        notes=[SourceNote(code=note.code, message=note.message, page=note.page, sheet=note.sheet)
               for note in [*raw.notes, *assembly.notes] if note.about_source],
    )


def validate_document(doc: Document, options: RunOptions) -> Document:
    """Run every check on ``doc`` and return it with its findings."""
    from duty_lists.schema.checks import CheckContext, Policy, all_codes, run_checks
    from duty_lists.schema.checks.vocabulary import load_categories, load_names

    ctx = CheckContext(
        categories=load_categories(Path(options.categories_file) if options.categories_file else None),
        departments=load_names(Path(options.departments_file) if options.departments_file else None),
    )
    policy = Policy.from_file(Path(options.rules_file) if options.rules_file else None, all_codes())
    return doc.model_copy(update={"findings": run_checks(doc, ctx, policy)})


def process_file(path: str | PathLike[str], options: RunOptions | None = None, sha256: str | None = None) -> Document:
    path = Path(path)
    options = options or RunOptions()
    return validate_document(build_document(path, options, sha256), options)


def load_document(path: str | PathLike[str], options: ParseOptions | RunOptions | None = None) -> Document:
    """A Document from a ``document.json`` or from any supported input file."""
    path = Path(path)
    if path.name.endswith(".json"):
        try:
            doc = Document.model_validate_json(path.read_bytes())
        except ValueError as exc:
            raise ParseError(f"不是有效的 document.json (not a duty-lists document.json: {exc.__class__.__name__})",
                             path=str(path)) from exc
        if doc.schema_version != SCHEMA_VERSION:
            raise ParseError(f"document.json 的版本不受支持 (schema version {doc.schema_version!r}: this duty-lists "
                             f"reads version {SCHEMA_VERSION})", path=str(path))
        return doc
    if isinstance(options, ParseOptions):
        options = RunOptions(parse=options)
    return process_file(path, options)
