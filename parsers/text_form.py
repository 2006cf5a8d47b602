"""Reader for the published text form: titles and tab-separated table rows.

This is the rendering the seed comes in (a PDF flattened to text by a portal):
running text lines (titles, 目录 lines), and table rows whose cells are
separated by tabs, the header line repeated once per original page.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TYPE_CHECKING

from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Provenance, RawDocument, TableRow, TextLine

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes) -> str:
    """Decode as UTF-16 after its byte-order mark, else as UTF-8 (BOM or
    not), else GB18030, which covers GBK/GB2312."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError("文本编码无法识别 (text is neither UTF-8 nor GB18030)")


def parse_text(text: str, path: str = "<text>") -> RawDocument:
    """Split ``text`` into text lines and table rows.

    A header line starts a new table (``Provenance.table`` counts them), so a
    row keeps the number of the original page section it was printed in.
    """
    doc = RawDocument(path=path, format="text", pages=0)
    table = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" in line:
            cells = line.split("\t")
            if cells and cells[0].strip() in {"序号", "编号"}:
                table += 1
            doc.blocks.append(TableRow(cells=list(cells), prov=Provenance(page=0, row=number, table=table)))
        elif line.strip():
            doc.blocks.append(TextLine(text=line, prov=Provenance(page=0, row=number)))
    return doc


def parse(path: Path, options: ParseOptions | None = None) -> RawDocument:
    return parse_text(decode(path.read_bytes()), str(path))
