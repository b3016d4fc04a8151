import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE, open_app

pytestmark = pytest.mark.e2e


def metric_value(page, label: str):
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return card.locator("[data-testid='stMetricValue']")


def choose(page, key: str, text: str) -> None:
    """Pick an option of a sidebar selectbox by typing into its search box, as a user does."""
    box = page.locator(f".st-key-{key}").get_by_role("combobox")
    box.click()
    box.fill(text)
    page.get_by_role("option", name=text, exact=True).click()
    page.wait_for_selector(IDLE, timeout=30_000)


def test_prompting_model_from_another_provider_drives_the_numbers_and_the_link(browser, page, app_url):
    open_app(page, app_url)
    expect(metric_value(page, "Prompting per month")).to_have_text("$42.90/mo")  # gpt-6-luna
    fine_tuned = metric_value(page, "Fine-tuned per month").inner_text()
    choose(page, "prompt_provider", "Anthropic")
    choose(page, "prompt_model", "anthropic:claude-sonnet-5")
    # In Claude's own tokens (issue 30: 1.633 x o200k_base on English, data/token_ratios.csv): 800 o200k_base input
    # tokens are 1,306, 50 output 82; 1,306 x $2 + 82 x $10 per 1M, x 300,000 requests ($630 in o200k_base tokens)
    expect(metric_value(page, "Prompting per month")).to_have_text("$1,030/mo", timeout=15_000)
    expect(metric_value(page, "Fine-tuned per month")).to_have_text(fine_tuned)  # the other side of the pair is unchanged
    expect(page.get_by_text(re.compile("Prompting Anthropic Claude Sonnet 5"))).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"prompt_model=anthropic(%3A|:)claude-sonnet-5"), timeout=15_000)
    fresh = browser.new_context(viewport={"width": 1440, "height": 1000})
    other = fresh.new_page()
    open_app(other, page.url)
    expect(metric_value(other, "Prompting per month")).to_have_text("$1,030/mo")
    expect(other.locator(".st-key-prompt_model").get_by_role("combobox")).to_have_value("anthropic:claude-sonnet-5")
    fresh.close()


def test_same_base_model_is_one_click(page, app_url):
    open_app(page, app_url)
    page.locator(".st-key-same_base_model").get_by_role("button").click()
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(metric_value(page, "Prompting per month")).to_have_text("$120.00/mo", timeout=15_000)  # gpt-4.1-mini at base
    expect(page.get_by_text(re.compile(r"· same base model ·"))).to_be_visible()  # the pair line, not the button
    expect(page.locator(".st-key-same_base_model")).to_have_count(0)  # nothing left to switch to


def test_a_linked_pair_stays_in_the_address_bar_through_a_slider_move(page, app_url):
    open_app(page, f"{app_url}/?prompt_model=openai:gpt-4.1-mini&option=bedrock-nova-micro&examples=7")
    pair = page.locator("[data-testid='stMarkdown']").filter(has_text="prices as of").first
    expect(pair).to_contain_text("OpenAI gpt 4.1 mini")
    expect(pair).to_contain_text("Bedrock Nova Micro")
    slider = page.locator(".st-key-requests_per_day").get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"requests_per_day=15000"), timeout=15_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    # The option id was replaced by the widget's own label, so the link still names both sides.
    assert re.search(r"prompt_model=openai(%3A|:)gpt-4\.1-mini", page.url), page.url
    assert re.search(r"option=Bedrock(\+|%20)Nova(\+|%20)Micro", page.url), page.url
    page.reload()  # the address bar alone rebuilds the same view
    page.wait_for_selector(IDLE, timeout=30_000)
    again = page.locator("[data-testid='stMarkdown']").filter(has_text="prices as of").first
    expect(again).to_contain_text("OpenAI gpt 4.1 mini")
    expect(again).to_contain_text("Bedrock Nova Micro")
    expect(page.locator(".st-key-examples")).to_contain_text("7")
