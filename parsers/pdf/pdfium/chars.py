"""pdfplumber's ``page.chars`` from PDFium: the text page's glyphs, and the blank text objects it skips.

:func:`page_chars` reads PDFium's text page and gives each glyph pdfminer's
box (:mod:`parsers.pdf.pdfium.glyphs`) in a pdfplumber char dict;
:func:`blank_chars` adds the spaces PDFium leaves out of its text page and
pdfminer reads (see the note above it).  The lean path
(:mod:`parsers.pdf.pdfium.lean`) reads the glyphs itself but takes its spaces
from :func:`blank_chars` too.
"""

from __future__ import annotations

import ctypes
from collections.abc import Container
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from duty_lists.parsers.pdf.pdfium.calls import INT, VP, address, direct, object_matrix, page_objects, typed
from duty_lists.parsers.pdf.pdfium.frame import Matrix, PageFrame, Point, mult
from duty_lists.parsers.pdf.pdfium.glyphs import (
    DeclaredWidths,
    char_box,
    char_text,
    font_descent,
    font_metrics,
    font_name,
    is_anchored,
    piece_advance,
)


def page_chars(textpage: pdfium.PdfTextPage, frame: PageFrame) -> list[dict[str, Any]]:
    """pdfplumber's ``page.chars`` from PDFium's text page.

    PDFium inserts spaces and line breaks of its own (``IsGenerated``); pdfminer
    knows only the glyphs drawn, so those are skipped.  Boxes are pdfminer's:
    from the origin, advance × (descent, descent + font size) in text space,
    through the character's matrix — not PDFium's loose boxes, whose height is
    the font's ascent − descent scaled to the font size.  The spaces PDFium
    leaves out of its text page (:func:`blank_chars`) follow the glyphs.
    """
    raw = textpage.raw
    raw_address = address(raw)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    loose = pdfium_c.FS_RECTF()
    fonts: dict[int, tuple[float, float, Matrix, float, DeclaredWidths | None]] = {}
    descents: dict[tuple[int, float], float] = {}
    declared: dict[int, DeclaredWidths | None] = {}
    chars: list[dict[str, Any]] = []
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        if pdfium_c.FPDFText_IsGenerated(raw, index) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        key = address(pdfium_c.FPDFText_GetTextObject(raw, index))
        if key not in fonts:
            fonts[key] = font_metrics(raw_address, index, key, frame.ctm, descents, declared)
        size, descent, linear, user_a, widths = fonts[key]
        pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(origin_x), ctypes.byref(origin_y))
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(loose))
        if user_a > 0 and not is_anchored(loose.left, origin_x.value):
            advance = piece_advance(char_text(code), size, (loose.right - loose.left) / user_a)
        elif widths is not None:
            # Not embedded: PDFium's boxes are the machine's substitute
            # font's, the declared width is the document's own.
            advance = widths.advance(code, size)
        elif user_a:
            # PDFium's loose box spans origin .. origin + advance × the
            # user-space matrix's ``a``; the advance in text space follows.
            advance = (loose.right - loose.left) / user_a
        else:
            advance = _rotated_advance(raw, index, linear)
        chars.append(_char(char_text(code), (origin_x.value, origin_y.value), advance, size, descent, linear, frame))
    chars.extend(blank_chars(textpage.page.raw, frame, fonts))
    return chars


# --------------------------------------------------------------------------- blank text objects
#
# The spaces PDFium's text page leaves out: text objects that draw no ink.
#
# PDFium builds its text page from text objects and skips every object whose
# box has no width (``CPDF_TextPage::ProcessTextObject``: |width| < 0.01) —
# an object that draws only blank glyphs.  LibreOffice writes each space
# between two runs of text as such an object of its own (``Tm``, ``Tf``, one
# space glyph, ``Tj``), so in its exports PDFium loses the space between
# ``工作`` and ``师市…`` and every space at a line end; where the gap happens to
# be wide it makes up a space of its own (``IsGenerated``), which the reader
# ignores as it ignores all generated characters.  pdfminer reads the glyph,
# and a space that ends a sentence (``。 ``) or a heading is what tells two
# steps apart, so the PDFium reader must see it too.
#
# :func:`blank_chars` finds those objects (walking form XObjects as pdfminer
# does) and returns one space per object, in pdfplumber's form, at the
# object's origin with pdfminer's height and no width: the layout never
# measures a space's width (``Line.ink_x1`` and ``char_width`` skip spaces),
# only its place in the line.  PDFium cannot say which blank glyphs an object
# holds, so several become one space, which is all the cell text keeps of
# them anyway.
#
# An object's width is that of its glyphs' ink, so this holds only for a
# font the PDF embeds.  A font it does not embed is drawn with a substitute
# from the machine's fonts, and where the substitute has no glyph for a
# character (no CJK font installed) a text object of one ideograph — a
# wrapped line's last character in reportlab's output — has no width either
# and is skipped like a space.  Such an object cannot be told from a blank
# one, so :func:`blank_chars` raises :class:`SubstitutedBlank` and the page is
# read by the reference reader (``pdf_pdfium.read_page``), which reads the
# content stream itself.

