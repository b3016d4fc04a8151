"""One verdict from cost and quality together (issue 28): the rules, the acceptance pair, and the same sentence on
every surface that states one."""

import datetime as dt
from dataclasses import replace

import pytest

from calc.api import compare, read_eval_results, routes
from calc.costs.pair import resolve_pair, summarize
from calc.quality.evals import typed_counts
from calc.scenario import Scenario
from calc.verdict.quality import pair_verdict
from ui.analysis import volume_analysis
from ui.export import build_brief

ON = dt.date(2026, 12, 6)
ISSUE = Scenario(requests_per_day=20_000, prompt_model="anthropic:claude-sonnet-5", option="bedrock-nova-micro", examples=8)
SONNET, NOVA = "prompt:anthropic:claude-sonnet-5", "fine_tune:bedrock-nova-micro"


def verdict_of(scenario: Scenario, results=None):
    pair = resolve_pair(scenario, None, ON)
    return pair_verdict(scenario, pair, summarize(scenario, pair), results)


def paired_file(tuned_right: int, prompted_right: int, n: int = 400) -> bytes:
    rows = ["route,example_id,score"]
    rows += [f"bedrock-nova-micro,{i},{int(i < tuned_right)}" for i in range(n)]
    rows += [f"anthropic:claude-sonnet-5,{i},{int(i < prompted_right)}" for i in range(n)]
    return "\n".join(rows).encode()


@pytest.mark.parametrize("examples", [5, 8])
def test_the_issue_pair_without_an_eval_asks_for_one_and_says_what_fine_tuning_saves(examples):
    scenario = replace(ISSUE, examples=examples)
    result = compare(scenario, on=ON)
    verdict = result.verdict
    assert verdict.action == "measure first"
    assert not verdict.sentence.lower().startswith(("prompt", "use prompting"))
    saving = f"${round(result.real_savings_usd):,}/mo cheaper"
    assert saving in verdict.sentence and "on your eval" in verdict.sentence
    tree = "The article's tree says prompting because the expected gap (+5 points, a literature prior) is not above 5; but here"
    assert tree in verdict.sentence
    assert "about 690 examples tell a 5-point gap" in verdict.sentence
    kinds = [reason.kind for reason in verdict.reasons]
    assert {"cost", "breakeven", "one_off", "quality", "errors", "sample_size", "tree", "band"} <= set(kinds)
    quality = next(r for r in verdict.reasons if r.kind == "quality")
    assert "literature prior, not your task" in quality.text and quality.value == 5.0


def test_the_same_sentence_in_compare_routes_the_brief_and_the_pages_function():
    sentence = compare(ISSUE, on=ON).verdict.sentence
    assert routes(ISSUE, on=ON).verdict.sentence == sentence
    assert routes(ISSUE, on=ON).to_dict()["verdict"]["sentence"] == sentence
    assert compare(ISSUE, on=ON).to_dict()["verdict"]["sentence"] == sentence
    brief = build_brief(ISSUE, volume_analysis(ISSUE, ON), [])
    assert brief.recommendation == "Measure first: " + sentence
    assert verdict_of(ISSUE).sentence == sentence


def test_nothing_else_states_a_recommendation_of_its_own():
    data = compare(ISSUE, on=ON).to_dict()
    assert "recommendation" not in data  # the band's is a reason, named as the band's
    assert data["band_recommendation"] == "Fine-tune (usually)"
    band = next(r for r in compare(ISSUE, on=ON).verdict.reasons if r.kind == "band")
    assert band.text.startswith("The article's volume band for 20,000/day is 10,000-100,000 requests/day, where it says")


def test_an_eval_where_fine_tuning_is_right_more_often_says_fine_tune():
    results = read_eval_results(paired_file(380, 340), "eval.csv")
    verdict = verdict_of(ISSUE, results)
    assert verdict.action == "fine-tune"
    assert verdict.sentence.startswith("Bedrock Nova Micro is better than Anthropic Claude Sonnet 5 on your eval (+10.0 points")
    assert "exact McNemar p < 0.001 on 400 shared examples" in verdict.sentence
    assert verdict.gap.source == "measured" and verdict.tree.steps[2].answer is True
    assert compare(ISSUE, on=ON, eval_results=results).verdict.sentence == verdict.sentence


def test_a_cheaper_route_that_matches_is_fine_tuned_and_one_that_may_be_much_worse_is_measured_more():
    matches = verdict_of(ISSUE, read_eval_results(paired_file(3_790, 3_800, 4_000), "eval.csv"))
    assert matches.action == "fine-tune" and "is within 5 points of Anthropic Claude Sonnet 5" in matches.sentence
    unsure = verdict_of(ISSUE, typed_counts([(NOVA, 15, 20), (SONNET, 17, 20)]))
    assert unsure.action == "measure first" and "cannot yet rule out a drop of more than 5 points" in unsure.sentence


