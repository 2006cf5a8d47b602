"""``duty-lists dataset OUT_DIR... --into DATASET``: one dataset from many run outputs.

Exit status: 0 written, 2 an input could not be used (one line naming it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out_dirs", type=Path, nargs="+", metavar="OUT_DIR", help="a `duty-lists run` output folder")
    parser.add_argument("--into", type=Path, required=True, metavar="DATASET", help="folder to write the dataset into")


def run(args: argparse.Namespace) -> int:
    from duty_lists.ingest.analysis.dataset import DatasetError, build_dataset

    try:
        counts = build_dataset(args.out_dirs, args.into)
    except DatasetError as exc:
        print(f"duty-lists dataset: {exc}", file=sys.stderr)
        return 2
    print(f"{args.into}：事项 {counts['items']} 条，乡镇（街道）{counts['towns']} 个，部门 {counts['departments']} 个")
    return 0
