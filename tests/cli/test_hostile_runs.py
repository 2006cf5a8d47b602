"""Issue #16, the output folder: no later input, name or option loses what an earlier run wrote.

Every case is crafted here, small; each either processes or fails with one
line naming the file, and nothing else reaches stderr.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from os import PathLike
from pathlib import Path

import pytest
from duty_lists.ingest.batch import worker as worker_module
from duty_lists.ingest.batch.manifest import ManifestEntry
from duty_lists.ingest.batch.runner import BatchError, Journal
from duty_lists.ingest.cli import main
from duty_lists.ingest.pipeline import RunOptions
from duty_lists.schema.records import Document

from tests.conftest import REPO, text_form, write_text_form


def manifest(out: Path) -> dict[str, dict]:
    return {e["path"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]}


@pytest.fixture
def earlier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """An output folder holding one earlier run's document."""
    out = tmp_path / "out"
    good = write_text_form(tmp_path / "earlier" / "青石镇履职事项清单.txt")
    assert main(["run", str(good), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    return out


def earlier_intact(out: Path) -> None:
    assert (out / "青石镇履职事项清单" / "document.json").is_file()
    assert any(path.endswith("青石镇履职事项清单.txt") for path in manifest(out))
    assert "青石镇" in (out / "all_items.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("name", ["..txt", "...txt", "manifest.json.txt", "manifest.journal.txt", "all_items.csv.txt",
                                  "x" * 251 + ".txt", "青" * 83 + ".txt"])
def test_names_that_were_stems_of_the_output_folder_itself(earlier: Path, tmp_path: Path, name: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_text_form(tmp_path / "in" / name, town="某某县白石镇")
    for _ in range(2):  # and the run after it
        assert main(["run", str(bad), "--out", str(earlier), "--quiet"]) == 0
        assert capsys.readouterr().err == ""
    earlier_intact(earlier)
    entry = manifest(earlier)[bad.as_posix()]
    assert entry["status"] == "ok"
    folder = earlier / entry["stem"]
    assert folder.parent == earlier and (folder / "document.json").is_file()
    assert len(entry["stem"].encode()) <= 200
    assert sorted(p.name for p in earlier.iterdir() if p.is_file()) == ["all_items.csv", "manifest.json"]


def test_a_file_name_that_is_not_utf8(earlier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/" + "白石镇清单".encode("gbk") + b".txt"
    with open(raw, "wb") as handle:
        handle.write(text_form(town="某某县白石镇").encode("utf-8"))
    for _ in range(2):
        assert main(["run", str(folder), "--out", str(earlier), "--quiet"]) == 0
        assert capsys.readouterr().err == ""
    earlier_intact(earlier)
    (key,) = [key for key in manifest(earlier) if key.startswith(folder.as_posix())]
    assert "\\x" in key  # the GBK bytes, shown escaped
    assert manifest(earlier)[key]["status"] == "ok"


def test_a_newline_in_a_file_name_cannot_forge_a_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "in" / "a\nduty-lists: forged.txt"
    bad.parent.mkdir()
    bad.write_bytes(b"")
    out = tmp_path / "out"
    assert main(["run", str(bad), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("duty-lists: ") and "\\nduty-lists: forged.txt: " in err[0]


def test_the_same_stem_from_two_runs_keeps_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    first = write_text_form(tmp_path / "a" / "x.txt", town="某某县白石镇")
    second = write_text_form(tmp_path / "b" / "x.txt", town="某某县黑石镇")
    assert main(["run", str(first), "--out", str(out), "--quiet"]) == 0
    assert main(["run", str(second), "--out", str(out), "--quiet"]) == 0
    assert main(["run", str(first), "--out", str(out), "--quiet"]) == 0  # and back: each keeps its folder
    entries = manifest(out)
    stems = {entries[first.as_posix()]["stem"], entries[second.as_posix()]["stem"]}
    assert len(stems) == 2
    issuers = {json.loads((out / stem / "document.json").read_text(encoding="utf-8"))["issuer"] for stem in stems}
    assert issuers == {"某某县白石镇", "某某县黑石镇"}
    items = (out / "all_items.csv").read_text(encoding="utf-8-sig")
    assert "某某县白石镇" in items and "某某县黑石镇" in items


@pytest.mark.parametrize("option", ["--departments", "--categories"])
@pytest.mark.parametrize("content", ["市场监督管理局\n".encode("gbk"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
                         ids=["gbk", "binary"])
def test_option_files_are_checked_before_anything_is_touched(earlier: Path, tmp_path: Path, option: str,
                                                             content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in earlier.rglob("*") if p.is_file()}
    names = tmp_path / "names.txt"
    names.write_bytes(content)
    good = write_text_form(tmp_path / "earlier" / "青石镇履职事项清单.txt")
    assert main(["run", str(good), "--out", str(earlier), option, str(names)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and option in err[0] and str(names) in err[0]
    assert {p: p.read_bytes() for p in earlier.rglob("*") if p.is_file()} == before


def test_out_inside_the_input_folder_is_never_read_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    write_text_form(folder / "青石镇履职事项清单.txt")
    for _ in range(3):
        assert main(["run", str(folder), "--out", str(folder / "out"), "--force"]) == 0
    capsys.readouterr()
    assert list(manifest(folder / "out")) == [(folder / "青石镇履职事项清单.txt").as_posix()]


def test_an_unusable_out_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_text_form(tmp_path / "青石镇履职事项清单.txt")
    taken = tmp_path / "a-file"
    taken.write_text("mine", encoding="utf-8")
    assert main(["run", str(good), "--out", str(taken)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and str(taken) in err[0] and "output folder" in err[0]
    assert taken.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
def test_a_fifo_or_a_device_is_refused_not_waited_for(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        special = tmp_path / "pipe.txt"
        os.mkfifo(special)
    else:
        special = Path("/dev/zero")
    good = write_text_form(tmp_path / "青石镇履职事项清单.txt")
    for command in (["run", str(good), str(special), "--out", str(tmp_path / "out"), "--quiet"],
                    ["validate", str(good), str(special)]):
        done = subprocess.run([sys.executable, "-m", "duty_lists", *command], cwd=REPO, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 1
        lines = [line for line in done.stderr.splitlines() if str(special) in line]
        assert lines == [f"duty-lists: {special.as_posix()}: 不是普通文件 (not a regular file: a "
                         f"{'FIFO' if kind == 'fifo' else 'device or socket'})"], done.stderr


def test_the_password_is_never_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_text_form(tmp_path / "青石镇履职事项清单.txt")
    out = tmp_path / "out"
    assert main(["run", str(good), "--out", str(out), "--password", "s3cret-Pw"]) == 0
    capsys.readouterr()
    for path in out.rglob("*"):
        if path.is_file():
            assert b"s3cret-Pw" not in path.read_bytes(), path
    # a rerun with the password still counts as unchanged
    assert main(["run", str(good), "--out", str(out), "--password", "s3cret-Pw"]) == 0
    assert "1 unchanged" in capsys.readouterr().err


def test_a_full_disk_names_the_documents_it_cost(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    good = write_text_form(tmp_path / "in" / "青石镇履职事项清单.txt")
    full = write_text_form(tmp_path / "in" / "白石镇履职事项清单.txt", town="某某县白石镇")
    stage = worker_module.stage_folder

    def no_space(target: Path, files: dict[str, bytes]) -> Path:
        if "白石镇" in target.name:
            raise OSError(28, "No space left on device")
        return stage(target, files)

    monkeypatch.setattr(worker_module, "stage_folder", no_space)
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"duty-lists: {full.as_posix()}: 无法写入输出 (cannot write the outputs: No space left on device)"]
    assert manifest(out)[good.as_posix()]["status"] == "ok"


def test_a_dead_worker_costs_its_document_not_the_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    for n in range(4):
        write_text_form(folder / f"第{n}镇履职事项清单.txt", town=f"某某县第{n}镇")
    victim = write_text_form(folder / "第2镇履职事项清单.txt", town="某某县第2镇")
    process_file = worker_module.process_file

    def oom_killed(  # what the OOM killer does to a worker
        path: str | PathLike[str], options: RunOptions | None = None, sha256: str | None = None
    ) -> Document:
        if "第2镇" in Path(path).name:
            os.kill(os.getpid(), signal.SIGKILL)
        return process_file(path, options, sha256)

    monkeypatch.setattr(worker_module, "process_file", oom_killed)  # inherited by the forked workers
    out = tmp_path / "out"
    for _ in range(2):  # and a rerun does not die on it either
        assert main(["run", str(folder), "--out", str(out), "--jobs", "2", "--quiet"]) == 1
        err = capsys.readouterr().err.splitlines()
        assert err == [f"duty-lists: {victim.as_posix()}: 处理进程意外终止 "
                       "(the worker process died on this document: out of memory or a crash)"]
        statuses = {Path(path).name: entry["status"] for path, entry in manifest(out).items()}
        assert statuses == {f"第{n}镇履职事项清单.txt": "failed" if n == 2 else "ok" for n in range(4)}


def test_the_lock_covers_the_all_items_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from duty_lists.ingest.cli import run as run_module

    good = write_text_form(tmp_path / "青石镇履职事项清单.txt")
    out = tmp_path / "out"
    rebuild = run_module.rebuild_all_items
    refused = []

    def rebuild_while_another_run_tries(folder: Path, entries: list[ManifestEntry]) -> None:
        try:
            Journal(folder).close()
        except BatchError:
            refused.append(True)
        rebuild(folder, entries)

    monkeypatch.setattr(run_module, "rebuild_all_items", rebuild_while_another_run_tries)
    assert main(["run", str(good), "--out", str(out), "--quiet"]) == 0
    assert refused == [True]


LOCK_THEN_DIE = textwrap.dedent("""
    import multiprocessing, os, signal, sys, time
    from pathlib import Path
    from duty_lists.ingest.batch.runner import Journal

    def worker():
        # Printed by the worker itself, so after its fork hooks ran: printed by
        # the parent after start(), the test could look at the lock in the
        # moment before the worker let go of it (seen once under load).
        print(os.getpid(), flush=True)
        time.sleep(60)

    journal = Journal(Path(sys.argv[1]))
    child = multiprocessing.get_context("fork").Process(target=worker)
    child.start()
    os.kill(os.getpid(), signal.SIGKILL)  # the main process only; the worker lives on
""")


def test_the_lock_dies_with_the_run_not_with_its_orphaned_workers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    main_process = subprocess.Popen([sys.executable, "-c", LOCK_THEN_DIE, str(out)], stdout=subprocess.PIPE, text=True)
    assert main_process.stdout is not None
    orphan = int(main_process.stdout.readline())  # the orphan keeps the pipe open: read a line, not to the end
    assert main_process.wait(timeout=60) == -signal.SIGKILL
    try:
        os.kill(orphan, 0)  # still alive
        Journal(out).close()  # and yet the folder is free
    finally:
        os.kill(orphan, signal.SIGKILL)
        time.sleep(0.1)
