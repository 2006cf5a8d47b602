"""A table's header row drawn without rules: the text band right above it.

Browsers print an HTML table's ``<th>`` cells with the page's CSS, and a
stylesheet that borders only ``td`` (``td { border: 1px solid }``) leaves the
header row as bare text above the ruled body: a lines-based table finder
starts the table at the first ruled row and the header comes out as text
lines ("序 事项类" / "履职事项名称 备注" / "号 别").  This module finds such a
band and turns it into one more row of the table.

A band is the run of text lines right above a ruled table's top — the lowest
no further than ``gap`` × its font size from the top rule, each next one no
further than that from the one below — in which every character sits inside
one of the table's columns, clear of the column boundaries, and that puts
text into every column: a header labels each column, while a title or a
caption above a table is one run of text that crosses a boundary or leaves
columns empty.  The band stops at the first line that fails.  Limitation: a
two-level header whose upper, merged cells are centred across a boundary
has no rule to show the merge either, and is not recognised.

Pure geometry on :mod:`parsers.layout.geometry`'s ``Char`` and ``Line``, shared by
both PDF readers so that they decide alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from duty_lists.parsers.layout.geometry import BBox, Char, Line, group_lines

#: How far inside its column a band's character must stay, in points: two
#: glyphs of one run of text touch, so a run crossing a boundary always has
#: a glyph within this of it.
COLUMN_MARGIN = 0.5


@dataclass(frozen=True, slots=True)
class HeaderBand:
    """The header row found above table ``table``: one box and its
    characters per column of the table, left to right."""

    table: int
    boxes: list[BBox]
    chars: list[list[Char]]

    @property
    def bbox(self) -> BBox:
        return (self.boxes[0][0], self.boxes[0][1], self.boxes[-1][2], self.boxes[0][3])


def table_columns(cells: Sequence[BBox]) -> list[tuple[float, float]]:
    """The column spans of a table: between its cells' distinct left sides,
    the last up to its right side (pdfplumber places row cells the same way)."""
    starts = sorted({cell[0] for cell in cells})
    right = max(cell[2] for cell in cells)
    return list(zip(starts, [*starts[1:], right], strict=True))


def column_of(char: Char, columns: Sequence[tuple[float, float]], margin: float = COLUMN_MARGIN) -> int | None:
    """Index of the column that holds ``char`` clear of its sides, if any."""
    for index, (left, right) in enumerate(columns):
        if char.x0 >= left + margin and char.x1 <= right - margin:
            return index
    return None


def band_lines(table_top: float, columns: Sequence[tuple[float, float]], lines: Sequence[Line], gap: float) -> list[Line]:
    """The lines of the band above a table whose top rule is at ``table_top``,
    bottom up; empty if there is none (see the module's docstring)."""
    above = sorted((line for line in lines if (line.top + line.bottom) / 2 < table_top), key=lambda line: line.bottom, reverse=True)
    band: list[Line] = []
    top = table_top
    for line in above:
        if top - line.bottom > gap * line.size:
            break
        if any(column_of(char, columns) is None for char in line.chars if not char.is_space):
            break
        band.append(line)
        top = min(top, line.top)
    filled = {column_of(char, columns) for line in band for char in line.chars if not char.is_space}
    return band if len(columns) >= 2 and filled == set(range(len(columns))) else []


def unruled_headers(
    tables: Sequence[Sequence[BBox]], outside: Sequence[Char], y_tolerance: float, gap: float
) -> tuple[list[HeaderBand], list[Char]]:
    """Header bands above ``tables`` (each given by its cells) among the
    characters ``outside`` every cell, and the characters left outside.

    ``gap`` 0 turns the rule off.  Characters are split by column, not by
    line, so a header cell of two lines keeps both (``序`` / ``号``).
    """
    if gap <= 0 or not tables or not outside:
        return [], list(outside)
    lines = group_lines(outside, y_tolerance)
    used: set[int] = set()
    bands: list[HeaderBand] = []
    for index, cells in enumerate(tables):
        columns = table_columns(cells)
        table_top = min(cell[1] for cell in cells)
        band = band_lines(table_top, columns, [line for line in lines if id(line) not in used], gap)
        if not band:
            continue
        used.update(id(line) for line in band)
        band_top = min(line.top for line in band)
        per_column: list[list[Char]] = [[] for _ in columns]
        for line in band:
            for char in line.chars:
                column = column_of(char, columns)
                # A space between two header cells belongs to neither.
                if column is not None:
                    per_column[column].append(char)
        boxes = [(left, band_top, right, table_top) for left, right in columns]
        bands.append(HeaderBand(index, boxes, per_column))
    taken = {id(char) for line in lines if id(line) in used for char in line.chars}
    return bands, [char for char in outside if id(char) not in taken]
