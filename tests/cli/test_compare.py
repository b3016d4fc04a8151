"""`python -m calc compare` and `prices --check` run as a user runs them (a subprocess from the repository root),
checked against the Python API and, for a link, against the home page's own metrics (AppTest).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from calc.api import compare, scenario_from_link
from tests.cli.test_cli import ROOT, assert_one_error_line, run, run_many

ON = "2026-11-29"
ACCEPTANCE = "?prompt_model=openai:gpt-6-luna&option=azure-gpt-4.1-mini"
ARTICLE = "?option=openai-gpt-4o-mini&pricing=article"
HOME_LABELS = ("Prompting per month", "Fine-tuned per month", "Training cost (one run)", "Breakeven")


def compare_json(*args: str) -> dict:
    """`compare ARGS --json` parsed; the run must succeed."""
    done = run("compare", *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_acceptance_link_flags_and_file_give_the_same_figures(tmp_path: Path) -> None:
    scenario_file = tmp_path / "meeting.json"
    scenario_file.write_text(json.dumps({"prompt_model": "openai:gpt-6-luna", "option": "azure-gpt-4.1-mini"}))
    link, flags, from_file, as_text = run_many(
        (("compare", "--link", f"http://localhost:8501/{ACCEPTANCE}", "--on", ON, "--json"), None),
        (("compare", "--prompt-model", "openai:gpt-6-luna", "--option", "azure-gpt-4.1-mini", "--on", ON, "--json"), None),
        (("compare", "--scenario", str(scenario_file), "--on", ON, "--json"), None),
        (("compare", "--link", ACCEPTANCE, "--on", ON), None),
    )
    for done in (link, flags, from_file, as_text):
        assert done.returncode == 0, done.stderr
    result = json.loads(link.stdout)
    assert result["monthly_prompting_usd"] == pytest.approx(31.5)
    assert result["monthly_fine_tuned_usd"] == pytest.approx(1272.0)
    assert result["breakeven_months"] is None and result["breakeven_text"] == "never"
    assert result["metrics"]["Breakeven"] == "never" and result["metrics"]["Monthly savings"] == "-$1,240/mo"
    assert result["on"] == ON and result["prompting_source"]["on"] == ON
    assert result["fine_tuning_source"]["confidence"] in ("confirmed", "secondary", "unverified")
    assert result["prompt_status"]["state"] == "open" and result["option_status"]["headline"]
    assert json.loads(flags.stdout) == result == json.loads(from_file.stdout)
    expected = {**compare(scenario_from_link(ACCEPTANCE), on=dt.date(2026, 11, 29)).to_dict(), "pair_note": None}
    assert result == json.loads(json.dumps(expected))
    for label, value in result["metrics"].items():
        assert f"{label}  " in as_text.stdout and value in as_text.stdout
    assert "Breakeven                never" in as_text.stdout
    assert "prices as of 2026-11-29" in as_text.stdout and "Sources:" in as_text.stdout


def test_the_article_link_reproduces_the_articles_savings() -> None:
    result = compare_json("--link", ARTICLE, "--on", ON)
    assert result["monthly_savings_usd"] == pytest.approx(54.0)
    assert result["monthly_prompting_usd"] == pytest.approx(45.0)
    assert result["metrics"]["Monthly savings (article)"] == "$54.00/mo"
    assert result["scenario"]["prompt_model"] == "openai:gpt-4o-mini"  # an old link prompts the option's base model
    assert result["real_savings_usd"] == pytest.approx(45.0 - result["monthly_fine_tuned_usd"])


def test_flags_override_the_link_and_the_file(tmp_path: Path) -> None:
    scenario_file = tmp_path / "scenario.json"
    scenario_file.write_text(json.dumps({"requests_per_day": 50000, "caching": True, "training_price": None, "examples": 8}))
    file_over_link_args = ("compare", "--link", "?requests_per_day=20", "--scenario", str(scenario_file), "--examples", "3")
    link_only, overridden, file_over_link = run_many(
        (("compare", "--link", "?requests_per_day=50000&examples=8", "--on", ON, "--json"), None),
        (("compare", "--link", "?requests_per_day=50000&examples=8", "--requests-per-day", "100000", "--on", ON, "--json"), None),
        ((*file_over_link_args, "--on", ON, "--json"), None),
    )
    assert json.loads(link_only.stdout)["scenario"]["requests_per_day"] == 50_000
    result = json.loads(overridden.stdout)
    assert (result["scenario"]["requests_per_day"], result["scenario"]["examples"]) == (100_000, 8)
    assert result["band"] == ">100,000"
    result = json.loads(file_over_link.stdout)
    assert (result["scenario"]["requests_per_day"], result["scenario"]["examples"]) == (50_000, 3)
    assert result["scenario"]["caching"] is True


def test_another_date_changes_the_status() -> None:
    today, later = run_many(
        (("compare", "--link", "?option=openai-gpt-4o-mini", "--on", ON, "--json"), None),
        (("compare", "--link", "?option=openai-gpt-4o-mini", "--on", "2027-02-01", "--json"), None),
    )
    before, after = json.loads(today.stdout), json.loads(later.stdout)
    assert before["option_status"]["state"] != "shut_down"
    assert after["option_status"]["state"] == "shut_down"
    assert after["option_status"]["headline"] == "shut down 2027-01-14"
    assert after["prompt_status"]["state"] == "shut_down" and after["on"] == "2027-02-01"


def test_an_option_flag_keeps_the_default_prompting_model_and_an_old_link_says_what_it_did() -> None:
    # Issue 29, item 10: `--option selfhosted-llama-3.1-8b` used to switch prompting to the option's base model silently
    # (the old-link rule), while `--option bedrock-nova-micro` kept GPT-6 Luna. Flags keep the default; only a link
    # naming a pre-2026-11 option alone prompts its base model, and both say what was done.
    flag, link, text = run_many(
        (("compare", "--option", "selfhosted-llama-3.1-8b", "--on", "2026-12-06", "--json"), None),
        (("compare", "--link", "?option=selfhosted-llama-3.1-8b", "--on", "2026-12-06", "--json"), None),
        (("routes", "--option", "bedrock-nova-micro", "--on", "2026-12-06", "--top", "1"), None),
    )
    by_flag, by_link = json.loads(flag.stdout), json.loads(link.stdout)
    assert by_flag["prompt_model"] == "openai:gpt-6-luna" and "the default" in by_flag["pair_note"]
    assert by_link["prompt_model"] == "together:meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"
    assert "pre-2026-11 option (selfhosted-llama-3.1-8b)" in by_link["pair_note"] and by_link["same_base_model"]
    assert text.stdout.startswith("Note: No prompting model given: prompting openai:gpt-6-luna")
    both = compare_json("--prompt-model", "openai:gpt-6-luna", "--option", "bedrock-nova-micro", "--on", "2026-12-06")
    assert both["pair_note"] is None


def test_an_unpublished_training_price_is_unknown_not_zero() -> None:
    unknown, entered = run_many(
        (("compare", "--option", "vertex-gemini-3.5-flash", "--on", ON, "--json"), None),
        (("compare", "--option", "vertex-gemini-3.5-flash", "--training-price", "4", "--on", ON, "--json"), None),
    )
    result = json.loads(unknown.stdout)
    assert result["training_usd"] is None and result["breakeven_months"] is None
    assert result["breakeven_text"] == "unknown: enter the training price"
    assert result["metrics"]["Training cost (one run)"] == "not published: enter it"
    assert json.loads(entered.stdout)["metrics"]["Training cost (one run)"].endswith("(entered price)")


def test_prices_check_for_a_fixed_date() -> None:
    as_text, as_json = run_many((("prices", "--check", "--on", ON), None), (("prices", "--check", "--on", ON, "--json"), None))
    assert as_text.returncode == 0, as_text.stderr
    assert as_text.stdout.splitlines()[-1].endswith(f"0 hard, on {ON}")
    result = json.loads(as_json.stdout)
    assert as_json.returncode == 0 and result["n_hard"] == 0 and result["on"] == ON
    assert len(result["findings"]) == result["n_findings"]


def test_bad_input_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "typo.json").write_text('{"request_per_day": 5000}')
    (tmp_path / "broken.json").write_text('{"examples": 3,\n "option": }')
    cases = [
        (("compare", "--prompt-model", "nosuch:model"), "'prompt_model'"),
        (("compare", "--option", "nope"), "'option' is 'nope', not a known fine-tuning option"),
        (("compare", "--link", "http://[::1"), "malformed link"),
        (("compare", "--link", "requests_per_day"), "malformed link"),
        (("compare", "--link", "?requests_per_day=5&examples=x"), "'requests_per_day' is 5, outside 10-1,000,000; 'examples'"),
        (("compare", "--scenario", str(tmp_path / "missing.json")), "no such file"),
        (("compare", "--scenario", str(tmp_path)), "directory"),
        (("compare", "--scenario", str(tmp_path / "list.json")), "JSON object"),
        (("compare", "--scenario", str(tmp_path / "typo.json")), "unknown scenario key 'request_per_day'"),
        (("compare", "--scenario", str(tmp_path / "broken.json")), "malformed JSON on line 2"),
        (("compare", "--on", "2027-13-01"), "not a date"),
        (("compare", "--on", "1999-01-01"), "outside the dates the bundled genai-prices"),
        (("compare", "--on", "2999-01-01"), "outside the dates the bundled genai-prices"),
        (("prices", "--check", "--on", "tomorrow"), "not a date"),
        (("prices",), "--check"),
    ]
    runs = run_many(*((args, None) for args, _ in cases))
    for done, (_, fragment) in zip(runs, cases, strict=True):
        assert_one_error_line(done, 2, fragment)


def test_the_python_api_exports_and_loads_lazily() -> None:
    import calc

    exports = ["Scenario", "compare", "Comparison", "scenario_from_link", "count_tokens", "count_chat_tokens", "analyze_jsonl",
               "routes", "Ranking", "evaluate", "read_eval_results"]  # fmt: skip
    assert sorted(calc.__all__) == sorted([*exports, "check_prices"])
    assert all(callable(getattr(calc, name)) for name in calc.__all__)
    code = "import sys, calc; print(sorted(m for m in ('tiktoken', 'genai_prices', 'streamlit', 'calc.api') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    code = "import sys, calc.api, calc.cli.compare; print('streamlit' in sys.modules, 'ui' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False False", done.stderr


@pytest.mark.parametrize(
    "query",
    [
        {"prompt_model": "openai:gpt-6-luna", "option": "azure-gpt-4.1-mini"},
        {"option": "openai-gpt-4o-mini", "pricing": "article"},
        {"option": "vertex-gemini-3.5-flash", "requests_per_day": "50000", "examples": "8"},
    ],
    ids=["acceptance", "article", "no-training-price"],
)
def test_a_links_compare_equals_the_home_pages_metrics(query: dict[str, str]) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    page_metrics = {metric.label: metric.value for metric in at.metric}
    article = query.get("pricing") == "article"
    labels = [label + (" (article)" if label == "Breakeven" and article else "") for label in HOME_LABELS]
    assert set(labels) <= set(page_metrics)
    # The CLI is asked for the day the page says it priced ("prices as of ..."), so this test reads no clock.
    shown = next(m.value for m in at.markdown if "prices as of" in m.value)
    on = re.search(r"prices as of (\d{4}-\d{2}-\d{2})", shown).group(1)
    link = "http://localhost:8501/?" + "&".join(f"{key}={value}" for key, value in query.items())
    done = run("compare", "--link", link, "--on", on, "--json")
    assert done.returncode == 0, done.stderr
    cli_metrics = json.loads(done.stdout)["metrics"]
    assert cli_metrics == {label: page_metrics[label] for label in cli_metrics}


def test_the_console_script_is_installed_by_the_setup() -> None:
    """scripts/setup.sh puts `prompt-or-finetune` next to the venv's python, as README's commands expect."""
    script = Path(sys.executable).parent / "prompt-or-finetune"
    assert script.exists(), "run bash scripts/setup.sh"
    done = subprocess.run([str(script), "compare", "--on", "2026-11-29", "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["monthly_prompting_usd"] == pytest.approx(31.5)


def test_the_prompting_models_lifecycle_reaches_the_command_line() -> None:
    """Issue 21's acceptance: a shut-down model says so, one about to shut down warns with the date."""
    shut, soon, retired = run_many(
        (("compare", "--prompt-model", "openai:o4-mini", "--on", "2026-12-03"), None),
        (("compare", "--prompt-model", "openai:o3", "--on", "2026-12-03", "--json"), None),
        (
            ("compare", "--prompt-model", "azure:gpt-4.1-mini", "--option", "azure-gpt-4.1-mini", "--on", "2027-05-01", "--json"),
            None,
        ),
    )
    assert shut.returncode == 0, shut.stderr
    verdict, _, pair_line = shut.stdout.splitlines()[:3]
    assert verdict.startswith("Verdict: Measure first: prompting OpenAI o4 Mini High is shut down 2026-10-23 (successor")
    assert "(shut down 2026-10-23)" in pair_line
    assert re.search(r"prompting\s+NOT USABLE: OpenAI o4 Mini High: shut down 2026-10-23", shut.stdout)
    warned = json.loads(soon.stdout)["prompt_status"]
    assert (warned["state"], warned["severity"], warned["headline"]) == ("open", "warning", "shuts down 2026-12-11")
    retired_status = json.loads(retired.stdout)["prompt_status"]
    assert (retired_status["state"], retired_status["headline"]) == ("shut_down", "shut down 2027-04-14")


