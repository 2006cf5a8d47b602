"""The PDFium reader's lean path: PDFium's text page straight to cell text.

The conversion path (:mod:`parsers.pdf.pdfium.chars`, :mod:`parsers.pdf.pdfium.edges`,
:mod:`parsers.pdf.pdfium.page`) dresses every character as a pdfplumber dict and
runs pdfplumber's table finder and the reference's ``parse_page`` on them.
This path takes the same PDFium values into the reference's own
:class:`~parsers.layout.geometry.Char` directly, finds ruled tables with
:mod:`parsers.pdf.pdfium.grid`, and makes every text decision with the
functions of :mod:`parsers.layout.cell_text` that ``plumber.parse_page``
calls, in the same order — so the two readers agree by construction, and
``tests/pdf/test_pdf_engines.py`` checks that they do on every PDF fixture.

Where it cannot decide, it says so (``None``) and the caller reads the page
the conversion way: text turned a quarter in user space (its advance needs
PDFium's glyph box, see ``pdfium.chars._rotated_advance``) and pages
without a ruled table (the horizontal-rules fallback uses pdfplumber's text
strategy).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from duty_lists.parsers.layout.geometry import BBox, Char, Line, group_lines
from duty_lists.parsers.layout.ruling import RULE_MIN_LENGTH, open_rule_ends
from duty_lists.parsers.pdf.page import page_blocks
from duty_lists.parsers.pdf.pdfium.calls import INT, VP, address, direct
from duty_lists.parsers.pdf.pdfium.chars import blank_chars
from duty_lists.parsers.pdf.pdfium.frame import Matrix, PageFrame
from duty_lists.parsers.pdf.pdfium.glyphs import DeclaredWidths, char_box, char_text, font_metrics, is_anchored, piece_advance
from duty_lists.parsers.pdf.pdfium.grid import Rule, Tolerances, find_tables
from duty_lists.parsers.pdf.pdfium.page import as_char
from duty_lists.parsers.pdf.plumber import PageResult, PdfSettings
from duty_lists.parsers.pdf.shading import bar_centres, without_band_sides


class FastLine(Line):
    """A :class:`Line` that works out each property once.

    ``join_cell_lines`` and the pitch functions ask a line for its size and
    extent several times each; the base class recounts its characters every
    time.  The values are the base class's own (its getters are called), so
    decisions cannot differ.
    """

    @cached_property
    def top(self) -> float:
        return super().top

    @cached_property
    def bottom(self) -> float:
        return super().bottom

    @cached_property
    def x1(self) -> float:
        return super().x1

    @cached_property
    def ink_x1(self) -> float:
        return super().ink_x1

    @cached_property
    def size(self) -> float:
        return super().size

    @cached_property
    def char_width(self) -> float:
        return super().char_width


def lines_of(chars: Sequence[Char], y_tolerance: float) -> list[Line]:
    return [FastLine(line.chars) for line in group_lines(chars, y_tolerance)]


# --------------------------------------------------------------------------- characters


_unicode = direct(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, VP, INT)
_generated = direct(pdfium_c.FPDFText_IsGenerated, INT, VP, INT)
_text_object = direct(pdfium_c.FPDFText_GetTextObject, VP, VP, INT)
_origin = direct(pdfium_c.FPDFText_GetCharOrigin, INT, VP, INT, VP, VP)
_loose_box = direct(pdfium_c.FPDFText_GetLooseCharBox, INT, VP, INT, VP)


def read_chars(textpage: pdfium.PdfTextPage, frame: PageFrame) -> list[Char] | None:
    """The page's characters exactly as ``plumber`` builds them from
    ``pdfium.chars.page_chars`` — the same PDFium values, the same float
    arithmetic — or ``None`` if a character is turned a quarter in user space.

    PDFium's generated characters are the spaces and line breaks it inserts
    between words and lines, so only whitespace is asked whether it is one.
    """
    typed = textpage.raw
    raw = address(typed)
    x, y = ctypes.c_double(), ctypes.c_double()
    loose = pdfium_c.FS_RECTF()
    px, py, pbox = ctypes.addressof(x), ctypes.addressof(y), ctypes.addressof(loose)
    fonts: dict[int, _Font] = {}
    descents: dict[tuple[int, float], float] = {}
    declared: dict[int, DeclaredWidths | None] = {}
    ca, cb, cc, cd, ce, cf = frame.ctm
    shift_x, page_top, height = frame.bbox[0], frame.bbox[1], frame.height
    chars: list[Char] = []
    append = chars.append
    for index in range(pdfium_c.FPDFText_CountChars(typed)):
        text = char_text(_unicode(raw, index))
        if text.isspace() and _generated(raw, index) == 1:
            continue
        key = _text_object(raw, index) or 0
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = _Font(*font_metrics(raw, index, key, frame.ctm, descents, declared))
            if not font.user_a:
                return None
        _origin(raw, index, px, py)
        _loose_box(raw, index, pbox)
        if font.user_a > 0 and not is_anchored(loose.left, x.value):
            advance = piece_advance(text, font.size, (loose.right - loose.left) / font.user_a)
        elif font.widths is not None:
            # Not embedded: the loose box is the machine's substitute font's.
            advance = font.widths.advance(ord(text), font.size)
        else:
            advance = (loose.right - loose.left) / font.user_a
        if not font.upright:
            x0, x1, top, bottom, _, size = char_box((x.value, y.value), advance, font.size, font.descent, font.linear, frame)
            append(Char(text, x0, x1, top, bottom, size))
            continue
        # char_box's arithmetic for upright text, with what depends only on
        # the font worked out once: the origin through the page transform,
        # then pdfminer's box (0, descent, advance, descent + size) through
        # the character matrix, whose b and c are 0.
        ox = ca * x.value + cc * y.value + ce
        oy = cb * x.value + cd * y.value + cf
        left, right = ox, font.a * advance + ox
        if right < left:
            left, right = right, left
        low, high = font.d_low + oy, font.d_high + oy
        if high < low:
            low, high = high, low
        if shift_x:
            append(Char(text, left + shift_x, right + shift_x, (height - high) + page_top, (height - low) + page_top, high - low))
        else:
            append(Char(text, left, right, (height - high) + page_top, (height - low) + page_top, high - low))
    # The spaces PDFium's text page skips (LibreOffice draws each as an object of its own).
    chars.extend(as_char(blank) for blank in blank_chars(textpage.page.raw, frame, fonts))
    return chars


class _Font:
    """What one text object's characters share (see ``font_metrics``)."""

    __slots__ = ("a", "d_high", "d_low", "descent", "linear", "size", "upright", "user_a", "widths")

    def __init__(self, size: float, descent: float, linear: Matrix, user_a: float, widths: DeclaredWidths | None) -> None:
        self.size, self.descent, self.linear, self.user_a, self.widths = size, descent, linear, user_a, widths
        a, b, c, d, _, _ = linear
        self.upright = b == 0 and c == 0
        self.a = a
        # _rect_through's ``b * x0 + d * y0`` and ``b * x0 + d * y1`` with
        # x0 = 0: b * 0 is a zero, so only the d terms count.
        self.d_low = d * descent
        self.d_high = d * (descent + size)


