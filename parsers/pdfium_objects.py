"""PDFium's objects in pdfplumber's form: page frame, chars and ruling edges.

The conversion half of the PDFium reader (see :mod:`parsers.pdf_pdfium`):
characters with pdfminer's boxes and the straight segments of painted paths,
as the plain dicts pdfplumber would have made of them, so that the reference
reader's own code — and pdfplumber's ``TableFinder`` — can run on them.
Coordinates follow pdfplumber: PDF points, ``top`` measured down from the
top of the page, the page's ``/Rotate`` and MediaBox origin applied as
pdfminer applies them.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.fontmetrics import FONT_METRICS
from pdfplumber.table import Table, TableFinder
from pdfplumber.utils import curve_to_edges, extract_words, line_to_edge, rect_to_edges

from .pdf_layout import Char

#: An affine transform (a, b, c, d, e, f) in PDF's row-vector convention.
Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def direct(function: Any, restype: Any, *argtypes: Any) -> Any:
    """``function`` called with plain addresses: pypdfium2's typed wrappers
    check and convert each argument, which costs more than the call itself
    when made for every character of a page."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def address(pointer: Any) -> int:
    """A PDFium handle as the plain address :func:`direct` functions take (0 for NULL)."""
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


_VP, _INT = ctypes.c_void_p, ctypes.c_int
_object_font = direct(pdfium_c.FPDFTextObj_GetFont, _VP, _VP)
_object_font_size = direct(pdfium_c.FPDFTextObj_GetFontSize, _INT, _VP, _VP)
_char_font_size = direct(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _VP, _INT)
_char_matrix = direct(pdfium_c.FPDFText_GetMatrix, _INT, _VP, _INT, _VP)


# --------------------------------------------------------------------------- one page


@dataclass(slots=True)
class PdfiumPage:
    """One page as pdfplumber would present it: plain dicts in its coordinates.

    ``read_page_objects`` takes ``chars`` (through :func:`as_char`) and
    ``edges`` and reads ``height``, ``page_number`` and ``find_tables``;
    ``TableFinder`` reads ``bbox`` and, for the horizontal-rules fallback,
    ``extract_words``.  Nothing holds on to PDFium, so the page can be closed.
    """

    page_number: int
    bbox: tuple[float, float, float, float]
    chars: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    def find_tables(self, table_settings: dict[str, Any]) -> list[Table]:
        return TableFinder(self, table_settings).tables  # type: ignore[arg-type]  # duck-typed Page

    def extract_words(self, **kwargs: Any) -> list[dict[str, Any]]:
        return extract_words(self.chars, **kwargs)


def as_char(obj: dict[str, Any]) -> Char:
    """The layout's character from a pdfplumber-shaped char dict."""
    return Char(
        text=obj["text"],
        x0=float(obj["x0"]),
        x1=float(obj["x1"]),
        top=float(obj["top"]),
        bottom=float(obj["bottom"]),
        size=float(obj["size"]),
    )


@dataclass(frozen=True, slots=True)
class PageFrame:
    """pdfminer's page transform plus pdfplumber's flip to a top-left origin."""

    #: PDF user space → pdfminer's device space (rotation, MediaBox origin at 0).
    ctm: Matrix
    #: pdfplumber's MediaBox: (x0, top, x1, bottom) after rotation and flip.
    bbox: tuple[float, float, float, float]

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> PageFrame:
        return cls.from_box(page.get_mediabox(), page.get_rotation())

    @classmethod
    def from_box(cls, mediabox: tuple[float, float, float, float], rotation: int) -> PageFrame:
        x0, y0, x1, y1 = mediabox
        rotation %= 360
        # pdfminer's PDFPageInterpreter.process_page
        ctm: Matrix = {
            90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
            180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
            270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
        }.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
        # pdfplumber's Page.__init__: _normalize_box, then _invert_box
        lo_x, hi_x = sorted((x0, x1))
        lo_y, hi_y = sorted((y0, y1))
        box = (lo_y, lo_x, hi_y, hi_x) if rotation in (90, 270) else (lo_x, lo_y, hi_x, hi_y)
        height = box[3] - box[1]
        return cls(ctm=ctm, bbox=(box[0], height - box[3], box[2], height - box[1]))

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    def top(self, y: float) -> float:
        """pdfplumber's ``top`` for a device-space ``y`` (Page.process_object)."""
        return (self.height - y) + self.bbox[1]

    def x(self, x: float) -> float:
        return x + self.bbox[0] if self.bbox[0] != 0 else x


