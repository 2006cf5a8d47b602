"""Page images (PNG, JPEG, TIFF) read by OCR into the table model.

One file is one document: a PNG or JPEG is one page, a TIFF one page per
frame.  A document scanned to one image per page is read with
:func:`parse_images`, pages in the order given.

The image's resolution, where the file states it, gives pixels per point;
otherwise the page is taken to be A4 (see :func:`parsers.ocr.grid.scale_of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Note, RawDocument
from duty_lists.parsers.ocr.text import NEEDS_EXTRA, ocr_available

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions
    from duty_lists.parsers.ocr.options import OcrOptions
    from PIL import Image as PILImage

#: Points per inch, as in :mod:`parsers.pdf.scanned` (not imported from there:
#: that module needs the OCR extra, and this one must load without it to
#: say the extra is missing).
PT_PER_INCH = 72.0

#: A stated resolution below this is a placeholder (72 or 96 "dpi" written
#: by software that never knew the scan's), not a measurement.
MIN_BELIEVABLE_DPI = 100


def _frames(path: Path) -> list[tuple[np.ndarray, float]]:
    """Every frame of an image file as (pixels, pixels per point)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            frames, pixels = [], 0
            for frame in ImageSequence.Iterator(image):
                pixels += frame.size[0] * frame.size[1]
                _check_pixels(pixels, frame, path)
                frames.append(_grey(frame))
            return frames
    except Image.DecompressionBombError as exc:
        raise ParseError(f"图像过大 (image too large: {exc})", path=str(path)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        # Name the format the file's first bytes claim: a file named .pdf
        # that is a broken PNG should say PNG.
        kind = _claimed_format(path)
        raise ParseError(f"{kind} 图像无法读取 (unreadable {kind} image: {exc})", path=str(path)) from exc


#: Pixels one image file may have (all its frames): an A0 scan at 300 dpi is 140 million; a
#: page of a duty list at the OCR's 150–300 dpi is under 10 million.
MAX_PIXELS = 60_000_000


def _check_pixels(pixels: int, frame: PILImage.Image, path: Path) -> None:
    """Refuse a frame before decoding it when the file's pixels so far are beyond
    any scanned list (a 32 KB PNG can be 12000×12000)."""
    if pixels > MAX_PIXELS:
        width, height = frame.size
        raise ParseError(f"图像过大 (image too large: {width}×{height} pixels, {pixels} in all > {MAX_PIXELS})",
                         path=str(path))


def _claimed_format(path: Path) -> str:
    from duty_lists.parsers.detect import sniff_file

    try:
        return sniff_file(path).upper()
    except (ParseError, OSError):
        return path.suffix.lstrip(".").upper() or "?"



def _grey(frame: PILImage.Image) -> tuple[np.ndarray, float]:
    """A frame's pixels — RGB where it has colour, so a seal can be taken
    out (:mod:`parsers.ocr.scan`), grey otherwise — and pixels per point."""
    from duty_lists.parsers.ocr.grid import scale_of

    coloured = frame.mode not in ("1", "L", "LA", "I", "I;16", "F")
    grey = np.asarray(frame.convert("RGB" if coloured else "L"), dtype=np.uint8)
    dpi = frame.info.get("dpi")
    x_dpi = float(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] else 0.0
    scale = x_dpi / PT_PER_INCH if x_dpi >= MIN_BELIEVABLE_DPI else scale_of(grey)
    return grey, scale


def parse_images(paths: Sequence[Path], options: ParseOptions | OcrOptions | None = None) -> RawDocument:
    """One document from page images, pages in the order of ``paths``."""
    if not paths:
        raise ParseError("没有图像 (no page images given)")
    if not ocr_available():
        raise ParseError(NEEDS_EXTRA, path=str(paths[0]))
    from duty_lists.parsers.ocr.jobs import ocr_images, ocr_notes
    from duty_lists.parsers.ocr.options import OcrOptions

    frames = [frame for path in paths for frame in _frames(path)]
    results = ocr_images(frames, OcrOptions.from_parse_options(options))
    doc = RawDocument(path=str(paths[0]), format="image", pages=len(frames), ocr_pages=list(range(1, len(frames) + 1)))
    for result in results:
        doc.blocks.extend(result.blocks)
        if result.printed_page is not None:
            doc.printed_pages[result.page] = result.printed_page
    if len(paths) > 1:
        order = ", ".join(p.name for p in paths)
        doc.notes.append(Note("reader.images", f"{len(paths)} image files read as one document, in this order: {order}"))
    doc.notes.extend(ocr_notes(results))
    return doc


def parse(path: Path, options: ParseOptions | None = None) -> RawDocument:
    """The registry's entry: one image file (every frame of a TIFF) as one document."""
    return parse_images([path], options)

