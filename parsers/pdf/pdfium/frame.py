"""Where PDFium's coordinates land: pdfminer's page transform, pdfplumber's flip, and their matrix arithmetic.

Every position the PDFium reader hands on goes through a :class:`PageFrame`,
so that it lands where pdfminer and pdfplumber would put it: PDF points,
``top`` measured down from the top of the page, the page's ``/Rotate`` and
MediaBox origin applied as pdfminer applies them.  Pure arithmetic, kept
apart from the calls into PDFium (:mod:`parsers.pdf.pdfium.calls`) so that it
reads and tests on its own; the characters (:mod:`parsers.pdf.pdfium.chars`,
:mod:`parsers.pdf.pdfium.glyphs`), the ruling edges (:mod:`parsers.pdf.pdfium.edges`)
and the lean path (:mod:`parsers.pdf.pdfium.lean`) all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pypdfium2 as pdfium

#: An affine transform (a, b, c, d, e, f) in PDF's row-vector convention.
Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


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