def mult(m1: Matrix, m0: Matrix) -> Matrix:
    """``m1`` then ``m0`` (pdfminer's mult_matrix)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def apply(m: Matrix, point: Point) -> Point:
    a, b, c, d, e, f = m
    x, y = point
    return a * x + c * y + e, b * x + d * y + f


# --------------------------------------------------------------------------- paths → edges

#: One subpath as pdfminer's paint_path sees it: (operator, end point) pairs in
#: device space, ``h`` standing at the subpath's start.
Subpath = list[tuple[str, Point]]


def page_edges(page: pdfium.PdfPage, frame: PageFrame) -> list[dict[str, Any]]:
    """pdfplumber's ``page.edges``: edges of lines, then of rects, then of curves."""
    lines: list[dict[str, Any]] = []
    rects: list[dict[str, Any]] = []
    curves: list[dict[str, Any]] = []
    for subpath in iter_subpaths(page.raw, frame.ctm):
        kind, obj = classify(subpath, frame)
        if kind == "line":
            lines.append(obj)
        elif kind == "rect":
            rects.append(obj)
        elif kind == "curve":
            curves.append(obj)
    edges = [line_to_edge(obj) for obj in lines]
    for obj in rects:
        edges.extend(rect_to_edges(obj))
    for obj in curves:
        edges.extend(curve_to_edges(obj))
    return edges


def iter_subpaths(page: Any, ctm: Matrix) -> Iterator[Subpath]:
    """Subpaths of every painted path on the page, in content order, form
    XObjects included (pdfminer flattens them where they are drawn)."""
    for address_, outer in page_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH, ctm):
        obj = typed(address_)
        yield from _subpaths(obj, mult(_matrix(obj), outer))


def page_objects(page: Any, kind: int, ctm: Matrix = IDENTITY) -> Iterator[tuple[int, Matrix]]:
    """The page's objects of one ``kind`` in content order, as addresses
    (:func:`typed` turns one back into a handle), each with the matrix of the
    form XObjects around it (times ``ctm``): forms are opened where they are
    drawn, as pdfminer flattens them.

    Walked by address (:func:`direct` calls): LibreOffice writes a text
    object per character, so a page holds thousands of objects.
    """
    handle = address(page)
    count = _count_objects(handle)
    yield from _walk([_get_object(handle, i) for i in range(count)], kind, ctm)


_count_objects = direct(pdfium_c.FPDFPage_CountObjects, _INT, _VP)
_get_object = direct(pdfium_c.FPDFPage_GetObject, _VP, _VP, _INT)
_object_type = direct(pdfium_c.FPDFPageObj_GetType, _INT, _VP)
_form_count = direct(pdfium_c.FPDFFormObj_CountObjects, _INT, _VP)
_form_object = direct(pdfium_c.FPDFFormObj_GetObject, _VP, _VP, ctypes.c_ulong)
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM


def typed(obj: int) -> Any:
    """A page object's address as PDFium's typed handle."""
    return ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT)


def _walk(objects: list[int], wanted: int, outer: Matrix) -> Iterator[tuple[int, Matrix]]:
    for obj in objects:
        kind = _object_type(obj)
        if kind == wanted:
            yield obj, outer
        elif kind == _FORM:
            inner = [_form_object(obj, i) for i in range(_form_count(obj))]
            yield from _walk(inner, wanted, mult(_matrix(typed(obj)), outer))


