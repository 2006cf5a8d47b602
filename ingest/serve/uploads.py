"""What arrives from a browser: bounded in size, stored under names of our own.

A browser sends a file name chosen by whoever uploads (``../../etc/passwd``,
``CON``, a name with a newline); it is shown on the page (escaped) and never
used as a path.  Each file is stored as ``NN<suffix>`` in the upload's own
folder, the suffix taken from a short whitelist.  A zip of a folder's worth of
lists is opened with the same guards as an Office file (member count, sizes
declared and real, no path from the archive).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from starlette.exceptions import HTTPException

#: Suffixes a stored file may keep (parsers sniff the bytes; the suffix only helps a human reading the folder).
SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".doc", ".xls", ".html", ".htm", ".txt", ".png", ".jpg", ".jpeg",
                      ".tif", ".tiff", ".json", ".csv", ".zip"})
#: Characters shown of a browser's file name.
NAME_LIMIT = 120

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: refuse a request whose body exceeds ``limit`` bytes,
    counting what actually arrives (a Content-Length can lie or be absent).

    A declared length over the limit is refused before reading; a body that
    grows past it raises Starlette's ``HTTPException(413)`` from inside the
    request's reads, which the application turns into its 413 page."""

    def __init__(self, app: ASGIApp, limit: int, on_too_large: Callable[[], ASGIApp]) -> None:
        self.app, self.limit, self.on_too_large = app, limit, on_too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.on_too_large()(scope, receive, send)
            return
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413)
            return message

        await self.app(scope, counting, send)


def display_name(raw: str | None) -> str:
    """The browser's file name for showing: its last component, control characters dropped, cut short."""
    text = raw or ""
    name = PureWindowsPath(PurePosixPath(text).name).name  # a Windows browser may send C:\\...\\x.pdf
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:NAME_LIMIT] or "未命名文件"


def stored_name(index: int, raw: str | None) -> str:
    """The name a file is stored under: a number and, if whitelisted, its suffix."""
    suffix = PurePosixPath(display_name(raw)).suffix.lower()
    return f"{index:03d}{suffix if suffix in SUFFIXES else ''}"


@dataclass(frozen=True)
class Stored:
    path: Path
    name: str  # what the user called it


class BadZip(Exception):
    """A zip upload that cannot be opened safely; the message is for the page."""


#: A zip member larger than this is refused unread (the upload limit bounds the zip, not what it inflates to).
MEMBER_LIMIT = 50 * 1024 * 1024


def unpack_zip(archive: Path, folder: Path, first_index: int, max_files: int) -> list[Stored]:
    """The list documents inside a zip, stored like uploads; folders and
    duty-lists' own outputs skipped.  Sizes are checked while inflating."""
    out: list[Stored] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                name = _member_name(info)
                if PurePosixPath(name).suffix.lower() in {".json", ".csv", ".md", ".zip"} or name.startswith("."):
                    continue
                if len(out) >= max_files:
                    raise BadZip(f"压缩包内文件超过 {max_files} 个")
                if info.file_size > MEMBER_LIMIT:
                    raise BadZip(f"压缩包内文件过大：{name}")
                target = folder / stored_name(first_index + len(out), name)
                with zf.open(info) as src, target.open("wb") as dst:
                    copied = 0
                    while chunk := src.read(1 << 20):
                        copied += len(chunk)
                        if copied > MEMBER_LIMIT:
                            raise BadZip(f"压缩包内文件过大：{name}")
                        dst.write(chunk)
                out.append(Stored(target, name))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise BadZip(f"无法打开压缩包（{type(exc).__name__}）") from exc
    return out


def _member_name(info: zipfile.ZipInfo) -> str:
    # Windows zip tools write GBK names without the UTF-8 flag; zipfile then decodes them as cp437.
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return display_name(name)
