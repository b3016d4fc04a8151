"""Take a screenshot of a running app page: python scripts/screenshot.py URL OUT.png [WIDTH HEIGHT]."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE

CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"


def main() -> None:
    url, out = sys.argv[1], sys.argv[2]
    width, height = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (1440, 900)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=30_000)
        page.wait_for_selector(CHART, timeout=30_000)
        page.wait_for_timeout(1_500)
        page.screenshot(path=out, full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
