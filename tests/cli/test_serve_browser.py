"""duty-lists serve in a real headless browser: Debian's chromium and chromium-driver through Selenium.

Skipped, saying why, where they are not installed; ``.ci/run`` installs them.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install 'duty-lists[web]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the dev extra)")
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them as root)"
)

import uvicorn  # noqa: E402
from duty_lists.ingest.serve.app import create_app  # noqa: E402
from duty_lists.ingest.serve.settings import ServeSettings  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tests.conftest import REPO, SHAHE_TXT, write_text_form  # noqa: E402

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

#: The Shahe lists as LibreOffice exported them (fonts embedded: the same records on any machine).
SHAHE_PDF = REPO / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（LibreOffice导出）.pdf"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    settings = ServeSettings(port=free_port(), jobs=2)
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=settings.port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert instance.started, "the server did not start"
    yield f"http://127.0.0.1:{settings.port}"
    instance.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # As the machine notes say: no sandbox as root, and no background traffic on a closed network.
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def wait_for_result(browser: Chrome, timeout: float = 600) -> None:
    WebDriverWait(browser, timeout).until(expected_conditions.presence_of_element_located((By.ID, "result")))


def submit(browser: Chrome, server: str, section: str, files: dict[str, list[Path]]) -> None:
    browser.get(server + "/")
    form = browser.find_element(By.CSS_SELECTOR, f"#{section} form")
    for field, paths in files.items():
        form.find_element(By.CSS_SELECTOR, f"input[name={field}]").send_keys("\n".join(str(p) for p in paths))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def test_check_the_shahe_pdf_see_counts_findings_and_open_the_workbook(
    browser: Chrome, server: str, downloads: Path
) -> None:
    submit(browser, server, "check", {"files": [SHAHE_PDF]})
    wait_for_result(browser)
    counts = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#towns td.count")]
    assert counts == ["101", "86", "80"]
    # the report with the findings, inside the page
    frame = browser.find_element(By.CSS_SELECTOR, "#report iframe")
    browser.switch_to.frame(frame)
    assert "繁体字 務" in browser.page_source and "疑为同一部门" in browser.page_source  # two of its six warnings
    browser.switch_to.default_content()
    browser.find_element(By.CSS_SELECTOR, "#towns a[href$='lists.xlsx']").click()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(downloads.glob("*lists.xlsx")):
        time.sleep(0.2)
    (saved,) = downloads.glob("*lists.xlsx")
    assert saved.name == f"{SHAHE_PDF.stem}-lists.xlsx"
    book = openpyxl.load_workbook(saved)
    assert [book[name].max_row - 1 for name in ("基本履职事项清单", "配合履职事项清单", "上级部门收回事项清单")] == [101, 86, 80]


def test_a_truncated_pdf_shows_its_reason(browser: Chrome, server: str, tmp_path: Path) -> None:
    truncated = tmp_path / "截断.pdf"
    truncated.write_bytes(SHAHE_PDF.read_bytes()[: SHAHE_PDF.stat().st_size * 2 // 5])
    submit(browser, server, "check", {"files": [truncated]})
    wait_for_result(browser)
    reason = browser.find_element(By.CSS_SELECTOR, "#towns .reason").text
    assert reason and "\n" not in reason
    browser.get(server + "/")  # and the server is still up
    assert "检查清单" in browser.page_source


def test_compare_two_versions_and_see_the_changes(browser: Chrome, server: str, tmp_path: Path) -> None:
    old = SHAHE_TXT
    text = old.read_text(encoding="utf-8")
    new = tmp_path / "沙河镇新版.txt"
    renamed = text.replace("做好兵团、师市等考察考核组赴团镇开展考察考核工作", "做好考察考核组赴团镇开展考察考核工作", 1)
    new.write_text(renamed, encoding="utf-8")
    submit(browser, server, "compare", {"old": [old], "new": [new]})
    wait_for_result(browser)
    assert "两个版本有变化" in browser.page_source
    headers = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#diff-counts th")]
    values = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#diff-counts td")]
    assert dict(zip(headers, values, strict=True))["更名"] == "1"


def test_validate_many_gives_a_table_of_towns(browser: Chrome, server: str, tmp_path: Path) -> None:
    files = [write_text_form(tmp_path / f"镇{n}.txt") for n in range(3)]
    submit(browser, server, "batch", {"files": files})
    wait_for_result(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "#towns tr")[1:]
    assert len(rows) == 3
    assert all(row.find_element(By.CSS_SELECTOR, "a[href$='report.html']") for row in rows)
