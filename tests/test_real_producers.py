"""PDFs made by real producers from the fictional town's documents.

The fixtures in tests/fixtures/generated/ are typeset with reportlab to
imitate Word, LibreOffice and browsers.  Where the machine has the real
programs, this test also exports the town's DOCX through LibreOffice and
prints its HTML page through headless Chromium, and requires the same
records as the source documents.  Skipped without them (`apt-get install
libreoffice-writer-nogui chromium fonts-noto-cjk`); CI checks the two PDFs
these programs made once, committed as tests/fixtures/generated/
qingshi_libreoffice.pdf (qingshi_category_column.docx exported by
LibreOffice 7.4) and qingshi_chromium_print.pdf (qingshi_utf8.html printed
by Chromium 156), through tests/test_formats_equivalence.py and
tests/test_pdf_engines.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import process_file

GENERATED = Path(__file__).resolve().parent / "fixtures" / "generated"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def content(doc) -> list:
    return [(dl.list_type, [item.content() for item in dl.items]) for dl in doc.lists]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("source", ["qingshi_category_column.docx", "qingshi_sections.docx"])
def test_libreoffice_pdf_export(tmp_path: Path, source: str) -> None:
    docx = GENERATED / source
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = process_file(tmp_path / f"{docx.stem}.pdf")
    assert content(pdf) == content(process_file(docx))
    assert all(item.pages for dl in pdf.lists for item in dl.items)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
@pytest.mark.parametrize("source", ["qingshi_utf8.html", "qingshi_gbk.html"])
def test_browser_print_to_pdf(tmp_path: Path, source: str) -> None:
    html = GENERATED / source
    target = tmp_path / "printed.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={target}",
         html.as_uri()],
        check=True, capture_output=True, timeout=180,
    )
    assert content(process_file(target)) == content(process_file(html))
