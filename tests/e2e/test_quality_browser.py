import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE

pytestmark = pytest.mark.e2e


def test_decision_diagram_renders(page, app_url):
    page.goto(f"{app_url}/Quality_and_decision?task=style")
    page.wait_for_selector(IDLE, timeout=30_000)
    diagram = page.locator("[data-testid='stGraphVizChart'] svg").first
    expect(diagram).to_be_visible(timeout=15_000)
    assert diagram.locator("g.node").count() >= 10
    expect(diagram).to_contain_text("Is the task primarily")
    expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first).to_be_visible()


def test_typed_eval_counts_travel_in_the_link_across_pages_with_the_same_verdict(page, app_url):
    issue = "requests_per_day=20000&prompt_model=anthropic:claude-sonnet-5&option=bedrock-nova-micro&examples=8"
    counts = "eval_counts=bedrock-nova-micro%3D380%2F400%2Canthropic%3Aclaude-sonnet-5%3D340%2F400"
    page.goto(f"{app_url}/All_routes?{issue}&{counts}")
    page.wait_for_selector(IDLE, timeout=30_000)
    verdict = page.locator("[data-testid='stAlert']").filter(has_text="Fine-tune:").first
    expect(verdict).to_be_visible(timeout=30_000)
    on_routes = verdict.inner_text()
    assert "Bedrock Nova Micro is better than Anthropic Claude Sonnet 5 on your eval" in on_routes
    page.get_by_role("link", name="Quality & decision", exact=True).click()
    expect(page).to_have_title("Quality & decision", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    assert "eval_counts=" in page.url and "380%2F400" in page.url
    on_quality = page.locator("[data-testid='stAlert']").filter(has_text="Fine-tune:").first
    expect(on_quality).to_be_visible(timeout=30_000)
    assert on_quality.inner_text() == on_routes
    expect(page.get_by_text("Nothing measured yet")).to_have_count(0)  # the typed counts are the eval report's
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
