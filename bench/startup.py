"""Start-up time: from launching `streamlit run` to the home page's chart visible in a browser,
against the same for a one-line hello page, in one run (median of 3 starts each).

The last line printed is a JSON object: {"hello_s", "app_s", "ratio"} (ratio = app_s / hello_s).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port
from playwright.sync_api import sync_playwright

STARTS = 3
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"


def launch(script: str, port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "streamlit", "run", script, "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)


def wait_healthy(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("server did not start")


def time_start(browser, script: str, ready_selector: str, logs: Path) -> float:
    """Seconds from launching the server to `ready_selector` visible on a freshly opened page."""
    port = free_port()
    start = time.monotonic()
    process = launch(script, port, logs / f"{Path(script).stem}-{port}.log")
    try:
        wait_healthy(port, start + 60)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector(ready_selector, timeout=60_000, state="visible")
        elapsed = time.monotonic() - start
        page.close()
        return elapsed
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory() as logs, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        hello, one_chart, sidebar_chart, app = [], [], [], []
        for _ in range(STARTS):  # interleaved, so drift on the machine affects all alike
            hello.append(time_start(browser, "bench/hello_app.py", "text=Hello", Path(logs)))
            one_chart.append(time_start(browser, "bench/one_chart_app.py", CHART, Path(logs)))
            sidebar_chart.append(time_start(browser, "bench/sidebar_chart_app.py", CHART, Path(logs)))
            app.append(time_start(browser, "server.py", CHART, Path(logs)))
        browser.close()
    figures = {"hello_s": round(statistics.median(hello), 3), "app_s": round(statistics.median(app), 3)}
    figures["ratio"] = round(figures["app_s"] / figures["hello_s"], 3)
    print(f"hello page: {figures['hello_s']} s · home page chart visible: {figures['app_s']} s (median of {STARTS} starts)")
    for name, times in (("one tiny chart", one_chart), ("one tiny chart + the shared sidebar", sidebar_chart)):
        floor = statistics.median(times)
        print(f"floor, a page with {name}: {floor:.3f} s (ratio {floor / figures['hello_s']:.3f} to hello)")
    print(f"ratio {figures['ratio']} (target <= 1.5)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
