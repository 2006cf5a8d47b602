"""Names a run shows and writes: input paths as one printable line, output folders that are safe.

An input's file name is whatever the town (or a Windows zip) made it: GBK
bytes that are not UTF-8, a newline, ``..txt``, 255 bytes, or the name of a
file the run itself keeps in ``--out`` (``manifest.json.txt``).  None of that
may reach a manifest as an unencodable string, forge a ``duty-lists:`` line on
stderr, or make a document's folder replace ``--out`` or another document's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

#: Files a run keeps in ``--out`` itself: no document folder may take their names.
RUN_FILES = frozenset({"manifest.json", "manifest.journal", "all_items.csv"})
#: Bytes of a folder name: NAME_MAX is 255, and staging adds ``.`` + ``.XXXXXXXX.tmp``.
MAX_STEM_BYTES = 200
#: Control characters and the separators of either platform.
_UNSAFE_IN_STEM = re.compile(r"[\x00-\x1f\x7f/\\\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_path(path: Path | str) -> str:
    """``path`` as one printable line that encodes as UTF-8: the manifest key and the name in messages.

    Bytes that are not UTF-8 (kept by Python as surrogates) become ``\\xNN``,
    control characters (a newline) their escapes, so no file name can end a
    line or start a forged one.
    """
    text = path.as_posix() if isinstance(path, Path) else path
    if _CONTROL.search(text) or any("\ud800" <= ch <= "\udfff" for ch in text):
        raw = os.fsencode(text)
        text = raw.decode("utf-8", "backslashreplace")
        text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return text


def safe_stem(path: Path) -> str:
    """A folder name for ``path``'s outputs that can only ever be a plain child of ``--out``."""
    stem = _UNSAFE_IN_STEM.sub("_", path.stem).strip(". ")  # `.`, `..`, hidden, Windows' trailing dots
    if not stem:
        stem = "document"
    if stem.lower() in RUN_FILES:
        stem = f"{stem}{path.suffix.replace('.', '_')}" if path.suffix else f"{stem}_document"
    return _truncated(stem, MAX_STEM_BYTES)


def _truncated(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore").rstrip(". ")


def assign_stems(paths: list[Path], previous: Mapping[str, str] | None = None) -> dict[Path, str]:
    """Output folder names, unique within ``--out`` across runs.

    ``previous`` maps the inputs of earlier runs on the same ``--out`` (their
    :func:`display_path`) to their folders: such an input keeps its folder, and
    no other input may take one, so a later run never overwrites an earlier
    run's document.  Two new inputs with one stem are told apart by extension,
    then by a number.
    """
    previous = dict(previous or {})
    keys = {path: display_path(path) for path in paths}
    shown = set(keys.values())
    taken = {stem for key, stem in previous.items() if key not in shown}
    stems: dict[Path, str] = {}
    for path in paths:
        stem = previous.get(keys[path])
        if stem is not None and stem == safe_stem(Path(stem + ".x")) and stem not in taken:
            stems[path] = stem
            taken.add(stem)
    counts: dict[str, int] = {}
    for path in paths:
        if path not in stems:
            counts[safe_stem(path)] = counts.get(safe_stem(path), 0) + 1
    for path in paths:
        if path in stems:
            continue
        stem = safe_stem(path)
        if counts[stem] > 1 or stem in taken:
            stem = _truncated(f"{stem}{path.suffix.replace('.', '_')}", MAX_STEM_BYTES)
        stems[path] = _unused(stem, taken)
        taken.add(stems[path])
    return stems


def _unused(stem: str, taken: set[str]) -> str:
    candidate, n = stem, 2
    while candidate in taken:
        suffix = f"_{n}"
        candidate, n = _truncated(stem, MAX_STEM_BYTES - len(suffix)) + suffix, n + 1
    return candidate


def inside(path: Path, folders: Iterable[Path]) -> bool:
    """Whether ``path`` is one of ``folders`` or below one (both resolved)."""
    resolved = path.resolve()
    return any(resolved == folder or folder in resolved.parents for folder in folders)
