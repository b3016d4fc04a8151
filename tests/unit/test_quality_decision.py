import datetime as dt

import pytest

from calc.article.decision import decisive_dimensions, mistake_risks, training_size_band, walk
from calc.article.quality import error_value_per_month, expected_gain, monthly_benefit, task_quality
from calc.catalogue.options import get_option
from calc.catalogue.tables import load_article_table
from calc.costs.pair import hybrid_monthly, resolve_pair, summarize
from calc.scenario import Scenario
from ui.decision_diagram import decision_dot

TODAY = dt.date(2026, 11, 28)


def test_quality_table_is_the_articles():
    assert task_quality("style")["prompting_low"] == 70 and task_quality("style")["fine_tuned_high"] == 94
    assert expected_gain("reasoning").low == -5 and expected_gain("reasoning").high == -2
    assert len(load_article_table("quality")) == 10
    with pytest.raises(ValueError, match="Unknown task 'poetry'"):
        task_quality("poetry")


def test_error_value_arithmetic_with_ranges():
    scenario = Scenario(requests_per_day=10_000, task="sentiment", error_cost=0.10)
    # 300,000 requests x 3..6 points x $0.10
    assert error_value_per_month(scenario) == pytest.approx((900.0, 1_350.0, 1_800.0))
    reasoning = Scenario(task="reasoning", error_cost=1.0)
    low, mid, high = error_value_per_month(reasoning)
    assert low == pytest.approx(-15_000) and high == pytest.approx(-6_000) and low < mid < high
    assert error_value_per_month(Scenario(error_cost=0)) == (0, 0, 0)


ARTICLE_PAIR = {"option": "openai-gpt-4o-mini", "prompt_model": "openai:gpt-4o-mini"}


def summary_of(scenario: Scenario):
    return summarize(scenario, resolve_pair(scenario, None, TODAY))


def test_benefit_and_breakeven_include_error_value():
    scenario = Scenario(error_cost=0.01, **ARTICLE_PAIR)
    benefit = monthly_benefit(scenario, summary_of(scenario))
    assert benefit.total.mid == pytest.approx(9 + 300_000 * 4.5 / 100 * 0.01)
    assert benefit.breakeven_months[1] == pytest.approx(2.25 / benefit.total.mid)
    losing = Scenario(task="reasoning", error_cost=1.0, **ARTICLE_PAIR)
    assert monthly_benefit(losing, summary_of(losing)).breakeven_months == (None, None, None)


def _path(decision):
    return [(s.number, s.answer) for s in decision.steps]


def measured_gap(tuned_right: int, prompted_right: int, n: int = 400):
    """The pair's gap as an eval of `n` examples per route measures it (typed counts: unpaired)."""
    from calc.quality.evals import typed_counts
    from calc.quality.report import evaluate
    from calc.quality.route_quality import pair_gap

    results = typed_counts([("prompt:p", prompted_right, n), ("fine_tune:t", tuned_right, n)])
    return pair_gap("prompt:p", "fine_tune:t", False, "multi_label", 1_000, evaluate(results), results)


@pytest.mark.parametrize(
    ("overrides", "eval_gap", "path", "recommendation"),
    [
        ({"requests_per_day": 1_000}, None, [(1, False)], "Use prompting"),
        ({"training_examples": 99}, None, [(1, True), (2, False)], "Use prompting"),
        ({"task": "sentiment"}, None, [(1, True), (2, True), (3, False)], "Use prompting"),
        ({"task": "style"}, None, [(1, True), (2, True), (3, True), (4, True)], "Fine-tune"),
        ({"task": "multi_label"}, (380, 340), [(1, True), (2, True), (3, True), (4, False), (5, True)], "Fine-tune"),
        ({"task": "multi_label"}, (341, 340), [(1, True), (2, True), (3, False)], "Use prompting"),
        ({"task": "multi_label"}, None, [(1, True), (2, True), (3, True), (4, False), (5, None)], "Measure first"),
    ],
)
def test_every_branch_of_the_tree(overrides, eval_gap, path, recommendation):
    gap = None if eval_gap is None else measured_gap(*eval_gap)
    decision = walk(Scenario(**overrides), gap)
    assert _path(decision) == path
    assert decision.recommendation == recommendation
    assert decision.reason and decision.because


