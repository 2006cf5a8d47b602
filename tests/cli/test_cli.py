"""The ``duty-lists`` command: run and validate, in-process and once as a real subprocess."""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.resources
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duty_lists.ingest.pipeline
import pytest
from duty_lists.ingest.cli import COMMANDS, main

from tests.conftest import GOOD_LISTS, REPO, SHAHE_ISSUER, SHAHE_TXT, write_text_form

DOC_FILES = ("document.json", "basic.csv", "cooperative.csv", "reclaimed.csv", "report.html", "report.md", "lists.xlsx")
BOM = "\ufeff".encode()


def cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def manifest(out: Path) -> dict[str, dict]:
    return {entry["path"]: entry for entry in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]}


def csv_rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(BOM), path
    return list(csv.DictReader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


def bad_txt(folder: Path) -> Path:
    """A text file with no duty-list table."""
    path = folder / "坏文件.txt"
    path.write_text("这是一份通知。\n没有任何表格。\n", encoding="utf-8")
    return path


def files_below(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- run: good and bad side by side


def assert_good_and_bad(rc: int, err: str, out: Path, good: Path, bad: Path) -> None:
    assert rc == 1
    for name in DOC_FILES:
        assert (out / good.stem / name).is_file(), name
    assert not (out / bad.stem).exists()
    entries = manifest(out)
    assert entries[good.as_posix()]["status"] == "ok"
    assert entries[good.as_posix()]["error"] is None
    failed = entries[bad.as_posix()]
    assert failed["status"] == "failed"
    assert failed["error"] and "\n" not in failed["error"]
    assert "Traceback" not in err
    naming = [line for line in err.splitlines() if bad.as_posix() in line]
    assert naming == [f"duty-lists: {bad.as_posix()}: {failed['error']}"]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_run_good_and_bad_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    bad = bad_txt(good_txt.parent)
    out = tmp_path / "out"
    rc, _, err = cli(capsys, "run", good_txt, bad, "--out", out)
    assert_good_and_bad(rc, err, out, good_txt, bad)
    assert "no duty-list table" in manifest(out)[bad.as_posix()]["error"]


def test_run_good_and_bad_as_a_subprocess(tmp_path: Path, good_txt: Path) -> None:
    bad = bad_txt(good_txt.parent)
    out = tmp_path / "输出"
    proc = subprocess.run(
        [sys.executable, "-m", "duty_lists", "run", str(good_txt), str(bad), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert_good_and_bad(proc.returncode, proc.stderr, out, good_txt, bad)


def test_help_as_a_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "duty_lists", "--help"], cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert proc.returncode == 0
    for command in ("run", "validate", "diff"):
        assert command in proc.stdout
    assert proc.stderr == ""


def test_help_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "usage: duty-lists" in out
    assert "run" in out and "validate" in out


#: What each command needs besides its options, so only the bad flag is wrong.
POSITIONALS = {"run": ["x"], "validate": ["x"], "diff": ["a", "b"], "compare": ["a"], "dataset": ["d", "--into", "e"],
               "schema": [], "serve": []}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_bad_flag_gets_the_commands_usage(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, *POSITIONALS[command], "--no-such-flag"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"usage: duty-lists {command}" in err
    assert f"duty-lists {command}: error: unrecognized arguments: --no-such-flag" in err


@pytest.mark.parametrize("jobs", ["-3", "two", "1.5"])
def test_jobs_must_be_a_count(capsys: pytest.CaptureFixture[str], good_txt: Path, tmp_path: Path, jobs: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", str(good_txt), "--out", str(tmp_path / "out"), "--jobs", jobs])
    assert exc.value.code == 2
    assert "argument --jobs" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_closed_pipe_ends_quietly(tmp_path: Path, good_txt: Path) -> None:
    # `duty-lists compare … | head -1`: the reader leaves before the writer is done.
    towns = [write_text_form(tmp_path / f"镇{n}.txt") for n in range(3)]
    argv = [sys.executable, "-m", "duty_lists", "compare", *map(str, towns), "--all-versions", "--format", "csv", "--table", "groups"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(1)
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8")
        rc = proc.wait(timeout=120)
    assert err == ""
    assert rc in (0, 141)  # 141 when the write met the closed pipe, 0 when it was done first


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert f"usage: duty-lists {command}" in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = cli(capsys)
    assert rc == 2
    assert "usage: duty-lists" in out


# --------------------------------------------------------------------------- run on 沙河镇


@pytest.fixture(scope="module")
def shahe_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shahe") / "out"
    assert main(["run", str(SHAHE_TXT), "--out", str(out), "--quiet"]) == 0
    return out


def test_shahe_counts_in_manifest(shahe_out: Path) -> None:
    (entry,) = manifest(shahe_out).values()
    assert entry["status"] == "ok"
    assert entry["counts"] == {"basic": 101, "cooperative": 86, "reclaimed": 80}
    assert entry["issuer"] == SHAHE_ISSUER
    assert entry["findings"]["error"] == 0


def test_shahe_csvs(shahe_out: Path) -> None:
    folder = shahe_out / SHAHE_TXT.stem
    counts = {lt: len(csv_rows(folder / f"{lt}.csv")) for lt in ("basic", "cooperative", "reclaimed")}
    assert counts == {"basic": 101, "cooperative": 86, "reclaimed": 80}
    basic = csv_rows(folder / "basic.csv")
    assert [row["seq"] for row in basic] == [str(n) for n in range(1, 102)]
    assert {row["issuer"] for row in basic} == {SHAHE_ISSUER}


def test_shahe_all_items(shahe_out: Path) -> None:
    rows = csv_rows(shahe_out / "all_items.csv")
    assert len(rows) == 267
    assert {"issuer", "list_type"} <= set(rows[0])
    assert Counter(row["list_type"] for row in rows) == {"basic": 101, "cooperative": 86, "reclaimed": 80}
    assert {row["issuer"] for row in rows} == {SHAHE_ISSUER}


def test_csv_defuses_formula_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = ['=HYPERLINK("http://x")', "+统计数据", "-减少排放", "@镇政府工作"]
    rows = {"basic": [(i, "党的建设", name, "") for i, name in enumerate(names, start=1)]}
    path = write_text_form(tmp_path / "公式.txt", rows)
    out = tmp_path / "out"
    rc, _, _ = cli(capsys, "run", path, "--out", out, "--quiet")
    assert rc == 0
    written = [row["name"] for row in csv_rows(out / "公式" / "basic.csv")]
    assert written == ["'" + name for name in names]
    assert [row["name"] for row in csv_rows(out / "all_items.csv")] == written
    doc = json.loads((out / "公式" / "document.json").read_text(encoding="utf-8"))
    assert [i["name"] for i in doc["lists"][0]["items"]] == names  # the data keeps the text as printed


# --------------------------------------------------------------------------- reruns


def test_second_run_skips_unchanged_inputs_and_force_reprocesses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path
) -> None:
    out = tmp_path / "out"
    doc_json = out / good_txt.stem / "document.json"
    assert cli(capsys, "run", good_txt, "--out", out)[0] == 0
    first = doc_json.stat()
    first_manifest = manifest(out)

    rc, _, err = cli(capsys, "run", good_txt, "--out", out)
    assert rc == 0
    assert "1 unchanged" in err
    again = doc_json.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert manifest(out) == first_manifest

    rc, _, err = cli(capsys, "run", good_txt, "--out", out, "--force")
    assert rc == 0
    assert "0 unchanged" in err
    forced = doc_json.stat()
    assert (forced.st_ino, forced.st_mtime_ns) != (first.st_ino, first.st_mtime_ns)


def test_changed_input_is_reprocessed(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    out = tmp_path / "out"
    assert cli(capsys, "run", good_txt, "--out", out)[0] == 0
    write_text_form(good_txt, {"basic": GOOD_LISTS["basic"][:2]})
    rc, _, err = cli(capsys, "run", good_txt, "--out", out)
    assert rc == 0 and "0 unchanged" in err
    assert manifest(out)[good_txt.as_posix()]["counts"] == {"basic": 2, "cooperative": 0, "reclaimed": 0}
    assert len(csv_rows(out / "all_items.csv")) == 2


def option_files(folder: Path) -> dict[str, Path]:
    """One file for each option that names a file, each valid as written."""
    files = {
        "--rules": folder / "rules.json",
        "--headers": folder / "headers.json",
        "--categories": folder / "categories.txt",
        "--departments": folder / "departments.txt",
    }
    files["--rules"].write_text('{"disable": ["category.split"]}', encoding="utf-8")
    files["--headers"].write_text('{"fields": [{"field": "remark", "exact": ["附注"]}]}', encoding="utf-8")
    files["--categories"].write_text("自定类别\n", encoding="utf-8")
    files["--departments"].write_text("某某县民政局\n", encoding="utf-8")
    return files


def test_an_edited_option_file_reprocesses_and_an_unchanged_one_skips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path
) -> None:
    out = tmp_path / "out"
    (tmp_path / "opts").mkdir()
    files = option_files(tmp_path / "opts")
    argv = ["run", good_txt, "--out", out, *(arg for pair in files.items() for arg in pair)]
    assert cli(capsys, *argv)[2].endswith("0 unchanged, 1 processed → " + str(out) + "\n")
    for option, path in files.items():
        assert "1 unchanged, 0 processed" in cli(capsys, *argv)[2], option
        # same meaning for the parsers, other bytes: a different file to the key
        path.write_bytes(path.read_bytes() + b"\n")
        rc, _, err = cli(capsys, *argv)
        assert rc == 0 and "0 unchanged, 1 processed" in err, option
    assert "1 unchanged, 0 processed" in cli(capsys, *argv)[2]

    # the key holds contents, not paths: the same files elsewhere are unchanged options
    moved = tmp_path / "moved"
    moved.mkdir()
    for path in files.values():
        path.rename(moved / path.name)
    argv = ["run", good_txt, "--out", out, *(arg for option, path in files.items() for arg in (option, moved / path.name))]
    assert "1 unchanged, 0 processed" in cli(capsys, *argv)[2]


def test_another_installed_version_reprocesses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert cli(capsys, "run", good_txt, "--out", out)[0] == 0
    installed = importlib.metadata.version("duty-lists")
    assert manifest(out)[good_txt.as_posix()]["tool_version"] == installed
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["tool_version"] == installed

    monkeypatch.setattr(duty_lists.ingest.pipeline, "version", lambda: installed + ".post1")
    duty_lists.ingest.pipeline.tool_version.cache_clear()
    try:
        rc, _, err = cli(capsys, "run", good_txt, "--out", out)
        assert rc == 0 and "0 unchanged, 1 processed" in err
        assert manifest(out)[good_txt.as_posix()]["tool_version"] == installed + ".post1"
        assert "1 unchanged" in cli(capsys, "run", good_txt, "--out", out)[2]
    finally:
        duty_lists.ingest.pipeline.tool_version.cache_clear()


def test_an_edited_bundled_vocabulary_reprocesses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert cli(capsys, "run", good_txt, "--out", out)[0] == 0
    shipped = importlib.resources.files("duty_lists.schema").joinpath("data")
    names = sorted(entry.name for entry in shipped.iterdir() if entry.is_file())
    assert {"headers.json", "categories.txt", "department_words.txt"} <= set(names)
    copy = tmp_path / "package" / "data"
    copy.mkdir(parents=True)
    for name in names:
        (copy / name).write_bytes(shipped.joinpath(name).read_bytes())

    class Resources:
        @staticmethod
        def files(package: str) -> Path:
            assert package == "duty_lists.schema"
            return copy.parent

    pipeline = duty_lists.ingest.pipeline
    original = pipeline.bundled_data_sha256()
    monkeypatch.setattr(pipeline, "resources", Resources)
    try:
        for name in names:
            pipeline.bundled_data_sha256.cache_clear()
            assert pipeline.bundled_data_sha256() == original  # the copy is the installed data, byte for byte
            assert "1 unchanged" in cli(capsys, "run", good_txt, "--out", out)[2], name
            (copy / name).write_bytes((copy / name).read_bytes() + b"\n")
            pipeline.bundled_data_sha256.cache_clear()
            rc, _, err = cli(capsys, "run", good_txt, "--out", out)
            assert rc == 0 and "0 unchanged, 1 processed" in err, name
            (copy / name).write_bytes(shipped.joinpath(name).read_bytes())
            pipeline.bundled_data_sha256.cache_clear()
            assert "0 unchanged, 1 processed" in cli(capsys, "run", good_txt, "--out", out)[2], name
    finally:
        pipeline.bundled_data_sha256.cache_clear()


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"duty-lists {importlib.metadata.version('duty-lists')}\n"
    proc = subprocess.run([sys.executable, "-m", "duty_lists", "--version"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == f"duty-lists {importlib.metadata.version('duty-lists')}\n"


def test_outputs_are_byte_identical_between_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    # The manifest records input paths (not output paths), so with the same
    # inputs every file, manifest included, must be identical.
    bad = bad_txt(good_txt.parent)
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli(capsys, "run", good_txt, bad, SHAHE_TXT, "--out", first)[0] == 1
    assert cli(capsys, "run", good_txt, bad, SHAHE_TXT, "--out", second)[0] == 1
    a, b = files_below(first), files_below(second)
    assert "manifest.json" in a and "all_items.csv" in a
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name


def test_parallel_run_writes_the_same_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    other = write_text_form(good_txt.parent / "白沙镇履职事项清单.txt", town="某某县白沙镇")
    bad = bad_txt(good_txt.parent)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert cli(capsys, "run", good_txt, other, bad, "--out", serial)[0] == 1
    assert cli(capsys, "run", good_txt, other, bad, "--out", parallel, "--jobs", "2")[0] == 1
    assert files_below(serial) == files_below(parallel)
    assert {e["status"] for e in manifest(parallel).values()} == {"ok", "failed"}


def test_outputs_honour_the_umask(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    old = os.umask(0o022)
    try:
        assert cli(capsys, "run", good_txt, "--out", tmp_path / "out")[0] == 0
    finally:
        os.umask(old)
    out = tmp_path / "out"
    modes = {p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in out.rglob("*")}
    assert modes == {name: (0o755 if (out / name).is_dir() else 0o644) for name in modes}


# --------------------------------------------------------------------------- validate


def test_validate_shahe_passes(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = cli(capsys, "validate", SHAHE_TXT)
    assert rc == 0
    assert "text.traditional" in out


def test_validate_strict_fails_on_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "validate", "--strict", SHAHE_TXT)[0] == 1


def test_validate_fails_on_an_error_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_text_form(
        tmp_path / "缺号.txt", {"basic": [(1, "党的建设", "加强党组织建设", ""), (3, "党的建设", "开展党员教育", "")]}
    )
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 1
    assert "numbering.gap" in out


def test_validate_clean_document_passes_even_strict(capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    assert cli(capsys, "validate", "--strict", good_txt)[0] == 0


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_validate_fails_on_an_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path, kind: str) -> None:
    bad = tmp_path / f"{kind}.txt"
    if kind == "empty":
        bad.write_bytes(b"")
    rc, out, err = cli(capsys, "validate", good_txt, bad)
    assert rc == 1
    assert [line for line in err.splitlines() if bad.as_posix() in line] == [err.strip()]
    assert "Traceback" not in err
    assert good_txt.as_posix() in out  # the readable input is still reported
    assert bad.as_posix() not in out  # and the failure is said once, on stderr


def test_validate_with_no_documents_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "空目录").mkdir()
    rc, out, err = cli(capsys, "validate", tmp_path / "空目录")
    assert rc == 1
    assert "no input documents" in err + out


def test_validate_json(capsys: pytest.CaptureFixture[str], good_txt: Path, tmp_path: Path) -> None:
    bad = bad_txt(tmp_path)
    rc, out, _ = cli(capsys, "validate", "--format", "json", SHAHE_TXT, bad)
    assert rc == 1
    records = {r["path"]: r for r in json.loads(out)}
    shahe = records[SHAHE_TXT.as_posix()]
    assert shahe["status"] == "ok" and shahe["passed"] is True
    assert shahe["counts"]["items"] == {"basic": 101, "cooperative": 86, "reclaimed": 80}
    assert any(f["code"] == "text.traditional" and f["seq"] == 15 for f in shahe["findings"])
    assert records[bad.as_posix()]["status"] == "failed"


def test_validate_markdown_has_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = cli(capsys, "validate", "--format", "markdown", SHAHE_TXT)
    assert rc == 0
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| 文件"))
    assert set(lines[header + 1].replace("|", "").replace(" ", "")) <= set("-:")
    assert lines[header + 2].startswith(f"| {SHAHE_TXT.as_posix()}") or SHAHE_TXT.name in lines[header + 2]


def test_bad_rules_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"disable": ["no.such.code"]}), encoding="utf-8")
    rc, _, err = cli(capsys, "validate", good_txt, "--rules", rules)
    assert rc == 2
    assert "no.such.code" in err and "internal error" not in err


def test_missing_rules_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    for argv in (["validate"], ["run", "--out", tmp_path / "o"]):
        rc, _, err = cli(capsys, *argv, good_txt, "--rules", tmp_path / "nope.json")
        assert rc == 2, argv
        assert "--rules" in err and "nope.json" in err


# --------------------------------------------------------------------------- internal errors and --debug


@pytest.fixture
def broken_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(duty_lists.ingest.pipeline, "build_document", boom)


@pytest.mark.usefixtures("broken_pipeline")
def test_internal_error_is_one_line_by_default(capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    rc, _, err = cli(capsys, "validate", good_txt)
    assert rc == 3
    assert err.splitlines() == ["duty-lists: internal error: RuntimeError: boom (rerun with --debug)"]


@pytest.mark.usefixtures("broken_pipeline")
@pytest.mark.parametrize("argv", [["--debug", "validate"], ["validate", "--debug"]], ids=["before", "after"])
def test_debug_lets_the_traceback_through(good_txt: Path, argv: list[str]) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        main([*argv, str(good_txt)])


@pytest.mark.usefixtures("broken_pipeline")
def test_run_internal_error_fails_the_input_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], good_txt: Path) -> None:
    rc, _, err = cli(capsys, "run", good_txt, "--out", tmp_path / "out")
    assert rc == 1
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if good_txt.as_posix() in line] == [
        f"duty-lists: {good_txt.as_posix()}: 内部错误 (internal error: RuntimeError: boom)"
    ]
    rc, _, err = cli(capsys, "--debug", "run", good_txt, "--out", tmp_path / "out")
    assert rc == 1
    assert "Traceback (most recent call last)" in err and "RuntimeError: boom" in err


# --------------------------------------------------------------------------- Chinese names


def test_chinese_folder_and_file_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "各镇清单" / "青石镇"
    first = write_text_form(folder / "青石镇履职事项清单.txt")
    second = write_text_form(folder / "白沙镇履职事项清单.txt", town="某某县白沙镇")
    out = tmp_path / "输出目录"
    rc, _, _ = cli(capsys, "run", tmp_path / "各镇清单", "--out", out, "--quiet")
    assert rc == 0
    assert {e["stem"]: e["issuer"] for e in manifest(out).values()} == {
        "青石镇履职事项清单": "某某县青石镇",
        "白沙镇履职事项清单": "某某县白沙镇",
    }
    assert set(manifest(out)) == {first.as_posix(), second.as_posix()}
    assert (out / "白沙镇履职事项清单" / "report.md").read_text(encoding="utf-8").count("某某县白沙镇") >= 1


def test_debug_logs_the_reader_and_the_rerun_decisions_and_nothing_without_it(tmp_path: Path, good_txt: Path) -> None:
    def run(*extra: object) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "duty_lists", *map(str, extra), "run", good_txt, "--out", out],
                              cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr.splitlines()

    out = tmp_path / "out"
    quiet = run()
    assert len(quiet) == 1 and quiet[0].startswith("duty-lists: 1 ok"), quiet
    good_txt.write_text(good_txt.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    logged = run("--debug")
    assert f"DEBUG duty_lists.ingest.cli.run: {good_txt.as_posix()}: processed: the file changed (sha256)" in logged
    assert any(line.startswith("DEBUG duty_lists.parsers: ") and "read by duty_lists.parsers.text_form:parse" in line
               for line in logged), logged
    assert any(": skipped: unchanged" in line for line in run("--debug"))
    assert len(run()) == 1