def test_routes_ranks_every_route_as_the_page_and_compare_price_them() -> None:
    done = run("routes", "--on", "2026-12-03", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    ids = [route["id"] for route in data["routes"]]
    assert data["cheapest_route"] == ids[0] == "fine_tune:bedrock-nova-micro"
    nova = data["routes"][0]
    assert round(nova["monthly_usd"], 2) == 6.15 and nova["one_off_usd"] == 0.5 and nova["usable"]
    assert "fine_tune:openai-gpt-4o-mini" not in ids  # closed to new customers: hidden unless --all
    assert all(route["usable"] or route["role"] for route in data["routes"])
    compared = json.loads(run("compare", "--option", "together-lora-17-69b", "--on", "2026-12-03", "--json").stdout)
    together = next(route for route in data["routes"] if route["id"] == "fine_tune:together-lora-17-69b")
    assert together["monthly_usd"] == pytest.approx(compared["monthly_fine_tuned_usd"])
    everything = json.loads(run("routes", "--on", "2026-12-03", "--json", "--all").stdout)
    assert "fine_tune:openai-gpt-4o-mini" in [route["id"] for route in everything["routes"]]


def test_routes_text_top_and_caveats() -> None:
    done = run("routes", "--link", "?requests_per_day=1000000&output_tokens=1000", "--top", "3", "--on", "2026-12-03")
    assert done.returncode == 0, done.stderr
    table = done.stdout.split("\n\n")[1].splitlines()
    assert table[0].startswith("rank") and len(table) == 4
    assert "A different model is not the same quality" in done.stdout
    assert "source:" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--top", "0"], "outside 1-1,000"),
        (["--top", "many"], "not a whole number"),
        (["--link", "?requests_per_day=5"], "unusable scenario"),
        (["--on", "1999-01-01"], "--on"),
        (["--option", "nope"], "unusable scenario"),
    ],
)
def test_routes_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    done = run("routes", *args)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_compare_withholds_live_figures_for_a_shut_down_pair_and_prints_the_caveats() -> None:
    done = run("compare", "--link", "?option=openai-gpt-4o-mini", "--on", "2027-02-01")
    assert done.returncode == 0, done.stderr
    assert "~1 day" not in done.stdout and "You are above it" not in done.stdout
    assert "Not usable on 2027-02-01" in done.stdout and "successor: azure-gpt-4.1-mini" in done.stdout
    data = json.loads(run("compare", "--link", "?option=openai-gpt-4o-mini", "--on", "2027-02-01", "--json").stdout)
    assert data["breakeven_months"] is None and data["crossover_requests_per_day"] is None and data["withheld"]
    provisioned = run("compare", "--option", "bedrock-claude-3-haiku", "--caching", "--pricing", "article", "--on", "2026-08-01")
    assert "Caveats:" in provisioned.stdout
    assert "leaves it out and is a lower bound" in provisioned.stdout
    assert "Prompt caching is ignored under the article convention" in provisioned.stdout


