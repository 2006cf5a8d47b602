"""Reader for HTML pages: running text as lines, tables as rows, in page order.

Government portals publish lists as pages wrapped in navigation, often in GBK
without declaring it.  Decoding goes BOM → declared charset → UTF-8 →
GB18030 (a superset of GB2312 and GBK) → charset-normalizer, each strictly,
so a page that is not what it claims falls through to the next guess.

Text follows HTML's rendering rules: whitespace runs in the source are one
soft gap (``" "``); ``<br>`` and block boundaries (``<p>``, ``<div>``,
``<li>`` …) are hard breaks (``"\\n"``).  Page chrome (script, style, nav,
header, footer, hidden elements) is dropped.  A table nested in a cell is
flattened into the cell: its rows on lines, its cells separated by a space.
A *layout* table — at most two columns, holding a nested table longer than
itself, as old portals wrap the whole page in one — is read as ordinary
blocks instead, so the list table inside it comes out as a table.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.html_divtable import class_displays, div_table_rows
from duty_lists.parsers.model import Note, Provenance, RawDocument, TableRow, TextLine
from lxml import etree

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: ``<meta charset=…>``, ``<meta http-equiv … content="…; charset=…">`` and
#: ``<?xml … encoding="…"?>``, found in the raw bytes before decoding.
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
#: Labels browsers treat as GBK; GB18030 decodes all of them.
_GB_ALIASES = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn", "hz-gb-2312", "gb18030"}

DROP = {"script", "style", "nav", "header", "footer", "noscript", "template", "head", "select", "iframe", "object"}
BLOCK = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "main", "aside", "blockquote", "pre", "address", "figure", "figcaption", "form", "fieldset", "hr", "center",
    "table", "tr", "caption", "body", "html",
}
_SPACE = re.compile(r"[ \t\r\n\f]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


# --------------------------------------------------------------------------- decoding


def declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:8192])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    return "gb18030" if label in _GB_ALIASES else label


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding used)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    candidates = [declared_charset(data), "utf-8", "gb18030"]
    for candidate in candidates:
        if candidate is None:
            continue
        try:
            return data.decode(candidate), candidate
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    raise ParseError("网页编码无法识别 (HTML is neither UTF-8, GB18030 nor any detectable encoding)")


# --------------------------------------------------------------------------- structure


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _hidden(element: etree._Element) -> bool:
    return (
        _tag(element) in DROP
        or element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def table_rows(table: etree._Element) -> list[etree._Element]:
    """The table's own visible rows (not those of tables nested in its cells)."""
    rows: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot") and not _hidden(child):
            rows.extend(row for row in child if _tag(row) == "tr")
    return [row for row in rows if not _hidden(row)]


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if _tag(cell) in ("td", "th") and not _hidden(cell)]


def is_layout_table(table: etree._Element) -> bool:
    """A page frame rather than data: at most two columns (nav | content) and
    a nested table longer than itself.  A list table has more columns, so a
    small table nested in one of its cells is flattened instead."""
    rows = table_rows(table)
    if any(len(_cells(row)) > 2 for row in rows):
        return False
    return any(len(table_rows(nested)) > len(rows) for nested in table.iter("table") if nested is not table)


def _span(cell: etree._Element, name: str, limit: int) -> int:
    try:
        value = int((cell.get(name) or "1").strip())
    except ValueError:
        return 1
    return min(max(value, 0), limit)


#: Positions (rows × columns) a table's grid may have: far above any real
#: list (a 20 MB page of cells is about 2 million), far below what a few
#: spans could otherwise ask for.
MAX_GRID_POSITIONS = 8_000_000


def grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str | None]]:
    """Lay (text, colspan, rowspan) cells onto a grid; covered positions → ``None``."""
    return grid_with_spans(rows)[0]


def grid_with_spans(rows: list[list[tuple[str, int, int]]]) -> tuple[list[list[str | None]], list[list[bool]]]:
    """:func:`grid`, and per position whether a ``colspan`` from its left covers it.

    ``rowspan=0`` means "to the end of the table", as in HTML, and a rowspan
    never reaches past the table's last row (browsers clamp it so too).  Rows
    shorter than the table are padded with ``""``: the page shows nothing there.
    The grid is laid row by row from the spans still open above, never from
    the spans' declared extent, and one larger than :data:`MAX_GRID_POSITIONS`
    fails the document.
    """
    covered_until: list[int] = []  # per column: the last row a span from above covers
    covered_left: list[bool] = []  # per column: whether that span reached it from its left
    laid: list[list[str | None]] = []
    lefts: list[list[bool]] = []
    positions = 0
    for r, cells in enumerate(rows):
        line: list[str | None] = []
        left: list[bool] = []
        for text, colspan, rowspan in cells:
            while len(line) < len(covered_until) and covered_until[len(line)] >= r:
                left.append(covered_left[len(line)])
                line.append(None)
            col, width = len(line), max(colspan, 1)
            last = r + (rowspan if 0 < rowspan <= len(rows) - r else len(rows) - r) - 1
            line.append(text)
            line.extend([None] * (width - 1))
            left.extend([False] + [True] * (width - 1))
            if len(covered_until) < col + width:
                covered_until.extend([-1] * (col + width - len(covered_until)))
                covered_left.extend([False] * (col + width - len(covered_left)))
            for c in range(col, col + width):
                covered_until[c] = max(covered_until[c], last)
                covered_left[c] = c != col
        for c in range(len(line), len(covered_until)):
            above = covered_until[c] >= r
            line.append(None if above else "")
            left.append(above and covered_left[c])
        positions += len(line)
        if positions > MAX_GRID_POSITIONS:
            raise _too_large(len(rows), len(covered_until))
        laid.append(line)
        lefts.append(left)
    width = len(covered_until)
    if len(rows) * width > MAX_GRID_POSITIONS:
        raise _too_large(len(rows), width)
    for line, left in zip(laid, lefts, strict=True):
        left.extend([False] * (width - len(line)))
        line.extend([""] * (width - len(line)))
    return laid, lefts


