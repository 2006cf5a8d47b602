"""One glyph's box as pdfminer makes it, from PDFium's values.

pdfminer's box of a character runs from its origin, advance × (descent,
descent + font size) in text space, through the character's matrix — not
PDFium's loose box, whose height is the font's ascent − descent scaled to
the font size.  Here are the pieces of that box: the font size and descent
(:func:`font_metrics`, :func:`font_descent`), the advance where PDFium's box
does not give it (:func:`is_anchored`, :func:`piece_advance`) and the box
itself (:func:`char_box`).  Both PDFium paths call them —
:func:`parsers.pdf.pdfium.chars.page_chars` for the conversion and
:func:`parsers.pdf.pdfium.lean.read_chars` in its per-character loop — so the
two agree by construction.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c
from duty_lists.parsers.pdf.pdfium.calls import INT, VP, direct
from duty_lists.parsers.pdf.pdfium.frame import Matrix, PageFrame, Point, apply, mult
from duty_lists.parsers.unicode_ranges import IDEOGRAPH
from pdfminer.fontmetrics import FONT_METRICS

_object_font = direct(pdfium_c.FPDFTextObj_GetFont, VP, VP)
_object_font_size = direct(pdfium_c.FPDFTextObj_GetFontSize, INT, VP, VP)
_char_font_size = direct(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, VP, INT)
_char_matrix = direct(pdfium_c.FPDFText_GetMatrix, INT, VP, INT, VP)


#: How far (points) PDFium's loose box may start from the character's origin
#: and still be the advance box (they are the same number, once as a float).
ANCHOR_TOLERANCE = 0.01


def is_anchored(left: float, origin_x: float) -> bool:
    """Does PDFium's loose box start at the character's origin, as it does
    for every character it read as drawn?  (Asked for text running left to
    right in user space, where the box's left side is the origin.)

    Characters PDFium made by Unicode normalisation (a Kangxi radical that a
    browser's ToUnicode map gives for an ideograph, 人 for ⼈) get the
    glyph's ink box instead, which starts at the left side bearing and is
    narrower than the advance: read as it is, it leaves a gap after the
    character that pdfminer, which keeps the radical, does not see.
    """
    return abs(left - origin_x) <= ANCHOR_TOLERANCE


def piece_advance(text: str, size: float, ink: float) -> float:
    """The text-space advance of a character whose loose box is its ink box
    (see :func:`is_anchored`).  PDFium's normalisation turns radicals and
    compatibility ideographs into unified ideographs, and an ideograph's
    advance is one em in every CJK font — the font size, as pdfminer reads
    it from the font's widths.  Other pieces (a ligature split into its
    letters) keep the ink width: nothing better is known of them."""
    return size if _IDEOGRAPH.match(text) else ink


_IDEOGRAPH = IDEOGRAPH


def font_metrics(
    raw: int,
    index: int,
    text_obj: int,
    ctm: Matrix,
    descents: dict[tuple[int, float], float],
    declared: dict[int, DeclaredWidths | None],
) -> tuple[float, float, Matrix, float, DeclaredWidths | None]:
    """Font size (``Tf``), descent at that size, the character matrix (text
    matrix × CTM × page transform) without its translation, the ``a`` of
    that matrix in user space, and the font's declared widths if the PDF does
    not embed it (:class:`DeclaredWidths`; ``None`` for an embedded font).
    ``raw`` (text page) and ``text_obj`` are addresses
    (:func:`parsers.pdf.pdfium.calls.address`).

    Asked once per text object, and LibreOffice writes nearly every character
    as a text object of its own, hence the direct calls and ``descents``, the
    descent per (font, size) for one page: asking PDFium for the font's name
    and descent each time was half the cost of reading a page.  ``declared``
    keeps each font's :class:`DeclaredWidths` for the page in the same way.
    """
    size = ctypes.c_float()
    if not _object_font_size(text_obj, ctypes.addressof(size)):
        size.value = _char_font_size(raw, index)
    font = _object_font(text_obj) or 0
    widths = None
    if not font:
        descent = 0.0
    else:
        key = (font, size.value)
        known = descents.get(key)
        if known is None:
            known = descents[key] = font_descent(ctypes.cast(font, pdfium_c.FPDF_FONT), size.value)
        descent = known
        if font in declared:
            widths = declared[font]
        else:
            widths = declared[font] = DeclaredWidths.of(font)
    m = pdfium_c.FS_MATRIX()
    _char_matrix(raw, index, ctypes.addressof(m))
    a, b, c, d, _, _ = mult((m.a, m.b, m.c, m.d, 0.0, 0.0), ctm)
    return size.value, descent, (a, b, c, d, 0.0, 0.0), m.a, widths


_is_embedded = direct(pdfium_c.FPDFFont_GetIsEmbedded, INT, VP)
_glyph_width = direct(pdfium_c.FPDFFont_GetGlyphWidth, INT, VP, ctypes.c_uint, ctypes.c_float, VP)


class DeclaredWidths:
    """The advance widths a PDF declares for a font it does not embed.

    PDFium draws such a font with whatever font the machine has that looks
    like it, and its loose character box runs to the right edge of that
    substitute's glyph where the glyph is wider than the declared advance
    (``.`` or ``1`` of STSong-Light: 238 and 462 declared, 311 or 474 drawn,
    depending on the fonts installed).  pdfminer measures every character by
    the widths the PDF declares (``/W`` and ``/DW`` of a CID font, or
    ``/Widths``), and so do these: PDFium's ``FPDFFont_GetGlyphWidth`` maps
    the character back to its code and reads the font dictionary's width,
    the same on every machine.  An embedded font is its own glyphs, so its
    loose boxes are read as before.
    """

    __slots__ = ("_font", "_units")

    def __init__(self, font: int) -> None:
        self._font = font
        self._units: dict[int, float] = {}

    @classmethod
    def of(cls, font: int) -> DeclaredWidths | None:
        """The declared widths of ``font`` (an address), ``None`` if embedded."""
        return None if _is_embedded(font) else cls(font)

    def advance(self, code: int, size: float) -> float:
        """The advance of the character ``code`` (Unicode) at ``size``, in
        text space, as pdfminer computes it (width × 0.001 × size)."""
        unit = self._units.get(code)
        if unit is None:
            width = ctypes.c_float()
            # Asked at 1000 so the float PDFium returns is the declared
            # integer itself, then scaled in double precision as pdfminer does.
            if not _glyph_width(self._font, code, 1000.0, ctypes.addressof(width)):
                width.value = 0.0
            unit = self._units[code] = width.value * 0.001
        return unit * size


def font_descent(font: Any, size: float) -> float:
    """The font's descent at ``size`` as pdfminer takes it: the standard 14
    fonts, which PDFs name without describing, from pdfminer's own AFM
    metrics (PDFium measures its substitute font); others from /Descent."""
    base = font_name(font)
    if base in FONT_METRICS and not pdfium_c.FPDFFont_GetIsEmbedded(font):
        descent = FONT_METRICS[base][0]["Descent"]
        assert isinstance(descent, float)  # pdfminer's AFM table types its values as object
        return -abs(descent) * 0.001 * size
    value = ctypes.c_float()
    if not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size), ctypes.byref(value)):
        return 0.0
    # pdfminer forces /Descent negative (PScript5 writes it positive)
    return -abs(value.value)


def font_name(font: Any) -> str:
    """The font's /BaseFont ("" if PDFium has none, or a longer one)."""
    name = ctypes.create_string_buffer(128)
    length = pdfium_c.FPDFFont_GetBaseFontName(font, name, len(name))
    return name.value.decode("latin-1") if 0 < length <= len(name) else ""


def char_box(
    origin: Point, advance: float, size: float, descent: float, linear: Matrix, frame: PageFrame
) -> tuple[float, float, float, float, float, float]:
    """pdfminer's box of one glyph as pdfplumber gives it: x0, x1, top,
    bottom, width and height — the last is pdfplumber's ``size``, not ``Tf``.
    Width and height come from device space, as pdfminer's do, so they are
    not recomputed from the shifted coordinates (the last bits would differ)."""
    a, b, c, d, _, _ = linear
    ox, oy = apply(frame.ctm, origin)
    x0, y0, x1, y1 = _rect_through((a, b, c, d, ox, oy), (0.0, descent, advance, descent + size))
    return frame.x(x0), frame.x(x1), frame.top(y1), frame.top(y0), x1 - x0, y1 - y0


def _rect_through(m: Matrix, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """pdfminer's apply_matrix_rect: the upright box around a transformed rectangle."""
    x0, y0, x1, y1 = rect
    a, b, c, d, e, f = m
    if b == 0 and c == 0:
        # Upright text, nearly every character: two corners suffice, and the
        # arithmetic is the same as apply()'s, so the result is too.
        left, right = sorted((a * x0 + c * y0 + e, a * x1 + c * y0 + e))
        low, high = sorted((b * x0 + d * y0 + f, b * x0 + d * y1 + f))
        return left, low, right, high
    corners = [apply(m, point) for point in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def char_text(code: int) -> str:
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "\ufffd"
