"""Batch runs: resume after a kill, parallel = serial, progress only on a terminal, cheap ``--help``."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from duty_lists.ingest.batch.all_items import copied_rows, rendered_rows
from duty_lists.ingest.batch.runner import JOURNAL, Journal, discover, read_manifest
from duty_lists.ingest.batch.worker import Job, Task, options_key, render
from duty_lists.ingest.cli import main
from duty_lists.ingest.pipeline import RunOptions, sha256_of
from duty_lists.schema.records import Document

from tests.conftest import GOOD_LISTS, REPO, write_text_form

DOC_FILES = {"document.json", "basic.csv", "cooperative.csv", "reclaimed.csv", "report.html", "report.md", "lists.xlsx"}
N_DOCS = 30
HEAVY_MODULES = ("jieba", "pdfplumber", "pdfminer", "pandas", "lxml", "distributed", "dask", "rich")


def town_doc(folder: Path, n: int) -> Path:
    """A small document of its own town; 40 basic rows so each takes a noticeable moment."""
    categories = ("党的建设", "经济发展", "民生服务", "平安法治")
    basic = [(i, categories[(i - 1) * 4 // 40], f"{categories[(i - 1) * 4 // 40]}第{n}镇事项{i}", "") for i in range(1, 41)]
    lists: dict[str, Sequence[Sequence[object]]] = {
        "basic": basic, "cooperative": GOOD_LISTS["cooperative"], "reclaimed": GOOD_LISTS["reclaimed"]
    }
    return write_text_form(folder / f"第{n:02d}镇履职事项清单.txt", lists, town=f"某某县第{n:02d}镇")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch") / "in"
    for n in range(1, N_DOCS + 1):
        town_doc(folder, n)
    return folder


@pytest.fixture(scope="module")
def clean_run(batch: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "out"
    assert main(["run", str(batch), "--out", str(out), "--quiet"]) == 0
    return out


def files_below(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_cli(*argv: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "duty_lists", *map(str, argv)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def processed(stderr: str) -> int:
    match = re.search(r"(\d+) processed", stderr)
    assert match, stderr
    return int(match.group(1))


def doc_stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Folder → (inode, mtime) of its document.json: a reprocessed document gets a new file."""
    # Staging folders (.NAME.*.tmp) a kill left are not documents.
    return {
        p.parent.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in out.glob("*/document.json")
        if not p.parent.name.startswith(".")
    }


# --------------------------------------------------------------------------- kill and resume


