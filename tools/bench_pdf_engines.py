"""Time the PDF engines side by side on one file: ``time_engines(path)``.

    python tools/bench_pdf_engines.py [PDF] [--repeats 5]

Each engine parses the file ``repeats`` times, alternating, so that a busy
machine slows both alike; the median is reported.  Only parsing is timed (the
RawDocument), not assembly or checks, which are the same for both engines.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import PDF_ENGINES, ParseOptions, parse_file  # noqa: E402

SHAHE_PDF = ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（重建版）.pdf"


def time_engines(path: Path = SHAHE_PDF, repeats: int = 5, engines: tuple[str, ...] = ("pdfplumber", "pdfium")) -> dict[str, object]:
    """Median parse seconds per engine, and how many times faster pdfium is."""
    unknown = [engine for engine in engines if engine not in PDF_ENGINES]
    if unknown or repeats < 1:
        raise ValueError(f"unknown engines {unknown} or repeats {repeats} < 1")
    for engine in engines:
        # Warm-up: imports and PDFium's library load are paid once per process.
        parse_file(path, ParseOptions(pdf_engine=engine))
    runs: dict[str, list[float]] = {engine: [] for engine in engines}
    pages = 0
    for _ in range(repeats):
        for engine in engines:
            start = time.perf_counter()
            pages = parse_file(path, ParseOptions(pdf_engine=engine)).pages
            runs[engine].append(time.perf_counter() - start)
    result: dict[str, object] = {"file": path.name, "pages": pages, "repeats": repeats}
    result.update({f"{engine}_s": round(statistics.median(times), 3) for engine, times in runs.items()})
    if "pdfplumber" in runs and "pdfium" in runs:
        result["speedup"] = round(statistics.median(runs["pdfplumber"]) / statistics.median(runs["pdfium"]), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=SHAHE_PDF)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(time_engines(args.pdf, args.repeats), ensure_ascii=False))


if __name__ == "__main__":
    main()