def _matrix(obj: Any) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _subpaths(obj: Any, matrix: Matrix) -> Iterator[Subpath]:
    """Rebuild pdfminer's operator string from PDFium's points: each Bézier
    (three points) is one ``c``; a closed figure ends in ``h``."""
    x, y = ctypes.c_float(), ctypes.c_float()
    current: Subpath = []
    bezier = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = apply(matrix, (x.value, y.value))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if current:
                yield current
            current = [("m", point)]
            bezier = 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:
                current.append(("c", point))
        else:
            current.append(("l", point))
        if pdfium_c.FPDFPathSegment_GetClose(segment) and current:
            current.append(("h", current[0][1]))
    if current:
        yield current


def classify(subpath: Subpath, frame: PageFrame) -> tuple[str, dict[str, Any]]:
    """What pdfminer makes of one subpath — a line, a rect or a curve — as
    the dict pdfplumber builds from it (paint_path, then process_object)."""
    shape = "".join(op for op, _ in subpath)
    pts = [point for _, point in subpath]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        return "line", _plumber_obj("line", pts[:2], frame)
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            return "rect", _plumber_obj("rect", [pts[0], pts[2]], frame)
    if not shape.startswith("m"):
        return "none", {}
    return "curve", _plumber_obj("curve", pts, frame)


def _plumber_obj(kind: str, pts: list[Point], frame: PageFrame) -> dict[str, Any]:
    x0 = min(x for x, _ in pts)
    x1 = max(x for x, _ in pts)
    y0 = min(y for _, y in pts)
    y1 = max(y for _, y in pts)
    top, bottom = frame.top(y1), frame.top(y0)
    obj: dict[str, Any] = {
        "object_type": kind,
        "x0": frame.x(x0),
        "x1": frame.x(x1),
        "y0": y0,
        "y1": y1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": y1 - y0,
    }
    if kind == "curve":
        # pdfplumber's point2coord: pdfminer's device points, flipped
        obj["pts"] = [(frame.bbox[0] + x, frame.bbox[1] + frame.height - y) for x, y in pts]
    return obj


# --------------------------------------------------------------------------- text page → chars


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
    fonts: dict[int, tuple[float, float, Matrix, float]] = {}
    descents: dict[tuple[int, float], float] = {}
    chars: list[dict[str, Any]] = []
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        if pdfium_c.FPDFText_IsGenerated(raw, index) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        key = address(pdfium_c.FPDFText_GetTextObject(raw, index))
        if key not in fonts:
            fonts[key] = font_metrics(raw_address, index, key, frame.ctm, descents)
        size, descent, linear, user_a = fonts[key]
        pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(origin_x), ctypes.byref(origin_y))
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(loose))
        if user_a:
            # PDFium's loose box spans origin .. origin + advance × the
            # user-space matrix's ``a``; the advance in text space follows.
            advance = (loose.right - loose.left) / user_a
            if user_a > 0 and not is_anchored(loose.left, origin_x.value):
                advance = piece_advance(char_text(code), size, advance)
        else:
            advance = _rotated_advance(raw, index, linear)
        chars.append(_char(char_text(code), (origin_x.value, origin_y.value), advance, size, descent, linear, frame))
    chars.extend(blank_chars(textpage.page.raw, frame))
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

#: PDFium's ``kSizeEpsilon``: a text object narrower than this is skipped.
BLANK_WIDTH = 0.01


