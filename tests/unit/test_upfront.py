"""The work before training (calc/costs/upfront.py): priced once, joined to training in every breakeven, the teacher's
labels at the prompting route's batched price, ROI and net saving, and Cost over time's cycles."""

import datetime as dt
from dataclasses import replace

import pytest

from calc.api import compare, routes
from calc.catalogue.options import shipped_records
from calc.catalogue.provider_rules import rule_for
from calc.costs.lifecycle import Assumptions, _cycle_cost, path_costs
from calc.costs.pair import crossover, resolve_pair, summarize
from calc.costs.requests import batched, prompt_request
from calc.costs.routes import FineTuneRoute
from calc.costs.upfront import (
    NO_WORK,
    labelling_rates,
    one_off_label,
    payback,
    rates_guidance,
    roi_text,
    teacher_request,
    upfront_work,
)
from calc.costs.workload import scenario_workload
from calc.scenario import Scenario

ON = dt.date(2026, 12, 3)
#: The issue's acceptance: 1,000 training examples labelled at $2.00 each, no other work, Nova Micro vs GPT-6 Luna.
LABELLED = Scenario(option="bedrock-nova-micro", data_cost_per_example=2.0)


def test_hand_labelling_evaluation_and_engineering_add_up():
    scenario = replace(LABELLED, eval_examples=200, engineering_hours=10, hourly_rate=80, maintenance_usd_per_month=50)
    work = upfront_work(scenario)
    assert work.hand_labelling_usd == 1_000 * 2.0
    assert work.eval_usd == 200 * 2.0
    assert work.engineering_usd == 10 * 80
    assert work.total_usd == 2_000 + 400 + 800
    assert work.per_cycle_usd == 2_000 + 800  # a retraining reuses the evaluation set
    assert work.maintenance_usd_per_month == 50
    assert not work.is_zero
    assert work.parts() == "labels by hand $2,000 (1,000 x $2.00) + evaluation set $400.00 + engineering $800.00"


def test_no_work_is_zero_and_says_so():
    work = upfront_work(Scenario())
    assert work.is_zero and work.total_usd == 0 and work.parts() == "none entered"
    assert one_off_label(work) == "training only: the work before training is left at zero"
    assert work.labelling_choice() is None  # no teacher priced
    assert NO_WORK.is_zero


def test_the_breakeven_counts_training_and_the_work_before_it_everywhere():
    pair = resolve_pair(LABELLED, None, ON)
    summary = summarize(LABELLED, pair)
    # prompting GPT-6 Luna $42.90 (its 76 default reasoning tokens included, issue 29) - Nova Micro $6.15 = $36.75
    assert summary.monthly_savings_usd == pytest.approx(36.75)
    assert summary.one_off_usd == pytest.approx(0.50 + 2_000)
    assert summary.breakeven_months == pytest.approx((0.50 + 2_000) / 36.75)
    assert round(summary.breakeven_months) == 54
    assert summary.breakeven_basis == "training + $2,000 work before it (labels by hand $2,000 (1,000 x $2.00))"
    ranked = next(r for r in routes(LABELLED, on=ON).rows if r.route.id == "fine_tune:bedrock-nova-micro")
    assert ranked.breakeven_months == pytest.approx(summary.breakeven_months)
    result = compare(LABELLED, on=ON)
    assert result.breakeven_months == pytest.approx(summary.breakeven_months)
    assert result.breakeven_text == "54.4 months" == ranked.breakeven_text
    assert result.one_off_usd == pytest.approx(2_000.5)


def test_roi_and_net_saving_over_the_horizon():
    result = payback(2_000.5, 36.75, 12)
    assert result.net_saving_usd == pytest.approx(36.75 * 12 - 2_000.5)
    assert result.roi_pct == pytest.approx((36.75 * 12 - 2_000.5) / 2_000.5 * 100)
    assert roi_text(result) == "ROI -78% over 12 months (net -$1,560)"
    assert payback(0.0, 10.0, 6).roi_pct is None
    shown = summarize(LABELLED, resolve_pair(LABELLED, None, ON)).payback
    assert shown.net_saving_usd == pytest.approx(result.net_saving_usd) and shown.roi_pct == pytest.approx(result.roi_pct)
    with pytest.raises(ValueError, match="horizon_months"):
        payback(1.0, 1.0, 0)


def test_the_teachers_cost_is_training_examples_times_the_prompting_routes_batched_request():
    scenario = replace(LABELLED, labelling="teacher")
    pair = resolve_pair(scenario, None, ON)
    workload = scenario_workload(scenario)
    one_request = pair.prompting.costs(scenario, replace(workload, batch_pct=100)).request.usd
    work = summarize(scenario, pair).work
    assert work.teacher_usd == pytest.approx(1_000 * one_request)
    assert work.labelling_usd == work.teacher_usd and work.total_usd == work.teacher_usd
    plain = prompt_request(workload, pair.prompt).usd
    discount = rule_for(pair.prompt.provider_id, pair.prompt.model_id).batch_discount
    assert discount and one_request == pytest.approx(batched(plain, 100, discount))
    assert "by hand $2,000" in work.labelling_choice() and "OpenAI GPT-6 Luna" in work.labelling_choice()


