"""PDFs made by real producers from the fictional town's documents.

The fixtures in tests/fixtures/generated/ are typeset with reportlab to
imitate Word, LibreOffice and browsers.  Where the machine has the real
programs, this test also exports the town's DOCX through LibreOffice and
prints its HTML page through headless Chromium, and requires the same
records as the source documents.  Skipped without them, or without a CJK
font to draw with (`apt-get install libreoffice-writer-nogui chromium
fonts-noto-cjk`): what they render is the machine's, not fixed bytes.
Every machine checks the two PDFs these programs made once, committed as
tests/fixtures/generated/
qingshi_libreoffice.pdf (qingshi_category_column.docx exported by
LibreOffice 7.4) and qingshi_chromium_print.pdf (qingshi_utf8.html printed
by Chromium 156), through tests/assembly/test_formats_equivalence.py and
tests/pdf/test_pdf_engines.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import process_file

GENERATED = Path(__file__).resolve().parents[1] / "fixtures" / "generated"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _no_cjk_font() -> str | None:
    """Why a PDF rendered here at test time would not hold the town's text, or None.

    LibreOffice and Chromium draw with the fonts installed and embed what
    they drew; without a font that has the ideographs, the PDF holds
    missing-glyph boxes, and there is no table to read.  The two PDFs these
    programs made once with CJK fonts are committed (see above) and tested
    on every machine."""
    if shutil.which("fc-list") is None:
        return "fontconfig's fc-list is not installed: cannot tell whether a CJK font is"
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    if not found.stdout.strip():
        return (
            "no CJK font is installed (fc-list :lang=zh lists none): the rendered PDF would hold missing-glyph boxes; "
            "the committed qingshi_libreoffice.pdf and qingshi_chromium_print.pdf are these producers' output, "
            "tested on every machine by tests/assembly/test_formats_equivalence.py"
        )
    return None


NO_CJK_FONT = _no_cjk_font()


def content(doc) -> list:
    return [(dl.list_type, [item.content() for item in dl.items]) for dl in doc.lists]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(NO_CJK_FONT is not None, reason=NO_CJK_FONT or "")
@pytest.mark.parametrize("source", ["qingshi_category_column.docx", "qingshi_sections.docx"])
def test_libreoffice_pdf_export(tmp_path: Path, source: str) -> None:
    docx = GENERATED / source
    assert SOFFICE is not None  # skipped without it
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = process_file(tmp_path / f"{docx.stem}.pdf")
    assert content(pdf) == content(process_file(docx))
    assert all(item.pages for dl in pdf.lists for item in dl.items)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
@pytest.mark.skipif(NO_CJK_FONT is not None, reason=NO_CJK_FONT or "")
@pytest.mark.parametrize("source", ["qingshi_utf8.html", "qingshi_gbk.html"])
def test_browser_print_to_pdf(tmp_path: Path, source: str) -> None:
    html = GENERATED / source
    target = tmp_path / "printed.pdf"
    assert CHROMIUM is not None  # skipped without it
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={target}",
         html.as_uri()],
        check=True, capture_output=True, timeout=180,
    )
    assert content(process_file(target)) == content(process_file(html))
