"""Command-line options shared by the subcommands that read documents."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from duty_lists.ingest.pipeline import RunOptions
from duty_lists.parsers import PDF_ENGINES, ParseOptions


def add_document_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("document options")
    group.add_argument("--password", help="password for encrypted PDFs")
    group.add_argument("--pdf-engine", default="pdfium", choices=PDF_ENGINES,
                       help="PDF reader: pdfium (default, fast), pdfplumber (the reference) or ocr (OCR every page)")
    group.add_argument("--headers", metavar="FILE", help="extra header synonyms (JSON, same shape as schema/data/headers.json)")
    group.add_argument("--categories", metavar="FILE", help="extra categories, one per line")
    group.add_argument("--departments", metavar="FILE", help="department registry, one name per line")
    group.add_argument("--rules", metavar="FILE", help='rules file: {"disable": [codes], "severity": {code: level}}')


def run_options(args: argparse.Namespace) -> RunOptions:
    return RunOptions(
        parse=ParseOptions(password=args.password, pdf_engine=args.pdf_engine, ocr_jobs=ocr_jobs(args)),
        headers_file=args.headers,
        categories_file=args.categories,
        departments_file=args.departments,
        rules_file=args.rules,
    )


def ocr_jobs(args: argparse.Namespace) -> int:
    """Processes for the OCR of one document's scanned pages.

    A batch already runs ``--jobs`` documents at once, so pages are OCR'd in
    parallel only when there is a single input (jobs × jobs processes would
    oversubscribe the machine).
    """
    jobs = getattr(args, "jobs", 1)
    jobs = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    inputs = getattr(args, "inputs", [])
    single = len(inputs) == 1 and not Path(inputs[0]).is_dir()
    return jobs if single else 1


def run_options_or_none(args: argparse.Namespace) -> RunOptions | None:
    """The run options, or ``None`` after saying on stderr why they are unusable
    (a missing or malformed --rules/--headers file: a usage error, exit 2)."""
    try:
        return run_options(args)
    except ValueError as exc:
        print(f"duty-lists: {exc}", file=sys.stderr)
        return None
