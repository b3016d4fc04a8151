import re

import pytest
from playwright.sync_api import expect

from calc.catalogue.tables import load_options
from tests.e2e.conftest import IDLE, open_app

pytestmark = pytest.mark.e2e


def all_metrics(page) -> dict[str, str]:
    values = {}
    for card in page.locator("[data-testid='stMetric']").all():
        label = card.locator("[data-testid='stMetricLabel']").inner_text().strip()
        values[label] = card.locator("[data-testid='stMetricValue']").inner_text().strip()
    return values


def test_copied_link_reopens_the_same_scenario_in_a_fresh_browser(browser, page, app_url):
    open_app(page, f"{app_url}/?option=OpenAI+gpt-4.1-mini&examples=9")
    slider = page.locator(".st-key-requests_per_day").get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile("requests_per_day=15000"), timeout=15_000)
    page.wait_for_selector(IDLE)
    page.locator(".st-key-tokens_per_example input").fill("200")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("tokens_per_example=200"), timeout=15_000)
    page.wait_for_selector(IDLE)
    page.get_by_text("Share or reset").click()
    link = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
    assert "requests_per_day=15000" in link and "tokens_per_example=200" in link
    before = all_metrics(page)
    fresh = browser.new_context(viewport={"width": 1440, "height": 1000})
    other = fresh.new_page()
    open_app(other, link)
    assert all_metrics(other) == before
    fresh.close()


def test_brief_and_chart_downloads(page, app_url, tmp_path):
    open_app(page, app_url)
    expect(page.get_by_role("button", name="Decision brief (HTML)")).to_have_count(0)  # built only when asked for
    page.get_by_text("Downloads: decision brief").click()
    expect(page.get_by_role("button", name="Decision brief (HTML)")).to_be_visible(timeout=15_000)
    page.wait_for_selector(IDLE)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Decision brief (HTML)").click()
    html_path = tmp_path / "brief.html"
    info.value.save_as(html_path)
    text = html_path.read_text()
    assert text.startswith("<!doctype html>") and "data:image/png;base64," in text and "Recommendation" in text
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Chart as PNG").first.click()
    png_path = tmp_path / "chart.png"
    info.value.save_as(png_path)
    assert png_path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png_path.stat().st_size > 10_000


def test_presentation_mode_at_1920x1080(browser, app_url, tmp_path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    open_app(page, f"{app_url}/?present=true&requests_per_day=50000")
    expect(page.locator("section[data-testid='stSidebar']")).to_be_hidden()
    expect(page.get_by_role("button", name="Exit presentation")).to_be_visible()
    value = page.locator("[data-testid='stMetricValue']").first
    assert float(value.evaluate("e => getComputedStyle(e).fontSize").rstrip("px")) >= 48
    shot = tmp_path / "presentation-1920x1080.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    context.close()


def test_brief_says_what_the_pages_say_for_this_session(page, app_url, tmp_path):
    """An eval file brought in on Quality & decision and edited prices reach the home page's verdict and the downloaded
    brief (its file is built outside the page run): one sentence on every surface."""
    issue = "requests_per_day=20000&prompt_model=anthropic:claude-sonnet-5&option=bedrock-nova-micro&examples=8"
    page.goto(f"{app_url}/Quality_and_decision?{issue}")
    page.wait_for_selector(IDLE, timeout=30_000)
    rows = ["route,example_id,score"]
    rows += [f"bedrock-nova-micro,{i},{int(i < 380)}" for i in range(400)]
    rows += [f"anthropic:claude-sonnet-5,{i},{int(i < 340)}" for i in range(400)]
    results = tmp_path / "eval.csv"
    results.write_text("\n".join(rows))
    page.locator(".st-key-eval_upload [data-testid='stFileUploaderDropzoneInput']").set_input_files(str(results))
    verdict = page.locator("[data-testid='stAlert']").filter(has_text="Fine-tune:").first
    expect(verdict).to_be_visible(timeout=30_000)
    on_quality = verdict.inner_text()
    assert "Bedrock Nova Micro is better than Anthropic Claude Sonnet 5 on your eval" in on_quality
    prices = tmp_path / "prices.csv"
    prices.write_text(load_options().to_csv(index=False))
    page.get_by_role("link", name="Assumptions", exact=True).click()
    expect(page).to_have_title("Assumptions", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    page.locator(".st-key-assumptions_import [data-testid='stFileUploaderDropzoneInput']").set_input_files(str(prices))
    expect(page.get_by_text("Edited assumptions in use")).to_be_visible(timeout=20_000)
    page.get_by_role("link", name="Volume decision", exact=True).click()
    expect(page).to_have_title("Prompt or fine-tune?", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    home = page.locator("[data-testid='stAlert']").filter(has_text="Fine-tune:").first
    expect(home).to_be_visible(timeout=30_000)
    assert home.inner_text() == on_quality  # the same sentence, from the same function
    page.get_by_text("Downloads: decision brief").click()
    button = page.get_by_role("button", name="Decision brief (Markdown)")
    expect(button).to_be_visible(timeout=15_000)
    page.wait_for_selector(IDLE)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / "brief.md"
    info.value.save_as(path)
    text = path.read_text()
    assert "Edited assumptions" in text
    sentence = on_quality.split(":", 1)[1].strip()
    assert sentence[:60] in text.replace("\\", "")  # the brief's headline is the pages' verdict
