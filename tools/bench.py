"""``make bench``: speed and memory of duty-lists, measured side by side in one run.

The machine is shared and noisy, so every timing is the median of several
repetitions (``--reps``), and the two sides of a ratio are measured in
alternation so that a burst of load hits both.  Printed as one table with the
target and PASS/MISS per row:

1. in-process, after imports and a warm-up: parse + normalise + validate +
   write of the Shahe PDF, per registered PDF engine, against bare
   pdfplumber ``extract_tables()`` over the same pages (ratio target ≤ 0.25
   for a non-pdfplumber default engine, ≤ 1.0 for pdfplumber).  Two Shahe
   PDFs: the LibreOffice export, on which the targets are set (see
   :func:`shahe_pdfs`), and the reportlab rebuild, for information;
2. peak RSS of ``duty-lists run`` in a fresh subprocess on the Shahe PDFs
   (< 250 MB) and on a generated ~1,000-page PDF (< 400 MB).  Measured with
   ``os.wait4`` on that one child: ``RUSAGE_CHILDREN`` would report the
   largest of all children so far, not this run's;
3. a generated batch of 200 documents with ``--jobs 1`` vs ``--jobs 2``
   (speedup ≥ 1.8);
4. ``duty-lists --help`` wall time (< 0.5 s);
5. ``bench_compare`` from ``tools/bench_compare.py`` when it exists
   (1,000 towns × 250 items, < 60 s).

The generated inputs (``tools/make_big_pdf.py``) go to ``build/bench/``
(git-ignored) and are reused while their generator settings are unchanged.

    python tools/bench.py [--reps 3] [--big-reps 1] [--skip-big] [--skip-compare]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "tools"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import make_big_pdf  # noqa: E402

SHAHE_PDF = ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（重建版）.pdf"
#: The issue's benchmark document: the Shahe lists exported to PDF by
#: LibreOffice (embedded subset CJK fonts, as Word/WPS exports have).
SHAHE_LIBREOFFICE_PDF = ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（LibreOffice导出）.pdf"
WORK = ROOT / "build" / "bench"
MB = 1024 * 1024


@dataclass
class Row:
    measure: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: informative, no target

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "MISS")


# --------------------------------------------------------------------------- machine


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    except OSError:
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{datetime.date.today().isoformat()}; {os.cpu_count()} CPUs ({cpu}), {ram} RAM; "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}; load average {load}")


# --------------------------------------------------------------------------- helpers


def median_time(fn: Callable[[], object], reps: int) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_child(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one fresh ``duty-lists`` process.

    The disk writes of earlier runs (and their removal) are flushed first: a
    run writes thousands of files, and the kernel's writeback of one run
    must not be billed to the next — it takes a core from a ``--jobs 2`` run
    but only an idle one from ``--jobs 1``.
    """
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "duty_lists", *argv], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 reports this child's own rusage; ru_maxrss is in KiB on Linux
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:  # a failed input would time an error message, not a run
        raise RuntimeError(f"duty-lists {' '.join(argv)} exited {proc.returncode}: {err.strip()[-500:]}")
    return elapsed, usage.ru_maxrss * 1024


def cli_engines() -> tuple[list[str], str]:
    """Registered PDF engines and the one ``duty-lists run`` uses without ``--pdf-engine``."""
    from duty_lists.ingest.options import add_document_options
    from duty_lists.parsers import PDF_ENGINES

    parser = argparse.ArgumentParser()
    add_document_options(parser)
    # The OCR engine reads text PDFs as images (seconds per page): it has its
    # own row below, not a place among the text-PDF readers.
    return [e for e in PDF_ENGINES if e != "ocr"], parser.parse_args([]).pdf_engine


def ratio_target(engine: str) -> float:
    return 1.0 if engine == "pdfplumber" else 0.25


# --------------------------------------------------------------------------- 1. in-process


def shahe_pdfs() -> list[tuple[str, Path, bool]]:
    """(label, PDF, whether the ratio targets apply).  The targets are set on
    the LibreOffice export, the issue's reference document.  The reportlab
    rebuild is measured beside it for information: its CJK font is not
    embedded (reportlab's STSong-Light), so PDFium substitutes a system font
    glyph by glyph, which no Word/WPS/LibreOffice export makes it do."""
    pdfs = [("Shahe PDF, LibreOffice export", SHAHE_LIBREOFFICE_PDF, True),
            ("Shahe PDF, reportlab rebuild", SHAHE_PDF, False)]
    return [(label, path, targeted) for label, path, targeted in pdfs if path.is_file()]


def bench_in_process(engines: list[str], default: str, reps: int) -> list[Row]:
    rows: list[Row] = []
    for label, pdf, targeted in shahe_pdfs():
        rows += bench_pdf_in_process(label, pdf, targeted, engines, default, reps)
    return rows


