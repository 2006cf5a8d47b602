"""Guards for the ZIP containers DOCX and XLSX come in, and for their XML parts.

An Office file is a ZIP of XML parts, so a hostile (or broken) upload can be a
zip bomb — a few hundred kilobytes that inflate to gigabytes — or an XML part
with entity declarations (billion laughs, external entities).  Both are
rejected here *before* any part is inflated or parsed, from the central
directory and the parts' prologs, so a bad file costs milliseconds.

``zipfile`` never returns more bytes than a member's declared size, but it
inflates a member's whole stream before cutting it there; so the declared sizes
are checked, and every stream is inflated once, in bounded chunks, and must end
at its declared size (:func:`check_streams`).  Then what any reader of the
archive — ours, openpyxl's — inflates is bounded by the declared sizes.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from duty_lists.parsers.errors import ParseError

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """How big an Office container may get; far above any real duty list.

    A county's whole list set is a few MB of XML; the limits leave two orders
    of magnitude of room and still stop a bomb long before memory runs out.
    """

    max_total: int = 300 * MB
    max_member: int = 100 * MB
    max_members: int = 10_000
    #: Compression ratio beyond which a *large* member is taken for a bomb.
    #: Small parts (styles, repetitive sheet XML) may compress far better than
    #: this without harm, hence the floor below.
    max_ratio: float = 100.0
    ratio_floor: int = 10 * MB


DEFAULT_LIMITS = ZipLimits()

#: A DTD may only appear in the prolog, so its start is enough to read.
PROLOG_BYTES = 4096
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _bomb(detail: str) -> ParseError:
    return ParseError(f"DOCX/XLSX 文件异常 (zip bomb / too large: {detail})")


def check_archive(archive: zipfile.ZipFile, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Raise :class:`ParseError` if the central directory announces a bomb."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise _bomb(f"{len(infos)} members > {limits.max_members}")
    total = 0
    for info in infos:
        if info.file_size > limits.max_member:
            raise _bomb(f"{info.filename} inflates to {info.file_size} bytes > {limits.max_member}")
        if info.file_size > limits.ratio_floor:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise _bomb(f"{info.filename} compression ratio {ratio:.0f} > {limits.max_ratio:.0f}")
        total += info.file_size
        if total > limits.max_total:
            raise _bomb(f"total uncompressed size > {limits.max_total} bytes")


def _prolog_text(head: bytes) -> bytes:
    """The prolog as ASCII-compatible bytes, whatever the part's encoding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    return head


def check_xml_prologs(archive: zipfile.ZipFile) -> None:
    """Reject any XML part that declares a DTD or entities.

    OOXML never needs a DTD, so one is either an attack or a forgery.  Only
    each part's first bytes are inflated.
    """
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as handle:
            head = _prolog_text(handle.read(PROLOG_BYTES))
        if _DTD.search(head):
            raise ParseError(f"XML 含有 DTD/实体声明 (XML part {info.filename} declares a DTD or entities)")


#: Compressed bytes fed to the inflater at a time, and its output bound per call.
CHUNK = 1 << 16


def check_streams(path: Path, archive: zipfile.ZipFile) -> None:
    """Inflate every deflated member in a stream and refuse one that yields more than it declares.

    ``zipfile`` inflates a member's whole stream in one call before cutting it
    to the declared size, so a stream carrying 1 GiB behind a small declared
    part costs 1 GiB in any reader (ours, openpyxl's).  Here the output is
    bounded per call, and the stream must end where its declared size does.
    """
    with path.open("rb") as raw:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_DEFLATED:
                continue
            raw.seek(info.header_offset + 26)
            name_len, extra_len = struct.unpack("<HH", raw.read(4))
            raw.seek(info.header_offset + 30 + name_len + extra_len)
            _inflate_within(raw, info)


def _inflate_within(raw: BinaryIO, info: zipfile.ZipInfo) -> None:
    inflater = zlib.decompressobj(-15)
    produced, left = 0, info.compress_size
    while left > 0 and not inflater.eof:
        data = raw.read(min(CHUNK, left))
        if not data:
            raise ParseError(f"损坏的 ZIP/Office 文件 (corrupt zip container: {info.filename} is cut short)")
        left -= len(data)
        while data and not inflater.eof:
            try:
                produced += len(inflater.decompress(data, CHUNK))
            except zlib.error as exc:
                raise ParseError(f"损坏的 ZIP/Office 文件 (corrupt zip container: {info.filename}: {exc})") from exc
            if produced > info.file_size:
                raise _bomb(f"{info.filename} inflates past its declared {info.file_size} bytes")
            data = inflater.unconsumed_tail


def open_office_zip(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open ``path`` as a ZIP after every size and DTD check passed."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ParseError(f"损坏的 ZIP/Office 文件 (corrupt zip container: {exc})") from exc
    try:
        check_archive(archive, limits)
        check_streams(path, archive)
        check_xml_prologs(archive)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        archive.close()
        raise ParseError(f"损坏的 ZIP/Office 文件 (corrupt zip container: {exc})") from exc
    except ParseError:
        archive.close()
        raise
    return archive


def read_xml(archive: zipfile.ZipFile, name: str) -> Element | None:
    """Parse one part with defusedxml (DTDs forbidden); ``None`` if absent."""
    try:
        data = archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ParseError(f"损坏的 ZIP/Office 文件 ({name}: {exc})") from exc
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ParseError(f"XML 含有 DTD/实体声明 (XML part {name} declares a DTD or entities)") from exc
    except SafeET.ParseError as exc:
        raise ParseError(f"XML 无法解析 (malformed XML in {name}: {exc})") from exc
