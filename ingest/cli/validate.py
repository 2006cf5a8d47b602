"""``duty-lists validate INPUT...``: print findings; exit 1 on failure or error.

With ``--strict`` warnings fail too.  Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from duty_lists.ingest.batch.runner import discover, say
from duty_lists.ingest.options import add_document_options, run_options_or_none
from duty_lists.ingest.pipeline import process_file
from duty_lists.parsers import ParseError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="document files or folders")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    add_document_options(parser)


def run(args: argparse.Namespace) -> int:
    from duty_lists.ingest.cli.validate_output import ValidationResult, render_findings

    options = run_options_or_none(args)
    if options is None:
        return 2
    results: list[ValidationResult] = []
    paths = discover(args.inputs)
    if not paths:
        say("duty-lists: no input documents found")
        return 1
    for path in paths:
        try:
            results.append(ValidationResult(path=path.as_posix(), document=process_file(path, options), error=None))
        except ParseError as exc:
            say(f"duty-lists: {path.as_posix()}: {exc.reason}")
            results.append(ValidationResult(path=path.as_posix(), document=None, error=exc.reason))
    sys.stdout.write(render_findings(results, args.format, color=sys.stdout.isatty()))
    failing = {"error", "warning"} if args.strict else {"error"}
    bad = any(
        r.error is not None or (r.document is not None and any(f.severity in failing for f in r.document.findings))
        for r in results
    )
    return 1 if bad or not results else 0
