import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE

pytestmark = pytest.mark.e2e
PAYLOAD = '<img src=x onerror="window.injected=1"><script>window.injected=2</script><b id="bold">x</b>'


def open_token_page(page, url):
    page.goto(f"{url}/Token_cost")
    page.wait_for_selector(IDLE, timeout=30_000)


def type_into(page, key, text):
    area = page.locator(f".st-key-{key} textarea")
    area.fill(text)
    area.press("Control+Enter")  # commit the text area's value; callers wait for what it changes


def test_token_view_shows_html_as_text(page, app_url):
    open_token_page(page, app_url)
    type_into(page, "prompt_instructions", PAYLOAD)
    view = page.locator("[data-testid='token-view']")
    expect(view).to_be_visible()
    expect(view).to_contain_text('<img src=x onerror="window.injected=1">')
    assert view.locator("img, script, b").count() == 0
    assert page.locator("#bold").count() == 0
    assert page.evaluate("window.injected") is None
    first = view.locator("span").first
    assert re.match(r"token id \d+", first.get_attribute("title"))


def test_use_counts_carries_to_the_home_page(page, app_url):
    open_token_page(page, app_url)
    page.get_by_role("button", name="Load an example prompt").click()
    page.wait_for_selector(IDLE)
    expect(page.get_by_text("5 examples found")).to_be_visible()
    page.get_by_role("button", name="Use these counts in the scenario").click()
    expect(page.get_by_text("The scenario now uses these counts")).to_be_visible()
    # The sample's 72 instruction tokens plus each request's own 100 input tokens (the sidebar's default).
    expect(page).to_have_url(re.compile(r"instruction_tokens=172"))
    page.get_by_role("link", name="Volume decision").click()
    page.wait_for_url(re.compile(r"instruction_tokens=172"))
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.locator(".st-key-instruction_tokens input")).to_have_value("172")


def test_deleting_a_chat_cell_keeps_the_page_and_the_chat(page, app_url):
    """Delete on the "Few-shot example?" checkbox (and on a text cell) sends an empty cell: the page and chat stay."""
    open_token_page(page, app_url)
    page.locator(".st-key-prompt_mode").get_by_text("Chat messages").click()
    page.wait_for_selector(IDLE)
    grid = page.locator(".st-key-chat_editor [data-testid='stDataFrameResizable']")
    expect(grid).to_be_visible(timeout=15_000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # the first row's Role cell, below the 35-pixel header
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # its "Few-shot example?" cell
    page.keyboard.press("Delete")
    page.keyboard.press("ArrowLeft")  # its content cell
    page.keyboard.press("Delete")
    page.get_by_role("heading", name="Token cost").click()  # leaving the grid sends the edits, and the page reruns
    page.wait_for_timeout(1_500)
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.get_by_text("Prompt tokens")).to_be_visible(timeout=30_000)
    expect(grid).to_be_visible(timeout=30_000)
    expect(page.get_by_text("TypeError")).to_have_count(0)
    expect(page.locator("[data-testid='stSidebar']")).to_be_visible()
