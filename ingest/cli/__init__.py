"""The ``duty-lists`` command: a thin dispatcher over subcommand modules.

Each subcommand lives in its own ``ingest/cmd_<name>.py`` exposing
``add_arguments(parser)`` and ``run(args) -> int``.  Modules are imported only
when their command is chosen, so ``duty-lists --help`` stays fast (no jieba,
no pdfplumber, no pandas).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from duty_lists import version

#: command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("duty_lists.ingest.cli.run", "parse documents and write records, reports and a manifest"),
    "validate": ("duty_lists.ingest.cli.validate", "check documents and print the findings"),
    "diff": ("duty_lists.ingest.cli.diff", "compare two versions of one town's lists"),
    "compare": ("duty_lists.ingest.cli.compare", "compare towns with each other or with a reference list"),
    "dataset": ("duty_lists.ingest.cli.dataset", "build one canonical dataset from many run outputs"),
    "schema": ("duty_lists.ingest.cli.schema", "print the JSON Schema of document.json"),
    "serve": ("duty_lists.ingest.cli.serve", "a local web page to check lists, compare versions and validate many"),
}


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="duty-lists",
        description="乡镇（街道）履行职责事项清单 → validated canonical datasets",
        allow_abbrev=False,  # --version only when spelled out: see below
    )
    parser.add_argument("--debug", action="store_true",
                        help="show tracebacks instead of one-line errors, and log which reader read what and why")
    # Looked up only when asked for: reading package metadata imports
    # importlib.metadata (~40 ms), which every other command would pay.
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}" if "--version" in argv else "")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = next((arg for arg in argv if arg in COMMANDS), None)
    for name, (module, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        command_parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        if name == chosen:
            importlib.import_module(module).add_arguments(command_parser)
            parser.set_defaults(command_parser=command_parser)
    return parser


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """``argv`` parsed; an unknown flag is reported with the chosen command's
    usage (``duty-lists run: error: …``), not the top-level one."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        (getattr(args, "command_parser", None) or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


#: The stderr handler ``--debug`` installs, while the command runs.
_DEBUG_HANDLER: list[logging.Handler] = []


def configure_logging(debug: bool) -> None:
    """Under ``--debug``, duty-lists' log lines (which reader read a file and why, pages
    sent to OCR, a rerun's skip or reprocess decisions, a worker lost, a budget hit)
    and libraries' warnings go to stderr; without it, the handlers an earlier call
    installed are removed and library log lines are dropped (``main`` calls this
    again when the command ends)."""
    logger = logging.getLogger("duty_lists")
    root = logging.getLogger()
    while _DEBUG_HANDLER:
        handler = _DEBUG_HANDLER.pop()
        logger.removeHandler(handler)
        root.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
    logger.propagate = True
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # ours once, not again through the root's handler
        # Libraries' warnings (pdfminer on a broken page, …) too, but only here.
        library = logging.StreamHandler(sys.stderr)
        library.setFormatter(logging.Formatter("%(name)s: %(levelname)s: %(message)s"))
        library.setLevel(logging.WARNING)
        root.addHandler(library)
        _DEBUG_HANDLER.extend([handler, library])
    elif not root.handlers:
        # Without --debug nothing below our one-line errors: a handler that drops
        # everything stands in for Python's last-resort handler, which prints warnings.
        root.addHandler(logging.NullHandler())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parse_arguments(parser, argv)
    if not args.command:
        parser.print_help()
        return 2
    configure_logging(getattr(args, "debug", False))
    try:
        return _run_command(args)
    finally:
        configure_logging(False)


def _run_command(args: argparse.Namespace) -> int:
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        print("duty-lists: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`duty-lists compare … | head`): stop quietly.
        # Python would complain again when flushing stdout at exit, so point
        # stdout at /dev/null first (the recipe in the signal module's docs).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a program the pipe closed
    except Exception as exc:  # the last line of defence: one line unless --debug
        if getattr(args, "debug", False):
            raise
        print(f"duty-lists: internal error: {type(exc).__name__}: {exc} (rerun with --debug)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
