"""Prices refreshed at run time (calc/catalogue/price_sources.py) against a real loopback server: genai-prices data with
GPT-6 Luna at twice its bundled prices, a team's fine-tuning table, and a server that fails in each way it can."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import threading
import time
from decimal import Decimal

import pandas as pd
import pytest

from calc.api import compare
from calc.catalogue import price_sources as ps
from calc.catalogue.prompt_models import resolve_prompt_model
from calc.catalogue.tables import DATA_DIR, DataSchemaError
from calc.catalogue.team_tables import MAX_TABLE_BYTES, OPTIONS, load_table
from calc.scenario import Scenario
from tests.price_server import (
    LUNA,
    PriceServer,
    Reply,
    catalogue_json,
    catalogue_priced,
    shipped_options,
    team_options,
)

ON = dt.date(2026, 11, 29)
AT = dt.datetime(2026, 12, 3, 14, 5, tzinfo=dt.UTC)
LUNA_REF = ":".join(LUNA)


def clock() -> dt.datetime:
    return AT


def prompting_month() -> str:
    """The default pair's prompting month: GPT-6 Luna, 800 input + 50 output + 76 reasoning tokens (its default effort)
    x 300,000 requests at $0.10/$0.50 per 1M = $42.90 (a price doubled by a refresh: $85.80)."""
    return compare(Scenario(), on=ON).metrics()["Prompting per month"]


def fine_tuned_month() -> str:
    return compare(Scenario(), on=ON).metrics()["Fine-tuned per month"]


@pytest.fixture(autouse=True)
def bundled_again():
    """Every test starts and ends with nothing refreshing and the bundled and shipped data in force."""
    ps.stop()
    yield
    ps.stop()


@pytest.fixture
def server():
    with PriceServer() as running:
        running.replies["/data.json"] = Reply(catalogue_json(2.0))
        running.replies["/team.csv"] = Reply(team_options("3.40"))
        yield running


def start(server: PriceServer, **locations: str) -> ps.InForce:
    settings = ps.settings_from({}, **{key: server.url(path) for key, path in locations.items()})
    ps.start(settings, clock=clock)
    return ps.wait_until_loaded(20)


def test_by_default_the_bundled_snapshot_and_shipped_tables_are_in_force_and_nothing_runs():
    ps.start_from_environ({})
    state = ps.in_force()
    assert state.version == "bundled+shipped+shipped"
    assert state.lines() == [
        "Prompting prices: genai-prices 0.2.5, bundled snapshot of 2026-12-06.",
        "Fine-tuning options: shipped data/finetune_options.csv.",
    ]
    assert (state.problems, state.refreshing) == ((), False)
    assert not [t for t in threading.enumerate() if t.name.startswith(("genai_prices", "team-table"))]
    assert prompting_month() == "$42.90/mo"


def test_settings_come_from_the_environment_and_options_override_them():
    environ = {ps.ENV_PRICES_URL: "http://mirror.internal/data.json", ps.ENV_PRICES_INTERVAL: "600", ps.ENV_OPTIONS_FILE: "t.csv"}
    assert ps.settings_from(environ) == ps.Settings("http://mirror.internal/data.json", 600.0, "t.csv", None, 3600.0)
    overridden = ps.settings_from(environ, prices_url="https://other/data.json", options_url="https://team/options.csv")
    assert (overridden.prices_url, overridden.options_location) == ("https://other/data.json", "https://team/options.csv")
    assert not ps.settings_from({}).refreshing


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({ps.ENV_PRICES_URL: "ftp://mirror/data.json"}, "not an http(s) URL"),
        ({ps.ENV_PRICES_URL: "http://m/d.json", ps.ENV_PRICES_INTERVAL: "soon"}, "not a number of seconds"),
        ({ps.ENV_PRICES_URL: "http://m/d.json", ps.ENV_PRICES_INTERVAL: "0"}, "outside"),
        ({ps.ENV_OPTIONS_URL: "http://t/o.csv", ps.ENV_OPTIONS_FILE: "o.csv"}, "not both"),
    ],
)
def test_an_unusable_setting_is_refused_and_starts_nothing(environ, message):
    with pytest.raises(ps.SourceError, match=re.escape(message)):
        ps.settings_from(environ)
    ps.start_from_environ(environ)
    state = ps.in_force()
    assert state.version == "bundled+shipped+shipped"
    assert len(state.problems) == 1 and message in state.problems[0]


def test_one_refresh_doubles_the_prompting_cost_and_names_source_and_time(server):
    assert prompting_month() == "$42.90/mo"
    state = start(server, prices_url="/data.json")
    assert prompting_month() == "$85.80/mo"
    assert state.lines()[0] == f"Prompting prices: genai-prices data updated 14:05 UTC from {server.url('/data.json')}."
    assert state.problems == () and state.catalogue.version.startswith("fetched-")
    assert server.requests == ["/data.json"]


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(b"busy", status=503), "the server answered HTTP 503"),
        (Reply(catalogue_json(3.0), mode="truncated"), "peer closed connection without sending complete message body"),
        (Reply(catalogue_json(3.0)[:400_000]), "not complete JSON"),
        (Reply(mode="huge"), "the file is over 10,000,000 bytes"),
        (Reply(b'[{"id": "openai"}]'), "not genai-prices data"),
        (Reply(catalogue_json(3.0).replace(b'"gpt-6-luna"', b'"gpt-6-lunar"')), "no price for the default model"),
    ],
    ids=["error", "truncated-body", "truncated-json", "50MB", "not-genai-prices", "without-default-model"],
)
def test_a_failed_refresh_keeps_the_last_good_prices_with_a_one_line_reason(server, reply, reason):
    start(server, prices_url="/data.json")
    server.replies["/data.json"] = reply
    state = ps.refresh_now(20)
    assert prompting_month() == "$85.80/mo"
    assert len(state.notes()) == 1
    note = state.notes()[0]
    assert "\n" not in note and reason in note and server.url("/data.json") in note
    assert note.endswith("the last good prices stay in use.")
    assert "updated 14:05 UTC" in state.lines()[0]


def test_a_stopped_server_leaves_the_fetched_prices_in_use(server):
    start(server, prices_url="/data.json")
    server.stop()
    state = ps.refresh_now(20)
    assert prompting_month() == "$85.80/mo"
    assert "failed at 14:05 UTC: ConnectError" in state.notes()[0]


def test_the_same_data_fetched_again_keeps_the_version_and_a_change_makes_a_new_one(server):
    first = start(server, prices_url="/data.json").version
    assert ps.refresh_now(20).version == first
    server.replies["/data.json"] = Reply(catalogue_json(4.0))
    assert ps.refresh_now(20).version != first
    assert prompting_month() == "$171.60/mo"


def test_a_pinned_version_keeps_its_prices_after_a_refresh(server):
    """What a page read once stays whole: resolving with its version gives its prices, not the new ones."""
    before = ps.in_force().version
    old = resolve_prompt_model(LUNA_REF, ON, before)
    start(server, prices_url="/data.json")
    assert resolve_prompt_model(LUNA_REF, ON, before) == old
    new = resolve_prompt_model(LUNA_REF, ON)
    assert (new.input_per_mtok, new.output_per_mtok) == (2 * old.input_per_mtok, 2 * old.output_per_mtok)
    assert new.catalogue.startswith("genai-prices data updated 14:05 UTC") and old.catalogue.startswith("genai-prices 0.2.5")


def test_the_refresh_runs_in_the_background_and_never_holds_the_caller(server):
    server.replies["/data.json"] = Reply(catalogue_json(2.0), mode="hold")
    ps.start(ps.settings_from({}, prices_url=server.url("/data.json")), clock=clock)
    assert server.holding.wait(10)  # the fetch is in flight, held by the server
    assert prompting_month() == "$42.90/mo"  # priced meanwhile, at the bundled prices
    server.release.set()
    ps.wait_until_loaded(20)
    assert prompting_month() == "$85.80/mo"


def test_a_team_table_puts_its_prices_and_sources_in_force(server):
    state = start(server, options_url="/team.csv")
    assert fine_tuned_month() == "$2,496/mo"  # the deployment at $3.40/hour instead of $1.70
    option = compare(Scenario(), on=ON).fine_tuning_source
    assert (option.source, option.as_of) == ("Platform team negotiated rate", dt.date(2026, 12, 1))
    assert state.lines()[1] == f"Fine-tuning options: team table from {server.url('/team.csv')}, loaded 14:05 UTC."


def test_a_malformed_team_table_is_refused_whole_with_its_first_problem_and_the_last_good_stays(server):
    start(server, options_url="/team.csv")
    server.replies["/team.csv"] = Reply(team_options("5.00", malformed_row=3))
    state = ps.refresh_now(20)
    assert fine_tuned_month() == "$2,496/mo"
    assert "row 3: 'tuned_output_per_mtok' is 'twelve', not a valid float" in state.notes()[0]
    assert "team table" in state.lines()[1]


def test_a_team_table_from_a_file_that_breaks_validation_never_replaces_the_shipped_one(tmp_path):
    path = tmp_path / "team.csv"
    path.write_bytes(team_options("3.40", malformed_row=2))
    ps.start(ps.settings_from({}, options_file=str(path)), clock=clock)
    state = ps.wait_until_loaded(20)
    assert fine_tuned_month() == "$1,272/mo"
    assert "row 2: 'tuned_output_per_mtok'" in state.problems[0]
    assert state.options.version == "shipped"
    path.write_bytes(team_options("3.40"))
    assert ps.refresh_now(20).problems == ()
    assert fine_tuned_month() == "$2,496/mo"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(columns=["as_of"]), "missing column(s) as_of"),
        (lambda t: t.assign(source=[""] * len(t)), "row 1: 'source' is empty but required"),
        (lambda t: pd.concat([t, t.head(1)]), f"duplicate option_id {shipped_options()['option_id'][0]}"),
    ],
)
def test_load_table_refuses_a_team_table_at_its_first_problem(tmp_path, change, message):
    path = tmp_path / "team.csv"
    change(shipped_options()).to_csv(path, index=False)
    with pytest.raises(DataSchemaError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_table(OPTIONS, str(path))


def test_a_team_prompting_model_table_sets_lifecycle_facts(server):
    facts = pd.read_csv(DATA_DIR / "prompt_models.csv", dtype=str, keep_default_na=False)
    row = facts.index[facts["model_ref"] == LUNA_REF][0]
    facts.loc[row, ["shutdown", "shutdown_source", "source", "as_of"]] = [
        "2026-12-01", "Team notice", "Platform team", "2026-11-30",
    ]  # fmt: skip
    out = io.StringIO()
    facts.to_csv(out, index=False)
    server.replies["/models.csv"] = Reply(out.getvalue().encode())
    state = start(server, models_url="/models.csv")
    assert state.lines()[2].startswith("Prompting-model facts: team table from")
    assert compare(Scenario(), on=dt.date(2026, 12, 3)).prompt_status.state == "shut_down"
    assert compare(Scenario(), on=ON).prompt_status.state != "shut_down"


def test_table_sources_cap_what_they_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (MAX_TABLE_BYTES + 1))
    with pytest.raises(ps.SourceError, match="over 1,000,000 bytes"):
        load_table(OPTIONS, str(path))
    with pytest.raises(ps.SourceError, match="no such file"):
        load_table(OPTIONS, str(tmp_path / "missing.csv"))



def test_cached_analyses_are_kept_per_version_and_the_brief_names_the_prices_in_force(server):
    from ui.analysis import volume_analysis
    from ui.export import build_brief

    before = ps.in_force().version
    shipped = volume_analysis(Scenario(), ON)
    start(server, prices_url="/data.json")
    fresh = volume_analysis(Scenario(), ON)
    assert fresh.summary.monthly_prompting_usd == pytest.approx(2 * shipped.summary.monthly_prompting_usd)
    assert volume_analysis(Scenario(), ON, version=before) is shipped  # a page drawn at the old version stays whole
    sources = " ".join(build_brief(Scenario(), fresh, []).assumptions["source"])
    assert f"genai-prices data updated 14:05 UTC from {server.url('/data.json')}" in sources


def test_a_team_table_is_read_again_on_its_interval(tmp_path):
    path = tmp_path / "team.csv"
    path.write_bytes(team_options("3.40"))
    ps.start(ps.Settings(options_location=str(path), tables_interval_s=1.0), clock=clock)
    ps.wait_until_loaded(20)
    assert fine_tuned_month() == "$2,496/mo"
    source = ps._SOURCES.tables["options"]
    read = source.attempts
    path.write_bytes(team_options("1.70"))
    assert source.wait_for_attempt(read, 10)  # the next read comes from the interval, not from a call here
    assert fine_tuned_month() == "$1,272/mo"


def test_server_options_override_the_environment_and_a_bad_one_stops_the_start(monkeypatch):
    import server

    monkeypatch.setenv(ps.ENV_PRICES_URL, "http://env.internal/data.json")
    options = server.price_options(["--prices-url", "http://127.0.0.1:9/d.json", "--server.port", "1", "--options-file", "t.csv"])
    assert (options["prices_url"], options["options_file"], options["models_url"]) == ("http://127.0.0.1:9/d.json", "t.csv", None)
    with pytest.raises(SystemExit, match=re.escape("server.py: prices interval")):
        server.start_price_sources(["--prices-interval", "-5"])
    assert ps.in_force().refreshing is False


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        ("-5", "input_mtok is -5, below 0"),
        ("1e-320", "input_mtok is 1e-320, above 0 but below the smallest plausible price"),
        ("1e308", "input_mtok is 1e+308, above the maximum 1,000,000"),
        ("NaN", "input_mtok: Input should be a finite number"),
        ("Infinity", "input_mtok: Input should be a finite number"),
    ],
)
def test_a_fetched_price_out_of_bounds_is_refused_whole_naming_source_model_and_field(server, price, reason):
    server.replies["/bad.json"] = Reply(catalogue_priced(price))
    first = start(server, prices_url="/bad.json")  # the first fetch: the bundled prices stay
    assert first.catalogue.version == "bundled" and prompting_month() == "$42.90/mo"
    [note] = first.notes()
    assert "\n" not in note and server.url("/bad.json") in note and f"refused whole: openai:gpt-6-luna {reason}" in note
    server.replies["/bad.json"] = Reply(catalogue_json(2.0))
    assert ps.refresh_now(20).problems == () and prompting_month() == "$85.80/mo"
    server.replies["/bad.json"] = Reply(catalogue_priced(price))
    later = ps.refresh_now(20)  # a later fetch: the last good prices stay
    assert prompting_month() == "$85.80/mo" and reason in later.notes()[0] and "updated 14:05 UTC" in later.lines()[0]


def test_every_price_set_of_every_model_is_bounded_and_probed():
    from genai_prices import data_snapshot
    from genai_prices.types import ModelPrice, Tier, TieredPrices

    from calc.catalogue.price_probe import ImplausiblePriceError, check_snapshot_prices

    snapshot = data_snapshot._bundled_snapshot()
    assert check_snapshot_prices(snapshot) > len([m for p in snapshot.providers for m in p.models])  # dated prices too
    model = next(m for p in snapshot.providers if p.id == "openai" for m in p.models if m.id == "gpt-4o-mini")
    saved = model.prices
    try:
        tiered = TieredPrices(base=Decimal("0.15"), tiers=[Tier(start=128_000, price=Decimal("-1"))])
        model.prices = ModelPrice(input_mtok=tiered, output_mtok=Decimal("0.6"))
        with pytest.raises(ImplausiblePriceError, match="openai:gpt-4o-mini input_mtok is -1, below 0"):
            check_snapshot_prices(snapshot)
        model.prices = ModelPrice(input_mtok=Decimal("0.15"), output_mtok=Decimal("0.6"), requests_kcount=Decimal("2e6"))
        with pytest.raises(ImplausiblePriceError, match="requests_kcount is 2e\\+6, above the maximum 1,000,000"):
            check_snapshot_prices(snapshot)
    finally:
        model.prices = saved


def test_a_source_that_sends_valid_data_slowly_is_given_up_at_the_deadline(server, monkeypatch):
    from calc.catalogue import price_fetch

    monkeypatch.setattr(price_fetch, "FETCH_DEADLINE_S", 1.0)
    server.replies["/slow.json"] = Reply(catalogue_json(2.0), mode="drip", seconds=6)
    began = time.monotonic()
    state = start(server, prices_url="/slow.json")
    assert time.monotonic() - began < 4
    assert prompting_month() == "$42.90/mo"
    [note] = state.notes()
    assert server.url("/slow.json") in note and "did not answer in time: no complete file within 1 s" in note


def test_a_team_table_that_drips_is_given_up_at_the_deadline_too(server, monkeypatch):
    from calc.catalogue import price_fetch

    monkeypatch.setattr(price_fetch, "FETCH_DEADLINE_S", 1.0)
    server.replies["/slow.csv"] = Reply(team_options("3.40"), mode="drip", seconds=6)
    state = start(server, options_url="/slow.csv")
    assert fine_tuned_month() == "$1,272/mo" and "did not answer in time" in state.notes()[0]


def test_waiting_for_a_source_says_which_one_did_not_answer_in_time(server):
    server.replies["/data.json"] = Reply(catalogue_json(2.0), mode="hold")
    ps.start(ps.settings_from({}, prices_url=server.url("/data.json")), clock=clock)
    assert server.holding.wait(10)
    with pytest.raises(ps.SourceError, match=re.escape(f"{server.url('/data.json')} did not answer in time")):
        ps.wait_until_loaded(0.5)
    with pytest.raises(ps.SourceError, match="did not answer in time"):
        ps.refresh_now(0.5)
    server.release.set()
    assert ps.wait_until_loaded(20).catalogue.version != "bundled"  # the held fetch ends here, not in a later test


def test_a_team_table_path_that_is_not_a_regular_file_is_refused_at_once(tmp_path):
    fifo = tmp_path / "team.csv"
    os.mkfifo(fifo)  # nobody writes to it: opening it to read would wait forever
    began = time.monotonic()
    with pytest.raises(ps.SourceError, match="a FIFO \\(named pipe\\), not a file"):
        load_table(OPTIONS, str(fifo))
    with pytest.raises(ps.SourceError, match="a directory, not a file"):
        load_table(OPTIONS, str(tmp_path))
    ps.start(ps.settings_from({}, options_file=str(fifo)), clock=clock)
    state = ps.wait_until_loaded(5)
    assert time.monotonic() - began < 3
    assert state.options.version == "shipped" and "FIFO" in state.problems[0]
