"""``duty-lists compare TOWN... [--reference REF]``: towns against each other or a reference.

Exit status: 0 done, 2 an input could not be read (one line naming the file).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from duty_lists.ingest.analysis.matching import DEFAULT_THRESHOLD

    parser.add_argument("towns", type=Path, nargs="+", metavar="TOWN", help="a town's document (document.json or any input)")
    parser.add_argument("--reference", type=Path, help="a reference list to measure every town against")
    parser.add_argument("--format", choices=("text", "json", "markdown", "csv", "xlsx"), default="text")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout (xlsx: needed on a terminal)")
    parser.add_argument(
        "--table",
        choices=("coverage", "groups", "similarity"),
        help="the table --format csv writes (default: coverage with --reference, else groups)",
    )
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="name similarity to match items (0–1)")
    parser.add_argument("--limit", type=int, default=20, help="entries per listing in text/markdown (0: all)")
    parser.add_argument("--all-versions", action="store_true",
                        help="compare every document given; by default a town given in several versions "
                             "is compared in its last one")


def run(args: argparse.Namespace) -> int:
    from duty_lists.ingest.analysis.compare import compare_towns, csv_rows, render_text, to_dict
    from duty_lists.ingest.analysis.dataset import csv_safe
    from duty_lists.ingest.analysis.towns import group_towns, latest_versions
    from duty_lists.ingest.cli.diff import InputError, binary_destination_ok, emit, load

    if not binary_destination_ok(args):
        return 2

    if not 0.0 < args.threshold <= 1.0:
        print(f"duty-lists compare: --threshold must be in (0, 1], got {args.threshold}", file=sys.stderr)
        return 2
    if args.table == "coverage" and args.reference is None:
        print("duty-lists compare: --table coverage needs --reference", file=sys.stderr)
        return 2
    try:
        towns = [load(path) for path in args.towns]
        reference = load(args.reference) if args.reference else None
    except InputError as exc:
        print(f"duty-lists compare: {exc}", file=sys.stderr)
        return 2
    if not args.all_versions:
        for town in group_towns(towns):
            if len(town.versions) > 1:
                print(f"duty-lists compare: {town.issuer}: {len(town.versions)} 个版本，比较最后给出的 "
                      f"{town.latest.source.path}（--all-versions 比较每个版本）", file=sys.stderr)
        towns = latest_versions(towns)
    result = compare_towns(towns, reference, args.threshold)
    if args.format == "json":
        emit(args, json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "xlsx":
        from duty_lists.ingest.report.workbook import comparison_workbook_bytes

        emit(args, comparison_workbook_bytes({table: csv_rows(result, table) for table in tables(result)}))
    elif args.format == "csv":
        table = args.table or ("coverage" if reference is not None else "groups")
        buffer = io.StringIO()
        buffer.write("\ufeff")  # UTF-8 with a BOM, as every CSV duty-lists writes: Excel then reads Chinese right
        csv.writer(buffer, lineterminator="\n").writerows([csv_safe(cell) for cell in row] for row in csv_rows(result, table))
        emit(args, buffer.getvalue())
    else:
        emit(args, render_text(result, args.limit, markdown=args.format == "markdown"))
    return 0


def tables(result: object) -> list[str]:
    """The CSV tables a comparison has: coverage only against a reference."""
    return ["coverage", "groups", "similarity"] if getattr(result, "reference", None) is not None else ["groups", "similarity"]
