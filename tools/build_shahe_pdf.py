"""Rebuild the 沙河镇 duty-list PDF from its published text form.

The original is an 81-page PDF we only have as text.  This script lays the
text back out the way such PDFs are printed — cover with a table of contents,
one ruled table per list, header repeated on every page, long rows split
across pages, printed page numbers that differ from physical ones — so that
the PDF parser is tested on a document whose every cell is known.

Paragraphs inside a cell are spaced like Word's 段前: each after the first
starts :data:`PARAGRAPH_SPACE` points below the last line of the one before,
on top of the 12 pt leading.  Real Word/WPS exports usually have such
spacing, and it is what lets the parser tell a paragraph whose last line
fills the cell from a line wrapped into the next one.

Run ``python tools/build_shahe_pdf.py``; the output is committed in ``raw/``.
The build is deterministic (``invariant=1``): same input, same bytes.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from duty_lists.parsers.model import TableRow, TextLine  # noqa: E402
from duty_lists.parsers.text_form import decode, parse_text  # noqa: E402
from duty_lists.schema.assembly.normalise import html_to_text  # noqa: E402

STEM = "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单"
SOURCE = ROOT / "raw" / f"{STEM}.txt"
OUTPUT = ROOT / "raw" / f"{STEM}（重建版）.pdf"

FONT = "STSong-Light"
PAGE = landscape(A4)
MARGIN_X = 36.0
MARGIN_TOP = 40.0
MARGIN_BOTTOM = 44.0
FOOTER_Y = 22.0
#: A row is only split inside when at least this much of it fits on the
#: page: about two lines, so the one-line 序号 always stays in the first part
#: and a continuation part never starts before its own 序号.
MIN_ROW_SPLIT = 26.0
#: The acceptance bar for the parser tests: enough rows cut by page breaks.
MIN_SPLIT_ROWS = 5
HEADER_CELLS = {"序号", "编号"}
#: 段前 of paragraphs in a cell, in points.  Line pitch inside a paragraph is
#: 12, between paragraphs 15: 1.25 × the leading, above the parser's 1.2.
#: (reportlab, like Word, drops the space before a cell's first paragraph.)
PARAGRAPH_SPACE = 3.0

#: Column width shares by number of columns — the three list layouts.
COLUMN_SHARES: dict[int, tuple[float, ...]] = {
    4: (0.06, 0.14, 0.62, 0.18),
    5: (0.05, 0.09, 0.20, 0.54, 0.12),
    7: (0.045, 0.075, 0.14, 0.12, 0.26, 0.28, 0.08),
}


@dataclass(slots=True)
class DutyList:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class SourceDoc:
    title: str
    lists: list[DutyList]


@dataclass(slots=True)
class BuildReport:
    """What the build measured — the facts tests and the CLI check."""

    pages: int
    #: Physical page each list title was drawn on, in list order.
    title_pages: list[int]
    #: Printed page numbers the TOC shows, in list order.
    toc_numbers: list[int]
    #: (list index, 序号) of every row cut by at least one page break.
    split_rows: set[tuple[int, str]]


# --------------------------------------------------------------------------- reading


def read_source(path: Path) -> SourceDoc:
    """Group the text form into lists: a title line followed by a header row
    opens a list; later copies of the header (one per original page) are
    dropped; the 目录 lines are dropped because the TOC is regenerated."""
    blocks = parse_text(decode(path.read_bytes()), str(path)).blocks
    doc_title: str | None = None
    lists: list[DutyList] = []
    for index, block in enumerate(blocks):
        if isinstance(block, TextLine):
            nxt = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(nxt, TableRow) and _is_header(_texts(nxt)):
                lists.append(DutyList(title=block.text.strip(), header=_texts(nxt)))
            elif doc_title is None:
                doc_title = block.text.strip()
            continue
        if not lists:
            raise ValueError(f"line {block.prov.row}: table row before any list title")
        current = lists[-1]
        cells = _texts(block)
        if _is_header(cells):
            if cells != current.header:
                raise ValueError(f"line {block.prov.row}: header differs from the list's first header")
            continue
        if len(cells) != len(current.header):
            raise ValueError(
                f"line {block.prov.row}: {len(cells)} cells, header has {len(current.header)}"
            )
        current.rows.append(cells)
    if doc_title is None or not lists:
        raise ValueError(f"{path}: no document title or no lists found")
    return SourceDoc(title=doc_title, lists=lists)


def _texts(row: TableRow) -> list[str]:
    """A text-form row's cells: the text form has no absent (merged) cell."""
    cells = [cell for cell in row.cells if cell is not None]
    if len(cells) != len(row.cells):
        raise ValueError(f"line {row.prov.row}: a cell without text")
    return cells


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0].strip() in HEADER_CELLS


# --------------------------------------------------------------------------- styles


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "cell": ParagraphStyle("cell_spaced", parent=base, spaceBefore=PARAGRAPH_SPACE),
        "head": ParagraphStyle("head", parent=base, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=10),
        "doc": ParagraphStyle("doc", parent=base, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=28),
        "toc_head": ParagraphStyle("toc_head", parent=base, fontSize=16, leading=22, alignment=TA_CENTER,
                                   spaceAfter=14),
        "toc": ParagraphStyle("toc", parent=base, fontSize=12, leading=20, leftIndent=40),
    }