def test_gpu_sizing_hosting_terms_and_labels_on_the_command_line() -> None:
    sized, scaled, impossible = run_many(
        (("compare", "--option", "together-lora-up-to-16b", "--requests-per-day", "1000000", "--instruction-tokens",
          "8000", "--output-tokens", "10", "--on", ON), None),
        (("compare", "--option", "fireworks-up-to-16b", "--active-hours", "8", "--finetunes-per-deployment", "10",
          "--on", ON), None),
        (("compare", "--training-examples", "0", "--on", ON, "--json"), None),
    )  # fmt: skip
    for done in (sized, scaled, impossible):
        assert done.returncode == 0, done.stderr
    assert "Hosting: 9 x H100 SXM 80GB at $3.99/hour, always on, sized for 3x peak traffic" in sized.stdout
    assert "(bounded by prefill)" in sized.stdout
    # $8/h x 8 h x 30 days / 10 fine-tunes sharing the deployment = $192
    assert "Fine-tuned per month     $192.00/mo" in scaled.stdout
    assert "billed 8 h/day (per-second billing, scales to zero" in scaled.stdout and "shared by 10 fine-tunes" in scaled.stdout
    result = json.loads(impossible.stdout)
    assert result["metrics"]["Training cost (one run)"] == "not possible: needs at least 10 training examples"
    assert result["metrics"]["Breakeven"] == result["metrics"]["Training cost (one run)"]
    assert result["crossover_text"].startswith("No crossover: training is not possible")
