"""The pages with prices refreshed at run time: the home page doubles its prompting cost after one refresh from a
loopback server, names the source and time, never waits for the fetch, and keeps the last good prices (with one
line saying why) when the server fails or stops; the Assumptions page says when a team table was refused."""

from __future__ import annotations

import re

import pytest

from calc.catalogue import price_sources as ps
from calc.text.safe_text import JOINER
from tests.app.conftest import metrics, run_default
from tests.price_server import PriceServer, Reply, catalogue_json, catalogue_priced, team_options, team_options_without

UPDATED = re.compile(r"genai-prices data updated \d\d:\d\d UTC from http://127\.0\.0\.1:\d+/data\.json")


@pytest.fixture(autouse=True)
def bundled_again(monkeypatch):
    for name in (ps.ENV_PRICES_URL, ps.ENV_OPTIONS_URL, ps.ENV_OPTIONS_FILE, ps.ENV_MODELS_URL, ps.ENV_MODELS_FILE):
        monkeypatch.delenv(name, raising=False)
    ps.stop()
    yield
    ps.stop()


@pytest.fixture
def server():
    with PriceServer() as running:
        yield running


def captions(at) -> str:
    """The page's captions as text (markdown escapes and the word joiners that keep addresses inert dropped)."""
    return " ".join(caption.value for caption in at.caption).replace("\\", "").replace(JOINER, "")


def warnings(at) -> list[str]:
    """The page's one-line notes on failed refreshes (markdown escapes dropped)."""
    return [w.value.replace("\\", "") for w in at.warning if "Price refresh" in w.value]


def test_the_home_page_doubles_after_one_refresh_and_keeps_it_when_the_server_stops(server, monkeypatch):
    server.replies["/data.json"] = Reply(catalogue_json(2.0), mode="hold")
    monkeypatch.setenv(ps.ENV_PRICES_URL, server.url("/data.json"))
    at = run_default("streamlit_app.py")
    assert server.holding.wait(10)  # the page's run started the fetch, and finished while the server still holds it
    assert metrics(at)["Prompting per month"] == "$42.90/mo"
    assert "genai-prices 0.2.5, bundled snapshot of 2026-12-06" in captions(at)

    server.release.set()
    ps.wait_until_loaded(20)
    at.run()
    assert not at.exception
    assert metrics(at)["Prompting per month"] == "$85.80/mo"
    assert UPDATED.search(captions(at)), captions(at)
    assert warnings(at) == []

    server.stop()
    ps.refresh_now(20)
    at.run()
    assert metrics(at)["Prompting per month"] == "$85.80/mo"
    [note] = warnings(at)
    assert "\n" not in note and "the last good prices stay in use" in note
    assert re.search(r"failed at \d\d:\W*\d\d UTC:\W*\w+Error", note), note  # the reason: refused, reset or dropped
    assert UPDATED.search(captions(at))


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(b"down for maintenance", status=500), "HTTP 500"),
        (Reply(catalogue_json(3.0), mode="truncated"), "peer closed connection"),
        (Reply(mode="huge"), "over 10,000,000 bytes"),
    ],
    ids=["error", "truncated", "50MB"],
)
def test_the_home_page_keeps_the_last_good_prices_when_a_refresh_fails(server, monkeypatch, reply, reason):
    server.replies["/data.json"] = Reply(catalogue_json(2.0))
    monkeypatch.setenv(ps.ENV_PRICES_URL, server.url("/data.json"))
    run_default("streamlit_app.py")
    ps.wait_until_loaded(20)
    server.replies["/data.json"] = reply
    ps.refresh_now(20)
    at = run_default("streamlit_app.py")
    assert not at.exception
    assert metrics(at)["Prompting per month"] == "$85.80/mo"
    [note] = warnings(at)
    assert reason in note


def test_without_a_setting_the_home_page_names_the_bundled_snapshot_and_starts_nothing(server):
    at = run_default("streamlit_app.py")
    assert metrics(at)["Prompting per month"] == "$42.90/mo"
    assert "from genai-prices 0.2.5, bundled snapshot of 2026-12-06" in captions(at)
    assert ps.in_force().refreshing is False and server.requests == []