def bench_pdf_in_process(label: str, pdf_path: Path, targeted: bool, engines: list[str], default: str, reps: int) -> list[Row]:
    import pdfplumber
    from duty_lists.ingest.batch.worker import outputs_for
    from duty_lists.ingest.pipeline import RunOptions, process_file
    from duty_lists.ingest.writers import commit_folder
    from duty_lists.parsers import ParseOptions

    def bare() -> int:
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()
            return len(pdf.pages)

    def pipeline(engine: str, out: Path) -> Callable[[], None]:
        options = RunOptions(parse=ParseOptions(pdf_engine=engine))

        def once() -> None:
            doc = process_file(pdf_path, options)
            commit_folder(out / "doc", outputs_for(doc))

        return once

    pages = bare()  # warm-up: imports and caches of pdfplumber
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="duty-lists-bench-") as scratch:
        runs: dict[str, Callable[[], None] | None] = {engine: pipeline(engine, Path(scratch) / engine) for engine in engines}
        for engine, once in runs.items():
            if once is None:
                continue
            try:
                once()  # warm-up: jieba's dictionary, the check registry, the engine's imports
            except Exception as exc:
                rows.append(Row(f"1. {engine}: pipeline on {label}", f"failed: {type(exc).__name__}: {exc}", "", False))
                runs[engine] = None
        times: dict[str, list[float]] = {name: [] for name in ["bare", *engines]}
        for _ in range(reps):  # alternated, so load bursts hit every side
            times["bare"].append(median_time(bare, 1))
            for engine, once in runs.items():
                if once is not None:
                    times[engine].append(median_time(once, 1))
    base = statistics.median(times["bare"])
    rows.append(Row(f"1. {label} ({pages} pages): bare pdfplumber extract_tables()", f"{base:.2f} s ({pages / base:.1f} pages/s)"))
    for engine in engines:
        if not times[engine]:
            continue
        t = statistics.median(times[engine])
        ratio = t / base
        tag = f"{engine}{', default' if engine == default else ''}"
        target = f"≤ {ratio_target(engine)}" if targeted else "(information)"
        rows.append(Row(f"1. {label}: pipeline ({tag}) / bare", f"{ratio:.2f}  ({t:.2f} s, {pages / t:.1f} pages/s)", target,
                        ratio <= ratio_target(engine) if targeted else None))
    return rows


# --------------------------------------------------------------------------- 2. memory


def bench_memory(engines: list[str], default: str, reps: int, big: Path | None, big_pages: int, big_reps: int) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="duty-lists-bench-") as scratch:
        for engine in engines:
            tag = f"{engine}{', default' if engine == default else ''}"
            cases = [(label, pdf, reps, 250) for label, pdf, _ in shahe_pdfs()]
            if big is not None:
                cases.append((f"{big_pages}-page PDF", big, big_reps, 400))
            for name, pdf, n, limit in cases:
                samples = []
                for rep in range(n):
                    out = Path(scratch) / f"{engine}-{pdf.stem}-{rep}"
                    samples.append(run_child(["run", str(pdf), "--out", str(out), "--quiet", "--pdf-engine", engine]))
                    shutil.rmtree(out, ignore_errors=True)
                rss = statistics.median(s[1] for s in samples) / MB
                wall = statistics.median(s[0] for s in samples)
                rows.append(Row(f"2. peak RSS, run {name} ({tag})", f"{rss:.0f} MB  (wall {wall:.1f} s, n={n})",
                                f"< {limit} MB", rss < limit))
    return rows


# --------------------------------------------------------------------------- 3. jobs


def bench_jobs(batch: Path, reps: int) -> list[Row]:
    """Wall time of ``--jobs 1`` and ``--jobs 2``, alternated.  At least seven
    pairs: a run is seconds long, and a burst of other load on a two-core
    machine slows the parallel side more than the serial one."""
    walls: dict[int, list[float]] = {1: [], 2: []}
    reps = max(reps, 7)
    with tempfile.TemporaryDirectory(prefix="duty-lists-bench-") as scratch:
        for rep in range(reps):
            for jobs in (1, 2):  # alternated
                out = Path(scratch) / f"jobs{jobs}-{rep}"
                walls[jobs].append(run_child(["run", str(batch), "--out", str(out), "--quiet", "--jobs", str(jobs)])[0])
                shutil.rmtree(out, ignore_errors=True)
    one, two = statistics.median(walls[1]), statistics.median(walls[2])
    n = len(list(batch.iterdir()))
    return [Row(f"3. {n} documents: --jobs 1 / --jobs 2 wall time", f"{one / two:.2f}x  ({one:.1f} s vs {two:.1f} s, n={reps})",
                "≥ 1.8x", one / two >= 1.8)]


# --------------------------------------------------------------------------- 4. help


def bench_help(reps: int) -> list[Row]:
    walls = []
    for _ in range(max(reps, 5)):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "duty_lists", "--help"], cwd=ROOT, capture_output=True, check=True)
        walls.append(time.perf_counter() - start)
    wall = statistics.median(walls)
    return [Row("4. duty-lists --help wall time", f"{wall:.2f} s", "< 0.5 s", wall < 0.5)]


