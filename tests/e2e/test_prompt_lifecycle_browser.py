"""A shut-down prompting model in a real browser: a link naming one keeps it (marked) through a slider move and a
reload, and the picker offers shut-down models only when asked for.

The models used shut down in October 2026, so the answers hold on any later day the app runs.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE, open_app

pytestmark = pytest.mark.e2e


def pair_line(page):
    return page.locator("[data-testid='stMarkdown']").filter(has_text="prices as of").first


def test_a_link_to_a_shut_down_model_keeps_it_marked_through_a_move_and_a_reload(page, app_url):
    open_app(page, f"{app_url}/?prompt_model=openai:o4-mini")
    expect(pair_line(page)).to_contain_text("OpenAI o4 Mini High")
    expect(pair_line(page)).to_contain_text("shut down 2026-10-23")
    picker = page.locator(".st-key-prompt_model").get_by_role("combobox")
    expect(picker).to_have_value("openai:o4-mini · shut down 2026-10-23")
    expect(page.get_by_text(re.compile("cannot be prompted today")).filter(visible=True).first).to_be_visible()
    slider = page.locator(".st-key-requests_per_day").get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"requests_per_day=15000"), timeout=15_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    assert re.search(r"prompt_model=openai(%3A|:)o4-mini", page.url), page.url
    page.reload()
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(pair_line(page)).to_contain_text("OpenAI o4 Mini High")
    expect(page.locator(".st-key-prompt_model").get_by_role("combobox")).to_have_value("openai:o4-mini · shut down 2026-10-23")


def test_shut_down_models_are_offered_only_when_asked_for(page, app_url):
    open_app(page, app_url)
    provider = page.locator(".st-key-prompt_provider").get_by_role("combobox")
    provider.click()
    provider.fill("OpenAI")
    page.get_by_role("option", name="OpenAI", exact=True).click()
    page.wait_for_selector(IDLE, timeout=30_000)
    picker = page.locator(".st-key-prompt_model").get_by_role("combobox")
    picker.click()
    picker.fill("gpt-4.1-nano")
    expect(page.get_by_role("option", name=re.compile("gpt-4.1-nano"))).to_have_count(0)
    page.keyboard.press("Escape")
    page.locator(".st-key-show_shut_down_models").get_by_text("Show shut-down models").click()
    page.wait_for_selector(IDLE, timeout=30_000)
    picker.click()
    picker.fill("gpt-4.1-nano")
    page.get_by_role("option", name="openai:gpt-4.1-nano · shut down 2026-10-23", exact=True).click()
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(pair_line(page)).to_contain_text("shut down 2026-10-23")