def test_a_significantly_worse_cheaper_route_is_prompted_until_errors_or_a_target_weigh_it():
    worse = read_eval_results(paired_file(300, 380), "eval.csv")
    plain = verdict_of(ISSUE, worse)
    assert plain.action == "prompt" and "set the cost of a wrong answer or a target accuracy" in plain.sentence
    cheap_errors = verdict_of(replace(ISSUE, error_cost=0.0001), worse)  # 20 points x 600,000 x $0.0001 = $12/mo
    assert cheap_errors.action == "fine-tune" and "worse than" in cheap_errors.sentence
    dear_errors = verdict_of(replace(ISSUE, error_cost=0.05), worse)  # $6,000/mo of extra errors
    assert dear_errors.action == "prompt"
    target = verdict_of(replace(ISSUE, target_accuracy=90), worse)
    assert target.action == "prompt" and "misses your 90% target" in target.sentence


def test_when_fine_tuning_costs_more_the_verdict_prompts_unless_fewer_errors_could_pay():
    default = verdict_of(Scenario())
    assert default.action == "prompt"
    # $1,272 fine-tuned - $42.90 prompting GPT-6 Luna with its default reasoning (issue 29; $1,240 without)
    assert default.sentence == "Fine-tuning Azure gpt-4.1-mini is $1,229/mo dearer to run, so prompt OpenAI GPT-6 Luna."
    weighed = verdict_of(Scenario(error_cost=0.5))
    assert weighed.action == "measure first"
    assert "beats OpenAI GPT-6 Luna by 0.8 points or more" in weighed.sentence  # ($1,229 + $3.75/12) / $1,500 a point


def test_an_option_a_new_customer_cannot_use_means_prompt():
    closed = verdict_of(Scenario(option="openai-gpt-4o-mini", prompt_model="openai:gpt-4o-mini"))
    assert closed.action == "prompt" and "closed to new customers" in closed.sentence
    shut = verdict_of(Scenario(prompt_model="openai:o4-mini"))
    assert shut.action == "measure first" and "choose a live prompting model" in shut.sentence


def test_too_few_examples_for_the_option_means_prompt_and_collect_data():
    few = verdict_of(Scenario(option="vertex-gemini-3.1-flash-lite", training_examples=5, training_price=2.0))
    assert few.action == "prompt" and "collect data first" in few.sentence


def test_every_reason_carries_a_source():
    for scenario in (ISSUE, Scenario(), Scenario(error_cost=0.5, target_accuracy=95)):
        for reason in verdict_of(scenario).reasons:
            assert reason.text and reason.source, reason


def test_the_cheapest_by_volume_chart_can_draw_total_cost_with_wrong_answers():
    import numpy as np

    from calc.costs.ranking import cheapest_by_volume, price_routes
    from calc.verdict.quality import report_for, route_qualities
    from calc.verdict.ranked import error_cost_per_request

    scenario = replace(ISSUE, error_cost=0.05)
    results = typed_counts([(NOVA, 300, 400), (SONNET, 396, 400)])
    priced = price_routes(scenario, ON)
    extra = error_cost_per_request(route_qualities(priced, report_for(results)), scenario.error_cost)
    assert extra[NOVA] == pytest.approx(0.25 * 0.05) and extra[SONNET] == pytest.approx(0.01 * 0.05)
    volumes = np.array([10_000.0, 20_000.0])
    plain = cheapest_by_volume(priced, volumes, focus=20_000)
    total = cheapest_by_volume(priced, volumes, focus=20_000, per_request_extra=extra)
    nova_plain = plain.curves[(plain.curves["route"] == NOVA) & (plain.curves["requests_per_day"] == 20_000)]
    nova_total = total.curves[(total.curves["route"] == NOVA) & (total.curves["requests_per_day"] == 20_000)]
    if len(nova_total):  # drawn only when it is among the routes that matter
        added = float(nova_total["monthly_cost_usd"].iloc[0] - nova_plain["monthly_cost_usd"].iloc[0])
        assert added == pytest.approx(20_000 * 30 * 0.25 * 0.05)
    assert NOVA not in set(total.segments["route"])  # its wrong answers make it dearer than the prompted routes
    unknown = cheapest_by_volume(priced, volumes, per_request_extra={SONNET: 0.0})
    assert "Bedrock Nova Micro" in unknown.left_out