def cell_flowables(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """One Paragraph per hard-break line of the cell's text.

    Lines that are only whitespace (between ``</p> <p>``) would print nothing,
    so they are left out; everything else goes in as is, escaped for
    reportlab's mini-markup.
    """
    lines = html_to_text(text).split("\n")
    return [Paragraph(escape(line), style) for line in lines if line.strip()]


def column_widths(count: int, total: float) -> list[float]:
    shares = COLUMN_SHARES.get(count)
    if shares is None:
        # Unknown layout: a narrow 序号 column and equal shares for the rest.
        first = 0.06
        shares = (first, *([(1 - first) / (count - 1)] * (count - 1)))
    return [share * total for share in shares]


# --------------------------------------------------------------------------- layout


class _ListTitle(Paragraph):
    """A list title that tells the doc template which list starts here."""

    def __init__(self, text: str, style: ParagraphStyle, list_index: int) -> None:
        super().__init__(escape(text), style)
        self.list_index = list_index


class _ListTable(Table):
    """Marks a table as a duty list; split parts keep the class, and ``ident``
    (which reportlab passes on to every part) carries the list index."""


class _Recorder(BaseDocTemplate):
    """Records where titles land and which rows the page breaks cut."""

    def __init__(self, filename: io.BytesIO, **kwargs: object) -> None:
        super().__init__(filename, **kwargs)
        self.title_pages: dict[int, int] = {}
        self.split_rows: set[tuple[int, str]] = set()
        self._last_seq: dict[int, str] = {}

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _ListTitle):
            self.title_pages[flowable.list_index] = self.page
        elif isinstance(flowable, _ListTable):
            # Split parts get idents like "0[1]"; the list index is the prefix.
            self._record_part(int(str(flowable.ident).split("[")[0]), flowable._cellvalues)

    def _record_part(self, list_index: int, rows: list[list[object]]) -> None:
        data = rows[1:]  # row 0 is the (repeated) header
        if not data:
            return
        if not _plain(data[0][0]):
            # The part opens with the rest of a row whose 序号 was drawn on an
            # earlier page; if there is none, a split lost a row's 序号.
            if list_index not in self._last_seq:
                raise AssertionError(f"list {list_index}: a part starts without its row's 序号")
            self.split_rows.add((list_index, self._last_seq[list_index]))
        for row in data:
            seq = _plain(row[0])
            if seq:
                self._last_seq[list_index] = seq


def _plain(cell: object) -> str:
    if isinstance(cell, list | tuple):
        return "".join(p.getPlainText() for p in cell if isinstance(p, Paragraph)).strip()
    return str(cell or "").strip()


def _footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
    # The cover is unnumbered, so the printed number is one less than the
    # physical page — the offset the parser must learn from the footers.
    canvas.saveState()
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(PAGE[0] / 2, FOOTER_Y, f"— {doc.page - 1} —")
    canvas.restoreState()


def _story(source: SourceDoc, toc_numbers: list[int], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    width = PAGE[0] - 2 * MARGIN_X
    story: list[Flowable] = [
        Spacer(1, 60),
        Paragraph(escape(source.title), styles["doc"]),
        Paragraph("目 录", styles["toc_head"]),
    ]
    for number, (duty_list, page) in enumerate(zip(source.lists, toc_numbers, strict=True), start=1):
        story.append(Paragraph(escape(f"{number}.{duty_list.title}{'.' * 12}({page})"), styles["toc"]))
    story.append(NextPageTemplate("body"))
    for index, duty_list in enumerate(source.lists):
        story.append(PageBreak())
        story.append(_ListTitle(duty_list.title, styles["title"], index))
        header = [cell_flowables(cell, styles["head"]) for cell in duty_list.header]
        body = [[cell_flowables(cell, styles["cell"]) for cell in row] for row in duty_list.rows]
        table = _ListTable(
            [header, *body],
            colWidths=column_widths(len(duty_list.header), width),
            repeatRows=1,
            splitByRow=0,
            splitInRow=MIN_ROW_SPLIT,
            ident=str(index),
        )
        table.setStyle(
            TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
            ])
        )
        story.append(table)
    return story


def _render(source: SourceDoc, toc_numbers: list[int]) -> tuple[bytes, _Recorder]:
    buffer = io.BytesIO()
    doc = _Recorder(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=source.title,
        author="duty-lists",
        creator="tools/build_shahe_pdf.py",
        invariant=1,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, PAGE[0] - 2 * MARGIN_X, PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM, id="body")
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[frame], pagesize=PAGE),
        PageTemplate(id="body", frames=[frame], pagesize=PAGE, onPage=_footer),
    ])
    doc.build(_story(source, toc_numbers, _styles()))
    return buffer.getvalue(), doc


def build(source_path: Path = SOURCE) -> tuple[bytes, BuildReport]:
    """Two passes: the first finds where each list starts, the second prints
    those page numbers in the TOC.  The TOC sits on the cover, so it cannot
    move anything; the second pass must land every title on the same page."""
    source = read_source(source_path)
    _, first = _render(source, [0] * len(source.lists))
    title_pages = [first.title_pages[i] for i in range(len(source.lists))]
    toc_numbers = [page - 1 for page in title_pages]
    data, second = _render(source, toc_numbers)
    final_pages = [second.title_pages[i] for i in range(len(source.lists))]
    if final_pages != title_pages:
        raise AssertionError(f"TOC pass moved the titles: {title_pages} -> {final_pages}")
    report = BuildReport(
        pages=second.page,
        title_pages=final_pages,
        toc_numbers=toc_numbers,
        split_rows=second.split_rows,
    )
    if len(report.split_rows) < MIN_SPLIT_ROWS:
        raise AssertionError(f"only {len(report.split_rows)} rows span two pages; need {MIN_SPLIT_ROWS}")
    return data, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data, report = build(args.source)
    args.output.write_bytes(data)
    print(
        f"{args.output}: {report.pages} pages, lists start on printed pages {report.toc_numbers}, "
        f"{len(report.split_rows)} rows span a page break"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
