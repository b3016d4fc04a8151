"""`compare` and `routes` with the work before training, the teacher and the latency target (issue 22)."""

import json

import pytest

from tests.cli.test_cli import assert_one_error_line, run_many

ON = "2026-12-03"
LABELLED = ("--option", "bedrock-nova-micro", "--data-cost-per-example", "2", "--on", ON)


def test_compare_and_routes_give_the_acceptance_breakeven():
    text, data, ranked = run_many(
        (("compare", *LABELLED), None),
        (("compare", *LABELLED, "--json"), None),
        (("routes", *LABELLED, "--json", "--top", "3"), None),
    )
    assert text.returncode == data.returncode == ranked.returncode == 0, text.stderr + data.stderr + ranked.stderr
    # Prompting GPT-6 Luna now counts its 76 default reasoning tokens ($11.40/mo at 10,000/day), so Nova Micro saves
    # $36.75/mo, not $25.35: breakeven 2,000.50 / 36.75 = 54.4 months (78.9 without reasoning).
    assert "Breakeven                54.4 months" in text.stdout
    assert "Work before training     $2,000" in text.stdout
    assert "Breakeven counts training + $2,000 work before it (labels by hand $2,000 (1,000 x $2.00))." in text.stdout
    assert "Latency: Your 600 example tokens add about 30-144 ms" in text.stdout
    assert text.stdout.count("  measured: ") == 5
    result = json.loads(data.stdout)
    assert result["breakeven_months"] == pytest.approx(2_000.5 / 36.75)
    assert result["work_metrics"]["ROI over 12 months"] == "-78% (net -$1,560)"  # 12 x 36.75 - 2,000.50
    nova = next(r for r in json.loads(ranked.stdout)["routes"] if r["id"] == "fine_tune:bedrock-nova-micro")
    assert nova["breakeven_months"] == pytest.approx(result["breakeven_months"])
    assert nova["one_off_usd"] == pytest.approx(2_000.5) and nova["work_before_training_usd"] == 2_000


def test_a_teacher_labels_the_data_and_its_terms_are_cited():
    done = run_many((("compare", *LABELLED, "--labelling", "teacher", "--json"), None))[0]
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # 1,000 batched GPT-6 Luna requests: $0.0525 for their tokens + 76 reasoning tokens each at the batch output
    # price ($0.25 per 1M): $0.019 more
    assert result["work_before_training_usd"] == pytest.approx(0.0715, rel=1e-3)
    assert "by hand $2,000; by OpenAI GPT-6 Luna $0.07" in result["labelling_choice"]
    assert "OpenAI Terms of Use" in result["teacher_terms"]


def test_routes_marks_routes_that_miss_the_latency_target():
    done = run_many((("routes", "--ttft-target-ms", "30", "--on", ON, "--top", "40"), None))[0]
    assert done.returncode == 0, done.stderr
    assert "(misses target)" in done.stdout and "added to first token" in done.stdout
    assert "Target 30 ms to first token: prompting misses on prefill alone." in done.stdout


def test_an_unusable_labelling_is_one_error_line():
    done = run_many((("compare", "--labelling", "crowd", "--on", ON), None))[0]
    assert_one_error_line(done, 2, "labelling", "crowd")
