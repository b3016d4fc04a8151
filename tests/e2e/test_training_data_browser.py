import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE

pytestmark = pytest.mark.e2e


def test_upload_shows_costs_and_downloads_split(page, app_url, tmp_path):
    lines = [
        json.dumps({"messages": [{"role": "user", "content": f"question {i}"}, {"role": "assistant", "content": "yes"}]})
        for i in range(50)
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join([*lines, "oops not json"]))
    page.goto(f"{app_url}/Training_data")
    page.wait_for_selector(IDLE, timeout=30_000)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    invalid = page.locator("[data-testid='stMetric']").filter(has_text=re.compile(r"Lines that are not JSON\s*1$"))
    expect(invalid).to_have_count(1, timeout=30_000)  # the upload's analysis, not the sample's shown before it
    page.wait_for_selector(IDLE)
    expect(page.get_by_role("cell", name="OpenAI gpt-4o-mini")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download eval.jsonl").click()
    download = download_info.value
    assert download.suggested_filename == "mine-eval.jsonl"
    saved = tmp_path / "eval.jsonl"
    download.save_as(saved)
    rows = [json.loads(line) for line in saved.read_text().splitlines()]
    assert rows and all("messages" in row for row in rows)
