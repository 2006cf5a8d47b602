"""``make lint``'s type check: mypy over the package ``duty_lists`` as it installs, the tests and the tools.

The repository keeps the package's three layers in top-level folders (``parsers/``,
``schema/``, ``ingest/``) that pyproject's ``package-dir`` installs as
``duty_lists.parsers`` and so on; the editable install maps them with an import
hook, which mypy does not run.  So this builds the installed layout as links in
``build/typecheck/duty_lists/`` (``duty_lists/*.py`` and the three folders), which
``[tool.mypy]``'s ``files`` and ``mypy_path`` name, runs mypy with the settings in
pyproject.toml (tests/ and tools/ are checked as they are), and prints each path as
the repository's (``parsers/…``, not ``build/typecheck/duty_lists/parsers/…``).
Exit status is mypy's.

    python tools/typecheck.py [MYPY OPTION…]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VIEW = REPO / "build" / "typecheck"
PACKAGE = "duty_lists"
#: package-dir of pyproject.toml: the subpackage folders, by their name under ``duty_lists``.
LAYERS = ("parsers", "schema", "ingest")


def build_view() -> None:
    """``build/typecheck/duty_lists``: links to ``duty_lists/*.py`` and to the layer folders."""
    package = VIEW / PACKAGE
    if package.exists():
        shutil.rmtree(package)
    package.mkdir(parents=True)
    for module in sorted((REPO / PACKAGE).glob("*.py")):
        (package / module.name).symlink_to(module)
    for layer in LAYERS:
        (package / layer).symlink_to(REPO / layer, target_is_directory=True)


def repository_path(line: str) -> str:
    """A mypy output line with the view's paths written as the repository's."""
    view = f"build/typecheck/{PACKAGE}/"
    return re.sub(rf"{re.escape(view)}({'|'.join(LAYERS)})/", r"\1/", line).replace(view, f"{PACKAGE}/")


def main(argv: list[str]) -> int:
    build_view()
    command = [sys.executable, "-m", "mypy", *argv]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**os.environ, "MYPY_FORCE_COLOR": "0"})
    for line in result.stdout.splitlines():
        print(repository_path(line))
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
