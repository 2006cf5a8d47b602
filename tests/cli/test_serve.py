"""duty-lists serve, through the framework's test client: limits, names, isolation, load."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install 'duty-lists[web]'")
from duty_lists.ingest.serve.app import create_app
from duty_lists.ingest.serve.settings import ServeSettings
from duty_lists.ingest.serve.uploads import display_name, stored_name
from starlette.testclient import TestClient

from tests.conftest import GOOD_LISTS, SHAHE_TXT, text_form

GOOD = text_form().encode("utf-8")
NOT_A_LIST = "这是一份通知。\n没有任何表格。\n".encode()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = ServeSettings(max_upload_bytes=2 * 1024 * 1024, max_files=30, jobs=2)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def wait_for(client: TestClient, location: str, timeout: float = 240) -> str:
    """The job page once its work is done."""
    deadline = time.monotonic() + timeout
    token = location.rsplit("/", 1)[-1]
    while time.monotonic() < deadline:
        if client.get(f"/jobs/{token}/status").json()["done"]:
            return client.get(location).text
        time.sleep(0.3)
    raise AssertionError(f"{location} not done in {timeout} s")


def upload(client: TestClient, kind: str, files: list[tuple[str, tuple[str, bytes]]]) -> str:
    response = client.post(f"/{kind}", files=files, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_the_page_is_in_chinese_with_three_plain_forms(client: TestClient) -> None:
    html = client.get("/").text
    assert "检查清单" in html and "比较两个版本" in html and "批量校验" in html
    assert html.count('enctype="multipart/form-data"') == 3
    assert html.count('type="file"') >= 4


def test_a_good_list_gives_counts_and_downloads(client: TestClient) -> None:
    page = wait_for(client, upload(client, "check", [("files", ("青石镇清单.txt", GOOD))]))
    expected = [str(len(rows)) for rows in GOOD_LISTS.values()]
    assert re.findall(r'<td class="count">(\d+)</td>', page) == expected
    links = re.findall(r'href="(/jobs/[^"]+/files/001/[^"]+)"', page)
    assert {link.rsplit("/", 1)[1] for link in links} >= {"report.html", "lists.xlsx", "document.json", "basic.csv"}
    workbook = client.get(next(link for link in links if link.endswith("lists.xlsx")))
    assert workbook.status_code == 200
    assert "filename*=utf-8''%E9%9D%92" in workbook.headers["content-disposition"]  # 青石镇清单-lists.xlsx
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert sheets[1:4] == ["基本履职事项清单", "配合履职事项清单", "上级部门收回事项清单"]


def test_a_bad_file_beside_a_good_one_gets_the_command_lines_reason(client: TestClient) -> None:
    files = [("files", ("好.txt", GOOD)), ("files", ("通知.txt", NOT_A_LIST)), ("files", ("坏.pdf", b"%PDF-1.7\nbroken"))]
    page = wait_for(client, upload(client, "batch", files))
    reasons = re.findall(r'<span class="reason">([^<]*)</span>', page)
    assert len(reasons) == 2
    assert "未找到履职事项清单表格 (no duty-list table found)" in reasons
    assert page.count('<td class="count">') == 3  # the good one's three lists
    assert client.get("/").status_code == 200  # and the server is still up


def test_the_size_limit(client: TestClient) -> None:
    big = b"x" * (3 * 1024 * 1024)
    response = client.post("/check", files=[("files", ("大.txt", big))], follow_redirects=False)
    assert response.status_code == 413
    assert "上限" in response.text


def test_a_path_like_file_name_never_becomes_a_path(client: TestClient, tmp_path: Path) -> None:
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\办公室\\清单.pdf") == "清单.pdf"
    assert display_name("a\nb.txt") == "ab.txt"
    assert stored_name(3, "../../x.sh") == "003"
    location = upload(client, "check", [("files", ("../../../../tmp/duty-evil.txt", GOOD))])
    page = wait_for(client, location)
    assert "duty-evil.txt" in page and "../" not in page
    assert not Path("/tmp/duty-evil.txt").exists()


def test_names_and_text_from_uploads_are_escaped(client: TestClient) -> None:
    page = wait_for(client, upload(client, "batch", [("files", ("<img src=x onerror=alert(1)>.txt", NOT_A_LIST))]))
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.txt" in page


def test_two_people_never_see_each_others_files(client: TestClient) -> None:
    first = upload(client, "check", [("files", ("甲镇.txt", GOOD))])
    second = upload(client, "check", [("files", ("乙镇.txt", GOOD))])
    assert first != second
    page = wait_for(client, first)
    assert "甲镇.txt" in page and "乙镇.txt" not in page
    other_token = second.rsplit("/", 1)[-1]
    assert client.get(f"/jobs/{other_token}x").status_code == 404
    assert client.get(f"/jobs/{other_token}/files/001/../../{first.rsplit('/', 1)[-1]}/001/lists.xlsx").status_code == 404
    assert client.get(f"/jobs/{other_token}/files/001/secret.txt").status_code == 404


def test_a_zip_of_a_folder_is_validated_as_many(client: TestClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("清单/甲镇.txt", GOOD)
        zf.writestr("清单/乙镇.txt", GOOD)
        zf.writestr("清单/out/document.json", b"{}")  # duty-lists' own output is skipped
    page = wait_for(client, upload(client, "batch", [("files", ("全县.zip", buffer.getvalue()))]))
    assert re.findall(r'<tr class="[a-z-]+">\s*<td>([^<]*)</td>', page) == ["甲镇.txt", "乙镇.txt"]


def test_compare_two_versions(client: TestClient) -> None:
    old = text_form().encode("utf-8")
    changed = {k: [list(row) for row in rows] for k, rows in GOOD_LISTS.items()}
    changed["basic"][0][2] = str(changed["basic"][0][2]) + "（修订）"
    new = text_form(changed).encode("utf-8")
    page = wait_for(client, upload(client, "compare", [("old", ("旧版.txt", old)), ("new", ("新版.txt", new))]))
    assert "两个版本有变化" in page
    assert re.search(r"<th>更名</th>", page)
    found = re.search(r"/jobs/([^/]+)/files/diff/diff.xlsx", page)
    assert found is not None
    token = found.group(1)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/jobs/{token}/files/diff/diff.xlsx").content))
    assert "更名" in [row[0].value for row in book["变化"].iter_rows(min_row=2)]


def test_a_bad_rules_file_is_refused_before_any_work(client: TestClient) -> None:
    response = client.post("/check", files=[("files", ("a.txt", GOOD)), ("rules", ("rules.json", b"{not json"))],
                           follow_redirects=False)
    assert response.status_code == 400
    assert "--rules" in response.text or "rules" in response.text


def test_twenty_uploads_at_once_finish_and_the_page_still_answers(client: TestClient) -> None:
    shahe = SHAHE_TXT.read_bytes()

    def one(n: int) -> str:
        return upload(client, "check", [("files", (f"镇{n}.txt", shahe if n % 5 == 0 else GOOD))])

    with ThreadPoolExecutor(20) as pool:
        locations = list(pool.map(one, range(20)))
        started = time.monotonic()
        assert client.get("/").status_code == 200  # answered while the work runs
        assert time.monotonic() - started < 5
    pages = [wait_for(client, location) for location in locations]
    assert all("通过" in page or "未通过" in page for page in pages)
    assert len(set(locations)) == 20


def test_ctrl_c_stops_the_server_and_removes_the_uploads(tmp_path: Path) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "duty_lists", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert "检查清单" in response.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("duty-lists-serve-")]
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    _, err = proc.communicate()
    assert "Traceback" not in err
    assert "127.0.0.1" in err  # it said where to point the browser
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("duty-lists-serve-")]


def test_listening_beyond_this_machine_warns() -> None:
    assert ServeSettings().local_only and ServeSettings(host="::1").local_only
    assert not ServeSettings(host="0.0.0.0").local_only
    with pytest.raises(ValueError):
        ServeSettings(port=0)