# --------------------------------------------------------------------------- 5. compare


def bench_compare_rows(reps: int) -> list[Row]:
    try:
        from bench_compare import bench_compare  # another engineer's; optional
    except ImportError:
        return []
    results = [bench_compare(1000, 250) for _ in range(reps)]
    grouped = statistics.median(float(r["compare_s"]) for r in results)
    referenced = statistics.median(float(r["compare_with_reference_s"]) for r in results)
    items = results[0].get("total_items", "?")
    return [
        Row(f"5. compare 1000 towns x 250 items ({items} items)", f"{grouped:.1f} s (n={reps})", "< 60 s", grouped < 60),
        Row("5. compare, with a reference list", f"{referenced:.1f} s (n={reps})", "< 60 s", referenced < 60),
    ]


# --------------------------------------------------------------------------- 6. OCR


def bench_ocr_rows() -> list[Row]:
    """OCR pages/s on the scanned fixture (cache off), and the cached rerun."""
    try:
        from bench_ocr import bench_ocr

        result = bench_ocr()
    except Exception as exc:  # the OCR extra is optional
        return [Row("6. OCR pages/s", f"not measured ({type(exc).__name__}: {exc})", "", None)]
    return [
        Row(f"6. OCR, {result['pages']} scanned pages, {result['jobs']} jobs, cache off",
            f"{result['cold_pages_per_s']} pages/s ({result['seconds_per_page']} s/page)", "", None),
        Row("6. OCR rerun from the page-image cache", f"{result['cached_pages_per_s']} pages/s", "", None),
    ]


# --------------------------------------------------------------------------- main


def print_table(rows: list[Row]) -> None:
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("measure", "value", "target")]
    header = ("measurement", "value", "target")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  result"
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip((r.measure, r.value, r.target), widths, strict=True)) + "  " + r.verdict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions per timing (median reported; default 3)")
    parser.add_argument("--big-reps", type=int, default=1, help="runs of the ~1,000-page PDF (default 1: ~2 min each)")
    parser.add_argument("--compare-reps", type=int, default=1, help="runs of bench_compare (default 1)")
    parser.add_argument("--skip-big", action="store_true", help="leave out the ~1,000-page PDF")
    parser.add_argument("--skip-compare", action="store_true", help="leave out bench_compare")
    parser.add_argument("--skip-ocr", action="store_true", help="leave out the OCR measurement")
    parser.add_argument("--work", type=Path, default=WORK, help=f"generated inputs (default {WORK.relative_to(ROOT)})")
    args = parser.parse_args(argv)

    print(machine(), flush=True)
    engines, default = cli_engines()
    print(f"PDF engines: {', '.join(engines)} (default: {default})", flush=True)
    big, big_pages = None, 0
    if not args.skip_big:
        big, big_pages = cached_big_pdf(args.work)
    batch = cached_batch(args.work)

    rows: list[Row] = []
    for name, step in (
        ("in-process", lambda: bench_in_process(engines, default, args.reps)),
        ("memory", lambda: bench_memory(engines, default, args.reps, big, big_pages, args.big_reps)),
        ("jobs", lambda: bench_jobs(batch, args.reps)),
        ("help", lambda: bench_help(args.reps)),
        ("compare", lambda: [] if args.skip_compare else bench_compare_rows(args.compare_reps)),
        ("ocr", lambda: [] if args.skip_ocr else bench_ocr_rows()),
    ):
        print(f"… {name}", file=sys.stderr, flush=True)
        rows.extend(step())
    print()
    print_table(rows)
    return 0 if all(r.ok is not False for r in rows) else 1


def inputs_key() -> str:
    """Changes whenever what the generated inputs are made from changes."""
    digest = hashlib.sha256()
    for path in (make_big_pdf.build_shahe_pdf.SOURCE, ROOT / "tools" / "build_shahe_pdf.py", ROOT / "tools" / "make_big_pdf.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_big_pdf(work: Path) -> tuple[Path, int]:
    """The ~1,000-page PDF, regenerated when missing or made from other sources."""
    stamp = work / f"big-{inputs_key()}.pages"
    pdf = work / "big.pdf"
    if not (pdf.is_file() and stamp.is_file()):
        print(f"… generating {pdf} (about a minute)", file=sys.stderr, flush=True)
        pdf, pages = make_big_pdf.make_big_pdf(work)
        stamp.write_text(str(pages))
    return pdf, int(stamp.read_text())


def cached_batch(work: Path) -> Path:
    folder = work / "batch"
    stamp = work / f"batch-{inputs_key()}.done"
    if not stamp.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        make_big_pdf.make_batch(work)
        stamp.write_text(str(make_big_pdf.BATCH_SIZE))
    return folder


if __name__ == "__main__":
    raise SystemExit(main())
