"""OCR speed on the scanned Shahe fixture: pages per second, cold and cached.

    python tools/bench_ocr.py [--pages 3,9,41] [--jobs N]

:func:`bench_ocr` is what ``tools/bench.py`` calls.  The cold run uses no
cache, so every page goes through the engine; the rerun reads the same pages
with a fresh cache filled by one more pass, which is what a second
``duty-lists run`` on the same scans costs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from duty_lists.parsers.ocr.options import OcrOptions  # noqa: E402
from duty_lists.parsers.pdf.scanned import parse  # noqa: E402
from make_scanned_fixture import DEFAULT_PAGES, make_fixture, parse_pages  # noqa: E402


def _timed(path: Path, options: OcrOptions) -> float:
    started = time.perf_counter()
    parse(path, options)
    return time.perf_counter() - started


def bench_ocr(pages: tuple[int, ...] = DEFAULT_PAGES, jobs: int | None = None) -> dict:
    """Pages/s of OCR with the cache off, and of a rerun served from the cache.

    The fixture has a scanned cover letter before ``pages``, so it holds
    ``len(pages) + 1`` pages; ``jobs`` defaults to the CPU count.
    """
    jobs = jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench_ocr_") as work:
        fixture = make_fixture(Path(work) / "scanned.pdf", pages)
        n_pages = len(pages) + 1
        cold = _timed(fixture, OcrOptions(jobs=jobs, cache_dir=None))
        cache = Path(work) / "cache"
        _timed(fixture, OcrOptions(jobs=jobs, cache_dir=cache))  # fills the cache
        cached = _timed(fixture, OcrOptions(jobs=jobs, cache_dir=cache))
    return {
        "pages": n_pages,
        "jobs": jobs,
        "cold_seconds": round(cold, 2),
        "cold_pages_per_s": round(n_pages / cold, 3),
        "seconds_per_page": round(cold / n_pages, 2),
        "cached_seconds": round(cached, 3),
        "cached_pages_per_s": round(n_pages / cached, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=",".join(map(str, DEFAULT_PAGES)), help="pages of the Shahe PDF, e.g. 3,9,41")
    parser.add_argument("--jobs", type=int, default=0, help="pages OCR'd in parallel (default: all CPUs)")
    args = parser.parse_args(argv)
    result = bench_ocr(tuple(parse_pages(args.pages)), args.jobs or None)
    for key, value in result.items():
        print(f"{key:>20}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
