"""One page's blocks from its tables and characters, for every PDF reader.

Both PDF readers (pdfplumber, the reference, and PDFium, the fast default)
find tables their own way and then hand them here, so every text decision —
which characters belong to which cell, soft wraps, paragraphs, header bands,
footers, reading order — is made by one piece of code and the two readers
cannot drift apart.  The fast reader passes its own (vectorised) character
assignment and line grouping, which return the same results faster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from duty_lists.parsers.layout.cell_text import ends_paragraph_at_page_foot, join_cell_lines, unruled_text_edges
from duty_lists.parsers.layout.footer import page_number
from duty_lists.parsers.layout.geometry import AUTOSPACE, BBox, Char, Line, assign_chars, group_lines, line_text
from duty_lists.parsers.layout.header_band import HeaderBand, unruled_headers
from duty_lists.parsers.layout.overlays import without_slanted_text
from duty_lists.parsers.layout.paragraph_gaps import line_pitches
from duty_lists.parsers.model import Block, Provenance, TableRow, TextLine

Assign = Callable[[Sequence[Char], Sequence[BBox]], tuple[list[list[Char]], list[Char]]]
Group = Callable[[Sequence[Char], float], list[Line]]


@dataclass
class PageBlocks:
    blocks: list[Block]
    printed_page: int | None


def page_blocks(
    page_no: int,
    height: float,
    tables: Sequence[Any],
    chars: Sequence[Char],
    settings: Any,
    cut_at: Sequence[float],
    fallback: bool,
    assign: Assign = assign_chars,
    group: Group = group_lines,
) -> PageBlocks:
    """Rows and text lines of one page in reading order.

    ``tables`` have ``rows`` (each with ``cells``, boxes or ``None``, and a
    ``bbox``) and ``cells``; ``cut_at`` are the heights of rules a page break
    left out (rows ending there were cut); ``fallback`` says the tables were
    found without vertical rules, so column text edges come from the text.
    """
    chars = without_slanted_text(chars)
    boxes = [cell for table in tables for row in table.rows for cell in row.cells if cell is not None]
    inside, outside = assign(chars, boxes)
    bands: list[HeaderBand] = []
    if not fallback:
        bands, outside = unruled_headers(
            [table.cells for table in tables], outside, settings.line_y_tolerance, settings.header_band_gap
        )
    for band in bands:
        boxes.extend(band.boxes)
        inside.extend(band.chars)
    cell_lines = [group(box_chars, settings.line_y_tolerance) for box_chars in inside]
    # The normal line pitch is learnt from all cells of the page: a cell of
    # one-line paragraphs has no wrapped line of its own to measure.
    pitches = line_pitches(cell_lines)
    lines_of = dict(zip(boxes, cell_lines, strict=True))
    edges = unruled_edges(tables, lines_of) if fallback else {}
    cut = {box for box in lines_of if any(abs(box[3] - y) <= settings.snap_tolerance for y in cut_at)}
    text_of = {
        box: join_cell_lines(
            lines,
            box,
            settings.space_gap_ratio,
            settings.soft_wrap_chars,
            cut=box in cut,
            pitches=pitches,
            paragraph_gap_ratio=settings.paragraph_gap_ratio,
            right_edge=edges.get(box),
            autospace=AUTOSPACE,
        )
        for box, lines in lines_of.items()
    }
    # Word and LibreOffice close the table on every page, so the lowest row
    # may go on over the page with no open rule to show it: say where its
    # cells ended a paragraph, for assembly to keep if the row continues.
    ends_of = {
        box: ends_paragraph_at_page_foot(lines_of[box], box, edges.get(box))
        for box in lowest_row(tables)
        if box not in cut
    }
    placed = table_blocks(tables, bands, text_of, page_no, ends_of)

    printed_page = None
    footer_top = height * (1 - settings.footer_zone)
    for line in group(outside, settings.line_y_tolerance):
        text = line_text(line, settings.space_gap_ratio, autospace=AUTOSPACE)
        if not text.strip():
            continue
        if line.top >= footer_top:
            number = page_number(text)
            if number is not None:
                printed_page = number
        placed.append((line.top, line.x0, TextLine(text=text, prov=Provenance(page_no, 0), y=0.0)))

    placed.sort(key=lambda item: (item[0], item[1]))
    blocks: list[Block] = []
    line_no = 0
    for top, _, block in placed:
        if isinstance(block, TextLine):
            line_no += 1
            block.prov = Provenance(page=page_no, row=line_no)
            block.y = top / height
        blocks.append(block)
    return PageBlocks(blocks, printed_page)


def lowest_row(tables: Sequence[Any]) -> set[BBox]:
    """The cells of the lowest table row on the page: the only row a page
    break may have cut, whether or not a rule was left open there.  A row
    holding a merged cell that reaches down to the foot (a category spanning
    the rows below it) ends as low as the lowest row: of rows ending alike,
    the one that starts lowest is it."""
    rows = [row for table in tables for row in table.rows]
    if not rows:
        return set()
    last = max(rows, key=lambda row: (row.bbox[3], row.bbox[1]))
    return {cell for cell in last.cells if cell is not None}


def table_blocks(
    tables: Sequence[Any],
    bands: list[HeaderBand],
    text_of: dict[BBox, str],
    page: int,
    ends_of: dict[BBox, bool] | None = None,
) -> list[tuple[float, float, Block]]:
    """Each table's rows, its unruled header row first where one was found;
    a row with cells in ``ends_of`` (see ``TableRow.ends_paragraph``) says
    which of its cells ended a paragraph."""
    ends_of = ends_of or {}
    placed: list[tuple[float, float, Block]] = []
    headers = {band.table: band for band in bands}
    for table_index, table in enumerate(tables):
        rows = [(row.cells, row.bbox) for row in table.rows]
        if table_index in headers:
            rows.insert(0, (list(headers[table_index].boxes), headers[table_index].bbox))
        for row_index, (row_cells, row_bbox) in enumerate(rows, start=1):
            cells = [None if box is None else text_of[box] for box in row_cells]
            prov = Provenance(page=page, row=row_index, table=table_index, bbox=row_bbox)
            ends = [ends_of.get(box, False) if box is not None else False for box in row_cells]
            block = TableRow(cells=cells, prov=prov, ends_paragraph=ends if any(box in ends_of for box in row_cells) else None)
            placed.append((row_bbox[1], row_bbox[0], block))
    return placed


def unruled_edges(tables: Sequence[Any], lines_of: dict[BBox, list[Line]]) -> dict[BBox, float | None]:
    """Text edge of every cell of tables found without vertical rules, by column."""
    edges: dict[BBox, float | None] = {}
    for table in tables:
        width = max(len(row.cells) for row in table.rows)
        columns = [
            [row.cells[j] for row in table.rows if j < len(row.cells) and row.cells[j] is not None] for j in range(width)
        ]
        for boxes, edge in zip(columns, unruled_text_edges([[lines_of[box] for box in col] for col in columns]), strict=True):
            edges.update(dict.fromkeys(boxes, edge))
    return edges
