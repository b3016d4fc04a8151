"""The work before training across pages in a real browser (issue 22): a linked labelling cost keeps counting in the
breakeven after a page switch (the persisted, URL-bound sidebar), and the link keeps it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE, open_app

pytestmark = pytest.mark.e2e


def test_a_linked_labelling_cost_counts_on_the_home_page_and_after_switching_to_all_routes(page, app_url):
    open_app(page, f"{app_url}/?option=bedrock-nova-micro&data_cost_per_example=2")
    card = page.locator("[data-testid='stMetric']").filter(has_text="Breakeven").first
    expect(card.locator("[data-testid='stMetricValue']")).to_have_text("54.4 months", timeout=15_000)  # with reasoning
    page.get_by_role("link", name="All routes", exact=True).click()
    page.wait_for_selector(IDLE, timeout=30_000)
    counted = page.get_by_text(re.compile(r"training \+ \$2,000 work before it")).filter(visible=True).first
    expect(counted).to_be_visible(timeout=15_000)
    expect(page).to_have_url(re.compile(r"data_cost_per_example=2"), timeout=15_000)
