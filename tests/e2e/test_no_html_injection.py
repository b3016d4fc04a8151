"""No user-supplied text is ever rendered as HTML: a payload in every input and upload, on every page.

And none becomes a link, an image, an emoji, an icon or a colour either: Streamlit's frontend makes those from
`https://`, `www.`, `name@host`, `:smile:`, `:material/...:` and `:red[...]` after Markdown escapes are resolved.
"""

import json
from urllib.parse import quote, urlsplit

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
    keys = ("option", "task", "pricing", "requests_per_day", "examples", "eval_counts", "sh_gpu", "decline_preset", "present")
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


AUTOLINK = "Your session expired. Sign in again at https://evil.example/login"
DIRECTIVES = "www.evil.example bob@evil.example :material/bolt: :smile: :red[ZQXLRED]"
LABEL = "ZQXL [Sign in](https://evil.example/login) ![p](https://evil.example/label.png)"
#: Records, as the page changes, anything rendered from the payloads: it sees text shown only while a script runs
#: (the progress bar's file name) as well as what stays.
WATCH = """
window.__rendered = [];
window.__progress = [];
new MutationObserver(records => {
  for (const record of records) for (let node of [record.target, ...record.addedNodes]) {
    if (node.nodeType === Node.TEXT_NODE) node = node.parentElement;
    if (!(node instanceof Element)) continue;
    const bar = node.closest('[data-testid="stProgress"]') || node.querySelector('[data-testid="stProgress"]');
    if (bar) window.__progress.push((bar.innerText + ' ' + bar.textContent).replace(/\\u2060/g, ''));
    const found = [node, ...node.querySelectorAll('*')].filter(el =>
      el.matches('a[href*="evil"], img[src*="evil"], img[src*="c.png"]')
      || (el.matches('span[style*="color"], span[class*="olor"]') && el.textContent.includes('ZQXLRED')));
    window.__rendered.push(...found.map(el => el.outerHTML.slice(0, 200)));
    if (record.type === 'childList' && node !== record.target && node.textContent.includes('\\u{1F604}')) {
      window.__rendered.push('emoji: ' + node.textContent.slice(0, 200));
    }
  }
}).observe(document, {
  subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["href", "src", "style"],
});
"""


