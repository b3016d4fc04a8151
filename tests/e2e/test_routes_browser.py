"""All routes in a real browser: the ranking and its chart drawn, a row's box making that route half of the pair
(the address changes, so the link reopens it), and the chart's data downloaded."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE, open_app

pytestmark = pytest.mark.e2e
HEADER = 35  # pixels of the grid's header row, then 35 per row
ROW = 35


def test_the_ranking_draws_and_one_click_makes_a_route_half_of_the_pair(browser, page, app_url, tmp_path):
    open_app(page, f"{app_url}/All_routes")
    expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first).to_be_visible()
    grid = page.locator("[data-testid='stDataFrame']").first
    expect(grid).to_be_visible()
    cheapest = page.locator("[data-testid='stMetric']").filter(has_text="Cheapest route: Bedrock Nova Micro").first
    expect(cheapest.locator("[data-testid='stMetricValue']")).to_have_text("$6.15/mo")
    expect(page.get_by_text(re.compile(r"fine-tuning Azure gpt-4\.1-mini"))).to_be_visible()
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + HEADER + ROW / 2)  # the first row's selection box: Bedrock Nova Micro
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.get_by_text(re.compile(r"fine-tuning side is now bedrock-nova-micro"))).to_be_visible(timeout=15_000)
    pair = page.locator("[data-testid='stMarkdown']").filter(has_text="prices as of").first
    expect(pair).to_contain_text("Bedrock Nova Micro")
    expect(page).to_have_url(re.compile(r"option=Bedrock(\+|%20)Nova(\+|%20)Micro"), timeout=15_000)
    fresh = browser.new_context(viewport={"width": 1440, "height": 1000})
    other = fresh.new_page()
    open_app(other, page.url)
    reopened = other.locator("[data-testid='stMarkdown']").filter(has_text="prices as of").first
    expect(reopened).to_contain_text("Bedrock Nova Micro")
    fresh.close()
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-envelope_chart_csv").get_by_role("button").click()
    saved = tmp_path / "routes.csv"
    info.value.save_as(saved)
    assert saved.read_text().splitlines()[0].startswith("requests_per_day,route,label,monthly_cost_usd")
