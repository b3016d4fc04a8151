"""`calc eval`, and `compare`/`routes` with --eval-results and --error-cost (issue 28), from a shell."""

import json

import pytest

from tests.cli.test_cli import assert_one_error_line, run, run_many

ISSUE = ("--requests-per-day", "20000", "--prompt-model", "anthropic:claude-sonnet-5", "--option", "bedrock-nova-micro",
         "--examples", "8", "--on", "2026-12-06")  # fmt: skip


def paired_csv(tmp_path, tuned_right: int = 380, prompted_right: int = 340, n: int = 400):
    rows = ["route,example_id,score"]
    rows += [f"bedrock-nova-micro,{i},{int(i < tuned_right)}" for i in range(n)]
    rows += [f"anthropic:claude-sonnet-5,{i},{int(i < prompted_right)}" for i in range(n)]
    path = tmp_path / "eval.csv"
    path.write_text("\n".join(rows))
    return str(path)


def test_eval_reports_accuracies_intervals_and_the_exact_test(tmp_path):
    path = paired_csv(tmp_path)
    as_json, as_text = run_many((("eval", path, "--json"), None), (("eval", path), None))
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    accuracy = {row["route"]: row for row in report["routes"]}
    nova = accuracy["fine_tune:bedrock-nova-micro"]
    assert nova["accuracy"] == 0.95 and nova["method"] == "Wilson score"
    # Wilson 380/400: centre (0.95 + z^2/800) / (1 + z^2/400) = 0.94571, half-width 0.02168
    assert (round(nova["low"], 4), round(nova["high"], 4)) == (0.924, 0.9674)
    pair = report["pairs"][0]
    assert {pair["first_only"], pair["second_only"]} == {40, 0}
    assert pair["p_value"] == 2 / 2**40  # exact McNemar: 2 x P(X = 0), X ~ Binomial(40, 1/2)
    assert [s["gap_points"] for s in report["sample_sizes"]] == [3.0, 5.0]
    assert as_text.returncode == 0 and "exact McNemar p < 0.001 on 400 shared examples" in as_text.stdout
    assert "a 5-point gap:" in as_text.stdout


def test_compare_without_an_eval_measures_first_and_with_one_fine_tunes(tmp_path):
    plain, measured = run_many(
        (("compare", *ISSUE, "--json"), None), (("compare", *ISSUE, "--json", "--eval-results", paired_csv(tmp_path)), None)
    )
    before, after = json.loads(plain.stdout)["verdict"], json.loads(measured.stdout)["verdict"]
    # $2,754 with Claude Sonnet 5 priced in its own tokens (issue 30; $1,682 in o200k_base tokens)
    assert before["action"] == "measure first" and "$2,754/mo cheaper" in before["sentence"]
    assert all({"kind", "text", "value", "unit", "source"} <= set(reason) for reason in before["reasons"])
    assert after["action"] == "fine-tune" and after["sentence"].startswith("Bedrock Nova Micro is better than")


def test_routes_adds_each_routes_wrong_answers_at_the_error_cost(tmp_path):
    path = paired_csv(tmp_path)
    done = run("routes", *ISSUE, "--json", "--eval-results", path, "--error-cost", "0.5", "--sort", "total")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    rows = {row["id"]: row for row in data["routes"]}
    nova = rows["fine_tune:bedrock-nova-micro"]
    # 600,000 requests a month x 5% wrong x $0.50 = $15,000 on top of its monthly cost
    assert nova["quality"]["source"] == "measured" and nova["quality"]["accuracy"] == 95.0
    assert nova["total_monthly_usd"] == pytest.approx(nova["monthly_usd"] + 15_000)
    assert nova["error_cost_usd"]["low"] < 15_000 < nova["error_cost_usd"]["high"]
    luna = rows["prompt:openai:gpt-6-luna"]
    assert luna["quality"]["source"] == "prior"
    totals = [row["total_monthly_usd"] for row in data["routes"] if row["total_monthly_usd"] is not None]
    assert totals == sorted(totals) and data["sort"] == "total" and data["verdict"]["action"] == "fine-tune"


def test_a_bad_eval_file_is_one_error_line_naming_its_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("route,example_id,score\nbedrock-nova-micro,1,1\nnope,1,1\n")
    assert_one_error_line(run("eval", str(bad)), 2, "bad.csv", "line 3: unknown route 'nope'")
    assert_one_error_line(run("compare", "--eval-results", str(bad)), 2, "line 3: unknown route")
