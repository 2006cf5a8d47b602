"""A 1,000-page PDF goes through `duty-lists run` page by page.

Memory targets live in `make bench` (tools/bench.py measures peak RSS on a
~1,000-page PDF); here the document only has to come out whole and right,
with the peak RSS of the run bounded far above the target as a guard
against a reader that holds every page.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = 1000
HEADER = ("序号", "事项类别", "履职事项名称", "备注")
COLUMNS = (60, 120, 500, 700, 780)  # x of the vertical rules


def draw_page(canvas, seq: int, title: str | None) -> None:
    """One ruled table per page: the header and one item, as a Word export repeats them."""
    top = 520
    if title:
        canvas.setFont("STSong-Light", 16)
        canvas.drawCentredString(420, 560, title)
    canvas.setFont("STSong-Light", 10)
    rows = (top, top - 24, top - 48)
    for y in rows:
        canvas.line(COLUMNS[0], y, COLUMNS[-1], y)
    for x in COLUMNS:
        canvas.line(x, rows[0], x, rows[-1])
    cells = (HEADER, (str(seq), "民生服务", f"第{seq}项：做好辖区民生服务工作", ""))
    for y, cells_row in zip((top - 16, top - 40), cells, strict=True):
        for x, text in zip(COLUMNS, cells_row, strict=False):
            canvas.drawString(x + 4, y, text)
    canvas.drawCentredString(420, 30, f"— {seq} —")


@pytest.fixture(scope="module")
def thousand_page_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as pdfcanvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path_factory.mktemp("big") / "千页清单.pdf"
    canvas = pdfcanvas.Canvas(str(path), pagesize=landscape(A4), invariant=1)
    for seq in range(1, PAGES + 1):
        draw_page(canvas, seq, "某某县千页镇基本履职事项清单" if seq == 1 else None)
        canvas.showPage()
    canvas.save()
    return path


def test_a_thousand_pages_come_out_whole(thousand_page_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # Linux carries a process's peak RSS across exec (exec records the old memory's high-water
    # mark), so a child forked from this test process — large after the suite's OCR — would
    # report our peak, not its own.  A small Python in between makes the run a grandchild whose
    # peak is its own, and prints it.
    measure = ("import os, subprocess, sys; p = subprocess.Popen(sys.argv[1:]); _, status, usage = os.wait4(p.pid, 0); "
               "print(usage.ru_maxrss); sys.exit(os.waitstatus_to_exitcode(status))")
    proc = subprocess.run(
        [sys.executable, "-c", measure,
         sys.executable, "-m", "duty_lists", "run", str(thousand_page_pdf), "--out", str(out), "--quiet"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    peak_kib = int(proc.stdout.split()[-1])
    doc = json.loads((out / thousand_page_pdf.stem / "document.json").read_text(encoding="utf-8"))
    items = doc["lists"][0]["items"]
    assert doc["source"]["pages"] == PAGES
    assert [item["seq"] for item in items] == list(range(1, PAGES + 1))
    assert [item["pages"] for item in items] == [[seq] for seq in range(1, PAGES + 1)]
    assert doc["printed_pages"]["1000"] == 1000
    assert [f for f in doc["findings"] if f["severity"] == "error"] == []
    assert peak_kib < 1024 * 1024  # KiB: a guard far above the bench's 400 MB target
