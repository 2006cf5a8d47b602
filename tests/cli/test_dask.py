"""``--executor dask``: a real two-worker LocalCluster on loopback gives the local run's bytes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

import pytest
from duty_lists.ingest.cli import main
from duty_lists.ingest.pipeline import RunOptions
from duty_lists.schema.records import Document

from tests.conftest import REPO, SHAHE_TXT, write_text_form

RAW = REPO / "raw"

distributed = pytest.importorskip("distributed")
from distributed import WorkerPlugin  # noqa: E402


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


class KillsOnTheSecondTown(WorkerPlugin):
    """In every worker, the ones the nanny restarts included: a document of 第2镇 kills its worker
    (what the OOM killer does), as the local pool's test does by monkeypatching.  The others
    take a moment, so that some stand queued on the worker that dies: the scheduler counts
    the death against them too."""

    def setup(self, worker: object) -> None:
        import os
        import signal
        import time

        from duty_lists.ingest.batch import worker as worker_module

        process_file = worker_module.process_file

        def oom_killed(path: str | PathLike[str], options: RunOptions | None = None, sha256: str | None = None) -> Document:
            if "第2镇" in Path(path).name:
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(0.5)
            return process_file(path, options, sha256)

        worker_module.process_file = oom_killed


def test_a_dead_dask_worker_costs_its_document_not_the_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    for n in range(6):
        write_text_form(folder / f"第{n}镇履职事项清单.txt", town=f"某某县第{n}镇")
    victim = folder / "第2镇履职事项清单.txt"
    import dask

    # one retry on another worker, then the scheduler gives the task up (KilledWorker)
    # worker-saturation inf: every task goes to a worker at once, so the dying one holds queued
    # documents (the scheduler's default holds them back, and only sometimes sends one ahead)
    with dask.config.set({"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": float("inf")}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        client.register_plugin(KillsOnTheSecondTown())
        capsys.readouterr()  # the cluster's own start-up warnings (a port in use) are not the run's
        out = tmp_path / "out"
        assert main(["run", str(folder), "--out", str(out), "--quiet",
                     "--executor", "dask", "--scheduler", cluster.scheduler_address]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"duty-lists: {victim.as_posix()}: 处理进程意外终止 "
                   "(the worker process died on this document: out of memory or a crash)"]
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    statuses = {Path(entry["path"]).name: entry["status"] for entry in entries}
    assert statuses == {f"第{n}镇履职事项清单.txt": "failed" if n == 2 else "ok" for n in range(6)}
