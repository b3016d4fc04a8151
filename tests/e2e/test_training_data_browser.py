import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from calc.inputs.dataset import analyze_jsonl
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


def _worker_of(port: int) -> int | None:
    """The pid of the token worker started by the server listening on `port` (None: it has none)."""
    servers = {
        int(p.parent.name)
        for p in Path("/proc").glob("[0-9]*/cmdline")
        if f"--server.port\0{port}\0".encode() in _read(p)
    }
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        if b"calc.inputs.token_worker" in _read(path):
            stat = _read(path.parent / "stat").decode().rsplit(")", 1)[-1].split()
            if stat and int(stat[1]) in servers:
                return int(path.parent.name)
    return None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _cpu_ticks(pid: int) -> int:
    fields = _read(Path(f"/proc/{pid}/stat")).decode().rsplit(")", 1)[-1].split()
    return int(fields[11]) + int(fields[12])


def test_a_big_upload_is_counted_by_the_servers_token_worker_and_agrees_with_the_model(page, app_url, tmp_path):
    words = ["invoice", "refund", "parcel", "courier", "Rechnung", "Lieferung", "订单", "退款", "🙂", "the", "a", "of", "to"]
    lines = [
        json.dumps(
            {"messages": [
                {"role": "system", "content": "Classify the ticket."},
                {"role": "user", "content": f"Ticket {i}: " + " ".join(words[(i * 7 + j * 3) % len(words)] for j in range(300))},
                {"role": "assistant", "content": words[i % 5]},
            ]},
            ensure_ascii=False,
        )
        for i in range(4_000)
    ]  # fmt: skip
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    expected = analyze_jsonl(path.read_bytes())  # in this process: the test's own count
    page.goto(f"{app_url}/Training_data")
    page.wait_for_selector(IDLE, timeout=30_000)
    worker = _worker_of(int(app_url.rsplit(":", 1)[1]))
    assert worker is not None, "the Training data page starts the server's token worker"
    before = _cpu_ticks(worker)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    examples = page.locator("[data-testid='stMetric']").filter(has_text=re.compile(r"^Examples\s*4,000$"))
    expect(examples).to_have_count(1, timeout=60_000)
    page.wait_for_selector(IDLE)
    billed = page.locator("[data-testid='stMetric']").filter(has_text="Billed tokens")
    expect(billed).to_contain_text(f"{expected.billed_tokens(expected.default_epochs):,}")
    assert _cpu_ticks(worker) > before, "the worker did the counting"
