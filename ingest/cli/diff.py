"""``duty-lists diff OLD NEW``: what changed between two versions of one town.

Exit status: 0 identical content, 1 different, 2 an input could not be read
(one line on stderr naming the file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from duty_lists.schema.records import Document


class InputError(Exception):
    """An input file that could not be loaded; the message names it."""


def load(path: Path) -> Document:
    """Load any supported input (document.json, PDF, DOCX …) or raise :class:`InputError`.

    The pipeline is imported here, not at module level, so ``--help`` stays
    fast and the parsers load only when a file needs them.
    """
    from duty_lists.ingest.pipeline import load_document
    from duty_lists.parsers.errors import ParseError

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        return load_document(path)
    except ParseError as exc:
        raise InputError(f"{path}: {exc.reason}") from exc
    except (OSError, ValueError) as exc:  # ValueError covers bad JSON and pydantic's ValidationError
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: {first_line}") from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from duty_lists.ingest.analysis.matching import DEFAULT_THRESHOLD

    parser.add_argument("old", type=Path, help="the earlier version (document.json, PDF, DOCX, XLSX, HTML, text)")
    parser.add_argument("new", type=Path, help="the later version")
    parser.add_argument("--format", choices=("text", "json", "markdown", "html", "xlsx"), default="text")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout (xlsx: needed on a terminal)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"name similarity needed to pair two items (0–1, default {DEFAULT_THRESHOLD})",
    )


def run(args: argparse.Namespace) -> int:
    from duty_lists.ingest.analysis.diff import RENDERERS, diff_documents, render_text

    if not binary_destination_ok(args):
        return 2
    if not 0.0 < args.threshold <= 1.0:
        print(f"duty-lists diff: --threshold must be in (0, 1], got {args.threshold}", file=sys.stderr)
        return 2
    try:
        old, new = load(args.old), load(args.new)
    except InputError as exc:
        print(f"duty-lists diff: {exc}", file=sys.stderr)
        return 2
    result = diff_documents(old, new, args.threshold)
    if args.format == "xlsx":
        from duty_lists.ingest.report.workbook import diff_workbook_bytes

        emit(args, diff_workbook_bytes(result))
    elif args.format == "text":
        emit(args, render_text(result, color=args.output is None and sys.stdout.isatty()))
    else:
        emit(args, RENDERERS[args.format](result))
    return 0 if result.identical else 1


def binary_destination_ok(args: argparse.Namespace) -> bool:
    """``--format xlsx`` needs a file or a redirect: bytes on a terminal help nobody."""
    if args.format == "xlsx" and args.output is None and sys.stdout.isatty():
        print(f"duty-lists {args.command}: --format xlsx writes a file: add --output FILE.xlsx", file=sys.stderr)
        return False
    return True


def emit(args: argparse.Namespace, data: str | bytes) -> None:
    """The command's result to ``--output`` (written atomically) or stdout."""
    from duty_lists.ingest.writers import atomic_write_bytes

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if args.output is not None:
        atomic_write_bytes(args.output, raw)
    elif isinstance(data, str):
        sys.stdout.write(data)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
