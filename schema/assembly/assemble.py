"""Assembly: from a parser's block stream to rows of canonical fields per list.

This is the one place that knows how duty-list documents are laid out, and it
knows nothing about file formats.  In reading order it

1. drops page furniture (cover and TOC lines, footers, repeated headers,
   notes), keeping the TOC entries and printed page numbers as data;
2. opens a list at each list title (基本/配合/收回) or, failing a title, at a
   header whose signature differs from the list in progress;
3. maps header cells to canonical fields (synonyms in ``schema/data``),
   combining two-row headers;
4. turns section rows (``一、党的建设（17项）``) into the category of the rows
   below them, keeping the stated count;
5. fills merged cells and stitches rows that continue the previous item
   (no 序号: a row cut by a page break, or a vertically merged 序号).

Raw text is carried through unchanged; normalisation happens later.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from duty_lists.parsers.model import RawDocument, TableRow, TextLine
from duty_lists.schema.assembly.blocks import fill_labels
from duty_lists.schema.assembly.headers import (
    HeaderRule,
    clean_header,
    combine_header_rows,
    is_column_numbers,
    is_sub_header,
    list_type_from_fields,
    looks_like_header,
    map_header,
    map_header_fuzzy,
)
from duty_lists.schema.assembly.merged import RowKey, anchor_columns, covered_from_left, join_cells, merged_down, row_key
from duty_lists.schema.assembly.model import AssembledList, AssembledRow, Assembly, TocLine
from duty_lists.schema.assembly.normalise import fold_radicals, join_wrapped_phrase
from duty_lists.schema.assembly.not_lists import TablesLeftOut, kept_lists, opens_other_table
from duty_lists.schema.assembly.page_breaks import carry_labels
from duty_lists.schema.assembly.sections import heading_over_prose
from duty_lists.schema.assembly.titles import (
    DOC_TITLE_SUFFIX,
    HEADING_START,
    NON_ITEM_ROW,
    NOTE,
    TOC_HEADING,
    TOC_LINE,
    TOTAL_COUNT,
    dotted_seq,
    footer_page,
    issuer_from_titles,
    list_type_of_title,
    parse_seq,
    section_of,
    stated_count,
    with_place_line,
)
from duty_lists.schema.fields import PRINTED_SEQ

if TYPE_CHECKING:
    from duty_lists.schema.records import ListType

#: Columns whose vertically merged cells carry one value for several rows.
VERTICAL_FILL_FIELDS = frozenset({"category", "superior_departments", "receiving_departments"})


class _Assembler:
    """Walks the blocks once; each ``_on_*`` method handles one kind of block."""

    def __init__(self, rules: tuple[HeaderRule, ...]) -> None:
        self.rules = rules
        self.lists: list[AssembledList] = []
        self.toc: list[TocLine] = []
        self.doc_titles: list[str] = []
        self.current: AssembledList | None = None
        self.section_category: str | None = None
        self.header_rows: list[list[str | None]] = []
        self.last_table: tuple[int, int] | None = None
        #: The text of the line or full-width row just before, for a title printed on two lines.
        self.previous_line: str | None = None
        #: Per row, the positions the next row shows merged (:func:`merged.merged_down`).
        self.merged_down: dict[RowKey, set[int]] = {}
        self.left_out = TablesLeftOut()  # numbered tables that are no list, told as notes

    # -- text lines ---------------------------------------------------------
    def on_text(self, line: TextLine) -> None:
        text = fold_radicals(line.text).strip()
        if not text or TOC_HEADING.match(text.replace(" ", "")) or footer_page(text) is not None:
            return
        previous, self.previous_line = self.previous_line, text
        toc = TOC_LINE.match(text)
        if toc and list_type_of_title(toc.group("title")) and "清单" in toc.group("title"):
            self.toc.append(
                TocLine(list_type_of_title(toc.group("title")), join_wrapped_phrase(toc.group("title")), int(toc.group("page")))
            )
            return
        list_type = list_type_of_title(text)
        if list_type and not NOTE.match(text):
            self._open_list(list_type, with_place_line(text, previous), line.prov.page)
            return
        if not self.lists and DOC_TITLE_SUFFIX.search(join_wrapped_phrase(text)):
            self.doc_titles.append(with_place_line(text, previous))
            return
        if self.current is None:
            return
        if self._on_section_line(text):
            return
        self.section_category = heading_over_prose(self.current, self.section_category)
        total = TOTAL_COUNT.search(text)
        if total and self.current.stated_count is None and not self.current.rows:
            self.current.stated_count = int(total.group(1))

    def _on_section_line(self, text: str) -> bool:
        """A section heading line between rows (text forms, some PDFs) or under the list's title
        (see :mod:`sections`): it must be numbered (一、) or state a count to be believed."""
        section = section_of([text])
        if section is None or not (HEADING_START.match(text) or section[1] is not None):
            return False
        assert self.current is not None
        self.section_category, count = section
        if count is not None:
            self.current.stated_category_counts[self.section_category] = count
        return True

    def _open_list(self, list_type: ListType, title: str, page: int) -> None:
        current = self.current
        if current is not None and current.rows and (current.list_type, current.title) == (list_type, join_wrapped_phrase(title)):
            # The list's own title again, once it has rows: a title row the table
            # repeats on every page (a header row marked to repeat), not a new list.
            self.header_rows = []
            return
        self.current = AssembledList(
            list_type=list_type,
            title=join_wrapped_phrase(title),
            start_page=page or None,
            stated_count=stated_count(title),
        )
        self.lists.append(self.current)
        self.section_category = None
        self.header_rows = []

    # -- table rows ---------------------------------------------------------
    def on_row(self, row: TableRow) -> None:
        row = replace(row, cells=[fold_radicals(cell) if cell else cell for cell in row.cells])
        cells = row.cells
        filled = [c for c in cells if c is not None and c.strip()]
        if not filled:
            return
        previous, self.previous_line = self.previous_line, None
        if len(filled) == 1 and sum(c is not None for c in cells) == 1 and len(cells) > 1:
            self.previous_line = filled[0].strip()
            self._on_full_width(filled[0], row, previous)
            return
        split = self._header_over_continuation(cells)
        if split is not None:
            header, rest = split
            self._on_header(header, row)
            self.header_rows = []
            self._on_data(replace(row, cells=rest, continues_previous=True))
            return
        if looks_like_header(cells, self.rules) or self._is_sub_header(cells):
            self._on_header(cells, row)
            return
        if self.header_rows and is_column_numbers(cells):
            return  # column numbers printed under the header (and under each repeat of it)
        if row.confidence is None and opens_other_table(cells, self.rules, self.current.top_header if self.current else ()):
            self.left_out.pending, self.header_rows = (cells, row.prov.page), []  # OCR'd: a misread repeat is likelier
            return
        self.header_rows = []
        if self.left_out.confirmed():  # a data row under a header that opened no list
            self.current = None
        if self.current is None or self.current.columns is None:
            return
        self._on_data(row)

    def _header_over_continuation(self, cells: list[str | None]) -> tuple[list[str | None], list[str | None]] | None:
        """A repeated header row with the rest of a page-cut row in its cells.

        A grid that draws no rule between the header it repeats on a new page
        and the rest of a row cut by the page break (reportlab's split rows;
        a spreadsheet's print titles over a merged category, whose label Calc
        prints in the header's band) gives one row whose cells hold each
        label, then the continuation's text.  When every filled cell starts with the label the list's header
        prints in its column, the labels are the header and what follows them
        a row continuing the previous item; a header alone gives ``None``.
        """
        current = self.current
        if current is None or current.columns is None or not current.rows or len(cells) != len(current.top_header):
            return None
        header: list[str | None] = []
        rest: list[str | None] = []
        for cell, label in zip(cells, current.top_header, strict=True):
            if cell is None or not cell.strip():
                header.append(cell)
                rest.append(None if cell is None else "")
                continue
            cut = _label_end(cell, label)
            if cut is None:
                return None
            header.append(cell[:cut])
            rest.append(cell[cut:].strip())
        if not any(rest) or not looks_like_header(header, self.rules):
            return None
        return header, rest

    def _on_full_width(self, text: str, row: TableRow, previous: str | None) -> None:
        list_type = list_type_of_title(text)
        if list_type and not NOTE.match(text.strip()):
            self._open_list(list_type, with_place_line(text, previous), row.prov.page)
            return
        if DOC_TITLE_SUFFIX.search(join_wrapped_phrase(text)) and not self.lists:
            self.doc_titles.append(with_place_line(text, previous))
            return
        if NOTE.match(text.strip()) or self.current is None:
            return
        section = section_of([text])
        if section:
            self.section_category, count = section
            if count is not None:
                self.current.stated_category_counts[self.section_category] = count
            return
        # A one-cell row inside a table that is none of the above continues
        # the previous item (a page-cut row whose other cells are empty).
        if self.current.rows and self.current.columns:
            self._on_data(row)

    def _on_header(self, cells: list[str | None], row: TableRow) -> None:
        self.header_rows.append(cells)
        self.left_out.pending = None
        # OCR'd headers (rows with confidences) may have one character misread.
        columns, headers = self._combine_headers(self.header_rows, fuzzy=row.confidence is not None)
        signature = {c for c in columns if c}
        current = self.current
        if current is not None and current.columns is not None and len(self.header_rows) == 1:
            if {c for c in current.columns if c} == signature and len(current.columns) == len(columns):
                return  # a repeated header on a new page
            if [clean_header(c) for c in cells] == current.top_header:
                return  # the top row of a repeated two-row header
        if current is None or (current.columns is not None and len(self.header_rows) == 1):
            if "name" not in signature:
                # No title and no 事项名称 column: a summary or budget table
                # (序号/清单类别/事项数量) is not a duty list, nor part of the last one.
                self.current, self.left_out.pending = None, (cells, row.prov.page)
                return
            self._open_list(list_type_from_fields(signature), "", row.prov.page)
            self.header_rows = [cells]
        assert self.current is not None
        self.current.columns, self.current.headers = columns, headers
        self.current.top_header = [clean_header(c) for c in self.header_rows[0]]

    def _is_sub_header(self, cells: list[str | None]) -> bool:
        """The second row of a two-row header (see :func:`headers.is_sub_header`)."""
        return is_sub_header(self.header_rows, cells, self.rules)

    def _combine_headers(self, header_rows: list[list[str | None]], fuzzy: bool = False) -> tuple[list[str | None], list[str]]:
        return combine_header_rows(header_rows, map_header_fuzzy if fuzzy else map_header, self.rules)

    def _on_data(self, row: TableRow) -> None:
        current = self.current
        assert current is not None and current.columns is not None
        fields: dict[str, str] = {}
        extra: dict[str, str] = {}
        confidence: dict[str, float] = {}
        seq_cell: str | None = ""
        ends: set[str] = set()
        raw: dict[str, str | None] = {}
        previous = current.rows[-1] if current.rows else None
        columns = anchor_columns(current.columns, row)
        for j, cell in enumerate(row.cells):
            column = columns[j] if j < len(columns) else None
            header = current.headers[j] if j < len(current.headers) and current.headers[j] else f"列{j + 1}"
            if row.ends_paragraph is not None and j < len(row.ends_paragraph) and row.ends_paragraph[j]:
                ends.add(column or header)
            score = row.confidence[j] if row.confidence is not None and j < len(row.confidence) else None
            if column is not None and score is not None:
                confidence[column] = min(score, confidence.get(column, score))
            if covered_from_left(row, j):
                continue  # the anchor to its left holds the text
            if column == "seq":
                if not (seq_cell or "").strip():
                    seq_cell = cell
                continue
            if column in VERTICAL_FILL_FIELDS:
                raw[column] = cell
                if cell is None or j in self.merged_down.get(row_key(row), ()):
                    current.merged.add(column)
            if cell is None:
                filled = fields.get(column or "")
                if column in VERTICAL_FILL_FIELDS and previous is not None and not row.continues_previous and not filled:
                    cell = previous.fields.get(column, "")
                    # The filled text was read with the merged cell's confidence.
                    if column in previous.confidence:
                        confidence[column] = previous.confidence[column]
                else:
                    cell = ""
            if column is None:
                if cell:
                    extra[header] = join_cells(extra.get(header, ""), cell)
            else:
                fields[column] = join_cells(fields.get(column, ""), cell)
        seq = parse_seq(seq_cell)
        if seq is None and (dotted := dotted_seq(seq_cell)) and all(PRINTED_SEQ in r.extra for r in current.rows[:1]):
            seq, extra[PRINTED_SEQ] = dotted[1], (seq_cell or "").strip()  # 2.3: item 3 of category 2, as printed
        if seq is not None or not (seq_cell or "").strip():
            carry_labels(current.rows, row.prov.page, raw, fields, current.merged)
        if seq is None and seq_cell and seq_cell.strip():
            # 合计 / 注： / 小计 rows: not items.  A total may state the count.
            total = stated_count(" ".join(c for c in row.cells if c))
            if total is not None and current.stated_count is None and re.match(r"\s*(?:合\s*计|总\s*计)", seq_cell):
                current.stated_count = total
            elif not NON_ITEM_ROW.match(seq_cell.strip()) and fields.get("name", "").strip():
                # Content under a 序号 we cannot read: kept for the reviewer, never dropped silently.
                current.skipped.append((row.prov, " ".join(c.strip() for c in row.cells if c and c.strip())))
            return
        if seq is None:
            if previous is None:
                return
            self._stitch(previous, fields, extra, row, hard=seq_cell is None, ends=ends)
            for key, score in confidence.items():
                previous.confidence[key] = min(score, previous.confidence.get(key, score))
            return
        fields["seq"] = str(seq)
        if not fields.get("category") and self.section_category:
            fields["category"] = self.section_category
        current.rows.append(
            AssembledRow(fields=fields, extra=extra, prov=[row.prov], confidence=confidence, paragraph_ends=ends, printed=raw)
        )

    @staticmethod
    def _stitch(
        previous: AssembledRow, fields: dict[str, str], extra: dict[str, str], row: TableRow, hard: bool, ends: set[str]
    ) -> None:
        """Append a continuation row's text to the item it continues.

        A row cut by a page break continues the same text: the parts are
        joined with nothing, as a soft wrap is (a parser that saw the part
        before the break end a paragraph leaves a trailing ``\\n`` on it, or
        names the cell in ``TableRow.ends_paragraph``, kept here as the
        row's ``paragraph_ends``).  A row under a vertically merged 序号 is a
        separate cell: the join is a hard break.

        The category continues like any other cell: a page break cuts every
        cell of the row at the same height, so a category that wraps
        (``应急管理及`` / ``消防``) goes on over the page too.  A category
        repeated, or filled from a merge, is the same text and adds nothing.
        """
        for key, text in fields.items():
            if not text:
                continue
            before = previous.fields.get(key, "")
            if key in VERTICAL_FILL_FIELDS and text == before:
                continue
            glue = "\n" if hard or key in previous.paragraph_ends else ""
            previous.fields[key] = f"{before}{glue}{text}" if before else text
        for key, text in extra.items():
            before = previous.extra.get(key, "")
            glue = "\n" if hard or key in previous.paragraph_ends else ""
            previous.extra[key] = f"{before}{glue}{text}" if before else text
        previous.paragraph_ends = ends
        if row.prov not in previous.prov:
            previous.prov.append(row.prov)


def _label_end(cell: str, label: str) -> int | None:
    """Where ``label`` ends at the start of ``cell``: at a line end if one does
    (the label printed above the rest), else the shortest prefix that reads as
    it (the rest read into the label's line: a merged label a spreadsheet
    prints in the repeated header's band, 事项类别平安法治); ``None`` if the cell
    does not start with it."""
    if not label:
        return None
    lines = cell.split("\n")
    for k in range(1, len(lines) + 1):
        if clean_header("\n".join(lines[:k])) == label:
            return len("\n".join(lines[:k]))
    return next((k for k in range(1, len(cell) + 1) if clean_header(cell[:k]) == label), None)


def assemble(raw: RawDocument, rules: tuple[HeaderRule, ...]) -> Assembly:
    assembler = _Assembler(rules)
    assembler.merged_down = merged_down([b for b in raw.blocks if isinstance(b, TableRow)])
    for block in raw.blocks:
        if isinstance(block, TextLine):
            assembler.on_text(block)
        else:
            assembler.on_row(block)
    lists, notes = kept_lists(assembler.lists)
    labels = fill_labels(lists)
    return Assembly(
        issuer=issuer_from_titles(assembler.doc_titles, [lst.title for lst in lists if lst.title]),
        lists=lists,
        toc=assembler.toc,
        printed_pages=dict(raw.printed_pages),
        notes=assembler.left_out.notes + notes + labels,
    )

