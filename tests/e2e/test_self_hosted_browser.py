"""Browser: the Self-hosted serving chart draws its steps and the sentence says where self-hosting becomes cheaper."""

import csv
import io
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE

pytestmark = pytest.mark.e2e


def _open(page, app_url: str, model: str, gpu: str) -> None:
    page.goto(f"{app_url}/Self_hosted?sh_model={quote(model)}&sh_serving_gpu={quote(gpu)}")
    page.wait_for_selector(IDLE, timeout=30_000)


def test_serving_chart_steps_and_crossover_sentence(page, app_url, tmp_path):
    _open(page, app_url, "Llama 3.1 70B", "A100 SXM 80GB")
    chart = page.locator("[data-testid='stVegaLiteChart']").last
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=30_000)
    # a tensor-parallel replica of 4 A100s ($5,155/mo) serves 877,313/day with the A100's like-for-like ratio (issue 29
    # item 7; 281,042 at the old 0.120): cheaper than Azure's $1,224 + $0.0048/request from 819,000/day until it is full
    expect(page.get_by_text("cheaper from about 819,000/day to 877,000/day", exact=False).first).to_be_visible()
    metric = page.locator("[data-testid='stMetric']").filter(has_text="A100 SXM 80GB needed, always on")
    expect(metric.locator("[data-testid='stMetricValue']")).to_have_text("4")
    with page.expect_download() as info:
        page.get_by_role("button", name="Chart data as CSV").last.click()
    path = tmp_path / "serving.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    own = [row for row in rows if row["line"].startswith("Self-hosted")]
    assert len({row["gpus"] for row in own}) > 1  # GPUs are added within the range drawn: steps
    assert {row["line"] for row in rows} == {"Self-hosted on A100 SXM 80GB", "Managed fine-tuned: Azure gpt-4.1-mini"}


def test_serving_gpu_change_moves_the_crossover(page, app_url):
    _open(page, app_url, "Llama 3.1 8B", "H100 SXM 80GB")
    expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_text("cheaper from about 343,000/day")).to_be_visible()
    box = page.locator(".st-key-sh_serving_gpu").get_by_role("combobox")
    box.click()
    box.fill("L4 24GB")
    page.get_by_role("option", name="L4 24GB", exact=True).click()
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.get_by_text("at every volume")).to_be_visible()
