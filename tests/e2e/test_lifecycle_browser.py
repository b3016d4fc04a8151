import csv
import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE

pytestmark = pytest.mark.e2e
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"


def test_cost_over_time_charts_and_csv(page, app_url, tmp_path):
    page.goto(f"{app_url}/Cost_over_time?retrains_per_year=2")
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(2, timeout=15_000)
    for index in range(2):
        expect(page.locator("[data-testid='stVegaLiteChart']").nth(index).locator("canvas, svg").first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Chart data as CSV").first.click()
    path = tmp_path / "table.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert {row["path"] for row in rows} == {"Prompting", "Fine-tuned", "Hybrid"}
    assert len(rows) == 3 * 13


def test_self_hosted_page_renders(page, app_url):
    page.goto(f"{app_url}/Self_hosted?sh_method=full")
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.get_by_text("Does not fit")).to_be_visible()
