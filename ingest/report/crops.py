"""Crops of the PDF page region each item was read from, for the HTML report.

A reviewer should see what the parser saw without opening the PDF: each
item's rows (``SourceRef.bbox``, in points from the page's top-left, set by
both PDF readers and by OCR) are rendered with PDFium at a low resolution,
grey, with a small margin, and embedded as PNG.  Only the region is rendered,
not the page.  Crops cost bytes, so a report gets them for the items with
findings first (in report order), then for other items, until a count or a
byte budget is spent (:class:`CropSettings`).

PNG encoding is deterministic (no timestamps, fixed compression), so the same
PDF gives the same report bytes.  A crop that cannot be made (no box, a page
out of range, a PDF that will not open) is left out: the report never fails
for a picture.
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from duty_lists.schema.records import Document, ListType, SourceRef

if TYPE_CHECKING:
    from pypdfium2 import PdfDocument

#: PDFium is not thread-safe; Dask workers may run threads.
_PDFIUM = threading.Lock()

#: Grey levels rounded to 16: a third smaller PNGs, no visible loss on printed text.
#: (``optimize=True`` would save another 2 % at five times the time.)
_SIXTEEN_GREYS = [value // 17 * 17 for value in range(256)]

ItemKey = tuple[ListType, int]  # (list_type, index of the item in its list)


@dataclass(frozen=True, slots=True)
class CropSettings:
    #: Resolution of the crops: legible CJK at 10.5 pt, about 14 KB a landscape row.
    dpi: int = 110
    #: Points added around the row's box on every side.
    margin: float = 6.0
    #: At most this many items get crops (items with findings first).
    max_items: int = 40
    #: How many of those may be items without findings.
    other_items: int = 0
    #: Crops stop once their PNGs pass this many bytes in total.
    max_bytes: int = 1_500_000
    grey: bool = True


@dataclass(frozen=True, slots=True)
class Crop:
    page: int
    png: bytes
    width: int
    height: int

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def crop_order(doc: Document, with_findings: Iterable[ItemKey], settings: CropSettings) -> list[ItemKey]:
    """Items to crop, in priority order: those with findings, then the others in list order."""
    first = list(dict.fromkeys(with_findings))
    seen = set(first)
    others = [
        (dl.list_type, index)
        for dl in doc.lists
        for index, item in enumerate(dl.items)
        if (dl.list_type, index) not in seen and any(ref.bbox for ref in item.provenance)
    ]
    return (first + others[: settings.other_items])[: settings.max_items]


def item_crops(
    doc: Document,
    source: Path | str | None,
    with_findings: Iterable[ItemKey] = (),
    settings: CropSettings | None = None,
    password: str | None = None,
) -> dict[ItemKey, list[Crop]]:
    """Crops per item (one per source row with a box), for a PDF source; empty for anything else."""
    settings = settings or CropSettings()
    if source is None or doc.source.format != "pdf" or settings.max_items <= 0:
        return {}
    items = {(dl.list_type, index): item for dl in doc.lists for index, item in enumerate(dl.items)}
    out: dict[ItemKey, list[Crop]] = {}
    spent = 0
    with _open(source, password) as pdf:
        if pdf is None:
            return {}
        for key in crop_order(doc, with_findings, settings):
            crops = [crop for ref in items[key].provenance if (crop := _crop(pdf, ref, settings)) is not None]
            size = sum(len(crop.png) for crop in crops)
            if not crops or spent + size > settings.max_bytes:
                continue
            spent += size
            out[key] = crops
    return out


@contextmanager
def _open(source: Path | str, password: str | None) -> Iterator[PdfDocument | None]:
    import pypdfium2

    with _PDFIUM:
        pdf = None
        # None last: a PDF with an owner password only opens without one, as the readers open it
        for attempt in dict.fromkeys((password, None)):
            try:
                pdf = pypdfium2.PdfDocument(str(source), password=attempt)
                break
            except (pypdfium2.PdfiumError, OSError):
                continue
        if pdf is None:
            yield None
            return
        try:
            yield pdf
        finally:
            pdf.close()


def _crop(pdf: PdfDocument, ref: SourceRef, settings: CropSettings) -> Crop | None:
    if ref.bbox is None or not 1 <= ref.page <= len(pdf):
        return None
    page = pdf[ref.page - 1]
    try:
        width, height = page.get_size()
        x0, top, x1, bottom = ref.bbox
        m = settings.margin
        crop = (max(0.0, x0 - m), max(0.0, height - bottom - m), max(0.0, width - x1 - m), max(0.0, top - m))
        if crop[0] + crop[2] >= width or crop[1] + crop[3] >= height:
            return None
        bitmap = page.render(scale=settings.dpi / 72, crop=crop, grayscale=settings.grey)
        image = bitmap.to_pil()
        if settings.grey:
            image = image.convert("L").point(_SIXTEEN_GREYS)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=6)
        return Crop(ref.page, buffer.getvalue(), image.width, image.height)
    finally:
        page.close()
