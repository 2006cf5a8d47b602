"""Make an image-only ("scanned") PDF from pages of the rebuilt Shahe PDF.

The output has no text layer: a scanned, stamped cover letter with no table,
then the chosen pages rasterised grey at 150 dpi (JPEG-compressed, as
scanners store them).  OCR of it must give the items the text PDF gives for
the same pages, and nothing for the cover letter.

    python tools/make_scanned_fixture.py OUT.pdf --pages 3,9,41
    python tools/make_scanned_fixture.py OUT.pdf --pages 3-5 --no-cover
    python tools/make_scanned_fixture.py OUT_DIR --font-dir FONTS   # page images

Making it takes two steps.  Rendering: the Shahe PDF and the cover letter do
not embed their CJK font (reportlab's STSong-Light), so PDFium draws the
glyphs with whatever CJK font it finds — on a machine without one the pages
come out blank, and a different font is read differently by OCR.
``--font-dir`` makes PDFium take its fonts from that folder alone, ignoring
the system's.  Scanning: each page image goes through JPEG once and into a
PDF; that step depends only on the pixels (and Pillow's JPEG encoder).

So the OCR tests read committed page images (``tests/fixtures/scanned/``,
8-bit grey PNG) and only scan them at test time.  They were rendered
with the Noto CJK fonts of Debian bookworm (fonts-noto-cjk
1:20220127+repack1-1), extracted into a private folder rather than installed::

    apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb fontpkg
    python tools/make_scanned_fixture.py tests/fixtures/scanned \
        --font-dir fontpkg/usr/share/fonts/opentype/noto
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
#: The committed page images of the default pages with the cover, read by tests/ocr/test_ocr.py.
COMMITTED = ROOT / "tests" / "fixtures" / "scanned"

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


def use_font_dir(folder: Path) -> None:
    """Restart PDFium with ``folder`` as its only source of system fonts.

    PDFium reads its font folders once, when the library is initialised;
    user font paths replace the platform's default folders.  Documents opened
    before this call must not be used after it.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    if not any(folder.glob("*.tt[fc]")) and not any(folder.glob("*.otf")):
        raise SystemExit(f"{folder}: no .ttf/.ttc/.otf font in it")
    paths_type = dict(pdfium_c.FPDF_LIBRARY_CONFIG._fields_)["m_pUserFontPaths"]
    paths = (ctypes.c_char_p * 2)(str(folder.resolve()).encode(), None)  # NULL-terminated
    config = pdfium_c.FPDF_LIBRARY_CONFIG(
        version=2, m_pUserFontPaths=ctypes.cast(paths, paths_type), m_pIsolate=None, m_v8EmbedderSlot=0
    )
    pdfium_c.FPDF_DestroyLibrary()
    pdfium_c.FPDF_InitLibraryWithConfig(config)


def rasterise(pdf: pdfium.PdfDocument, pages: Sequence[int]) -> list[Image.Image]:
    images = []
    for number in pages:
        if not 1 <= number <= len(pdf):
            raise SystemExit(f"page {number} is outside 1..{len(pdf)}")
        images.append(pdf[number - 1].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
    return images


def render_pages(pages: Sequence[int], source: Path = SHAHE_PDF, cover: bool = True) -> list[Image.Image]:
    """The cover letter (if wanted) and ``pages`` of ``source``, grey, as PDFium draws them with the fonts it has."""
    images: list[Image.Image] = []
    if cover:
        images += rasterise(pdfium.PdfDocument(cover_letter()), [1])
    images += rasterise(pdfium.PdfDocument(source), pages)
    return images


def scan(images: Sequence[Image.Image], out: Path) -> Path:
    """Write ``images`` as an image-only PDF to ``out`` and return it."""
    # Each page goes through JPEG once, as a scanner's output does; the PDF
    # then embeds the JPEG data as is.
    scanned = []
    for image in images:
        buffer = io.BytesIO()
        image.convert("L").save(buffer, "JPEG", quality=JPEG_QUALITY)
        scanned.append(Image.open(io.BytesIO(buffer.getvalue())))
    out.parent.mkdir(parents=True, exist_ok=True)
    scanned[0].save(out, "PDF", save_all=True, append_images=scanned[1:], resolution=DPI)
    return out


def make_fixture(out: Path, pages: Sequence[int], source: Path = SHAHE_PDF, cover: bool = True) -> Path:
    """Render and scan: write the image-only PDF to ``out`` and return it."""
    return scan(render_pages(pages, source, cover), out)


def save_page_images(images: Sequence[Image.Image], folder: Path) -> list[Path]:
    """``folder``/page-1.png, page-2.png …: each image as it is, 8-bit grey.

    Every grey level is kept: antialiasing carries the small marks.  Reduced
    to its 16 most frequent levels (4 bits, 40 % smaller), the Shahe pages
    lose the dot of one ``1.`` step marker to OCR, and evenly spaced levels
    lighten a header row's fill until its edge, the only rule under a
    repeated header, is lost.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    paths = []
    for number, image in enumerate(images, start=1):
        path = folder / f"page-{number}.png"
        image.convert("L").save(path, "PNG", optimize=True, dpi=(DPI, DPI))
        paths.append(path)
    return paths


def load_page_images(folder: Path = COMMITTED) -> list[Image.Image]:
    """The page images :func:`save_page_images` wrote, in page order, grey."""
    paths = sorted(folder.glob("page-*.png"), key=lambda path: int(path.stem.removeprefix("page-")))
    if not paths:
        raise FileNotFoundError(f"no page-N.png in {folder}")
    return [Image.open(path).convert("L") for path in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="OUT.pdf: the scanned PDF; a folder: its page images (PNG) instead")
    parser.add_argument("--pages", default=",".join(map(str, DEFAULT_PAGES)), help="e.g. 3,9,41 or 3-5 (1-based)")
    parser.add_argument("--source", type=Path, default=SHAHE_PDF)
    parser.add_argument("--no-cover", action="store_true", help="leave out the scanned cover letter")
    parser.add_argument("--font-dir", type=Path, help="render with the fonts in this folder only, not the system's")
    args = parser.parse_args(argv)
    if args.font_dir:
        use_font_dir(args.font_dir)
    images = render_pages(parse_pages(args.pages), args.source, cover=not args.no_cover)
    paths = [scan(images, args.out)] if args.out.suffix.lower() == ".pdf" else save_page_images(images, args.out)
    for path in paths:
        print(f"{path}: {path.stat().st_size // 1024} KiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
