"""``--executor dask``: a real two-worker LocalCluster on loopback gives the local run's bytes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from duty_lists.ingest.cli import main

from .conftest import REPO, SHAHE_TXT, write_text_form

RAW = REPO / "raw"

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def files_below(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_dask_run_equals_local_run(scheduler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SHAHE_TXT, inputs / SHAHE_TXT.name)
    write_text_form(inputs / "青石镇履职事项清单.txt")
    write_text_form(inputs / "白沙镇履职事项清单.txt", town="某某县白沙镇")
    (inputs / "坏文件.txt").write_text("这是一份通知。\n没有任何表格。\n", encoding="utf-8")
    rules = tmp_path / "rules.json"  # an options file: workers get its bytes with the work
    rules.write_text('{"severity": {"text.traditional": "error"}}', encoding="utf-8")

    local, remote = tmp_path / "local", tmp_path / "dask"
    assert main(["run", str(inputs), "--out", str(local), "--rules", str(rules)]) == 1
    capsys.readouterr()
    assert main(["run", str(inputs), "--out", str(remote), "--rules", str(rules),
                 "--executor", "dask", "--scheduler", scheduler]) == 1
    assert "4 processed" in capsys.readouterr().err

    expected = files_below(local)
    assert {name.split("/")[0] for name in expected} >= {SHAHE_TXT.stem, "青石镇履职事项清单", "manifest.json"}
    assert files_below(remote) == expected

    # the rerun skips the finished documents; only the failed one is tried again
    assert main(["run", str(inputs), "--out", str(remote), "--rules", str(rules),
                 "--executor", "dask", "--scheduler", scheduler]) == 1
    assert "3 unchanged, 1 processed" in capsys.readouterr().err
    assert files_below(remote) == expected


def test_unreachable_scheduler_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = write_text_form(tmp_path / "in" / "青石镇履职事项清单.txt")
    rc = main(["run", str(doc), "--out", str(tmp_path / "out"), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err


def test_a_threaded_worker_reads_two_pdfs_at_once_as_a_local_run_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """PDFium is not thread-safe: a worker with two threads reads two PDFs at
    once, and the per-process lock around the PDFium reader keeps the records
    those of a local run."""
    pdfs = sorted(RAW.glob("*.pdf"))
    assert len(pdfs) == 2
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert main(["run", *map(str, pdfs), "--out", str(local)]) == 0
    capsys.readouterr()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert main(["run", *map(str, pdfs), "--out", str(remote), "--executor", "dask",
                     "--scheduler", cluster.scheduler_address]) == 0
    assert "2 processed" in capsys.readouterr().err
    expected = files_below(local)
    assert {name.split("/")[0] for name in expected} >= {pdf.stem for pdf in pdfs}
    assert files_below(remote) == expected
