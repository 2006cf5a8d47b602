"""How pages are OCR'd: the one validated options object every OCR stage takes.

Separate because everything OCR does — the page read (:mod:`parsers.ocr.page`),
the second reads (:mod:`parsers.ocr.read`), the footer band
(:mod:`parsers.ocr.footer`), the worker pool (:mod:`parsers.ocr.jobs`) — reads
it, and the readers that start OCR (the text-PDF reader, page images) build it
from ``ParseOptions`` without needing any stage.  The tolerances of the grid
finder, of the text assignment and of the scan clean-up live in their own
settings objects (:class:`~parsers.ocr.grid.GridSettings`,
:class:`~parsers.ocr.text.OcrSettings`, :class:`~parsers.ocr.scan.ScanSettings`);
this one holds them plus what concerns a whole run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from duty_lists.parsers.ocr.cache import default_cache_dir
from duty_lists.parsers.ocr.grid import DEFAULT_GRID, GridSettings
from duty_lists.parsers.ocr.scan import DEFAULT_SCAN, ScanSettings
from duty_lists.parsers.ocr.text import DEFAULT_OCR, OcrSettings

if TYPE_CHECKING:
    from duty_lists.parsers import ParseOptions


@dataclass(frozen=True)
class OcrOptions:
    """How pages are OCR'd.  ``cache_dir`` None disables the cache.

    ``dpi``: PDF pages that are not one scanned image are rendered at this
    resolution (a scanned page is read at its own; :mod:`parsers.ocr.scan`
    brings its glyphs to the working size).  150, not 200: on
    the 150 dpi Shahe scan rendered at 200, the grid finder loses the shaded
    header's column rules (the header becomes one cell) and adds an empty
    row, which costs a whole list; at 150 it finds every column.
    """

    dpi: int = 150
    jobs: int = 1
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    grid: GridSettings = DEFAULT_GRID
    text: OcrSettings = DEFAULT_OCR
    scan: ScanSettings = DEFAULT_SCAN

    def __post_init__(self) -> None:
        if not 72 <= self.dpi <= 600:
            raise ValueError(f"OcrOptions.dpi must be in 72..600, got {self.dpi}")
        if self.jobs < 1:
            raise ValueError(f"OcrOptions.jobs must be at least 1, got {self.jobs}")

    @classmethod
    def from_parse_options(cls, options: ParseOptions | OcrOptions | None) -> OcrOptions:
        """OCR options carried by ``ParseOptions`` (``ocr_jobs``, ``ocr_cache``)
        where it has them; the defaults otherwise."""
        if isinstance(options, OcrOptions):
            return options
        jobs = getattr(options, "ocr_jobs", 1) or 1
        cache = getattr(options, "ocr_cache", None)
        return cls(jobs=jobs, cache_dir=Path(cache) if cache else default_cache_dir())
