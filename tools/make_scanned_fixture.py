"""Make an image-only ("scanned") PDF from pages of the rebuilt Shahe PDF.

The output has no text layer: a scanned, stamped cover letter with no table,
then the chosen pages rasterised grey at 150 dpi (JPEG-compressed, as
scanners store them).  OCR of it must give the items the text PDF gives for
the same pages, and nothing for the cover letter.

    python tools/make_scanned_fixture.py OUT.pdf --pages 3,9,41
    python tools/make_scanned_fixture.py OUT.pdf --pages 3-5 --no-cover

The output depends only on the input PDF and the options.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SHAHE_PDF = ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（重建版）.pdf"
#: One page of each list: basic, cooperative (steps in two columns), reclaimed.
DEFAULT_PAGES = (3, 9, 41)
DPI = 150
JPEG_QUALITY = 80

COVER_TITLE = "关于印发《沙河镇履职事项清单》的通知"
COVER_BODY = (
    "各连队、各部门：",
    "现将《新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单》印发给你们，",
    "请结合实际认真贯彻落实。执行中遇到的问题，请及时报告。",
)
COVER_SIGNATURE = ("五团沙河镇党政办公室", "2024年3月15日")


def parse_pages(spec: str) -> list[int]:
    """``"3,9,41"`` or ``"3-5"`` (1-based, inclusive) → page numbers."""
    pages: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        pages.extend(range(int(first), int(last or first) + 1))
    return pages


def cover_letter() -> bytes:
    """A one-page letter with a red round stamp over its signature: text, no table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(out, pagesize=(width, height), invariant=1)
    canvas.setFont("STSong-Light", 20)
    canvas.drawCentredString(width / 2, height - 90, COVER_TITLE)
    canvas.setFont("STSong-Light", 14)
    for index, line in enumerate(COVER_BODY):
        canvas.drawString(90 if index == 0 else 118, height - 150 - 30 * index, line)
    for index, line in enumerate(COVER_SIGNATURE):
        canvas.drawRightString(width - 120, 170 - 26 * index, line)
    canvas.setStrokeColor(colors.red)
    canvas.setFillColor(colors.red)
    canvas.setLineWidth(3)
    canvas.circle(width - 190, 160, 55, stroke=1, fill=0)
    canvas.setFont("STSong-Light", 11)
    canvas.drawCentredString(width - 190, 156, "★ 五团沙河镇 ★")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def rasterise(pdf: pdfium.PdfDocument, pages: Sequence[int]) -> list[Image.Image]:
    images = []
    for number in pages:
        if not 1 <= number <= len(pdf):
            raise SystemExit(f"page {number} is outside 1..{len(pdf)}")
        images.append(pdf[number - 1].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
    return images


def make_fixture(out: Path, pages: Sequence[int], source: Path = SHAHE_PDF, cover: bool = True) -> Path:
    """Write the image-only PDF to ``out`` and return it."""
    images: list[Image.Image] = []
    if cover:
        images += rasterise(pdfium.PdfDocument(cover_letter()), [1])
    images += rasterise(pdfium.PdfDocument(source), pages)
    # Each page goes through JPEG once, as a scanner's output does; the PDF
    # then embeds the JPEG data as is.
    scanned = []
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=JPEG_QUALITY)
        scanned.append(Image.open(io.BytesIO(buffer.getvalue())))
    out.parent.mkdir(parents=True, exist_ok=True)
    scanned[0].save(out, "PDF", save_all=True, append_images=scanned[1:], resolution=DPI)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", default=",".join(map(str, DEFAULT_PAGES)), help="e.g. 3,9,41 or 3-5 (1-based)")
    parser.add_argument("--source", type=Path, default=SHAHE_PDF)
    parser.add_argument("--no-cover", action="store_true", help="leave out the scanned cover letter")
    args = parser.parse_args(argv)
    path = make_fixture(args.out, parse_pages(args.pages), args.source, cover=not args.no_cover)
    print(f"{path}: {path.stat().st_size // 1024} KiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
