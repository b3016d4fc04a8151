"""Many users at once: N concurrent headless-browser sessions drag the volume slider on the home page.

For N = 1 and N = 10, each session moves the slider through 20 positions, waiting for each rerun,
and the time from keypress to the re-rendered metric is recorded. The last line printed is a JSON
object: {"p50_ms_1", "p95_ms_1", "p50_ms_10", "p95_ms_10", "ratio", "server_errors"}
(ratio = p95_ms_10 / p95_ms_1; server_errors = tracebacks and errors in the server log).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import tempfile
import time
from pathlib import Path

from common import CHROMIUM, CHROMIUM_ARGS, IDLE, median, percentile, server
from playwright.async_api import async_playwright

MOVES = 20
METRIC = "Prompting per month"


async def session(browser, url: str, metric: str) -> list[float]:
    """One user: open the home page, then move the slider MOVES times, timing each rerun."""
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    await page.goto(url)
    await page.wait_for_selector(IDLE, timeout=120_000)
    value = page.locator("[data-testid='stMetric']").filter(has_text=metric).locator("[data-testid='stMetricValue']")
    await value.wait_for(timeout=120_000)
    await page.locator(".st-key-requests_per_day").get_by_role("slider").focus()
    timings = []
    for move in range(MOVES):
        before = await value.inner_text()
        handle = await value.element_handle()
        key = "ArrowRight" if (move // 5) % 2 == 0 else "ArrowLeft"
        start = time.perf_counter()
        await page.keyboard.press(key)
        await page.wait_for_function(
            "([el, old]) => el.isConnected && el.innerText !== old", arg=[handle, before], polling="raf", timeout=120_000
        )
        timings.append((time.perf_counter() - start) * 1000)
        await page.wait_for_selector(IDLE, timeout=120_000)
    await context.close()
    return timings


async def run(url: str, users: int, metric: str = METRIC) -> list[float]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = await asyncio.gather(*(session(browser, url, metric) for _ in range(users)))
        await browser.close()
    return [t for timings in results for t in timings]


def server_errors(log: Path) -> int:
    text = log.read_text(errors="replace")
    return len(re.findall(r"Traceback \(most recent call last\)|\bERROR\b", text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--script", default="server.py", help="app to serve (default: the explorer, home page first)")
    parser.add_argument("--metric", default=METRIC, help="label of the metric that shows the rerun")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as logs, server(args.script, Path(logs)) as (url, log):
        asyncio.run(run(url, 1, args.metric))  # warm imports and caches
        one = asyncio.run(run(url, 1, args.metric))
        ten = asyncio.run(run(url, 10, args.metric))
        errors = server_errors(log)
    figures = {
        "p50_ms_1": round(median(one), 1),
        "p95_ms_1": round(percentile(one, 95), 1),
        "p50_ms_10": round(median(ten), 1),
        "p95_ms_10": round(percentile(ten, 95), 1),
    }
    figures["ratio"] = round(figures["p95_ms_10"] / figures["p95_ms_1"], 3)
    figures["server_errors"] = errors
    print(f"1 user: p50 {figures['p50_ms_1']} ms, p95 {figures['p95_ms_1']} ms ({len(one)} moves)")
    print(f"10 users: p50 {figures['p50_ms_10']} ms, p95 {figures['p95_ms_10']} ms ({len(ten)} moves)")
    print(f"p95 ratio {figures['ratio']} (target <= 3), server errors: {errors}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
