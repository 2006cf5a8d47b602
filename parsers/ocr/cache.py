"""OCR results cached by the hash of the page image, so a rerun costs nothing.

What is cached is the engine's raw answer for one image (text boxes with
their scores), not cells or records: the grid finder, box assignment and
confusion rules always run, so changing them never serves stale results.
The key covers the exact pixels given to the engine and the engine's
identity and settings; anything that changes what the engine would answer
changes the key.

Layout: ``<dir>/<key[:2]>/<key>.json``, written atomically (a file renamed
into place), so parallel workers and interrupted runs never leave a torn
entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
from duty_lists.parsers.cache_dir import private_folder
from duty_lists.parsers.ocr.text import OcrBox

#: Bumped when the stored format changes; old entries are then ignored.
CACHE_FORMAT = 1


def default_cache_dir() -> Path | None:
    """The ``ocr`` folder of duty-lists' cache (:func:`parsers.cache_dir.cache_root`),
    private to this user; ``None`` (no caching) when it is not safely ours: a
    cached answer read from someone else's file would become a record."""
    return private_folder("ocr")


def image_key(image: np.ndarray, engine_id: str) -> str:
    """sha256 of the image's pixels and shape plus the engine's identity."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}|{engine_id}|{image.dtype}|{image.shape}|".encode())
    digest.update(np.ascontiguousarray(image).tobytes())
    return digest.hexdigest()


class OcrCache:
    """A folder of cached OCR answers; ``None`` as folder disables caching."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[OcrBox] | None:
        if self.folder is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or unreadable: OCR again and overwrite
        if data.get("format") != CACHE_FORMAT:
            return None
        return [OcrBox(text=b["text"], score=b["score"], bbox=tuple(b["bbox"])) for b in data["boxes"]]

    def put(self, key: str, boxes: list[OcrBox]) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"format": CACHE_FORMAT, "boxes": [asdict(box) for box in boxes]}, ensure_ascii=False)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