# --------------------------------------------------------------------------- chars → cells


def assign_chars(chars: Sequence[Char], boxes: Sequence[BBox]) -> tuple[list[list[Char]], list[Char]]:
    """``layout.geometry.assign_chars`` with the page's centres in arrays.

    Same result, same order: each box takes, in the order of the centres'
    heights (ties in page order), the characters not yet taken whose centre
    lies in it, bounds included; the rest stay in page order.  The Python
    version tests every character level with a box against it, which for a
    ten-column table is ten tests a character.
    """
    if not boxes:
        return [], list(chars)
    x0, x1, top, bottom = (np.fromiter((getattr(c, name) for c in chars), float, len(chars)) for name in ("x0", "x1", "top", "bottom"))
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    order = np.argsort(cy, kind="stable")
    keys = cy[order]
    taken = np.zeros(len(chars), dtype=bool)
    inside: list[list[Char]] = []
    for left, upper, right, lower in boxes:
        band = order[np.searchsorted(keys, upper, "left") : np.searchsorted(keys, lower, "right")]
        centre = cx[band]
        found = band[~taken[band] & (centre >= left) & (centre <= right)]
        taken[found] = True
        inside.append([chars[i] for i in found.tolist()])
    return inside, [chars[i] for i in np.flatnonzero(~taken).tolist()]


# --------------------------------------------------------------------------- one page


def rules(edges: Sequence[dict[str, Any]]) -> tuple[list[Rule], list[Rule]]:
    """Vertical and horizontal rules from pdfplumber-shaped edges, with the
    length pdfplumber filters them by."""
    verticals = [(e["x0"], e["top"], e["x1"], e["bottom"], e["height"]) for e in edges if e["orientation"] == "v"]
    horizontals = [(e["x0"], e["top"], e["x1"], e["bottom"], e["width"]) for e in edges if e["orientation"] == "h"]
    return verticals, horizontals


def parse_page(
    page_no: int, height: float, chars: list[Char], edges: Sequence[dict[str, Any]], settings: PdfSettings
) -> PageResult | None:
    """``plumber.parse_page`` for a page with ruled tables (or no text);
    ``None`` where that function would try the horizontal-rules fallback."""
    result = PageResult(has_text=any(not char.is_space for char in chars))
    verticals, horizontals = rules([*bar_centres(without_band_sides(edges), "v"), *(e for e in edges if e["orientation"] == "h")])
    closing = open_rule_ends(
        [(v[0], v[1], v[3]) for v in verticals],
        [(h[1], h[0], h[2]) for h in horizontals],
        settings.snap_tolerance,
        RULE_MIN_LENGTH,
        stretches=True,
    )
    # The rules a page break left out, as the reference passes them to
    # pdfplumber: explicit lines, whose length is x1 - x0.
    explicit = [(x0, y, x1, y, x1 - x0) for y, x0, x1 in closing]
    tolerances = Tolerances(settings.snap_tolerance, settings.join_tolerance, settings.intersection_tolerance)
    tables = find_tables(verticals, horizontals, explicit, tolerances)
    if not tables and result.has_text:
        return None
    cut_at = [y for y, _, _ in closing]

    laid_out = page_blocks(page_no, height, tables, chars, settings, cut_at, False, assign=assign_chars, group=lines_of)
    result.blocks, result.printed_page = laid_out.blocks, laid_out.printed_page
    return result