def test_killed_run_resumes_without_redoing_finished_documents(batch: Path, clean_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "duty_lists", "run", str(batch), "--out", str(out), "--jobs", "1"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(doc_stamps(out)) < 3:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no document finished in time"
            time.sleep(0.005)
        assert proc.poll() is None, "the run ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    # what the killed run left: whole folders only, each finished one in the journal
    for folder in (p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")):
        assert {p.name for p in folder.iterdir()} == DOC_FILES, folder
    journaled = {e.stem for e in read_manifest(out).values() if e.ok}
    before = doc_stamps(out)
    assert 3 <= len(before) < N_DOCS
    assert journaled <= set(before)
    # a folder renamed into place but killed before its journal line: at most the one in hand
    assert len(set(before) - journaled) <= 1

    rerun = run_cli("run", batch, "--out", out, "--jobs", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert processed(rerun.stderr) == N_DOCS - len(journaled)
    after = doc_stamps(out)
    assert {stem for stem in before if after[stem] == before[stem]} == journaled  # finished ones untouched
    assert not [p.name for p in out.rglob("*") if p.name.endswith((".tmp", ".old")) or p.name == JOURNAL]
    assert files_below(out) == files_below(clean_run)


def test_leftovers_of_a_killed_run_are_swept(good_txt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (out / ".青石镇.k3j.tmp").mkdir(parents=True)
    (out / ".青石镇.k3j.tmp" / "document.json").write_text("{", encoding="utf-8")
    (out / ".manifest.json.x1.tmp").write_text("{", encoding="utf-8")
    (out / ".青石镇.old").mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["run", str(good_txt), "--out", str(out)]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["all_items.csv", "manifest.json", "notes.txt", good_txt.stem]


def test_a_second_run_on_the_same_folder_is_refused(good_txt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = Journal(out)
    try:
        assert main(["run", str(good_txt), "--out", str(out)]) == 2
        assert "another duty-lists run" in capsys.readouterr().err
        assert not (out / good_txt.stem).exists()
    finally:
        holder.close()
    assert main(["run", str(good_txt), "--out", str(out)]) == 0


def test_journal_lines_override_the_manifest_and_a_cut_last_line_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"inputs": [
        {"path": "a.txt", "stem": "a", "status": "failed"}, {"path": "b.txt", "stem": "b", "status": "ok"}]}), "utf-8")
    (tmp_path / JOURNAL).write_text(json.dumps({"path": "a.txt", "stem": "a", "status": "ok"}) + '\n{"path": "b.t',
                                    encoding="utf-8")
    assert {path: e.status for path, e in read_manifest(tmp_path).items()} == {"a.txt": "ok", "b.txt": "ok"}


@pytest.mark.parametrize("damage", ['{"inputs": [{"path": "a.txt"}]}', '{"inputs": 3}', '{"inputs": [', "\x00"])
def test_a_damaged_manifest_costs_one_line_and_a_full_rerun(good_txt: Path, tmp_path: Path, damage: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(good_txt), "--out", str(out), "--quiet"]) == 0
    written = (out / "manifest.json").read_bytes()
    (out / "manifest.json").write_text(damage, encoding="utf-8")
    assert main(["run", str(good_txt), "--out", str(out), "--quiet"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "manifest.json: 清单已损坏 (damaged manifest: " in lines[0], lines
    assert lines[0].endswith("; every input is processed again")
    assert (out / "manifest.json").read_bytes() == written


def test_a_rerun_writes_the_manifest_byte_for_byte(good_txt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Read back as typed entries and written again, an unchanged input's entry keeps its bytes,
    a failed input's too (it has fewer keys)."""
    out = tmp_path / "out"
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # refused before it is hashed: an entry without sha256 or versions
    main(["run", str(good_txt), str(fifo), "--out", str(out)])
    written = (out / "manifest.json").read_bytes()
    assert '"sha256": null' in written.decode()
    main(["run", str(good_txt), str(fifo), "--out", str(out)])
    assert "1 unchanged, 0 processed" in capsys.readouterr().err
    assert (out / "manifest.json").read_bytes() == written


# --------------------------------------------------------------------------- parallel, all_items


def test_jobs_2_writes_the_same_bytes_as_jobs_1(batch: Path, clean_run: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(batch), "--out", str(out), "--jobs", "2"]) == 0
    assert processed(capsys.readouterr().err) == N_DOCS
    assert files_below(out) == files_below(clean_run)


def test_all_items_holds_every_item_of_every_document_in_path_order(clean_run: Path) -> None:
    """Each document's items, list by list, documents by source path, read back with
    the csv module and compared with what document.json says."""
    docs = sorted((Document.model_validate_json(p.read_bytes()) for p in clean_run.glob("*/document.json")),
                  key=lambda doc: doc.source.path)
    expected = [
        {"issuer": doc.issuer, "list_type": dl.list_type, "seq": str(item.seq), "category": item.category,
         "name": item.name, "superior_departments": "、".join(item.superior_departments),
         "town_duties": "\n".join(item.town_duties), "receiving_departments": "、".join(item.receiving_departments)}
        for doc in docs for list_type in ("basic", "cooperative", "reclaimed")
        for dl in doc.lists if dl.list_type == list_type for item in dl.items
    ]
    data = (clean_run / "all_items.csv").read_bytes()
    assert data.startswith("\ufeff".encode()) and data.count(b"\r\n") >= len(expected) + 1
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(expected) == N_DOCS * 44
    assert [{key: row[key] for key in expected[0]} for row in rows] == expected


def test_all_items_falls_back_to_document_json_when_a_csv_is_foreign(batch: Path, clean_run: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(batch), "--out", str(out)]) == 0
    capsys.readouterr()
    folder = next(out.glob("*/basic.csv")).parent
    (folder / "basic.csv").write_text("\ufeffseq,name\r\n1,x\r\n", encoding="utf-8")  # as if written by another version
    (out / "all_items.csv").unlink()
    assert main(["run", str(batch), "--out", str(out)]) == 0
    assert processed(capsys.readouterr().err) == 0
    assert (out / "all_items.csv").read_bytes() == (clean_run / "all_items.csv").read_bytes()


def test_a_local_worker_stages_the_folder_itself(good_txt: Path, tmp_path: Path) -> None:
    """With ``out_dir`` the worker writes the folder beside its place and returns
    only its path; without, the files come back (a remote worker)."""
    job = Job(good_txt.as_posix(), "青石镇", sha256_of(good_txt))
    returned = render(Task(job, RunOptions(), options_key(RunOptions())))
    staged = render(Task(job, RunOptions(), options_key(RunOptions()), out_dir=str(tmp_path)))
    assert returned.staged is None and set(returned.files) == DOC_FILES
    assert staged.files == {} and staged.staged is not None
    folder = Path(staged.staged)
    assert folder.parent == tmp_path and folder.name.startswith(".青石镇.") and folder.name.endswith(".tmp")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == returned.files
    assert staged.entry == returned.entry


def test_all_items_copies_csv_text_only_where_that_is_exact(clean_run: Path, tmp_path: Path) -> None:
    """The text copy gives the rows rendered from document.json; a cell holding a
    carriage return (which would look like a record end) or a count that does not
    match makes it decline."""
    entry = next(e for e in read_manifest(clean_run).values() if e.ok)
    folder = clean_run / entry.stem
    counts = entry.counts
    assert counts is not None
    copied = copied_rows(folder, counts)
    assert copied is not None and copied.count("\r\n") == sum(counts.values())
    rendered = io.StringIO(newline="")
    csv.writer(rendered, lineterminator="\r\n").writerows(rendered_rows(folder))
    assert copied == rendered.getvalue()

    text = (folder / "basic.csv").read_bytes().decode("utf-8-sig")
    header, _, body = text.partition("\r\n")
    first, _, rest = body.partition(",")
    odd = tmp_path / "odd"
    shutil.copytree(folder, odd)
    (odd / "basic.csv").write_bytes(("\ufeff" + header + "\r\n" + first + ',"a\r\nb"' + rest[rest.index(","):]).encode("utf-8"))
    assert copied_rows(odd, counts) is None
    assert copied_rows(folder, {**counts, "basic": counts["basic"] + 1}) is None
    assert copied_rows(folder, {}) is None


# --------------------------------------------------------------------------- shipped inputs (remote workers)


def test_a_shipped_input_and_options_file_need_no_shared_filesystem(tmp_path: Path) -> None:
    source = write_text_form(tmp_path / "in" / "青石镇履职事项清单.txt",
                             {"basic": [(1, "自定类别", "本镇自己的事项", "")]})
    categories = tmp_path / "categories.txt"
    categories.write_text("自定类别\n", encoding="utf-8")
    options = RunOptions(categories_file=str(categories))
    job = Job(path="/client/only/青石镇履职事项清单.txt", stem="青石镇", sha256=sha256_of(source))
    shipped = {job.path: source.read_bytes(), str(categories): categories.read_bytes()}
    key = options_key(options)  # the client's: the worker never reads the option files' paths
    categories.unlink()  # the worker must use the shipped copy

    result = render(Task(job, options, key, shipped=shipped))

    assert result.entry.ok, result.entry
    doc = Document.model_validate_json(result.files["document.json"])
    assert doc.source.path == job.path
    assert not [f for f in doc.findings if f.code.startswith("category")]  # the shipped list was read
    without_categories = replace(options, categories_file=None)
    without = render(Task(job, without_categories, options_key(without_categories), shipped={job.path: shipped[job.path]}))
    assert [f.code for f in Document.model_validate_json(without.files["document.json"]).findings
            if f.code.startswith("category")]
    assert render(Task(job, options, key, shipped={})).entry.status == "failed"


# --------------------------------------------------------------------------- progress and start-up


def test_no_progress_bar_when_stderr_is_piped(batch: Path, tmp_path: Path) -> None:
    proc = run_cli("run", *sorted(batch.iterdir())[:4], "--out", tmp_path / "out", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" not in proc.stderr and "\r" not in proc.stderr
    assert proc.stderr.splitlines() == [line for line in proc.stderr.splitlines() if line.startswith("duty-lists: ")]


def test_progress_bar_on_a_terminal(batch: Path, tmp_path: Path) -> None:
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "duty_lists", "run", *map(str, sorted(batch.iterdir())[:6]),
                             "--out", str(tmp_path / "out")], cwd=REPO, stdout=subprocess.DEVNULL, stderr=slave,
                            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"})
    os.close(slave)
    screen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 0
    text = screen.decode("utf-8", errors="replace")
    assert "\x1b[" in text and "documents" in text


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"]])
def test_help_does_not_import_the_heavy_libraries(argv: list[str]) -> None:
    code = (f"import sys\nfrom ingest.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            f"print('IMPORTED:', *sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY_MODULES!r}))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "usage:" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "IMPORTED:"


def test_dask_executor_without_the_extra_names_the_install_command(good_txt: Path, tmp_path: Path) -> None:
    # sys.modules[name] = None makes "import name" fail, as if the extra were not installed
    code = ("import sys\nsys.modules['distributed'] = None\nfrom ingest.cli import main\n"
            "sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, "run", str(good_txt), "--out", str(tmp_path / "out"),
                           "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["duty-lists: --executor dask needs the dask extra: pip install 'duty-lists[dask]'"]


def test_the_pool_warms_only_the_parsers_the_batch_needs(tmp_path: Path) -> None:
    from duty_lists.parsers import parser_modules

    (tmp_path / "a.txt").write_text("序号\t事项类别\t履职事项名称\t备注\n", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")
    (tmp_path / "empty.txt").write_bytes(b"")  # fails in the sniffer: needs no parser
    paths = sorted(tmp_path.iterdir())
    assert parser_modules(paths) == {"duty_lists.parsers.text_form", "duty_lists.parsers.pdf.router"}
    assert parser_modules(paths[:1]) == {"duty_lists.parsers.text_form"}


def test_a_text_batch_never_imports_the_pdf_readers(batch: Path, tmp_path: Path) -> None:
    code = ("import sys\nfrom ingest.cli import main\nrc = main(sys.argv[1:])\n"
            "print('IMPORTED:', *sorted(m for m in sys.modules if m.split('.')[0] in ('pdfplumber', 'pypdfium2', 'numpy')))\n"
            "sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, "run", str(batch), "--out", str(tmp_path / "out"), "--jobs", "2",
                           "--quiet"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip().splitlines()[-1] == "IMPORTED:", proc.stderr


def _frozen_in_worker(_: int) -> int:
    import gc

    return gc.get_freeze_count()


@pytest.mark.skipif(sys.platform == "win32", reason="fork start method only")
def test_pool_workers_inherit_frozen_objects_and_the_client_is_unfrozen_after() -> None:
    """Workers see the warmed-up objects frozen (no copy-on-write from their
    collector); the client's collector gets them back once the pool is gone."""
    import gc

    from duty_lists.ingest.batch.executors import LocalPool

    counts = list(LocalPool(2).map_unordered(_frozen_in_worker, range(4)))
    assert min(counts) > 10_000
    assert gc.get_freeze_count() == 0


def test_a_folder_input_skips_duty_lists_own_outputs(tmp_path: Path) -> None:
    # Reports, diff pages and workbooks copied next to the inputs, and earlier run folders, are not documents.
    inputs = tmp_path / "清单"
    write_text_form(inputs / "甲镇.txt")
    assert main(["run", str(inputs / "甲镇.txt"), "--out", str(inputs / "旧结果"), "--quiet"]) == 0
    folder = inputs / "旧结果" / "甲镇"
    shutil.copy(folder / "report.html", inputs / "报告副本.html")
    shutil.copy(folder / "lists.xlsx", inputs / "工作簿副本.xlsx")
    assert main(["diff", str(inputs / "甲镇.txt"), str(inputs / "甲镇.txt"), "--format", "html",
                 "--output", str(inputs / "diff.html")]) == 0
    (inputs / "别人的网页.html").write_text("<html><body><p>通知</p></body></html>", encoding="utf-8")
    assert [p.name for p in discover([inputs])] == ["别人的网页.html", "甲镇.txt"]
