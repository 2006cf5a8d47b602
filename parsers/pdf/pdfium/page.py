"""One page as pdfplumber would present it, made of PDFium's objects.

The conversion half of the PDFium reader (see :mod:`parsers.pdf.pdfium.reader`)
turns PDFium's characters (:mod:`parsers.pdf.pdfium.chars`) and the straight
segments of painted paths (:mod:`parsers.pdf.pdfium.edges`) into the plain dicts
pdfplumber would have made of them, so that the reference reader's own
code — and pdfplumber's ``TableFinder`` — can run on them.
:class:`PdfiumPage` holds those dicts in place of pdfplumber's page, and
:func:`as_char` turns one of them into the layout's character.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from duty_lists.parsers.layout.geometry import Char
from pdfplumber.table import Table, TableFinder
from pdfplumber.utils import extract_words


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
        # TableFinder is annotated for pdfplumber's Page; it reads only bbox and
        # extract_words, which this stand-in has (pdfplumber declares no protocol for them).
        return TableFinder(self, table_settings).tables  # type: ignore[arg-type]

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
