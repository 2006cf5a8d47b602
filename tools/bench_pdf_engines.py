"""Time the PDF engines side by side on one file: ``time_engines(path)``.

    python tools/bench_pdf_engines.py [PDF] [--repeats 5]

Per repetition, alternating so that a busy machine slows every side alike
(medians reported):

- ``<engine>_s``: parsing alone (the RawDocument), per engine;
- ``bare_extract_tables_s``: bare pdfplumber ``page.extract_tables()`` over
  all pages — the yardstick of the speed target;
- ``pipeline_<engine>_s``: parse + normalise + validate + write of the
  document directory, and ``ratio_<engine>`` = that / bare extract_tables
  (target ≤ 0.25 for a default engine other than pdfplumber);
- ``pdfium_load_s``: PDFium loading every page and its text page and nothing
  else — the floor under the pdfium engine, set by PDFium itself (for a
  non-embedded CJK font, by its font substitution; see the engine's notes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from duty_lists.parsers import PDF_ENGINES, ParseOptions, parse_file  # noqa: E402

SHAHE_PDF = ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（重建版）.pdf"


def time_engines(path: Path = SHAHE_PDF, repeats: int = 5, engines: tuple[str, ...] = ("pdfplumber", "pdfium")) -> dict[str, object]:
    """Median seconds of each measure above, and how many times faster pdfium parses."""
    unknown = [engine for engine in engines if engine not in PDF_ENGINES]
    if unknown or repeats < 1:
        raise ValueError(f"unknown engines {unknown} or repeats {repeats} < 1")
    with tempfile.TemporaryDirectory(prefix="bench-pdf-engines-") as scratch:
        measures: dict[str, Callable[[], object]] = {"bare_extract_tables": lambda: bare_extract_tables(path)}

        def parsed_by(engine: str) -> Callable[[], object]:
            return lambda: parse_file(path, ParseOptions(pdf_engine=engine))

        def run_by(engine: str) -> Callable[[], object]:
            return lambda: pipeline(path, engine, Path(scratch) / engine)

        for engine in engines:
            measures[engine] = parsed_by(engine)
            measures[f"pipeline_{engine}"] = run_by(engine)
        if "pdfium" in engines:
            measures["pdfium_load"] = lambda: pdfium_load(path)
        for measure in measures.values():
            # Warm-up: imports, PDFium's library load, jieba's dictionary.
            measure()
        runs: dict[str, list[float]] = {name: [] for name in measures}
        for _ in range(repeats):
            for name, measure in measures.items():
                start = time.perf_counter()
                measure()
                runs[name].append(time.perf_counter() - start)
    median = {name: statistics.median(times) for name, times in runs.items()}
    result: dict[str, object] = {"file": path.name, "pages": bare_extract_tables(path), "repeats": repeats}
    result.update({f"{name}_s": round(seconds, 3) for name, seconds in median.items()})
    for engine in engines:
        result[f"ratio_{engine}"] = round(median[f"pipeline_{engine}"] / median["bare_extract_tables"], 3)
    if "pdfplumber" in engines and "pdfium" in engines:
        result["speedup"] = round(median["pdfplumber"] / median["pdfium"], 2)
    return result


def bare_extract_tables(path: Path) -> int:
    """pdfplumber's own table extraction over every page; the page count."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def pipeline(path: Path, engine: str, out: Path) -> None:
    """What ``duty-lists run`` does for one document, in process."""
    from duty_lists.ingest.batch.worker import outputs_for
    from duty_lists.ingest.pipeline import RunOptions, process_file
    from duty_lists.ingest.writers import commit_folder

    doc = process_file(path, RunOptions(parse=ParseOptions(pdf_engine=engine)))
    commit_folder(out / "doc", outputs_for(doc))


def pdfium_load(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            page.get_textpage().close()
            page.close()
    finally:
        pdf.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=SHAHE_PDF)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(time_engines(args.pdf, args.repeats), ensure_ascii=False))


if __name__ == "__main__":
    main()
