"""Input parsers: one module per format, all producing :class:`RawDocument`.

Routing is data: :data:`PARSERS` maps a sniffed format to the module that
reads it; a PDF goes to :mod:`parsers.pdf.router`, the one place its reader
(PDFium, pdfplumber, OCR) is chosen.  Modules are imported only when a file of their format turns up, so
``duty-lists --help`` never pays for pdfplumber or lxml.  A new format is one
new module plus one line here.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from duty_lists.parsers.detect import sniff_file
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Provenance, RawDocument, TableRow, TextLine

log = logging.getLogger(__name__)

__all__ = [
    "PARSERS",
    "PDF_ENGINES",
    "ParseError",
    "ParseOptions",
    "Provenance",
    "RawDocument",
    "TableRow",
    "TextLine",
    "parse_file",
    "parser_modules",
]


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """Options a parser may honour; unknown formats simply ignore them."""

    password: str | None = None
    #: Where the PDF reader chain starts (:data:`PDF_ENGINES`, see ``parsers.pdf.router``).
    pdf_engine: str = "pdfium"
    #: Pages OCR'd in parallel (scanned pages only).
    ocr_jobs: int = 1
    #: Folder of the OCR cache; ``None`` = the default (see ``parsers.ocr.cache``).
    ocr_cache: str | None = None


#: sniffed format -> "module:function" taking (path, options) -> RawDocument
PARSERS: dict[str, str] = {
    "text": "duty_lists.parsers.text_form:parse",
    "pdf": "duty_lists.parsers.pdf.router:parse",
    "docx": "duty_lists.parsers.docx_xml:parse",
    "xlsx": "duty_lists.parsers.xlsx_sheet:parse",
    "html": "duty_lists.parsers.html_page:parse",
    "doc": "duty_lists.parsers.legacy_office:parse",
    "xls": "duty_lists.parsers.legacy_office:parse",
    "png": "duty_lists.parsers.image_input:parse",
    "jpeg": "duty_lists.parsers.image_input:parse",
    "tiff": "duty_lists.parsers.image_input:parse",
}

#: The values of ``--pdf-engine``; kept here, not in the router, so that the
#: command line lists them without importing a PDF library.
PDF_ENGINES = ("pdfium", "pdfplumber", "ocr")


def _load(target: str) -> Callable[[Path, ParseOptions], RawDocument]:
    """The reader a registry entry (``module:function``) names."""
    module_name, func_name = target.split(":")
    return getattr(importlib.import_module(module_name), func_name)


def parser_modules(paths: Iterable[Path]) -> set[str]:
    """The parser modules ``paths`` will need, sniffed from their first bytes
    (unreadable or unknown files need none: they fail before any parser)."""
    modules = set()
    for path in paths:
        try:
            target = PARSERS.get(sniff_file(path))
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
    target = PARSERS.get(fmt)
    if target is None:
        raise ParseError(f"不支持的格式 (format {fmt!r} is not supported)", path=str(path))
    log.debug("%s: %s, read by %s", path, fmt, target)
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