def _too_large(rows: int, columns: int) -> ParseError:
    return ParseError(f"网页表格过大 (HTML table too large: {rows} rows × {columns} columns > "
                      f"{MAX_GRID_POSITIONS} cells)")


# --------------------------------------------------------------------------- text


def _flatten(parts: list[str]) -> str:
    """Join text pieces; tidy the spaces that block boundaries leave around breaks."""
    text = "".join(parts)
    # Adjacent collapsible gaps (a tail's space next to a cell separator) are one gap, as a browser shows them.
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r" *\n[ \n]*", "\n", text)
    return text.strip(" \n")


def cell_text(element: etree._Element) -> str:
    parts: list[str] = []
    _collect(element, parts, pre=False)
    return _flatten(parts)


def _collect(element: etree._Element, parts: list[str], pre: bool) -> None:
    tag = _tag(element)
    pre = pre or tag in ("pre", "textarea")
    if element.text:
        parts.append(element.text if pre else _SPACE.sub(" ", element.text))
    for child in element:
        child_tag = _tag(child)
        if child_tag and not _hidden(child):
            if child_tag == "br":
                parts.append("\n")
            elif child_tag in ("td", "th"):
                parts.append(" ")
                _collect(child, parts, pre)
                parts.append(" ")
            elif child_tag in BLOCK:
                parts.append("\n")
                _collect(child, parts, pre)
                parts.append("\n")
            else:
                _collect(child, parts, pre)
        if child.tail:
            parts.append(child.tail if pre else _SPACE.sub(" ", child.tail))


@dataclass(slots=True)
class _Page:
    blocks: list[TextLine | TableRow] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    lines: int = 0
    tables: int = 0
    #: Class → CSS display from the page's ``<style>`` (for tables built of ``<div>``s).
    classes: dict[str, str] = field(default_factory=dict)

    def flush(self) -> None:
        for line in _flatten(self.buffer).split("\n"):
            if line.strip():
                self.lines += 1
                self.blocks.append(TextLine(text=line, prov=Provenance(page=0, row=self.lines)))
        self.buffer.clear()

    def walk(self, element: etree._Element) -> None:
        if element.text:
            self.buffer.append(_SPACE.sub(" ", element.text))
        for child in element:
            tag = _tag(child)
            if tag and not _hidden(child):
                if tag == "table" and not is_layout_table(child):
                    self.flush()
                    self.table(child)
                elif (div_rows := div_table_rows(child, self.classes)) is not None:
                    self.flush()
                    self.rows([[(cell_text(cell), 1, 1) for cell in row] for row in div_rows])
                elif tag == "br":
                    self.buffer.append("\n")
                elif tag == "pre":
                    self.buffer.append("\n" + cell_text(child) + "\n")
                elif tag in BLOCK or tag in ("td", "th"):
                    self.flush()
                    self.walk(child)
                    self.flush()
                else:
                    self.walk(child)
            if child.tail:
                self.buffer.append(_SPACE.sub(" ", child.tail))

    def table(self, table: etree._Element) -> None:
        captions = [child for child in table if _tag(child) == "caption"]
        for caption in captions:
            self.buffer.append(cell_text(caption))
            self.flush()
        self.rows([
            [(cell_text(cell), _span(cell, "colspan", 1000), _span(cell, "rowspan", 65534)) for cell in _cells(row)]
            for row in table_rows(table)
        ])

    def rows(self, spans: list[list[tuple[str, int, int]]]) -> None:
        """One table's rows of (text, colspan, rowspan) cells, laid on its grid, as blocks."""
        laid, left = grid_with_spans(spans)
        index = self.tables
        self.tables += 1
        for number, (cells, merged_left) in enumerate(zip(laid, left, strict=True), start=1):
            self.blocks.append(
                TableRow(cells=cells, prov=Provenance(page=0, row=number, table=index), merged_left=merged_left)
            )


def parse_html(text: str, path: str = "<html>") -> RawDocument:
    try:
        root = lxml.html.document_fromstring(
            text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        )
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"网页无法解析 (cannot parse HTML: {exc})") from exc
    page = _Page(classes=class_displays(root))
    page.walk(root)
    page.flush()
    if not page.blocks:
        raise ParseError("网页中未找到履职事项清单表格 (no duty-list table or text found in the HTML page)")
    return RawDocument(path=path, format="html", pages=0, blocks=page.blocks)


def parse(path: Path, options: ParseOptions | None = None) -> RawDocument:
    text, encoding = decode(path.read_bytes())
    doc = parse_html(text, str(path))
    doc.notes.append(Note("reader.encoding", f"encoding: {encoding}"))
    return doc