#: PDFium's ``kSizeEpsilon``: a text object narrower than this is skipped.
BLANK_WIDTH = 0.01


class SubstitutedBlank(Exception):
    """A text object PDFium's text page skipped for having no width is set
    in a font the PDF does not embed: its width came from whatever font the
    machine substituted, so it may hold characters, not only blanks."""

    def __init__(self, font: str) -> None:
        super().__init__(font)
        self.font = font


def blank_chars(page: Any, frame: PageFrame, read: Container[int] | None = None) -> list[dict[str, Any]]:
    """A space character for every text object on ``page`` (a raw
    ``FPDF_PAGE``) that PDFium's text page skips for having no width, at the
    object's origin, with pdfminer's height and no width.  Raises
    :class:`SubstitutedBlank` for such an object in a font the PDF does not
    embed (see the note above), and, given ``read`` (the addresses of the
    text objects the text page holds characters of), for any other object
    in such a font that the text page left out: PDFium also drops a text
    object as a fake-bold copy of an earlier one when both have no ink box
    and the same text (the same first line in every row of a table, once the
    substitute draws no ideographs)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    box = [ctypes.addressof(v) for v in (left, bottom, right, top)]
    chars: list[dict[str, Any]] = []
    for address_, outer in page_objects(page, pdfium_c.FPDF_PAGEOBJ_TEXT):
        if not _bounds(address_, *box):
            continue
        if read is not None and address_ not in read and abs(right.value - left.value) >= BLANK_WIDTH:
            font = pdfium_c.FPDFTextObj_GetFont(typed(address_))
            if font and not pdfium_c.FPDFFont_GetIsEmbedded(font):
                raise SubstitutedBlank(font_name(font))
        elif abs(right.value - left.value) < BLANK_WIDTH:
            obj = typed(address_)
            font = pdfium_c.FPDFTextObj_GetFont(obj)
            if font and not pdfium_c.FPDFFont_GetIsEmbedded(font):
                raise SubstitutedBlank(font_name(font))
            chars.append(_blank(obj, mult(object_matrix(obj), outer), frame))
    return chars


_bounds = direct(pdfium_c.FPDFPageObj_GetBounds, INT, VP, VP, VP, VP, VP)


def _blank(obj: Any, matrix: Matrix, frame: PageFrame) -> dict[str, Any]:
    """One space of no width at the object's origin (PDFium's text objects
    carry the CTM they were drawn with: their matrix is in user space)."""
    size = ctypes.c_float()
    if not pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size)):
        size.value = 0.0
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    descent = font_descent(font, size.value) if font else 0.0
    a, b, c, d, e, f = matrix
    return _char(" ", (e, f), 0.0, size.value, descent, mult((a, b, c, d, 0.0, 0.0), frame.ctm), frame)


def _rotated_advance(raw: Any, index: int, linear: Matrix) -> float:
    """Text turned a quarter in user space has no width in PDFium's loose box
    (it uses the matrix's ``a``); the glyph's ink along the baseline is the
    nearest stand-in, narrower than the advance by the side bearings."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(raw, index, *(ctypes.byref(v) for v in (left, right, bottom, top)))
    scale = abs(linear[0]) + abs(linear[1])
    extent = max(right.value - left.value, top.value - bottom.value)
    return extent / scale if scale else 0.0


def _char(text: str, origin: Point, advance: float, size: float, descent: float, linear: Matrix, frame: PageFrame) -> dict[str, Any]:
    """pdfplumber's char dict of one glyph (:func:`parsers.pdf.pdfium.glyphs.char_box`)."""
    x0, x1, top, bottom, width, height = char_box(origin, advance, size, descent, linear, frame)
    a, b, c, d, _, _ = linear
    return {
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": width,
        "height": height,
        "size": height,
        "upright": a * d > 0 and b * c <= 0,
    }
