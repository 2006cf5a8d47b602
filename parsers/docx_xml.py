"""Reader for DOCX: the body's paragraphs and tables, straight from the XML.

python-docx is not used because it hides what this reader needs: the order of
paragraphs and tables in the body, content controls (``w:sdt``) around rows,
the raw ``w:vMerge``/``w:gridSpan`` markers, and numbering.  The parts are
parsed with defusedxml after :mod:`parsers.safe_zip` has vetted the archive.

Cell model: ``gridSpan`` → the positions it covers are ``None`` (and marked
``merged_left``); ``vMerge``
continue (and legacy ``hMerge`` continue) → ``None``; grid columns a row
skips (``gridBefore``/``gridAfter``, or rows shorter than the grid) are ``""``
because no cell exists there to fill from.  Paragraphs inside a cell are
joined with ``"\\n"``; empty paragraphs add nothing.

Nesting (:mod:`parsers.docx_layout` answers the questions about the XML): a
layout table, which only wraps other content, is no table: its cells are read
as the body, their tables as tables of their own.  A table nested in a list
table's cell is flattened into the cell's text (its rows on separate lines, its
cells separated by a space) and noted (``source.table_in_cell``).  A text box
is read after the paragraph that anchors it (inside a cell: as more lines of
the cell), one copy of alternate content only.  Embedded objects and imported
chunks are noted (``source.object_not_read``), not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from duty_lists.parsers.docx_layout import MC, TXBX, W, children, chosen_branch, flow, is_layout_table
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Note, Provenance, RawDocument, TableRow, TextLine
from duty_lists.parsers.safe_zip import open_office_zip, read_xml

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions

#: Subtrees that never show on the page: deleted text, field codes, properties.
_SKIP = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "pPr", W + "rPr"}


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str
    text: str
    start: int


@dataclass(slots=True)
class Numbering:
    """Computes the numbers Word draws in front of numbered paragraphs.

    Only decimal levels are rendered (``1.``, ``1.2.``): that is what step
    lists use, and the arithmetic is exact.  Bullets render as nothing; other
    formats (一、, ①, a) …) are left out rather than guessed, and counted in
    :attr:`unrendered` so the document says so.  Counters belong to a list
    instance (``w:numId``), which is how a cell's steps restart at 1.
    """

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    style_numpr: dict[str, tuple[str, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    unrendered: int = 0

    @classmethod
    def from_parts(cls, numbering: Element | None, styles: Element | None) -> Numbering:
        out = cls()
        if numbering is not None:
            abstract: dict[str, dict[int, _Level]] = {}
            for node in numbering.findall(W + "abstractNum"):
                abstract[node.get(W + "abstractNumId", "")] = {
                    _int_attr(lvl, "ilvl", 0): _Level(
                        fmt=_val(lvl.find(W + "numFmt"), "decimal"),
                        text=_val(lvl.find(W + "lvlText"), ""),
                        start=_int_val(lvl.find(W + "start"), default=1),
                    )
                    for lvl in node.findall(W + "lvl")
                }
            for num in numbering.findall(W + "num"):
                levels = dict(abstract.get(_val(num.find(W + "abstractNumId"), ""), {}))
                for override in num.findall(W + "lvlOverride"):
                    ilvl = _int_attr(override, "ilvl", 0)
                    start = override.find(W + "startOverride")
                    if ilvl in levels and start is not None:
                        level = levels[ilvl]
                        levels[ilvl] = _Level(level.fmt, level.text, _int_val(start, default=level.start))
                out.levels[num.get(W + "numId", "")] = levels
        if styles is not None:
            out.style_numpr = _style_numbering(styles)
        return out

    def label(self, props: Element | None) -> str:
        if props is None:
            return ""
        num_pr = props.find(W + "numPr")
        if num_pr is not None and num_pr.find(W + "numId") is not None:
            num_id = _val(num_pr.find(W + "numId"), "0")
            ilvl = _int_val(num_pr.find(W + "ilvl"), default=0)
        else:
            style = _val(props.find(W + "pStyle"), "")
            num_id, ilvl = self.style_numpr.get(style, ("0", 0))
        levels = self.levels.get(num_id)
        if num_id == "0" or not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else levels[ilvl].start
        for deeper in [level for level in counts if level > ilvl]:
            del counts[deeper]
        return self._render(levels, counts, ilvl)

    def _render(self, levels: dict[int, _Level], counts: dict[int, int], ilvl: int) -> str:
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""
        text = level.text
        for ref in range(ilvl, -1, -1):
            placeholder = f"%{ref + 1}"
            if placeholder not in text:
                continue
            ref_level = levels.get(ref)
            if ref_level is None or ref_level.fmt not in ("decimal", "decimalZero"):
                self.unrendered += 1
                return ""
            number = counts.get(ref, ref_level.start)
            text = text.replace(placeholder, f"{number:02d}" if ref_level.fmt == "decimalZero" else str(number))
        # No separator after the number: Word's tab would read as a gap
        # between the marker and its step once tabs become spaces.
        return text


def _style_numbering(styles: Element) -> dict[str, tuple[str, int]]:
    """Style id -> (numId, ilvl), following ``basedOn`` (List Number styles)."""
    direct: dict[str, tuple[str, int] | None] = {}
    based_on: dict[str, str] = {}
    for style in styles.findall(W + "style"):
        style_id = style.get(W + "styleId", "")
        num_pr = style.find(f"{W}pPr/{W}numPr")
        direct[style_id] = None
        if num_pr is not None and num_pr.find(W + "numId") is not None:
            direct[style_id] = (_val(num_pr.find(W + "numId"), "0"), _int_val(num_pr.find(W + "ilvl"), default=0))
        parent = style.find(W + "basedOn")
        if parent is not None:
            based_on[style_id] = _val(parent, "")
    resolved: dict[str, tuple[str, int]] = {}
    for style_id in direct:
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in seen:
            seen.add(current)
            numbering = direct.get(current)
            if numbering is not None:
                resolved[style_id] = numbering
                break
            current = based_on.get(current)
    return resolved


def _val(element: Element | None, default: str) -> str:
    return element.get(W + "val", default) if element is not None else default


def _int_attr(element: Element, name: str, default: int) -> int:
    try:
        return int(element.get(W + name, default))
    except ValueError:
        return default


#: Cells (rows × columns) one table may have: far above any real list, far
#: below what a table of huge spans would otherwise ask for.
MAX_TABLE_CELLS = 4_000_000


#: Tables and text boxes inside one another: far above any real list (a
#: layout table around a list in a text box is three), and a bound on the
#: reader's recursion whatever the file nests.
MAX_NESTING = 32


@dataclass(slots=True)
class _Reader:
    numbering: Numbering
    blocks: list[TextLine | TableRow] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0
    depth: int = 0
    #: Where a table stood inside a list table's cell and was read as that cell's text:
    #: (1-based table, 1-based row), in reading order.
    flattened: list[tuple[int, int]] = field(default_factory=list)
    #: Content the reader cannot read where it stands: embedded objects (``w:object``, an
    #: Excel sheet pasted as an object shows only its picture) and imported chunks
    #: (``w:altChunk``, another document's part); each as where it stood.
    unread: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ flow

    def body(self, element: Element) -> None:
        """Paragraphs and tables in reading order: of the body, a text box, a layout table's cell."""
        for child in flow(element):
            if child.tag == W + "p":
                self.body_paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag == W + "altChunk":
                self.unread.append(f"第 {self.paragraphs} 段后的导入内容 (w:altChunk)")

    def body_paragraph(self, p: Element) -> None:
        """A line of text; the text boxes it anchors follow it, as content of their own."""
        self.paragraphs += 1
        boxes: list[Element] = []
        text = self.paragraph(p, boxes)
        if text.strip():
            self.blocks.append(TextLine(text=text, prov=Provenance(page=0, row=self.paragraphs)))
        for box in boxes:
            with self.nested():
                self.body(box)

    @contextmanager
    def nested(self) -> Iterator[None]:
        if self.depth >= MAX_NESTING:
            raise ParseError(f"文件结构嵌套过深 (the document is nested too deeply to read: "
                             f"tables and text boxes more than {MAX_NESTING} deep)")
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def table(self, tbl: Element) -> None:
        with self.nested():
            if is_layout_table(tbl):
                # a frame around other content: its cells are read as if they stood in the body
                for tr in children(tbl, W + "tr"):
                    for tc in children(tr, W + "tc"):
                        self.body(tc)
            else:
                self.list_table(tbl)

    def list_table(self, tbl: Element) -> None:
        width = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
        trs = children(tbl, W + "tr")
        # a span never reaches past the table's real width: its grid, or its widest row of cells
        limit = max([width, 1, *(len(children(tr, W + "tc")) for tr in trs)])
        index = self.tables
        self.tables += 1
        rows = [self.row(tr, limit, (index + 1, number)) for number, tr in enumerate(trs, start=1)]
        width = max([width, *(len(cells) for cells, _ in rows)]) if rows else width
        if len(rows) * width > MAX_TABLE_CELLS:
            raise ParseError(f"DOCX 表格过大 (table too large: {len(rows)} rows × {width} columns > {MAX_TABLE_CELLS} cells)")
        for number, (cells, left) in enumerate(rows, start=1):
            left.extend([False] * (width - len(cells)))
            cells.extend([""] * (width - len(cells)))
            self.blocks.append(TableRow(cells=cells, prov=Provenance(page=0, row=number, table=index), merged_left=left))

    def row(self, tr: Element, limit: int, where: tuple[int, int]) -> tuple[list[str | None], list[bool]]:
        """The row's cells on the grid, and per position whether a merge from its left covers it.
        No span or skip counts for more than ``limit`` (the table's real width)."""
        cells: list[str | None] = [""] * min(_grid_skip(tr, "gridBefore"), limit)
        left = [False] * len(cells)
        for tc in children(tr, W + "tc"):
            props = tc.find(W + "tcPr")
            span = max(min(_int_val(props.find(W + "gridSpan") if props is not None else None, default=1), limit), 1)
            # A legacy hMerge continuation is covered from its left; a vMerge
            # one from above, except the columns its own gridSpan adds.
            left.extend([_continues(props, "hMerge")] + [True] * (span - 1))
            if _continues(props, "vMerge") or _continues(props, "hMerge"):
                cells.extend([None] * span)
                continue
            cells.append(self.cell(tc, where))
            cells.extend([None] * (span - 1))
        after = min(_grid_skip(tr, "gridAfter"), limit)
        cells.extend([""] * after)
        left.extend([False] * after)
        return cells, left

    # ------------------------------------------------------------------ text

    def cell(self, container: Element, where: tuple[int, int]) -> str:
        """A list table's cell, or a text box inside one, as text.  A table there cannot stand
        as a table of its own: its rows become lines of the cell, and the document says so."""
        lines: list[str] = []
        for child in flow(container):
            if child.tag == W + "p":
                lines.append(self.paragraph(child, None, where))
            elif child.tag == W + "tbl":
                if where not in self.flattened:
                    self.flattened.append(where)
                with self.nested():
                    lines.append(self.nested_table(child, where))
        return "\n".join(line for line in lines if line.strip())

    def nested_table(self, tbl: Element, where: tuple[int, int]) -> str:
        rows = []
        for tr in children(tbl, W + "tr"):
            texts = [self.cell(tc, where) for tc in children(tr, W + "tc")]
            rows.append(" ".join(text for text in texts if text))
        return "\n".join(row for row in rows if row)

    def paragraph(self, p: Element, boxes: list[Element] | None, where: tuple[int, int] = (0, 0)) -> str:
        """The paragraph's text.  The text boxes it anchors go to ``boxes`` when given (the body
        reads them after it); else (inside a cell) their text follows the paragraph's as lines."""
        parts: list[str] = []
        props = p.find(W + "pPr")
        label = self.numbering.label(props)
        if label:
            parts.append(label)
        self._runs(p, parts, boxes, where)
        return "".join(parts)

    def _runs(self, element: Element, parts: list[str], boxes: list[Element] | None, where: tuple[int, int]) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "tab":
                parts.append("\t")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == TXBX:
                if boxes is not None:
                    boxes.append(child)
                else:
                    with self.nested():
                        parts.append("\n" + self.cell(child, where))
            elif tag == W + "object":
                self.unread.append(f"表 {where[0]} 第 {where[1]} 行的嵌入对象 (w:object)" if where[0]
                                   else f"第 {self.paragraphs} 段的嵌入对象 (w:object)")
            elif tag == MC + "AlternateContent":
                # a text box written twice, as DrawingML and as its VML fallback: one copy is read
                branch = chosen_branch(child)
                if branch is not None:
                    self._runs(branch, parts, boxes, where)
            else:
                self._runs(child, parts, boxes, where)


