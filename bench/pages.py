"""First visit of each page in a fresh browser: home vs every other page, on a server started as the app is.

Each page is opened in a new browser context (no cache, a new session) on one server.py process, in
rounds, and timed from navigation to the page settled: the script finished and its last element drawn.
The last stdout line is JSON: {"seconds": {page: median}, "slowest": page, "ratio": slowest / home}.
Target: every page within 1.5x the home page.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from common import CHROMIUM, CHROMIUM_ARGS, IDLE, ROOT, median, server

PAGES = {"home": "/", **{p.stem.split("_", 1)[1]: "/" + p.stem.split("_", 1)[1] for p in sorted((ROOT / "pages").glob("*.py"))}}
ROUNDS = 3
# Settled: the script has run, the page has a title, and nothing is still drawing (no skeleton, no spinner).
SETTLED_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return app && app.dataset.testScriptState === "notRunning" && document.querySelector("h1")
    && !document.querySelector("[data-testid='stSkeleton'], [data-testid='stSpinner']");
}"""


def visit(browser, url: str) -> float:
    """Seconds from navigation to the page settled, in a fresh context."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_function(SETTLED_JS, timeout=60_000, polling=50)
        return time.perf_counter() - start
    finally:
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    seconds: dict[str, list[float]] = {name: [] for name in PAGES}
    with tempfile.TemporaryDirectory() as logs, server("server.py", Path(logs)) as (url, _, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        visit(browser, url + "/")  # the server's own first-run costs (imports, warm-up) are not any page's
        for _ in range(ROUNDS):
            for name, path in PAGES.items():
                seconds[name].append(visit(browser, url + path))
        browser.close()
    medians = {name: round(median(values), 3) for name, values in seconds.items()}
    for name, value in medians.items():
        print(f"{name:>22}: {value:.3f} s  ({value / medians['home']:.2f}x home)", file=sys.stderr)
    slowest = max(medians, key=medians.get)
    print(json.dumps({"seconds": medians, "slowest": slowest, "ratio": round(medians[slowest] / medians["home"], 3)}))


if __name__ == "__main__":
    main()
