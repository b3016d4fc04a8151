"""In a browser, a server started with `--prices-url` (server.py's option) pointed at a loopback price server:
the home page shows GPT-6 Luna at twice its bundled prices ($85.80/mo, its default reasoning included), names the
source and time, and keeps $85.80 with a one-line note once the price server stops and the next refresh fails."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.e2e.conftest import IDLE, ROOT, free_port, open_app, require_chromium
from tests.price_server import PriceServer, Reply, catalogue_json

INTERVAL_S = 2


@pytest.fixture(scope="module")
def refreshing_app(tmp_path_factory):
    """server.py on loopback with prices refreshed every INTERVAL_S seconds from a loopback price server."""
    require_chromium()
    with PriceServer() as prices:
        prices.replies["/data.json"] = Reply(catalogue_json(2.0))
        port = free_port()
        log = tmp_path_factory.mktemp("refresh") / "streamlit.log"
        command = [
            sys.executable, "-m", "streamlit", "run", "server.py",
            "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--", "--prices-url", prices.url("/data.json"), "--prices-interval", str(INTERVAL_S),
        ]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
        try:
            _wait_healthy(port, process, log)
            yield f"http://127.0.0.1:{port}", prices
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_healthy(port: int, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")


def prompting_month(page) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Prompting per month")
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def reload_until(page, url: str, done, timeout_s: float = 30) -> None:
    """Reload the home page until `done(page)`: each load is a new run that reads the prices then in force."""
    deadline = time.monotonic() + timeout_s
    while True:
        open_app(page, url)
        if done(page) or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def test_the_home_page_switches_to_the_refreshed_prices_and_keeps_them_when_the_source_stops(page, refreshing_app):
    url, prices = refreshing_app
    reload_until(page, url, lambda p: prompting_month(p) == "$85.80/mo")
    assert prompting_month(page) == "$85.80/mo"
    text = page.inner_text("[data-testid='stMain']").replace("\u2060", "")  # joiners keep addresses inert
    assert re.search(rf"genai-prices data updated \d\d:\d\d UTC from {re.escape(prices.url('/data.json'))}", text)
    assert "Price refresh" not in text

    prices.stop()
    note = page.locator("[data-testid='stAlert']").filter(has_text="Price refresh")
    reload_until(page, url, lambda p: note.count() > 0)
    page.wait_for_selector(IDLE)
    assert prompting_month(page) == "$85.80/mo"
    [line] = [line for line in note.inner_text().splitlines() if "Price refresh" in line]  # one line, the reason in it
    # A stopped server refuses the connection, or resets or drops one it had accepted: any is said in one line.
    assert re.search(r"failed at \d\d:\W*\d\d UTC:\W*\w+Error", line), line  # the reason: refused, reset or dropped
    assert line.endswith("the last good prices stay in use.")
