"""The install: one top-level package of our own, and every subpackage in it."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYERS = {"parsers", "schema", "ingest"}
tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")


def test_pyproject_lists_every_subpackage() -> None:
    # setuptools installs only the packages listed; a folder left out works in
    # the checkout (editable) and is missing from a wheel.
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {"duty_lists"} | {
        "duty_lists." + ".".join(init.parent.relative_to(REPO).parts)
        for layer in LAYERS
        for init in (REPO / layer).rglob("__init__.py")
    }
    assert set(config["packages"]) == folders
    assert config["package-dir"] == {"duty_lists": "duty_lists"} | {f"duty_lists.{layer}": layer for layer in LAYERS}


def test_installed_top_level_is_only_duty_lists() -> None:
    # `schema` and `parsers` are PyPI projects; installing duty-lists must not shadow them.
    top_level = importlib.metadata.distribution("duty-lists").read_text("top_level.txt") or ""
    assert top_level.split() == ["duty_lists"]


def test_layers_import_under_the_package_name_only(tmp_path: Path) -> None:
    # Run outside the checkout, so the repository's folders are not on sys.path.
    code = (
        "import importlib.util, duty_lists.ingest.pipeline, duty_lists.parsers.pdf.plumber;"
        "print([importlib.util.find_spec(n) is None for n in ('parsers', 'schema', 'ingest')])"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[True, True, True]"


def test_python_dash_m_is_the_command(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "duty_lists", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "duty-lists" in proc.stdout
