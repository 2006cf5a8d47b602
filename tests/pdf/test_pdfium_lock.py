"""PDFium is not thread-safe: one PDFium reader at a time per process, whatever the threads."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from duty_lists.parsers.errors import ParseError
from duty_lists.parsers.pdf.pdfium import reader
from duty_lists.parsers.pdf.pdfium.lock import PDFIUM_LOCK
from duty_lists.parsers.pdf.plumber import PageResult, PdfSettings
from duty_lists.parsers.pdf.three_line import CarriedColumns

from tests.conftest import REPO

PDFS = sorted((REPO / "raw").glob("*.pdf"))


def test_two_threads_never_read_with_pdfium_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(PDFS) == 2
    sequential = {path: reader.parse_pdf(path).blocks for path in PDFS}
    inside, most = 0, 0
    count = threading.Lock()
    read_page = reader.read_page

    def watched(
        pdf: pdfium.PdfDocument, index: int, settings: PdfSettings, carried: CarriedColumns | None = None
    ) -> tuple[PageResult, bool]:
        nonlocal inside, most
        with count:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.002)  # let the other thread run, if it can get in
            return read_page(pdf, index, settings, carried)
        finally:
            with count:
                inside -= 1

    monkeypatch.setattr(reader, "read_page", watched)
    results: dict[Path, object] = {}
    start = threading.Barrier(len(PDFS))

    def read(path: Path) -> None:
        start.wait()
        results[path] = reader.parse_pdf(path).blocks

    threads = [threading.Thread(target=read, args=(path,)) for path in PDFS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1
    assert results == sequential


def test_the_lock_is_free_after_a_failed_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n%%EOF\n")
    with pytest.raises(ParseError):
        reader.parse_pdf(broken)
    free: list[bool] = []

    def try_lock() -> None:  # another thread: the lock is re-entrant for this one
        free.append(PDFIUM_LOCK.acquire(blocking=False))
        if free[-1]:
            PDFIUM_LOCK.release()

    other = threading.Thread(target=try_lock)
    other.start()
    other.join()
    assert free == [True]
