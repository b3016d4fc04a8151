"""Many users at once: N concurrent headless-browser sessions drag the volume slider on the home page.

This measures what a user sees in a browser (keypress to re-rendered metric, with the browsers sharing this
machine's cores with the server), not the server's capacity: for how many people one server process holds, use
`bench/capacity.py` (browserless sessions over Streamlit's websocket protocol).

For N = 1 and N = 10, each session opens the page; once all have loaded, each moves the slider through
20 positions, waiting for each rerun, and the time from keypress to the re-rendered metric is recorded on
the browser's clock (see `common.RERUN_TIMER_JS`). The last line printed is a JSON
object: {"p50_ms_1", "p95_ms_1", "p50_ms_10", "p95_ms_10", "ratio", "server_errors"}
(ratio = p95_ms_10 / p95_ms_1; server_errors = tracebacks and errors in the server log).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    RERUN_DONE_JS,
    RERUN_MS_JS,
    RERUN_TIMER_JS,
    cpu_seconds,
    median,
    percentile,
    server,
)
from playwright.async_api import async_playwright

MOVES = 20
METRIC = "Prompting per month"


@dataclass
class Phase:
    """What one phase (N sessions) measured: rerun times, and CPU per move in the browsers and the server."""

    timings: list[float] = field(default_factory=list)
    browser_cpu_ms: float = 0.0  # renderer main-thread time (Chromium's TaskDuration), summed over sessions
    server_cpu_ms: float = 0.0

    @property
    def cpu_per_move_ms(self) -> tuple[float, float]:
        moves = max(len(self.timings), 1)
        return self.browser_cpu_ms / moves, self.server_cpu_ms / moves


async def task_seconds(cdp) -> float:
    metrics = await cdp.send("Performance.getMetrics")
    return next(m["value"] for m in metrics["metrics"] if m["name"] == "TaskDuration")


async def session(browser, url: str, metric: str, loaded: asyncio.Barrier, phase: Phase) -> None:
    """One user: open the home page, wait until every user has, then move the slider MOVES times."""
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Performance.enable")
    await page.goto(url)
    await page.wait_for_selector(IDLE, timeout=120_000)
    await page.locator("[data-testid='stMetric']").filter(has_text=metric).wait_for(timeout=120_000)
    await page.evaluate(RERUN_TIMER_JS, metric)
    await page.locator(".st-key-requests_per_day").get_by_role("slider").focus()
    await loaded.wait()
    busy = await task_seconds(cdp)
    for move in range(MOVES):
        key = "ArrowRight" if (move // 5) % 2 == 0 else "ArrowLeft"
        await page.keyboard.press(key)
        await page.wait_for_function(RERUN_DONE_JS, timeout=120_000)
        phase.timings.append(await page.evaluate(RERUN_MS_JS))
        await page.wait_for_selector(IDLE, timeout=120_000)
    phase.browser_cpu_ms += (await task_seconds(cdp) - busy) * 1000
    await context.close()


async def run(url: str, users: int, server_pid: int, metric: str = METRIC) -> Phase:
    """N users at once; the server's CPU is counted from the moment all have loaded the page."""
    phase = Phase()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        loaded = asyncio.Barrier(users + 1)
        sessions = asyncio.gather(*(session(browser, url, metric, loaded, phase) for _ in range(users)))
        await loaded.wait()
        server_start = cpu_seconds(server_pid)
        await sessions
        phase.server_cpu_ms = (cpu_seconds(server_pid) - server_start) * 1000
        await browser.close()
    return phase


def server_errors(log: Path) -> int:
    text = log.read_text(errors="replace")
    return len(re.findall(r"Traceback \(most recent call last\)|\bERROR\b", text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--script", default="server.py", help="app to serve (default: the explorer, home page first)")
    parser.add_argument("--metric", default=METRIC, help="label of the metric that shows the rerun")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as logs, server(args.script, Path(logs)) as (url, log, pid):
        asyncio.run(run(url, 1, pid, args.metric))  # warm imports and caches
        one = asyncio.run(run(url, 1, pid, args.metric))
        ten = asyncio.run(run(url, 10, pid, args.metric))
        errors = server_errors(log)
    figures = {
        "p50_ms_1": round(median(one.timings), 1),
        "p95_ms_1": round(percentile(one.timings, 95), 1),
        "p50_ms_10": round(median(ten.timings), 1),
        "p95_ms_10": round(percentile(ten.timings, 95), 1),
    }
    figures["ratio"] = round(figures["p95_ms_10"] / figures["p95_ms_1"], 3)
    figures["server_errors"] = errors
    browser_ms, server_ms = one.cpu_per_move_ms
    cores = os.cpu_count() or 1
    queue_ms = 10 * (browser_ms + server_ms) / cores
    print(f"1 user: p50 {figures['p50_ms_1']} ms, p95 {figures['p95_ms_1']} ms ({len(one.timings)} moves)")
    print(f"10 users: p50 {figures['p50_ms_10']} ms, p95 {figures['p95_ms_10']} ms ({len(ten.timings)} moves)")
    print(
        f"CPU per move with 1 user: browser main thread {browser_ms:.0f} ms + server {server_ms:.0f} ms. With the 10 "
        f"browsers and the server sharing {cores} cores, each round of 10 moves needs >= {queue_ms:.0f} ms of this "
        f"machine, so a p95 ratio below ~{queue_ms / figures['p95_ms_1']:.1f} is out of reach here"
    )
    print(f"p95 ratio {figures['ratio']} (target <= 3), server errors: {errors}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
