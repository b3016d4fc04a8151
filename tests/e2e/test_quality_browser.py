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
