"""Tables a page builds from ``<div>``s styled ``display: table-row / table-cell``.

Some CMS templates lay a list out in CSS tables instead of ``<table>``: a
container of rows, each row a box of cells, told apart only by their CSS
``display``.  A browser draws them as a table (and its print reads as one), so
the reader must too.  What makes an element a row or a cell, strongest first:

1. its inline ``style`` (``display: table-row``) — nothing can override it;
2. the page's own ``<style>`` rules for one of its classes (``.tr {display:
   table-row}``), top-level rules only: a rule inside ``@media`` applies to
   some screens only (a responsive page turns its cells into blocks on a phone);
3. with neither saying anything, a class named exactly as the HTML element it
   stands for (``tr``; ``td`` or ``th``), as templates name them when their
   style sheet is a separate file that a saved page may have lost.

A container is a table when it is styled ``display: table`` (or
``inline-table``) or when it holds two rows or more directly (CSS wraps rows
without a table in an anonymous one).  Row groups (``table-header-group``,
``-row-group``, ``-footer-group``) are looked through; CSS tables have no spans.
Templates also use CSS tables for the page's frame (a menu cell beside a content
cell): one with at most two columns around more rows than its own, in ``<table>``s
or CSS tables, is a frame, as :func:`html_page.is_layout_table` says of
``<table>``s, and its content is read as the page's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

_DISPLAY = re.compile(r"(?:^|;)\s*display\s*:\s*([a-z-]+)", re.IGNORECASE)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
#: A selector whose last compound is one class, with or without a tag (``.tr``, ``div.td``, ``.list .td``).
_CLASS_SELECTOR = re.compile(r"(?:^|[\s>+~])(?:[a-z][a-z0-9]*)?\.([A-Za-z_][\w-]*)$", re.IGNORECASE)
TABLE = frozenset({"table", "inline-table"})
ROW = "table-row"
CELL = "table-cell"
GROUPS = frozenset({"table-header-group", "table-row-group", "table-footer-group"})
#: Rule 3: class names that stand for the HTML element.
_CLASS_NAMES = {"tr": ROW, "td": CELL, "th": CELL}


def _top_level_rules(css: str) -> Iterable[tuple[str, str]]:
    """(selector list, declarations) of each rule outside any at-rule block."""
    css = _COMMENT.sub("", css)
    i = 0
    while True:
        brace = css.find("{", i)
        if brace < 0:
            return
        selector = css[i:brace].strip()
        depth, j = 1, brace + 1
        while j < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        if not selector.startswith("@"):
            yield selector, css[brace + 1 : j - 1]
        i = j


def class_displays(root: etree._Element) -> dict[str, str]:
    """Rule 2: class → the display the page's ``<style>`` rules give it (a later rule wins)."""
    displays: dict[str, str] = {}
    for style in root.iter("style"):
        for selectors, declarations in _top_level_rules(style.text or ""):
            found = _DISPLAY.findall(declarations.replace("\n", " "))
            if not found:
                continue
            for selector in selectors.split(","):
                match = _CLASS_SELECTOR.search(selector.strip())
                if match:
                    displays[match.group(1)] = found[-1].lower()
    return displays


def display_of(element: etree._Element, classes: dict[str, str]) -> str | None:
    """The element's CSS display by rules 1–3 (``None``: nothing says)."""
    if not isinstance(element.tag, str):
        return None
    inline = _DISPLAY.findall(element.get("style") or "")
    if inline:
        return inline[-1].lower()
    names = (element.get("class") or "").split()
    styled = [classes[name] for name in names if name in classes]
    if styled:
        return styled[-1]
    return next((_CLASS_NAMES[name.lower()] for name in names if name.lower() in _CLASS_NAMES), None)


def div_table_rows(element: etree._Element, classes: dict[str, str]) -> list[list[etree._Element]] | None:
    """The rows (each a list of cell elements) of ``element`` when it is a CSS table, else ``None``."""
    if not isinstance(element.tag, str) or element.tag.lower() == "table":
        return None
    boxes: list[etree._Element] = []
    for child in element:
        kind = display_of(child, classes)
        if kind == ROW:
            boxes.append(child)
        elif kind in GROUPS:
            boxes.extend(row for row in child if display_of(row, classes) == ROW)
    if not boxes or (display_of(element, classes) not in TABLE and len(boxes) < 2):
        return None
    rows = [[cell for cell in row if display_of(cell, classes) == CELL] for row in boxes]
    if all(len(row) <= 2 for row in rows):
        inner = sum(
            1 for cell in (c for row in rows for c in row) for e in cell.iterdescendants()
            if isinstance(e.tag, str) and (e.tag.lower() == "tr" or display_of(e, classes) == ROW)
        )
        if inner > len(rows):
            return None  # a frame around the page's content
    return rows
