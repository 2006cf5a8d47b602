"""Category vocabulary: shipped list plus an optional user file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from duty_lists.schema.text.distance import edit_distance


def _read_lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")}


def load_categories(user_file: Path | None = None) -> frozenset[str]:
    shipped = resources.files("duty_lists.schema").joinpath("data/categories.txt").read_text(encoding="utf-8")
    words = _read_lines(shipped)
    if user_file is not None:
        words |= _read_lines(Path(user_file).read_text(encoding="utf-8"))
    return frozenset(words)


def load_names(path: Path | None) -> frozenset[str]:
    """A plain list of names (one per line, # comments), e.g. a department registry."""
    if path is None:
        return frozenset()
    return frozenset(_read_lines(Path(path).read_text(encoding="utf-8")))


def closest(word: str, vocabulary: frozenset[str]) -> tuple[str, int] | None:
    if not vocabulary:
        return None
    best = min(sorted(vocabulary), key=lambda known: edit_distance(word, known))
    return best, edit_distance(word, best)
