"""PDFium called by address: functions without pypdfium2's per-call checks, and a page's objects walked with them.

pypdfium2's typed wrappers check and convert every argument, which costs
more than the call itself when it is made for every character or object of
a page — and LibreOffice writes a text object per character.
:func:`direct` makes a function that takes plain addresses, and
:func:`page_objects` walks a page's objects that way, opening form XObjects
where they are drawn as pdfminer flattens them.  Shared by the characters
(:mod:`parsers.pdf.pdfium.chars`, :mod:`parsers.pdf.pdfium.glyphs`), the ruling
edges (:mod:`parsers.pdf.pdfium.edges`) and the lean path's per-character loop
(:mod:`parsers.pdf.pdfium.lean`).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

import pypdfium2.raw as pdfium_c
from duty_lists.parsers.pdf.pdfium.frame import IDENTITY, Matrix, mult


def direct(function: Any, restype: Any, *argtypes: Any) -> Any:
    """``function`` called with plain addresses: pypdfium2's typed wrappers
    check and convert each argument, which costs more than the call itself
    when made for every character of a page."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if address is None:
        raise ValueError(f"PDFium function {function!r} has no address")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def address(pointer: Any) -> int:
    """A PDFium handle as the plain address :func:`direct` functions take (0 for NULL)."""
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


#: The argument types of :func:`direct` calls: addresses and ints.
VP, INT = ctypes.c_void_p, ctypes.c_int


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


_count_objects = direct(pdfium_c.FPDFPage_CountObjects, INT, VP)
_get_object = direct(pdfium_c.FPDFPage_GetObject, VP, VP, INT)
_object_type = direct(pdfium_c.FPDFPageObj_GetType, INT, VP)
_form_count = direct(pdfium_c.FPDFFormObj_CountObjects, INT, VP)
_form_object = direct(pdfium_c.FPDFFormObj_GetObject, VP, VP, ctypes.c_ulong)
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
            yield from _walk(inner, wanted, mult(object_matrix(typed(obj)), outer))


def object_matrix(obj: Any) -> Matrix:
    """The matrix a page object (a typed handle) was drawn with; identity
    where PDFium has none."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)
