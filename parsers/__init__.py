"""Input parsers: one module per format, all producing :class:`RawDocument`.

Routing is data: :data:`PARSERS` maps a sniffed format to the module that
reads it.  Modules are imported only when a file of their format turns up, so
``duty-lists --help`` never pays for pdfplumber or lxml.  A new format is one
new module plus one line here.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from duty_lists.parsers.detect import sniff_file
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Provenance, RawDocument, TableRow, TextLine

log = logging.getLogger(__name__)

__all__ = [
    "PARSERS",
    "ParseError",
    "ParseOptions",
    "Provenance",
    "RawDocument",
    "TableRow",
    "TextLine",
    "parse_file",
    "parser_modules",
    "parser_target",
]


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """Options a parser may honour; unknown formats simply ignore them."""

    password: str | None = None
    pdf_engine: str = "pdfium"
    #: Pages OCR'd in parallel (scanned pages only).
    ocr_jobs: int = 1
    #: Folder of the OCR cache; ``None`` = the default (see ``parsers.ocr.cache``).
    ocr_cache: str | None = None


#: sniffed format -> "module:function" taking (path, options) -> RawDocument
PARSERS: dict[str, str] = {
    "text": "duty_lists.parsers.text_form:parse",
    "pdf": "duty_lists.parsers.pdf.plumber:parse",
    "docx": "duty_lists.parsers.docx_xml:parse",
    "xlsx": "duty_lists.parsers.xlsx_sheet:parse",
    "html": "duty_lists.parsers.html_page:parse",
    "doc": "duty_lists.parsers.legacy_office:parse",
    "xls": "duty_lists.parsers.legacy_office:parse",
    "png": "duty_lists.parsers.image_input:parse",
    "jpeg": "duty_lists.parsers.image_input:parse",
    "tiff": "duty_lists.parsers.image_input:parse",
}

#: Alternative PDF readers selectable with ``--pdf-engine``.
PDF_ENGINES: dict[str, str] = {
    "pdfplumber": "duty_lists.parsers.pdf.plumber:parse",
    "pdfium": "duty_lists.parsers.pdf.pdfium.reader:parse",
    "ocr": "duty_lists.parsers.pdf.scanned:parse",
}


def _load(target: str):
    module_name, func_name = target.split(":")
    return getattr(importlib.import_module(module_name), func_name)


def parser_target(fmt: str, options: ParseOptions) -> str | None:
    """``"module:function"`` reading format ``fmt`` under ``options``; ``None`` if none does."""
    return PDF_ENGINES.get(options.pdf_engine) if fmt == "pdf" else PARSERS.get(fmt)


def parser_modules(paths: Iterable[Path], options: ParseOptions) -> set[str]:
    """The parser modules ``paths`` will need, sniffed from their first bytes
    (unreadable or unknown files need none: they fail before any parser)."""
    modules = set()
    for path in paths:
        try:
            target = parser_target(sniff_file(path), options)
        except (ParseError, OSError):
            continue
        if target is not None:
            modules.add(target.split(":")[0])
    return modules


def parse_file(path: Path, options: ParseOptions | None = None) -> RawDocument:
    """Sniff ``path`` and hand it to the parser for its format."""
    options = options or ParseOptions()
    try:
        fmt = sniff_file(path)
    except ParseError as exc:
        exc.path = str(path)
        raise
    except OSError as exc:
        raise ParseError(f"无法读取文件 (cannot read: {exc.strerror})", path=str(path)) from exc
    target = parser_target(fmt, options)
    if target is None:
        if fmt == "pdf":
            raise ParseError(f"unknown PDF engine {options.pdf_engine!r}", path=str(path))
        raise ParseError(f"不支持的格式 (format {fmt!r} is not supported)", path=str(path))
    why = f"--pdf-engine {options.pdf_engine}" if fmt == "pdf" else "the format's reader"
    log.debug("%s: %s, read by %s (%s)", path, fmt, target, why)
    try:
        raw = _load(target)(path, options)
    except ParseError as exc:
        exc.path = exc.path or str(path)
        log.info("%s: not read: %s", path, exc.reason)
        raise
    except (RecursionError, MemoryError) as exc:
        log.info("%s: a budget stopped it: %s", path, type(exc).__name__)
        raise ParseError(over_budget(exc), path=str(path)) from exc
    for note in raw.notes:
        # how it was read: the reader's summary, pages sent to the reference reader or to OCR
        if note.code.startswith("reader."):
            log.debug("%s: %s: %s", path, note.code, note.message)
    return raw


def over_budget(exc: RecursionError | MemoryError) -> str:
    """The reason for a document that a parser's structure or memory budget stopped."""
    if isinstance(exc, RecursionError):
        return "文件结构嵌套过深 (the document is nested too deeply to read)"
    return "文件超出内存预算 (the document needs more memory than a document may use)"
