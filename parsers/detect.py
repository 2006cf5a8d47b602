"""Tell an input's format from its bytes, never from its extension.

Towns attach files with wrong or missing extensions (a DOCX saved as .doc, an
HTML page saved as .xls by a portal), so the first bytes decide.
"""

from __future__ import annotations

import codecs
import stat
import zipfile
from pathlib import Path

from duty_lists.parsers.errors import ParseError

#: How many bytes are enough to recognise every format we read.
SNIFF_BYTES = 8192

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)


def sniff(head: bytes, path: Path | None = None) -> str:
    """Return the format name for a file whose first bytes are ``head``.

    Names: ``pdf``, ``docx``, ``xlsx``, ``html``, ``text``, ``doc``, ``xls``
    (legacy OLE; told apart by the extension only because the container is the
    same), ``png``/``jpeg``/``tiff``.  Raises :class:`ParseError` when nothing
    fits.
    """
    if not head:
        raise ParseError("文件为空 (empty file)")
    head = _utf16_as_utf8(head)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        suffix = path.suffix.lower() if path else ""
        return "xls" if suffix in {".xls", ".et"} else "doc"
    for magic, name in IMAGE_MAGICS:
        if head.startswith(magic):
            return name
    lowered = stripped[:2048].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in lowered or b"<html" in lowered:
        return "html"
    if _looks_like_text(head):
        return "text"
    raise ParseError("无法识别的文件格式 (not a PDF, DOCX, XLSX, HTML or text file)")


def _sniff_zip(path: Path | None) -> str:
    if path is None:
        raise ParseError("ZIP container without a path to inspect")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ParseError(f"损坏的 ZIP/Office 文件 (corrupt zip container: {exc})") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise ParseError("ZIP 文件不是 DOCX 或 XLSX (zip archive is neither DOCX nor XLSX)")


def _utf16_as_utf8(head: bytes) -> bytes:
    """A head that starts with a UTF-16 byte-order mark (Windows Notepad's
    "Unicode"), as UTF-8 for the text and HTML tests; other heads as they are."""
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head
    return head[: len(head) // 2 * 2].decode("utf-16", errors="ignore").encode("utf-8")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # A multi-byte character cut by the sniff window is still text.
            if exc.start >= len(head) - 4:
                return True
    return False


def check_regular(path: Path) -> None:
    """Refuse what is not a plain file before opening it: a FIFO would block
    the open forever, ``/dev/zero`` would never end."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        kind = "FIFO" if stat.S_ISFIFO(mode) else "folder" if stat.S_ISDIR(mode) else "device or socket"
        raise ParseError(f"不是普通文件 (not a regular file: a {kind})")


def sniff_file(path: Path) -> str:
    check_regular(path)
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    return sniff(head, path)
