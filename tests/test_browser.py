"""Real browser: Debian Chromium (Playwright) against `streamlit run` on loopback.

Screenshots go to tests/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from trialdata.export import csv_bytes
from trialdata.transforms import trial_overview

from .conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def page():
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: `make test` installs it (as root)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
        yield context.new_page()
        browser.close()


def test_home_page_shows_the_trials_and_downloads_the_table(app_url, page, tables, tmp_path):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="MSC trials evidence dashboard")).to_be_visible(timeout=30_000)
    table = page.get_by_test_id("stDataFrame").first
    expect(table.locator("td").filter(has_text="NCT06574581").first).to_be_attached(timeout=30_000)
    expect(table.locator("td").filter(has_text="not reported").first).to_be_attached()
    expect(page.get_by_text("Dataset version")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "home.png"))

    with page.expect_download() as download:
        page.get_by_role("button", name="Download trials_overview.csv").click()
    saved = tmp_path / "overview.csv"
    download.value.save_as(saved)
    assert saved.read_bytes() == csv_bytes(trial_overview(tables["trials"]))