def _int_val(element: Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(W + "val", default))
    except ValueError:
        return default


def _grid_skip(tr: Element, name: str) -> int:
    return max(_int_val(tr.find(f"{W}trPr/{W}{name}"), default=0), 0)


def _continues(props: Element | None, name: str) -> bool:
    """``<w:vMerge/>`` (no val) and ``val="continue"`` continue a merge; ``restart`` starts one."""
    if props is None:
        return False
    marker = props.find(W + name)
    return marker is not None and marker.get(W + "val", "continue") == "continue"


def parse(path: Path, options: ParseOptions | None = None) -> RawDocument:
    with open_office_zip(path) as archive:
        document = read_xml(archive, "word/document.xml")
        numbering = Numbering.from_parts(read_xml(archive, "word/numbering.xml"), read_xml(archive, "word/styles.xml"))
    if document is None:
        raise ParseError("DOCX 缺少 word/document.xml (not a Word document)")
    body = document.find(W + "body")
    if body is None:
        raise ParseError("DOCX 没有正文 (word/document.xml has no body)")
    reader = _Reader(numbering=numbering)
    reader.body(body)
    doc = RawDocument(path=str(path), format="docx", pages=0, blocks=reader.blocks)
    if reader.flattened:
        shown = "、".join(f"表 {table} 第 {row} 行" for table, row in reader.flattened[:5])
        more = f" 等 {len(reader.flattened)} 处" if len(reader.flattened) > 5 else ""
        doc.notes.append(Note(
            "source.table_in_cell",
            f"{shown}{more} (a table inside a list table's cell, read as that cell's text)",
        ))
    if reader.unread:
        doc.notes.append(Note("source.object_not_read", "、".join(reader.unread[:5])
                              + (f" 等 {len(reader.unread)} 处" if len(reader.unread) > 5 else "")
                              + " (embedded objects or imported chunks the reader cannot read)"))
    if numbering.unrendered:
        doc.notes.append(Note(
            "source.numbering_dropped",
            f"{numbering.unrendered} 个自动编号未能还原 (list numbers in non-decimal formats were left out)",
        ))
    return doc
