"""Legacy .doc/.xls through a real LibreOffice, where the machine has one.

The no-LibreOffice path (a clear one-line error) is tested in
tests/parsers/test_parsers_office.py on every machine; this test needs `soffice`
and is skipped without it (`apt-get install libreoffice-writer-nogui
libreoffice-calc-nogui`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import process_file

GENERATED = Path(__file__).resolve().parents[1] / "fixtures" / "generated"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


# qingshi_category_column.docx is not used: its per-cell automatic numbering
# does not survive LibreOffice's .doc export (LibreOffice itself then prints
# 1., 1., 2. in a cell), so the converted file really says something else.


def content(doc) -> list:
    return [(dl.list_type, [item.content() for item in dl.items]) for dl in doc.lists]


@pytest.mark.parametrize(("source", "legacy"), [("qingshi_sections.docx", "doc"), ("qingshi_per_sheet.xlsx", "xls")])
def test_legacy_office_file_gives_the_same_records(tmp_path: Path, source: str, legacy: str) -> None:
    modern = GENERATED / source
    assert SOFFICE is not None  # skipped without it
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", legacy,
         "--outdir", str(tmp_path), str(modern)],
        check=True, capture_output=True, timeout=180,
    )
    converted = tmp_path / f"{modern.stem}.{legacy}"
    # A lying extension too: the OLE container is recognised from its bytes.
    assert content(process_file(converted)) == content(process_file(modern))
