"""duty-lists: Chinese towns' published duty lists as validated, canonical records.

In a notebook::

    import duty_lists
    doc = duty_lists.parse("沙河镇履职事项清单.pdf")      # any PDF, DOCX, XLSX, HTML, text, image
    frames = doc.to_pandas()                          # {"basic", "cooperative", "reclaimed", "findings"}
    changes = duty_lists.diff("旧版.pdf", "新版.docx")   # DocumentDiff: added, removed, changed …
    towns = duty_lists.compare(["甲镇.pdf", "乙镇.xlsx"])   # Comparison: shared and unique items

A path is a ``str`` or a ``Path``; ``diff`` and ``compare`` also take parsed
Documents or ``document.json`` files.  An input that cannot be read raises
:class:`ParseError`, whose ``reason`` is the one line the CLI prints.

The repository keeps the three layers in their own folders and the install
maps them under this one name, so duty-lists adds no top-level module another
project owns (``schema`` and ``parsers`` are names of PyPI packages):
``duty_lists.parsers`` (``parsers/``: bytes → the raw table model),
``duty_lists.schema`` (``schema/``: raw tables → records → checks),
``duty_lists.ingest`` (``ingest/``: pipeline, batch runs, reports, analyses, CLI).
Nothing heavy is imported until a function is called, so the command starts fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from duty_lists.ingest.analysis.compare import Comparison
    from duty_lists.ingest.analysis.diff import DocumentDiff
    from duty_lists.parsers.errors import ParseError
    from duty_lists.schema.records import Document

    Source = str | PathLike[str] | Document

__all__ = ["Document", "ParseError", "__version__", "compare", "diff", "load", "parse", "version"]


def parse(
    path: str | PathLike[str],
    *,
    password: str | None = None,
    pdf_engine: str = "pdfium",
    headers: str | PathLike[str] | None = None,
    categories: str | PathLike[str] | None = None,
    departments: str | PathLike[str] | None = None,
    rules: str | PathLike[str] | None = None,
) -> Document:
    """Read one list document and check it: the same records and findings as ``duty-lists run``.

    The options are those of the command line (``--password``, ``--pdf-engine``,
    ``--headers``, ``--categories``, ``--departments``, ``--rules``).
    """
    from duty_lists.ingest.pipeline import RunOptions, process_file
    from duty_lists.parsers import ParseOptions

    def optional(value: str | PathLike[str] | None) -> str | None:
        return None if value is None else str(value)

    options = RunOptions(
        parse=ParseOptions(password=password, pdf_engine=pdf_engine),
        headers_file=optional(headers),
        categories_file=optional(categories),
        departments_file=optional(departments),
        rules_file=optional(rules),
    )
    return process_file(path, options)


def load(source: Source) -> Document:
    """A Document from a ``document.json`` written by ``run``, or parsed from any input."""
    from duty_lists.ingest.pipeline import load_document
    from duty_lists.schema.records import Document

    return source if isinstance(source, Document) else load_document(source)


def diff(old: Source, new: Source, threshold: float | None = None) -> DocumentDiff:
    """What changed from ``old`` to ``new`` (two versions of one town), as data."""
    from duty_lists.ingest.analysis.diff import diff_documents
    from duty_lists.ingest.analysis.matching import DEFAULT_THRESHOLD

    return diff_documents(load(old), load(new), DEFAULT_THRESHOLD if threshold is None else threshold)


def compare(towns: Sequence[Source], reference: Source | None = None, threshold: float | None = None) -> Comparison:
    """Towns against each other, or against a ``reference`` list, as data."""
    from duty_lists.ingest.analysis.compare import compare_towns
    from duty_lists.ingest.analysis.matching import DEFAULT_THRESHOLD

    return compare_towns([load(town) for town in towns], None if reference is None else load(reference),
                         DEFAULT_THRESHOLD if threshold is None else threshold)


def __getattr__(name: str) -> Any:
    # The types and the version resolve on first use, keeping `import duty_lists` cheap.
    if name == "Document":
        from duty_lists.schema.records import Document

        return Document
    if name == "ParseError":
        from duty_lists.parsers.errors import ParseError

        return ParseError
    if name == "__version__":
        return version()
    raise AttributeError(f"module 'duty_lists' has no attribute {name!r}")

def version() -> str:
    """The installed distribution's version, from its metadata: the one place it
    is read (``duty-lists --version``, the manifest and the rerun key use it)."""
    from importlib.metadata import version as installed_version

    return installed_version("duty-lists")
