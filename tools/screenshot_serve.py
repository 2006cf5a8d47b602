"""Screenshot ``duty-lists serve`` with a checked document in it, for the README.

Starts the server on a free port, uploads a document through the page in
headless Chromium (Selenium), waits for the result and saves a full-page
screenshot.  Needs Debian's chromium and chromium-driver and a CJK font for
the glyphs to render (``apt-get install chromium chromium-driver fonts-noto-cjk``).

    python tools/screenshot_serve.py docs/serve-shahe.png [DOCUMENT]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from duty_lists.ingest.serve.app import create_app
from duty_lists.ingest.serve.settings import ServeSettings
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（LibreOffice导出）.pdf"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("png", type=Path)
    parser.add_argument("document", type=Path, nargs="?", default=DEFAULT)
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ServeSettings(port=port)), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.1)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as profile:
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1280,1600", f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")))
        try:
            driver.get(f"http://127.0.0.1:{port}/")
            driver.find_element(By.CSS_SELECTOR, "#check input[name=files]").send_keys(str(args.document.resolve()))
            driver.find_element(By.CSS_SELECTOR, "#check button[type=submit]").click()
            WebDriverWait(driver, 600).until(expected_conditions.presence_of_element_located((By.ID, "result")))
            time.sleep(2)  # the report's frame
            args.png.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.png))
        finally:
            driver.quit()
            server.should_exit = True
    print(args.png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
