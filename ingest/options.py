"""Command-line options shared by the subcommands that read documents."""

from __future__ import annotations

import argparse

from parsers import ParseOptions

from .pipeline import RunOptions


def add_document_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("document options")
    group.add_argument("--password", help="password for encrypted PDFs")
    group.add_argument("--pdf-engine", default="pdfplumber", help="PDF reader: pdfplumber (default) or pdfium")
    group.add_argument("--headers", metavar="FILE", help="extra header synonyms (JSON, same shape as schema/data/headers.json)")
    group.add_argument("--categories", metavar="FILE", help="extra categories, one per line")
    group.add_argument("--departments", metavar="FILE", help="department registry, one name per line")
    group.add_argument("--rules", metavar="FILE", help='rules file: {"disable": [codes], "severity": {code: level}}')


def run_options(args: argparse.Namespace) -> RunOptions:
    return RunOptions(
        parse=ParseOptions(password=args.password, pdf_engine=args.pdf_engine),
        headers_file=args.headers,
        categories_file=args.categories,
        departments_file=args.departments,
        rules_file=args.rules,
    )