def test_a_chosen_teacher_replaces_the_pairs_prompting_model():
    scenario = replace(LABELLED, labelling="teacher", teacher_model="anthropic:claude-sonnet-4-5")
    pair = resolve_pair(scenario, None, ON)
    assert pair.teacher.ref == "anthropic:claude-sonnet-4-5" != pair.prompt.ref
    expected = 1_000 * teacher_request(scenario_workload(scenario), pair.teacher).usd
    assert summarize(scenario, pair).work.teacher_usd == pytest.approx(expected)


def test_a_teacher_that_is_not_priced_leaves_the_one_off_unknown():
    costs = FineTuneRoute(shipped_records()["bedrock-nova-micro"]).costs(replace(LABELLED, labelling="teacher"))
    assert not costs.one_off_known and not costs.complete


def test_the_upkeep_is_a_monthly_cost_of_the_fine_tune():
    upkept = replace(LABELLED, maintenance_usd_per_month=10.0)
    pair = resolve_pair(upkept, None, ON)
    summary = summarize(upkept, pair)
    assert summary.monthly_fine_tuned_usd == pytest.approx(6.15 + 10.0)
    assert summary.monthly_savings_usd == pytest.approx(36.75 - 10.0)
    plain = crossover(LABELLED, resolve_pair(LABELLED, None, ON))
    assert crossover(upkept, pair).requests_per_day > plain.requests_per_day


def test_cost_over_time_pays_the_same_work_first_and_on_each_retraining():
    scenario = replace(LABELLED, eval_examples=100, engineering_hours=5, hourly_rate=100)
    pair = resolve_pair(scenario, None, ON)
    costs = pair.fine_tuning.costs(scenario, teacher=pair.teacher)
    assert _cycle_cost(costs, 1.0, first=True) == pytest.approx(costs.training_usd + 2_000 + 200 + 500)
    assert _cycle_cost(costs, 0.5, first=False) == pytest.approx(costs.training_usd * 0.5 + 2_000 + 500)
    frame = path_costs(scenario, pair, shipped_records(), 12, Assumptions(retrains_per_year=2, annual_price_decline=0.0))
    training = frame[frame["path"] == "Fine-tuned"].set_index("month")["training_usd"]
    assert training[0] == pytest.approx(costs.one_off_usd)
    assert training[6] == pytest.approx(costs.training_usd + 2_500)


def test_published_rates_are_dated_and_sourced():
    table = labelling_rates()
    assert {"mturk_text_classification", "article_upfront"} <= set(table.index)
    assert table.loc["mturk_text_classification", "usd_low"] == 0.012
    assert table["source"].str.len().min() > 10 and table["as_of"].notna().all()
    text = rates_guidance()
    assert "$0.012-$1.2 per label per worker" in text and "$50-$10,000" in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("labelling", "crowd", "labelling must be one of"), ("data_cost_per_example", -1, "data_cost_per_example"),
     ("eval_examples", 1.5, "whole number"), ("teacher_model", None, "teacher_model")],
)  # fmt: skip
def test_the_scenario_refuses_bad_work(field, value, message):
    with pytest.raises(ValueError, match=message):
        Scenario(**{field: value})


def test_labelling_time_in_hours_per_100_examples_at_the_hourly_rate():
    scenario = Scenario(data_cost_per_example=0.5, label_hours_per_100=2, hourly_rate=60, eval_examples=100)
    assert scenario.label_usd_per_example == 0.5 + 2 / 100 * 60
    work = upfront_work(scenario)
    assert work.hand_labelling_usd == pytest.approx(1_000 * 1.70)
    assert work.eval_usd == pytest.approx(100 * 1.70)
    assert work.engineering_usd == 0  # no engineering hours entered: the rate prices only the labelling time


def test_roi_is_none_where_fine_tuning_saves_nothing_each_month():
    """A tiny outlay never returned is not -397,060%: the ROI says there is none, the net saving says how much is lost."""
    from calc.costs.upfront import payback, roi_text

    losing = payback(3.75, -1_240.0, 12)
    assert losing.roi_pct is None and not losing.saves_monthly
    assert roi_text(losing) == "ROI none (fine-tuning saves nothing each month) over 12 months (net -$14,884)"
    saving = payback(2_000.5, 25.35, 12)
    assert roi_text(saving) == f"ROI {saving.roi_pct:,.0f}% over 12 months (net -$1,696)" and saving.roi_pct < 0