def blank_chars(page: Any, frame: PageFrame) -> list[dict[str, Any]]:
    """A space character for every text object on ``page`` (a raw
    ``FPDF_PAGE``) that PDFium's text page skips for having no width, at the
    object's origin, with pdfminer's height and no width."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    box = [ctypes.addressof(v) for v in (left, bottom, right, top)]
    chars: list[dict[str, Any]] = []
    for address_, outer in page_objects(page, pdfium_c.FPDF_PAGEOBJ_TEXT):
        if not _bounds(address_, *box):
            continue
        if abs(right.value - left.value) < BLANK_WIDTH:
            obj = typed(address_)
            chars.append(_blank(obj, mult(_matrix(obj), outer), frame))
    return chars


_bounds = direct(pdfium_c.FPDFPageObj_GetBounds, _INT, _VP, _VP, _VP, _VP, _VP)


def _blank(obj: Any, matrix: Matrix, frame: PageFrame) -> dict[str, Any]:
    """One space of no width at the object's origin (PDFium's text objects
    carry the CTM they were drawn with: their matrix is in user space)."""
    size = ctypes.c_float()
    if not pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size)):
        size.value = 0.0
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    descent = _descent(font, size.value) if font else 0.0
    a, b, c, d, e, f = matrix
    return _char(" ", (e, f), 0.0, size.value, descent, mult((a, b, c, d, 0.0, 0.0), frame.ctm), frame)


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


#: Unified ideographs (extension A, the main block, compatibility).
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _rotated_advance(raw: Any, index: int, linear: Matrix) -> float:
    """Text turned a quarter in user space has no width in PDFium's loose box
    (it uses the matrix's ``a``); the glyph's ink along the baseline is the
    nearest stand-in, narrower than the advance by the side bearings."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(raw, index, *(ctypes.byref(v) for v in (left, right, bottom, top)))
    scale = abs(linear[0]) + abs(linear[1])
    extent = max(right.value - left.value, top.value - bottom.value)
    return extent / scale if scale else 0.0


def font_metrics(
    raw: int, index: int, text_obj: int, ctm: Matrix, descents: dict[tuple[int, float], float]
) -> tuple[float, float, Matrix, float]:
    """Font size (``Tf``), descent at that size, the character matrix (text
    matrix × CTM × page transform) without its translation, and the ``a`` of
    that matrix in user space.  ``raw`` (text page) and ``text_obj`` are
    addresses (:func:`address`).

    Asked once per text object, and LibreOffice writes nearly every character
    as a text object of its own, hence the direct calls and ``descents``, the
    descent per (font, size) for one page: asking PDFium for the font's name
    and descent each time was half the cost of reading a page.
    """
    size = ctypes.c_float()
    if not _object_font_size(text_obj, ctypes.addressof(size)):
        size.value = _char_font_size(raw, index)
    font = _object_font(text_obj) or 0
    if not font:
        descent = 0.0
    else:
        key = (font, size.value)
        descent = descents.get(key)
        if descent is None:
            descent = descents[key] = _descent(ctypes.cast(font, pdfium_c.FPDF_FONT), size.value)
    m = pdfium_c.FS_MATRIX()
    _char_matrix(raw, index, ctypes.addressof(m))
    a, b, c, d, _, _ = mult((m.a, m.b, m.c, m.d, 0.0, 0.0), ctm)
    return size.value, descent, (a, b, c, d, 0.0, 0.0), m.a


def _descent(font: Any, size: float) -> float:
    """The font's descent at ``size`` as pdfminer takes it: the standard 14
    fonts, which PDFs name without describing, from pdfminer's own AFM
    metrics (PDFium measures its substitute font); others from /Descent."""
    name = ctypes.create_string_buffer(128)
    length = pdfium_c.FPDFFont_GetBaseFontName(font, name, len(name))
    base = name.value.decode("latin-1") if 0 < length <= len(name) else ""
    if base in FONT_METRICS and not pdfium_c.FPDFFont_GetIsEmbedded(font):
        return -abs(float(FONT_METRICS[base][0]["Descent"])) * 0.001 * size
    value = ctypes.c_float()
    if not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size), ctypes.byref(value)):
        return 0.0
    # pdfminer forces /Descent negative (PScript5 writes it positive)
    return -abs(value.value)


def _char(text: str, origin: Point, advance: float, size: float, descent: float, linear: Matrix, frame: PageFrame) -> dict[str, Any]:
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
