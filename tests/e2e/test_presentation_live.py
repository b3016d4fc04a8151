import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE, open_app

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1024, 1400])
def test_presenter_can_move_the_volume_without_leaving_presentation_mode(browser, app_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    open_app(page, f"{app_url}/?present=true")
    expect(page.locator("section[data-testid='stSidebar']")).to_be_hidden()
    controls = page.locator(".st-key-presenter_controls")
    expect(controls).to_be_visible()
    expect(controls.locator(".st-key-prompt_model")).to_be_visible()
    expect(controls.locator(".st-key-option")).to_be_visible()
    card = page.locator("[data-testid='stMetric']").filter(has_text="Prompting per month")
    value = card.locator("[data-testid='stMetricValue']")
    expect(value).to_have_text("$43/mo")  # GPT-6 Luna with its default reasoning (issue 29)
    slider = page.locator("[data-testid='stMain'] .st-key-requests_per_day").get_by_role("slider")  # the home page's own
    expect(slider).to_be_visible()
    slider.focus()
    for _ in range(9):  # 10,000 -> 100,000: nine steps of the log scale
        page.keyboard.press("ArrowRight")
    expect(value).to_have_text("$429/mo", timeout=20_000)
    page.wait_for_selector(IDLE)
    assert "present=true" in page.url and "requests_per_day=100000" in page.url
    box = value.bounding_box()
    assert box is not None and box["width"] > 0
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth + 1", value.element_handle())
    context.close()


def test_other_pages_keep_the_volume_live_in_the_presenter_row(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/Cost_over_time?present=true")
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.locator("section[data-testid='stSidebar']")).to_be_hidden()
    expect(page.locator(".st-key-presenter_controls .st-key-requests_per_day").get_by_role("slider")).to_be_visible()
    context.close()
