"""Where duty-lists keeps what it may reuse across runs (OCR answers, jieba's dictionary shards).

``$DUTY_LISTS_CACHE`` if set, else ``~/.cache/duty-lists``: a folder of the
user's own, never the shared temp folder, where another user could put a file
at a predictable name before we read it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Environment variable naming the cache folder.
CACHE_ENV = "DUTY_LISTS_CACHE"


def cache_root() -> Path:
    """``$DUTY_LISTS_CACHE`` if set, else ``~/.cache/duty-lists``."""
    base = os.environ.get(CACHE_ENV)
    return Path(base) if base else Path.home() / ".cache" / "duty-lists"


def private_folder(name: str) -> Path | None:
    """``cache_root() / name``, created readable by this user only (0700); ``None`` when it
    cannot be created or is not safely ours (another owner, or writable by group or others),
    so a caller builds what it needs in memory instead of reading someone else's file."""
    folder = cache_root() / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return folder