def test_the_assumptions_page_shows_the_team_table_and_says_when_a_new_one_was_refused(tmp_path, monkeypatch):
    path = tmp_path / "team.csv"
    path.write_bytes(team_options("3.40"))
    monkeypatch.setenv(ps.ENV_OPTIONS_FILE, str(path))
    home = run_default("streamlit_app.py")
    ps.wait_until_loaded(20)
    home.run()
    assert metrics(home)["Fine-tuned per month"] == "$2,496/mo"

    path.write_bytes(team_options("5.00", malformed_row=4))
    ps.refresh_now(20)
    at = run_default("pages/7_Assumptions.py")
    assert not at.exception
    text = " ".join(element.value for element in (*at.markdown, *at.caption))
    assert f"team table from {path}" in text.replace("\\", "")
    [note] = warnings(at)
    assert "row 4" in note and "tuned_output_per_mtok" in note and "the last good prices stay in use" in note
    editor = next(d.value for d in at.dataframe if "hosting_kind" in d.value.columns)  # the team's rows, own sources
    row = editor[editor["label"].str.contains("gpt-4.1-mini") & (editor["hosting_kind"] == "deployment_hourly")].iloc[0]
    assert (row["hosting_usd_per_hour"], row["source"], str(row["as_of"])) == (3.4, "Platform team negotiated rate", "2026-12-01")
    assert metrics(run_default("streamlit_app.py"))["Fine-tuned per month"] == "$2,496/mo"


@pytest.mark.parametrize(
    "page",
    [
        "pages/1_All_routes.py",
        "pages/2_Token_cost.py",
        "pages/3_Quality_and_decision.py",
        "pages/4_Training_data.py",
        "pages/5_Cost_over_time.py",
        "pages/6_Self_hosted.py",
    ],
)
def test_every_other_page_says_when_a_refresh_failed(server, monkeypatch, page):
    server.replies["/data.json"] = Reply(catalogue_json(2.0))
    monkeypatch.setenv(ps.ENV_PRICES_URL, server.url("/data.json"))
    run_default(page)
    ps.wait_until_loaded(20)
    at = run_default(page)
    assert not at.exception and warnings(at) == [] and UPDATED.search(captions(at))
    server.replies["/data.json"] = Reply(b"down for maintenance", status=500)
    ps.refresh_now(20)
    at.run()
    assert not at.exception
    [note] = warnings(at)
    assert "HTTP 500" in note and "the last good prices stay in use" in note


@pytest.mark.parametrize(
    "page",
    [
        "streamlit_app.py",
        "pages/1_All_routes.py",
        "pages/2_Token_cost.py",
        "pages/3_Quality_and_decision.py",
        "pages/4_Training_data.py",
        "pages/5_Cost_over_time.py",
        "pages/6_Self_hosted.py",
        "pages/7_Assumptions.py",
    ],
)
def test_a_source_pricing_the_default_model_below_zero_breaks_no_page(server, monkeypatch, page):
    """The first fetch prices GPT-6 Luna at -5 per 1M input tokens: refused whole, the bundled prices stay, every page
    that shows prices says so in one line naming the source, the model and the field."""
    server.replies["/data.json"] = Reply(catalogue_priced("-5"))
    monkeypatch.setenv(ps.ENV_PRICES_URL, server.url("/data.json"))
    run_default(page)
    ps.wait_until_loaded(20)
    at = run_default(page)
    assert not at.exception, at.exception
    [note] = [w.replace(JOINER, "") for w in warnings(at)]
    assert server.url("/data.json") in note
    assert "refused whole: openai:gpt-6-luna input_mtok is -5, below 0" in note and "the last good prices stay in use" in note
    assert "genai-prices 0.2.5, bundled snapshot of 2026-12-06" in captions(at)
    if page == "streamlit_app.py":
        assert metrics(at)["Prompting per month"] == "$42.90/mo"


def test_a_team_table_without_the_default_option_is_refused_and_an_import_without_it_names_the_right_remedy(
    tmp_path, monkeypatch
):
    """The server refuses a team table without the default option (as prices --check and compare do) and keeps the
    table in force, saying why; only a table imported in the session can lack it, and Reset brings it back."""
    path = tmp_path / "team.csv"
    path.write_bytes(team_options_without())
    monkeypatch.setenv(ps.ENV_OPTIONS_FILE, str(path))
    run_default("streamlit_app.py")
    ps.wait_until_loaded(20)
    home = run_default("streamlit_app.py")
    assert not home.exception and metrics(home)["Fine-tuned per month"] == "$1,272/mo"
    [note] = warnings(home)
    assert "no 'azure-gpt-4.1-mini' row, the app's default option" in note and "the last good prices stay in use" in note
    assert not [i for i in home.info if "stands in for it" in i.value]

    at = run_default("pages/7_Assumptions.py")
    at.file_uploader(key="assumptions_import").set_value(("subset.csv", team_options_without(), "text/csv"))
    at.run()
    [stand_in] = [i.value for i in at.info if "stands in for it" in i.value]
    assert "Reset the prices on the Assumptions page" in stand_in
    next(b for b in at.button if b.label == "Reset to the shipped prices").click().run()
    assert not [i for i in at.info if "stands in for it" in i.value]
