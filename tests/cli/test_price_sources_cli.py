"""`compare` and `prices --check` with the team's price sources (`--prices-url`, `--options-url`/`--options-file`)
against a loopback server: a script answers with the fetched prices, or fails in one line; a team table is checked
before it is published."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import assert_one_error_line, run, run_many
from tests.price_server import PriceServer, Reply, catalogue_json, team_options

ON = "2026-11-29"


@pytest.fixture(scope="module")
def server():
    with PriceServer() as running:
        running.replies["/data.json"] = Reply(catalogue_json(2.0))
        running.replies["/broken.json"] = Reply(catalogue_json(2.0), mode="truncated")
        running.replies["/huge.json"] = Reply(mode="huge")
        running.replies["/team.csv"] = Reply(team_options("3.40"))
        running.replies["/bad.csv"] = Reply(team_options("3.40", malformed_row=3))
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
    assert after["metrics"]["Prompting per month"] == "$63.00/mo" != before["metrics"]["Prompting per month"] == "$31.50/mo"
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
    ],
    ids=["404", "truncated", "50MB", "malformed-table"],
)
def test_compare_fails_in_one_line_when_a_source_cannot_be_used(server, args, fragment):
    flag, path = args
    assert_one_error_line(run("compare", "--on", ON, flag, server.url(path)), 2, fragment)


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
