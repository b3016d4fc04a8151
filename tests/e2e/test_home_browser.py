import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE, open_app

pytestmark = pytest.mark.e2e


def metric(page, label: str):
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")


def test_home_renders_both_charts(page, app_url):
    open_app(page, app_url)
    charts = page.locator("[data-testid='stVegaLiteChart']")
    expect(charts).to_have_count(2)
    for index in range(2):
        drawn = charts.nth(index).locator("canvas, svg").first
        expect(drawn).to_be_visible()
        box = drawn.bounding_box()
        assert box["width"] > 400 and box["height"] > 200
    expect(metric(page, "Prompting per month")).to_have_text("$42.90/mo")  # default pair: gpt-6-luna vs Azure gpt-4.1-mini
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)  # no developer toolbar in meetings


def test_slider_updates_metric_and_url(page, app_url):
    open_app(page, app_url)
    expect(metric(page, "Prompting per month")).to_have_text("$42.90/mo")
    page.locator(".st-key-requests_per_day").get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")  # 10,000 -> 15,000 on the log scale
    expect(metric(page, "Prompting per month")).to_have_text("$64.35/mo", timeout=15_000)
    page.wait_for_selector(IDLE)
    expect(page).to_have_url(re.compile(r"requests_per_day=15000"))


def test_direct_link_to_a_page_restores_the_scenario(page, app_url):
    open_app(page, f"{app_url}/?requests_per_day=50000&option=OpenAI+gpt-4o&examples=10")
    expect(metric(page, "Prompting per month")).to_have_text("$6,000/mo")
    page.goto(f"{app_url}/Assumptions?requests_per_day=4321&option=Vertex+Gemini+2.5+Pro")
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.get_by_role("heading", name="Selected option: Vertex Gemini 2.5 Pro")).to_be_visible()
    expect(page.locator(".st-key-requests_per_day")).to_contain_text("4321")
    assert parse_qs(urlparse(page.url).query)["requests_per_day"] == ["4321"]


def test_scenario_survives_page_switch(page, app_url):
    open_app(page, f"{app_url}/?examples=12")
    page.get_by_role("link", name="Assumptions", exact=True).click()
    page.wait_for_url(re.compile(r"/Assumptions"))
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.locator(".st-key-examples")).to_contain_text("12")
    assert "examples=12" in page.url


def test_garbage_link_warns_and_uses_defaults(page, app_url):
    open_app(page, f"{app_url}/?requests_per_day=abc&option=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    expect(page.get_by_text("could not be used and were replaced by defaults")).to_be_visible()
    expect(metric(page, "Prompting per month")).to_have_text("$42.90/mo")
    assert page.locator("img[src='x']").count() == 0


def test_link_may_name_an_option_by_id(page, app_url):
    open_app(page, f"{app_url}/?option=openai-gpt-4o")
    expect(page.locator(".st-key-option").get_by_role("combobox")).to_have_value(re.compile(r"^OpenAI gpt-4o · "))
    expect(metric(page, "Training cost (one run)")).to_have_text("$18.75")


def test_value_reset_to_default_stays_default_after_page_switch(page, app_url):
    open_app(page, f"{app_url}/?examples=7")
    slider = page.locator(".st-key-examples").get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector(IDLE)
    page.keyboard.press("ArrowLeft")  # back to the default of 5
    expect(page).not_to_have_url(re.compile(r"examples="), timeout=15_000)
    page.wait_for_selector(IDLE)
    page.get_by_role("link", name="Assumptions", exact=True).click()
    page.wait_for_url(re.compile(r"/Assumptions"))
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.locator(".st-key-examples").get_by_role("slider")).to_have_value("5")
    assert "examples=" not in page.url


def test_infinite_whole_number_in_a_link_is_reported_and_the_page_renders(page, app_url):
    open_app(page, f"{app_url}/?tokens_per_example=inf&epochs=2.5")
    expect(page.get_by_text("could not be used and were replaced by defaults")).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    expect(metric(page, "Prompting per month")).to_have_text("$42.90/mo")
    assert "tokens_per_example" not in page.url and "epochs" not in page.url