@pytest.fixture
def watched(page, app_url):
    """The page, watching for rendered payloads, and the list of every request it makes."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(WATCH)
    page.requests = requests
    return page


def assert_inert(page) -> None:
    """Nothing rendered from the payloads now or earlier, each directive shown as typed, and no request off this machine."""
    page.wait_for_selector(IDLE, timeout=30_000)
    assert page.evaluate("window.__rendered") == []
    text = page.evaluate("document.body.innerText").replace("\u2060", "")
    assert "\U0001f604" not in text
    assert text.count("ZQXLRED") == text.count(":red[ZQXLRED]")
    assert text.count("bolt") == text.count(":material/bolt:")
    assert page.locator("a[href*='evil'], img[src*='evil']").count() == 0
    hosts = {urlsplit(url).hostname for url in page.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {"127.0.0.1", "localhost"}


@pytest.mark.parametrize("path", PAGES)
def test_link_text_is_shown_as_text_on_every_page(watched, app_url, path):
    watched.goto(f"{app_url}/{path}?pricing={quote(AUTOLINK + ' ' + DIRECTIVES)}")
    expect(watched.get_by_text("could not be used").first).to_be_visible(timeout=30_000)
    expect(watched.get_by_text("Sign in again at https").first).to_be_visible()
    assert_inert(watched)


def test_imported_labels_sources_and_notes_are_shown_as_text_on_every_page(watched, app_url, tmp_path):
    table = load_options()
    table["label"] = table["label"] + " " + LABEL
    table["source"] = AUTOLINK
    table["notes"] = DIRECTIVES
    default = table["option_id"] == "azure-gpt-4.1-mini"
    table.loc[default, "closed_to_new_customers"] = "2020-01-01"  # a status sentence on every page and in the mistakes
    table.loc[default, "closed_to_new_customers_source"] = AUTOLINK + " " + DIRECTIVES
    path = tmp_path / "prices.csv"
    path.write_text(table.to_csv(index=False))
    watched.goto(f"{app_url}/Assumptions")
    watched.wait_for_selector(IDLE, timeout=30_000)
    watched.locator(".st-key-assumptions_import [data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    expect(watched.get_by_text("Edited assumptions in use")).to_be_visible(timeout=20_000)
    assert_inert(watched)
    reject_an_edit(watched)
    assert_inert(watched)
    shown = {
        "Volume decision": "Fine-tuned per month", "Token cost": "Fine-tuned Azure gpt-4.1-mini ZQXL",
        "Quality & decision": "Common mistakes", "Training data": "What training on this file costs",
        "Cost over time": "Fine-tuned breaks even", "Self-hosted": "Self-hosting on",
    }  # fmt: skip
    for label, expected in shown.items():
        watched.get_by_role("link", name=label, exact=True).click()
        expect(watched.get_by_text(expected).first).to_be_visible(timeout=30_000)
        expect(watched.get_by_text("[Sign in](https").first).to_be_visible()  # the label, as typed
        if label == "Volume decision":  # a metric's help, drawn on hover, names the option and its source
            card = watched.locator("[data-testid='stMetric']").filter(has_text="Fine-tuned per month")
            card.locator("[data-testid='stTooltipHoverTarget']").first.hover()
            expect(watched.locator("[data-testid='stTooltipContent']")).to_contain_text("[Sign in](https")
        assert_inert(watched)


def reject_an_edit(page) -> None:
    """Empty the first option's base input price in the price editor: the refusal names the option by its label.

    The grid is a canvas driven by keyboard; on a loaded machine a first click can land while it is still being
    drawn, so the edit is tried up to three times.
    """
    grid = page.locator(".st-key-options_editor [data-testid='stDataFrameResizable']")
    rejected = page.get_by_text("Edit rejected").first
    for _ in range(3):
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # the first row's label, below the 35-pixel header
        for _ in range(3):  # training_price_usd, gpu_hours_per_mtok, base_input_per_mtok
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Delete")
        page.get_by_text("Fine-tuning options (prices editable)").click()  # leaving the grid sends the edit
        page.wait_for_timeout(1_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        if rejected.is_visible():
            break
    expect(rejected).to_be_visible()
    expect(page.get_by_text("[Sign in](https").first).to_be_visible()


def test_uploaded_labels_and_file_name_are_shown_as_text(watched, app_url, tmp_path):
    labels = ["![p](https://evil.example/c.png)", "https://evil.example/x", ":smile: :red[ZQXLRED]", "www.evil.example",
              "bob@evil.example", ":material/bolt:"]  # fmt: skip
    lines = [
        json.dumps({"messages": [{"role": "user", "content": f"ticket {i}"}, {"role": "assistant", "content": labels[i % 6]}]})
        for i in range(120_000)  # enough for the progress bar (it shows the file name) to be drawn; under the sampling threshold
    ]
    upload = tmp_path / "[x](c.png) ![p](c.png) www.evil.example bob@evil.example :smile: :red[ZQXLRED].jsonl"
    upload.write_text("\n".join(lines))
    watched.goto(f"{app_url}/Training_data")
    watched.wait_for_selector(IDLE, timeout=30_000)
    watched.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
    expect(watched.get_by_text("Outputs look like labels; their balance")).to_be_visible(timeout=30_000)
    expect(watched.get_by_text("![p](https").first).to_be_visible(timeout=30_000)  # as typed (a joiner follows the colon)
    assert any(upload.name in text for text in watched.evaluate("window.__progress"))  # the file name was shown
    assert_inert(watched)
