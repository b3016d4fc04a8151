"""`compare` and `prices --check` with the team's price sources (`--prices-url`, `--options-url`/`--options-file`)
against a loopback server: a script answers with the fetched prices, or fails in one line; a team table is checked
before it is published."""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.cli.test_cli import assert_one_error_line, run, run_many
from tests.price_server import PriceServer, Reply, catalogue_json, catalogue_priced, team_options, team_options_without

ON = "2026-11-29"


@pytest.fixture(scope="module")
def server():
    with PriceServer() as running:
        running.replies["/data.json"] = Reply(catalogue_json(2.0))
        running.replies["/broken.json"] = Reply(catalogue_json(2.0), mode="truncated")
        running.replies["/huge.json"] = Reply(mode="huge")
        running.replies["/team.csv"] = Reply(team_options("3.40"))
        running.replies["/bad.csv"] = Reply(team_options("3.40", malformed_row=3))
        running.replies["/negative.json"] = Reply(catalogue_priced("-5"))
        running.replies["/tiny.json"] = Reply(catalogue_priced("1e-320"))
        yield running


def test_compare_answers_with_the_fetched_prices_and_the_team_table(server):
    sources = ("--prices-url", server.url("/data.json"), "--options-url", server.url("/team.csv"))
    bundled, fetched, text = run_many(
        (("compare", "--on", ON, "--json"), None),
        (("compare", "--on", ON, "--json", *sources), None),
        (("compare", "--on", ON, "--prices-url", server.url("/data.json")), None),
    )
    assert bundled.returncode == fetched.returncode == text.returncode == 0, fetched.stderr + text.stderr
    before, after = json.loads(bundled.stdout), json.loads(fetched.stdout)
    assert after["metrics"]["Prompting per month"] == "$85.80/mo" != before["metrics"]["Prompting per month"] == "$42.90/mo"
    assert after["monthly_prompting_usd"] == pytest.approx(2 * before["monthly_prompting_usd"])
    assert after["metrics"]["Fine-tuned per month"] == "$2,496/mo"
    assert after["prompting_source"]["catalogue"].startswith("genai-prices data updated ")
    assert server.url("/data.json") in after["prompting_source"]["catalogue"]
    assert after["fine_tuning_source"]["source"] == "Platform team negotiated rate"
    assert before["prompting_source"]["catalogue"] == "genai-prices 0.2.5, bundled snapshot of 2026-12-06"
    assert f"from {server.url('/data.json')}" in text.stdout and text.stderr == ""


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--prices-url", "/missing.json"), "HTTP 404"),
        (("--prices-url", "/broken.json"), "peer closed connection"),
        (("--prices-url", "/huge.json"), "over 10,000,000 bytes"),
        (("--options-url", "/bad.csv"), "row 3: 'tuned_output_per_mtok' is 'twelve'"),
        (("--prices-url", "/negative.json"), "refused whole: openai:gpt-6-luna input_mtok is -5, below 0"),
        (("--prices-url", "/tiny.json"), "refused whole: openai:gpt-6-luna input_mtok is 1e-320"),
    ],
    ids=["404", "truncated", "50MB", "malformed-table", "negative-price", "denormal-price"],
)
def test_compare_fails_in_one_line_when_a_source_cannot_be_used(server, args, fragment):
    flag, path = args
    assert_one_error_line(run("compare", "--on", ON, flag, server.url(path)), 2, fragment, server.url(path))


def test_compare_refuses_an_options_file_that_is_a_fifo_at_once(tmp_path):
    fifo = tmp_path / "team.csv"
    os.mkfifo(fifo)  # nobody writes to it
    began = time.monotonic()
    assert_one_error_line(run("compare", "--on", ON, "--options-file", str(fifo)), 2, f"{fifo}: a FIFO (named pipe), not a file")
    assert time.monotonic() - began < 20


def test_compare_says_a_source_that_drips_did_not_answer_in_time(server, monkeypatch, capsys):
    """In-process, with a 1-second deadline for the download: a source that sends valid data over 6 s is an error."""
    from calc.catalogue import price_fetch
    from calc.catalogue import price_sources as ps
    from calc.cli.commands import main

    monkeypatch.setattr(price_fetch, "FETCH_DEADLINE_S", 1.0)
    server.replies["/slow.json"] = Reply(catalogue_json(2.0), mode="drip", seconds=6)
    ps.stop()
    try:
        began = time.monotonic()
        status = main(["compare", "--on", ON, "--prices-url", server.url("/slow.json")])
        took = time.monotonic() - began
    finally:
        ps.stop()
    out, err = capsys.readouterr()
    assert status == 2 and out == "" and took < 5
    assert err.count("\n") == 1 and f"{server.url('/slow.json')} failed" in err and "did not answer in time" in err


