"""Bad inputs: one clear line (file + reason) in stderr and the manifest, exit 1, the rest of the batch unharmed.

Zip bombs and XML-entity DOCX files are covered in test_parsers_office.py.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from duty_lists.ingest.cli import main

from tests.conftest import SHAHE_PDF, write_text_form


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncated_pdf(path: Path) -> None:
    path.write_bytes(SHAHE_PDF.read_bytes()[:3000])


def garbage_pdf(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(4000) + b"\x00")


def garbage_after_pdf_header(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + random.Random(8).randbytes(4000))


def png_named_pdf(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")


def text_without_table(path: Path) -> None:
    path.write_text("某某县青石镇关于做好防汛工作的通知\n各村（社区）：\n请做好防汛准备。\n", encoding="utf-8")


def encrypted_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt="pw")
    pdf.drawString(72, 720, "Duty list of Qingshi town")
    pdf.save()


def image_only_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 72, 300, 400, fill=1)
    pdf.save()


#: name, writer, words the reason must contain (any of them, case-insensitive)
CASES: list[tuple[str, Callable[[Path], None], tuple[str, ...]]] = [
    ("空文件.txt", empty, ("empty",)),
    ("截断.pdf", truncated_pdf, ("truncated", "corrupt")),
    ("乱码.pdf", garbage_pdf, ("not a pdf", "无法识别")),
    ("乱码头.pdf", garbage_after_pdf_header, ("corrupt", "truncated")),
    ("图片.pdf", png_named_pdf, ("png",)),
    ("通知.txt", text_without_table, ("no duty-list table",)),
    ("加密.pdf", encrypted_pdf, ("encrypted", "password")),
    ("扫描件.pdf", image_only_pdf, ("no text layer", "ocr")),
]


def run_with_good(tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_name: str, writer: Callable[[Path], None], *extra: str):
    inputs = tmp_path / "in"
    good = write_text_form(inputs / "青石镇履职事项清单.txt")
    bad = inputs / bad_name
    writer(bad)
    out = tmp_path / "out"
    rc = main(["run", str(good), str(bad), "--out", str(out), *extra])
    err = capsys.readouterr().err
    entries = {e["path"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]}
    return rc, err, out, good, bad, entries


@pytest.mark.parametrize(("name", "writer", "words"), CASES, ids=[c[1].__name__ for c in CASES])
def test_bad_input_fails_alone_with_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, writer: Callable[[Path], None], words: tuple[str, ...]
) -> None:
    rc, err, out, good, bad, entries = run_with_good(tmp_path, capsys, name, writer)
    assert rc == 1
    # the good input is complete
    assert entries[good.as_posix()]["status"] == "ok"
    assert (out / good.stem / "document.json").is_file() and (out / good.stem / "report.html").is_file()
    # the bad one: failed, one line, a reason a person can act on
    entry = entries[bad.as_posix()]
    reason = entry["error"]
    assert entry["status"] == "failed"
    assert reason and "\n" not in reason
    assert any(word in reason.lower() for word in words), reason
    assert "internal error" not in reason
    assert [line for line in err.splitlines() if bad.name in line] == [f"duty-lists: {bad.as_posix()}: {reason}"]
    assert "Traceback" not in err
    # nothing half-written
    assert not (out / bad.stem).exists()
    assert not [p for p in out.rglob("*") if ".tmp" in p.name or p.name.endswith(".old")]


@pytest.mark.parametrize(("name", "writer", "words"), CASES, ids=[c[1].__name__ for c in CASES])
def test_validate_reports_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, writer: Callable[[Path], None], words: tuple[str, ...]
) -> None:
    good = write_text_form(tmp_path / "青石镇履职事项清单.txt")
    bad = tmp_path / name
    writer(bad)
    rc = main(["validate", "--format", "json", str(good), str(bad)])
    captured = capsys.readouterr()
    assert rc == 1
    records = {r["path"]: r for r in json.loads(captured.out)}
    assert records[good.as_posix()]["status"] == "ok"
    assert records[bad.as_posix()]["status"] == "failed"
    assert captured.err.splitlines() == [f"duty-lists: {bad.as_posix()}: {records[bad.as_posix()]['error']}"]


def test_encrypted_pdf_with_the_password_gets_past_the_encryption(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, _, _, bad, entries = run_with_good(tmp_path / "plain", capsys, "加密.pdf", encrypted_pdf)
    locked = entries[bad.as_posix()]["error"]
    assert "password" in locked.lower()

    rc, err, _, _, bad, entries = run_with_good(tmp_path / "pw", capsys, "加密.pdf", encrypted_pdf, "--password", "pw")
    assert rc == 1  # readable now, but it holds no duty-list table
    reason = entries[bad.as_posix()]["error"]
    assert reason != locked
    assert "no duty-list table" in reason
    assert f"duty-lists: {bad.as_posix()}: {reason}" in err.splitlines()
    assert "encrypted" not in reason.lower() and "password" not in reason.lower()


def test_encrypted_pdf_with_a_wrong_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, _, _, bad, entries = run_with_good(tmp_path, capsys, "加密.pdf", encrypted_pdf, "--password", "wrong")
    reason = entries[bad.as_posix()]["error"]
    assert "wrong" in reason.lower() and "password" in reason.lower()


def test_a_folder_of_bad_inputs_still_processes_the_good_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    good = write_text_form(inputs / "青石镇履职事项清单.txt")
    for name, writer, _ in CASES:
        writer(inputs / name)
    out = tmp_path / "out"
    rc = main(["run", str(inputs), "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 1
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert {e["path"]: e["status"] for e in entries} == {
        good.as_posix(): "ok",
        **{(inputs / name).as_posix(): "failed" for name, _, _ in CASES},
    }
    assert sum(line.startswith(f"duty-lists: {inputs.as_posix()}/") for line in err.splitlines()) == len(CASES)
    assert sorted(p.name for p in out.iterdir()) == ["all_items.csv", "manifest.json", good.stem]


def test_an_input_that_turns_bad_leaves_no_stale_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_text_form(tmp_path / "in" / "青石镇履职事项清单.txt")
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 0
    assert (out / path.stem / "document.json").is_file()
    empty(path)
    assert main(["run", str(path), "--out", str(out)]) == 1
    capsys.readouterr()
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert entry["status"] == "failed"
    assert not (out / path.stem).exists()
