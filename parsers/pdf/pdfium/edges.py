"""pdfplumber's ``page.edges`` from PDFium's painted paths.

Each path's subpaths are rebuilt in pdfminer's terms — operators and
device-space points (:func:`iter_subpaths`) — classified as pdfminer
classifies them, a line, a rect or a curve (:func:`classify`), and turned
into edges by pdfplumber's own functions, so that the table finder sees the
edges the reference reader would give it.  Ruling only, never text
(that is :mod:`parsers.pdf.pdfium.chars`), hence a module of its own.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from duty_lists.parsers.pdf.pdfium.calls import object_matrix, page_objects, typed
from duty_lists.parsers.pdf.pdfium.frame import Matrix, PageFrame, Point, apply, mult
from duty_lists.parsers.pdf.shading import is_shading
from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

#: One subpath as pdfminer's paint_path sees it: (operator, end point) pairs in
#: device space, ``h`` standing at the subpath's start.
Subpath = list[tuple[str, Point]]


def page_edges(page: pdfium.PdfPage, frame: PageFrame) -> list[dict[str, Any]]:
    """pdfplumber's ``page.edges``: edges of lines, then of rects, then of curves."""
    lines: list[dict[str, Any]] = []
    rects: list[dict[str, Any]] = []
    curves: list[dict[str, Any]] = []
    for subpath, fill, stroke in iter_subpaths(page.raw, frame.ctm):
        kind, obj = classify(subpath, frame)
        # How it is painted, as pdfminer records it: a filled, unstroked
        # rect is shading (``parsers.pdf.shading``), not a frame of rules.
        obj["shading"] = is_shading(kind, obj.get("width", 0.0), obj.get("height", 0.0), fill, stroke)
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


def iter_subpaths(page: Any, ctm: Matrix) -> Iterator[tuple[Subpath, bool, bool]]:
    """Subpaths of every painted path on the page, in content order, form
    XObjects included (pdfminer flattens them where they are drawn), each
    with whether its path is filled and whether it is stroked."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    for address_, outer in page_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH, ctm):
        obj = typed(address_)
        pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
        painted = (fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE, bool(stroke.value))
        for subpath in _subpaths(obj, mult(object_matrix(obj), outer)):
            yield subpath, *painted


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
