"""Presentation mode on a projector: every headline number fits its box at 1024 and 1400 px wide."""

import pytest

from tests.e2e.conftest import IDLE

pytestmark = pytest.mark.e2e

TRUNCATED = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
  .flatMap(el => [el, ...el.querySelectorAll('*')])
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .map(el => el.textContent)"""


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (1400, 900)])
def test_presented_numbers_are_not_truncated(browser, app_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?present=true&requests_per_day=100000")
        page.wait_for_selector(IDLE, timeout=30_000)
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=30_000)
        values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
        assert values and not any(v.endswith("…") for v in values)
        assert page.evaluate(TRUNCATED) == []
    finally:
        context.close()
