"""Page OCR over many pages, ``jobs`` at a time, and the note that sums a run up.

Separate from the page itself (:mod:`parsers.ocr.page`) because how many
pages run at once is a property of the run, not of a page, and the same
worker pool serves PDF pages (:mod:`parsers.pdf.scanned`, which renders in the
worker) and page images (:func:`ocr_images`, which sends the pixels).  The
OCR extra is checked here, once per run, before any worker starts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.model import Note
from duty_lists.parsers.ocr.options import OcrOptions
from duty_lists.parsers.ocr.page import PageOcr, ocr_page_image
from duty_lists.parsers.ocr.text import NEEDS_EXTRA, engine_id, ocr_available


def require_ocr() -> None:
    """Fail with the one line naming the OCR extra when it is not installed."""
    if not ocr_available():
        raise ParseError(NEEDS_EXTRA)


def run_pages(work: Callable[..., PageOcr], calls: Sequence[tuple[Any, ...]], jobs: int) -> list[PageOcr]:
    """``work(*call)`` for every call, ``jobs`` worker processes at a time, in call order.

    One page, or one job, runs in this process: a pool costs more than it
    saves there.  ``work`` must be a module-level function (it is pickled).
    """
    if jobs == 1 or len(calls) <= 1:
        return [work(*call) for call in calls]
    with ProcessPoolExecutor(max_workers=min(jobs, len(calls))) as pool:
        futures = [pool.submit(work, *call) for call in calls]
        return [future.result() for future in futures]


def ocr_images(images: Sequence[tuple[np.ndarray, float]], options: OcrOptions, first_page: int = 1) -> list[PageOcr]:
    """OCR page images ``(grey or RGB pixels, pixels per point)``, numbered from ``first_page``."""
    require_ocr()
    calls = [(image, first_page + i, scale, options) for i, (image, scale) in enumerate(images)]
    return run_pages(ocr_page_image, calls, options.jobs)


def ocr_notes(results: Sequence[PageOcr]) -> list[Note]:
    """What a document read by OCR tells: the user that its text is a machine's
    reading (the recogniser confuses ，and 、 at 100 dpi with full confidence,
    so no per-cell score can stand in for checking against the original), and
    the maintainer how the reading went."""
    pages = "、".join(str(r.page) for r in results)
    return [
        Note("source.ocr_read", f"第 {pages} 页为扫描图像，经 OCR 识别读取"),
        Note("reader.ocr", summary(results)),
    ]


def summary(results: Sequence[PageOcr]) -> str:
    """One note line: how many pages, from cache, time per page, rules fired."""
    fixes: Counter[str] = Counter()
    for result in results:
        fixes.update(result.fixes)
    read = [r.seconds for r in results if not r.cached]
    timing = f", {sum(read) / len(read):.1f} s/page OCR'd" if read else ""
    deskewed, resized = sum(r.deskewed for r in results), sum(r.resized != 1.0 for r in results)
    scans = f", {deskewed} turned level, {resized} resized" if deskewed or resized else ""
    fired = ", ".join(f"{name}×{count}" for name, count in sorted(fixes.items()))
    return (
        f"OCR {engine_id()}: {len(results)} pages, {sum(r.cached for r in results)} from cache{timing}{scans}, "
        f"{sum(r.tables for r in results)} tables, {sum(r.reread for r in results)} cells read again"
        + (f"; fixes: {fired}" if fired else "")
    )
