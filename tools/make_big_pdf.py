"""Generate the benchmark inputs: a ~1,000-page duty-list PDF and a batch of 200 documents.

Both are derived from the 沙河镇 text form in ``raw/`` and are deterministic
(same source, same bytes), so figures from different days measure the same
work.  They are build products: write them to a scratch folder, never commit
them.

* ``big.pdf`` — every Shahe row repeated :data:`COPIES` times in a row with
  new 序号 (a numbered suffix keeps the names distinct, categories stay
  contiguous), laid out by ``tools/build_shahe_pdf.py`` exactly like the
  rebuilt Shahe PDF: same fonts (STSong-Light), ruled tables, page breaks
  cutting rows, footers.  About 1,000 pages.
* ``batch/`` — :data:`BATCH_SIZE` text-form documents, each a different town
  holding a different rotation of the Shahe rows, for the ``--jobs`` speedup.

    python tools/make_big_pdf.py /tmp/bench-inputs [--copies 24] [--batch 200]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "tools"):  # run as a script from anywhere, or imported by tools/bench.py
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import build_shahe_pdf  # noqa: E402

#: Copies of every row: the Shahe layout prints ~42 body pages, so 24 gives ~1,000.
COPIES = 24
BATCH_SIZE = 200
#: Share of each list's rows a batch document keeps: enough work per document
#: that the pool's start-up does not dominate, small enough to keep the bench short.
BATCH_SHARE = 0.5
TOWN = "新疆生产建设兵团第一师阿拉尔市五团沙河镇"


def text_form(source: build_shahe_pdf.SourceDoc, copies: int = 1, town: str = TOWN, rotate: int = 0,
              share: float = 1.0) -> str:
    """The text form of ``source``: a title line, then per list a title, its header and tab-separated rows.

    Row ``r`` of a list becomes ``copies`` consecutive rows numbered afresh;
    ``rotate`` and ``share`` pick a different run of rows for each batch document.
    """
    lines = [source.title.replace(TOWN, town), ""]
    for duty_list in source.lists:
        rows = duty_list.rows[rotate % len(duty_list.rows):] + duty_list.rows[: rotate % len(duty_list.rows)]
        rows = rows[: max(1, round(len(rows) * share))]
        # keep the printed order of categories: rotation must not split one in two
        order = {row[1]: n for n, row in reversed(list(enumerate(duty_list.rows)))}
        rows.sort(key=lambda row: order[row[1]])
        lines += [duty_list.title.replace(TOWN, town), "", "\t".join(duty_list.header)]
        seq = 0
        for row in rows:
            for copy in range(copies):
                seq += 1
                name = row[2] if copy == 0 else f"{row[2]}（{copy + 1}）"
                lines.append("\t".join([str(seq), row[1], name, *row[3:]]))
        lines.append("")
    return "\n".join(lines) + "\n"


def make_big_pdf(out_dir: Path, copies: int = COPIES) -> tuple[Path, int]:
    """Write ``big.txt`` and ``big.pdf`` under ``out_dir``; the PDF's path and page count."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = build_shahe_pdf.read_source(build_shahe_pdf.SOURCE)
    big_txt = out_dir / "big.txt"
    big_txt.write_text(text_form(source, copies=copies), encoding="utf-8")
    data, report = build_shahe_pdf.build(big_txt)
    big_pdf = out_dir / "big.pdf"
    big_pdf.write_bytes(data)
    return big_pdf, report.pages


def make_batch(out_dir: Path, count: int = BATCH_SIZE, share: float = BATCH_SHARE) -> list[Path]:
    """``count`` text-form documents of different towns under ``out_dir/batch``."""
    folder = out_dir / "batch"
    folder.mkdir(parents=True, exist_ok=True)
    source = build_shahe_pdf.read_source(build_shahe_pdf.SOURCE)
    paths = []
    for n in range(count):
        town = f"某某县第{n + 1:03d}镇"
        path = folder / f"{town}履职事项清单.txt"
        path.write_text(text_form(source, town=town, rotate=n * 7, share=share), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="scratch folder for the generated inputs")
    parser.add_argument("--copies", type=int, default=COPIES, help=f"copies of every row in big.pdf (default {COPIES})")
    parser.add_argument("--batch", type=int, default=BATCH_SIZE, help=f"documents in the batch (default {BATCH_SIZE})")
    args = parser.parse_args(argv)
    pdf, pages = make_big_pdf(args.out, args.copies)
    print(f"{pdf}: {pages} pages")
    batch = make_batch(args.out, args.batch)
    print(f"{args.out / 'batch'}: {len(batch)} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