def test_question_five_is_answered_by_the_eval_with_its_test():
    better, worse = measured_gap(380, 340), measured_gap(330, 340)
    scenario = Scenario(task="multi_label", target_accuracy=95)  # prompting's 84.5% is 10.5 points short: question 3 yes
    from calc.quality.route_quality import RouteQuality

    prompting = RouteQuality("prompt:p", "measured", 81.0, 85.0, 88.5, "measured")
    yes = walk(scenario, better, prompting)
    assert _path(yes)[-1] == (5, True) and yes.recommendation == "Fine-tune"
    assert "Your eval: fine-tuned minus prompted +10.0 points" in yes.steps[-1].why
    no = walk(scenario, worse, prompting)
    assert _path(no)[-1] == (5, False) and no.recommendation == "Use prompting"
    pending = walk(Scenario(task="multi_label"), None, None, 690)
    assert pending.steps[-1].why == "Not measured: about 690 shared examples would tell a 5-point gap."


def test_question_three_asks_about_the_target_when_one_is_set():
    from calc.quality.route_quality import RouteQuality

    prompting = RouteQuality("prompt:p", "prior", 88.0, 90.0, 92.0, "prior")
    close = walk(Scenario(task="multi_label", target_accuracy=93), None, prompting)
    assert _path(close)[-1] == (3, False)
    assert close.because == "prompting's 90.0% (prior) is within 5 points of your 93% target"
    far = walk(Scenario(task="multi_label", target_accuracy=97), None, prompting)
    assert _path(far)[2] == (3, True)


def test_the_tree_says_why_it_stops_and_the_band_is_kept_beside_it():
    decision = walk(Scenario(requests_per_day=50_000, training_examples=50))
    assert decision.recommendation == "Use prompting"
    assert decision.band_recommendation == "Fine-tune (usually)"
    assert decision.because == "you have fewer than 100 labelled examples (50)"


def test_mistakes_light_up():
    risky_scenario = Scenario(task="reasoning", training_examples=20, **ARTICLE_PAIR)
    risky = mistake_risks(risky_scenario, resolve_pair(risky_scenario, None, TODAY))
    status = dict(zip(risky["mistake_id"], risky["status"], strict=True))
    assert status == {
        "reasoning": "risk",
        "eval_set": "risk",
        "synthetic": "unknown",
        "base_updates": "risk",
        "epochs": "risk",  # 20 examples -> 5 epochs by OpenAI's rule
        "model_size": "unknown",
    }
    calm_scenario = Scenario(option="bedrock-nova-micro", training_examples=1_000)
    calm = mistake_risks(calm_scenario, resolve_pair(calm_scenario, None, TODAY))
    assert set(calm.loc[calm["status"] == "risk", "mistake_id"]) == set()


def test_decisive_dimensions():
    scenario = Scenario(training_examples=50, examples=10, tokens_per_example=150, task="style", **ARTICLE_PAIR)
    decisive = decisive_dimensions(scenario, summary_of(scenario), resolve_pair(scenario, None, TODAY))
    assert {"Per-inference cost", "Data requirement", "Quality ceiling", "Model lock-in", "Latency"} <= set(decisive)


def test_hybrid_cost():
    scenario = Scenario()
    option = get_option(scenario.option)
    # Azure gpt-4.1-mini: base-rate tokens, 200 + 2 x 120 input, 50 output, 300,000 requests, + $1.70 x 720 h
    expected = (440 * 0.40 + 50 * 1.60) / 1e6 * 300_000 + 1.70 * 720
    assert hybrid_monthly(scenario, 2, option) == pytest.approx(expected)
    assert hybrid_monthly(scenario, 0, option) == pytest.approx(summary_of(scenario).monthly_fine_tuned_usd)
    with pytest.raises(ValueError, match="dynamic_examples"):
        hybrid_monthly(scenario, -1, option)


def test_diagram_highlights_the_path():
    decision = walk(Scenario(task="style"))
    dot = decision_dot(decision, load_article_table("decision_tree"))
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    assert 'q3 -> q4 [label="yes", color="#e4572e"' in dot
    assert 'q4 -> y4 [label="yes", color="#e4572e"' in dot
    assert 'q1 -> n1 [label="no", color="#9e9e9e"' in dot
    pending = decision_dot(walk(Scenario(task="multi_label")), load_article_table("decision_tree"))
    assert "q5 -> m5" in pending


@pytest.mark.parametrize(
    ("n_examples", "label"),
    [(0, None), (49, None), (50, "50-100 examples"), (499, "100-500 examples"), (500, "500-2,000 examples"),
     (10_000, ">10,000 examples"), (1_000_000, ">10,000 examples")],
)  # fmt: skip
def test_training_size_band(n_examples, label):
    band = training_size_band(n_examples)
    assert (band and band["size_label"]) == label
    if band:
        assert band["expected_quality"]
