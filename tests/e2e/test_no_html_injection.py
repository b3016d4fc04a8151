"""No user-supplied text is ever rendered as HTML: a payload in every input and upload, on every page."""

import json
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from calc.catalogue.tables import load_options
from tests.e2e.conftest import IDLE

pytestmark = pytest.mark.e2e
PAYLOAD = '<img id="xss" src="x" onerror="window.injected=1"><script>window.injected=2</script><b id="xssb">b</b>'
PAGES = ("", "Token_cost", "Quality_and_decision", "Training_data", "Cost_over_time", "Self_hosted", "Assumptions")


def assert_clean(page) -> None:
    page.wait_for_selector(IDLE, timeout=30_000)
    assert page.locator("#xss, #xssb").count() == 0
    assert page.evaluate("window.injected") is None


@pytest.mark.parametrize("path", PAGES)
def test_payload_in_every_query_parameter(page, app_url, path):
    keys = ("option", "task", "pricing", "requests_per_day", "examples", "eval_result", "sh_gpu", "decline_preset", "present")
    query = "&".join(f"{key}={quote(PAYLOAD)}" for key in keys)
    page.goto(f"{app_url}/{path}?{query}")
    # The page removes the unusable values and reruns once: wait for the message, not for the first idle moment.
    expect(page.get_by_text("could not be used").first).to_be_visible(timeout=30_000)
    assert_clean(page)


def test_payload_in_every_text_input(page, app_url):
    page.goto(f"{app_url}/Token_cost")
    page.wait_for_selector(IDLE, timeout=30_000)
    for key in ("prompt_instructions", "prompt_examples"):
        area = page.locator(f".st-key-{key} textarea")
        area.fill(PAYLOAD + "\n\n---\n" + PAYLOAD)
        area.press("Control+Enter")
        expect(page.locator("[data-testid='token-view']")).to_contain_text("window.injected", timeout=15_000)
        page.wait_for_selector(IDLE)
    delimiter = page.locator(".st-key-example_delimiter input")
    delimiter.fill(PAYLOAD)
    delimiter.press("Enter")
    page.wait_for_selector(IDLE)
    assert_clean(page)


def test_payload_in_uploaded_training_data(page, app_url, tmp_path):
    record = {"messages": [{"role": PAYLOAD, "content": PAYLOAD, PAYLOAD: 1}, {"role": "assistant", "content": PAYLOAD}]}
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text("\n".join([json.dumps(record), PAYLOAD, json.dumps({"prompt": PAYLOAD, "completion": PAYLOAD})]))
    page.goto(f"{app_url}/Training_data")
    page.wait_for_selector(IDLE, timeout=30_000)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(jsonl))
    page.get_by_text("What training on this file costs").wait_for(timeout=20_000)
    assert_clean(page)
    csv_file = tmp_path / "x.csv"
    csv_file.write_text(f'"{PAYLOAD.replace(chr(34), chr(39))}",output\n"{PAYLOAD.replace(chr(34), chr(39))}",yes\n')
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(csv_file))
    expect(page.get_by_text("Input column")).to_be_visible(timeout=20_000)  # the CSV's column pickers
    page.wait_for_selector(IDLE)
    assert_clean(page)


def test_payload_in_imported_assumptions(page, app_url, tmp_path):
    table = load_options()
    table["label"] = table["label"] + PAYLOAD
    table["source"] = PAYLOAD
    table["notes"] = PAYLOAD
    path = tmp_path / "prices.csv"
    path.write_text(table.to_csv(index=False))
    page.goto(f"{app_url}/Assumptions")
    page.wait_for_selector(IDLE, timeout=30_000)
    page.locator(".st-key-assumptions_import [data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    expect(page.get_by_text("Edited assumptions in use")).to_be_visible(timeout=20_000)
    page.wait_for_selector(IDLE)
    assert_clean(page)
    expect(page.get_by_text("Edited assumptions in use")).to_have_count(1)
    titles = {
        "Volume decision": "Prompt or fine-tune?", "Token cost": "Token cost", "Quality & decision": "Quality & decision",
        "Training data": "Training data", "Cost over time": "Cost over time", "Self-hosted": "Self-hosted",
    }  # fmt: skip
    for label, title in titles.items():
        page.get_by_role("link", name=label, exact=True).click()
        expect(page).to_have_title(title, timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        expect(page.get_by_text("Edited assumptions in use")).to_have_count(1)  # still this session's edited table
        assert_clean(page)