def test_compare_says_a_source_that_never_loads_did_not_answer_in_time(server, monkeypatch, capsys):
    """The command's own wait is honoured: a source still loading when it ends is named, never priced around."""
    from calc.catalogue import price_sources as ps
    from calc.cli import sources
    from calc.cli.commands import main

    monkeypatch.setattr(sources, "WAIT_S", 0.5)
    server.replies["/held.json"] = Reply(catalogue_json(2.0), mode="hold")
    ps.stop()
    try:
        status = main(["compare", "--on", ON, "--prices-url", server.url("/held.json")])
    finally:
        server.release.set()
        ps.wait_until_loaded(20)  # the held fetch ends before the next test: its prices never outlive this one
        ps.stop()
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert f"{server.url('/held.json')} did not answer in time (nothing loaded within 0.5 s)" in err


def test_compare_refuses_a_setting_that_is_not_a_url():
    assert_one_error_line(run("compare", "--prices-url", "file:///etc/passwd"), 2, "not an http(s) URL")


def test_prices_check_refuses_a_malformed_team_table_and_passes_a_good_one(server, tmp_path):
    good_file = tmp_path / "team.csv"
    good_file.write_bytes(team_options("3.40"))
    bad, good, from_file, missing = run_many(
        (("prices", "--check", "--on", ON, "--options-url", server.url("/bad.csv")), None),
        (("prices", "--check", "--on", ON, "--options-url", server.url("/team.csv"), "--json"), None),
        (("prices", "--check", "--on", ON, "--options-file", str(good_file)), None),
        (("prices", "--check", "--on", ON, "--options-file", str(tmp_path / "nope.csv")), None),
    )
    assert bad.returncode == 1
    assert "HARD" in bad.stdout and "refused whole" in bad.stdout and "row 3: 'tuned_output_per_mtok'" in bad.stdout
    assert good.returncode == from_file.returncode == 0, good.stdout + from_file.stdout
    assert json.loads(good.stdout)["n_hard"] == 0
    assert_one_error_line(missing, 2, "no such file")


def test_prices_check_refuses_a_team_table_that_compare_and_routes_would_refuse(tmp_path):
    """Without the default option a table once passed the check while compare and routes exited 2: now the check,
    compare and the server refuse it for the same reason, in the same words."""
    path = tmp_path / "team.csv"
    path.write_bytes(team_options_without())
    check, compared, ranked = run_many(
        (("prices", "--check", "--on", ON, "--options-file", str(path)), None),
        (("compare", "--on", ON, "--options-file", str(path)), None),
        (("routes", "--on", ON, "--options-file", str(path)), None),
    )
    reason = "no 'azure-gpt-4.1-mini' row, the app's default option"
    assert check.returncode == 1 and "HARD" in check.stdout
    assert f"refused whole: fine-tuning options table {path}: {reason}" in check.stdout
    assert_one_error_line(compared, 2, reason, str(path))
    assert_one_error_line(ranked, 2, reason, str(path))


def test_prices_check_prices_the_default_scenario_with_the_tables_as_compare_does(server, monkeypatch, tmp_path, capsys):
    """A table every check passes but the model cannot price is a hard finding, not a silent pass (in-process: the
    model is made to refuse the team's table)."""
    import calc.api
    from calc.catalogue import price_sources as ps
    from calc.cli.commands import main

    path = tmp_path / "team.csv"
    path.write_bytes(team_options("3.40"))
    real = calc.api.routes

    def refusing(scenario, *, on):
        if ps.in_force().options.version != "shipped":
            raise ValueError("a price the model refuses")
        return real(scenario, on=on)

    monkeypatch.setattr(calc.api, "routes", refusing)
    ps.stop()
    try:
        status = main(["prices", "--check", "--on", ON, "--options-file", str(path)])
    finally:
        ps.stop()
    out = capsys.readouterr().out
    assert status == 1 and "compare and routes cannot price the default scenario: a price the model refuses" in out
