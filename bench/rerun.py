"""Rerun latency of the home page against a bare page with the same sidebar, measured in one run.

Browser: median time from a keypress on the requests_per_day slider to the re-rendered metric, on the
browser's clock (see `common.RERUN_TIMER_JS`).
The home page is served as users get it (`server.py`: warm-up, long-lived objects frozen out of Streamlit's
per-rerun garbage collection); the bare page by a plain `streamlit run`.
Python: median AppTest rerun time after setting the slider. The last line printed is a JSON object:
{"bare_ms", "page_ms", "ratio", "python_bare_ms", "python_page_ms"} (ratio = page_ms / bare_ms).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import CHROMIUM, CHROMIUM_ARGS, IDLE, RERUN_DONE_JS, RERUN_MS_JS, RERUN_TIMER_JS, ROOT, median, server
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from calc.inputs.querystring import volume_steps

BARE = "bench/bare_app.py"
HOME = "streamlit_app.py"
SERVED = {BARE: BARE, HOME: "server.py"}  # what `streamlit run` starts: the home page through the app's server
METRICS = {BARE: "Requests per day", HOME: "Prompting per month"}
SETTLE_MS = 250


def browser_moves(browser, url: str, label: str, moves: int) -> list[float]:
    """Milliseconds from each keypress to the metric showing a new value."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.locator("[data-testid='stMetric']").filter(has_text=label).wait_for()
    page.evaluate(RERUN_TIMER_JS, label)
    page.locator(".st-key-requests_per_day").get_by_role("slider").focus()
    timings = []
    for move in range(moves):
        key = "ArrowRight" if (move // 8) % 2 == 0 else "ArrowLeft"
        page.keyboard.press(key)
        page.wait_for_function(RERUN_DONE_JS)
        timings.append(page.evaluate(RERUN_MS_JS))
        page.wait_for_selector(IDLE)
        page.wait_for_timeout(SETTLE_MS)  # let charts finish drawing: each move is timed from a settled page
    page.close()
    return timings


def python_reruns(script: str, moves: int) -> list[float]:
    """Milliseconds per AppTest rerun after moving the volume slider."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=60).run()
    steps = volume_steps()
    start_index = steps.index(10_000)
    timings = []
    for move in range(moves):
        offset = move % 16
        index = start_index + (offset if offset < 8 else 16 - offset)
        at.select_slider(key="requests_per_day").set_value(steps[index])
        start = time.perf_counter()
        at.run()
        timings.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=24, help="slider moves per page (at least 20)")
    args = parser.parse_args()
    moves = max(20, args.moves)
    with (
        tempfile.TemporaryDirectory() as logs,
        server(SERVED[BARE], Path(logs)) as (bare_url, _, _),
        server(SERVED[HOME], Path(logs)) as (home_url, _, _),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        browser_moves(browser, bare_url, METRICS[BARE], 4)  # warm both servers' caches and imports
        browser_moves(browser, home_url, METRICS[HOME], 4)
        bare = browser_moves(browser, bare_url, METRICS[BARE], moves)
        home = browser_moves(browser, home_url, METRICS[HOME], moves)
        browser.close()
    python_bare = python_reruns(BARE, moves)
    python_home = python_reruns(HOME, moves)
    figures = {
        "bare_ms": round(median(bare), 1),
        "page_ms": round(median(home), 1),
        "ratio": round(median(home) / median(bare), 3),
        "python_bare_ms": round(median(python_bare), 1),
        "python_page_ms": round(median(python_home), 1),
    }
    print(f"browser: bare page {figures['bare_ms']} ms, home page {figures['page_ms']} ms (median of {moves} moves)")
    print(f"python (AppTest rerun): bare {figures['python_bare_ms']} ms, home {figures['python_page_ms']} ms")
    print(f"ratio home/bare in the browser: {figures['ratio']} (target <= 1.5)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
