"""Reader for legacy binary Office files (.doc, .xls) via LibreOffice.

There is no maintained pure-Python reader for Word 97 tables with merges, so
the file is converted headless to DOCX/XLSX in a private temporary directory
and handed to :mod:`parsers.docx_xml` / :mod:`parsers.xlsx_sheet`.  The
provenance then refers to the converted file's structure, which LibreOffice
keeps (same tables, same sheets); the document notes the conversion.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from duty_lists.parsers.detect import sniff_file
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Note, RawDocument

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions

#: Long enough for a 200-page list on a slow machine; a hung soffice must not
#: hold a batch forever.
CONVERT_TIMEOUT = 180
MISSING = "旧版 Office 格式需要 LibreOffice (legacy .doc/.xls: install LibreOffice so that `soffice` is on PATH)"


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, target: str, workdir: Path, soffice: str) -> Path:
    """Convert ``path`` to ``target`` ("docx"/"xlsx") inside ``workdir``.

    The input is copied under an ASCII name first: soffice mangles some
    non-ASCII paths and names its output after the input's stem.  A private
    user profile lets this run beside a desktop LibreOffice already open.
    """
    source = workdir / ("input" + path.suffix.lower() if path.suffix else "input")
    shutil.copyfile(path, source)
    profile = (workdir / "profile").as_uri()
    command = [
        soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
        "--convert-to", target, "--outdir", str(workdir / "out"), str(source),
    ]
    env = {**os.environ, "HOME": str(workdir)}
    try:
        result = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ParseError(f"LibreOffice 转换超时 (conversion timed out after {CONVERT_TIMEOUT}s)") from exc
    except OSError as exc:
        raise ParseError(f"无法运行 LibreOffice (cannot run {soffice}: {exc})") from exc
    output = workdir / "out" / f"{source.stem}.{target}"
    if result.returncode != 0 or not output.exists():
        detail = (result.stderr or result.stdout).decode("utf-8", errors="replace").strip()[-300:]
        raise ParseError(f"LibreOffice 转换失败 (conversion to {target} failed: {detail or result.returncode})")
    return output


def parse(path: Path, options: ParseOptions | None = None) -> RawDocument:
    soffice = find_soffice()
    if soffice is None:
        raise ParseError(MISSING)
    legacy = sniff_file(path)
    target = "xlsx" if legacy == "xls" else "docx"
    with tempfile.TemporaryDirectory(prefix="duty-lists-soffice-") as tmp:
        converted = convert(path, target, Path(tmp), soffice)
        if target == "xlsx":
            from duty_lists.parsers.xlsx_sheet import parse as parse_converted
        else:
            from duty_lists.parsers.docx_xml import parse as parse_converted
        doc = parse_converted(converted, options)
    doc.path = str(path)
    doc.notes.append(Note("source.converted", f"converted from legacy .{legacy} to {target} by LibreOffice"))
    doc.notes.append(Note("reader.summary", f"LibreOffice: {soffice}"))
    return doc
