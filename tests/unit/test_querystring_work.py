"""Link parameters of the work before training, the distillation teacher and the latency target (issue 22)."""

from calc.api import scenario_from_link
from calc.catalogue.tables import load_options
from calc.inputs.querystring import SCENARIO_PARAMS, parse_scenario_params


def test_the_work_travels_in_a_link():
    scenario = scenario_from_link(
        "?data_cost_per_example=2&eval_examples=200&engineering_hours=8&hourly_rate=90&maintenance_usd_per_month=40"
        "&labelling=teacher&teacher_model=anthropic:claude-sonnet-4-5&ttft_target_ms=300"
    )
    assert (scenario.data_cost_per_example, scenario.eval_examples, scenario.engineering_hours) == (2.0, 200, 8.0)
    assert (scenario.hourly_rate, scenario.maintenance_usd_per_month, scenario.ttft_target_ms) == (90.0, 40.0, 300)
    assert scenario.labelling == "teacher" and scenario.teacher_model == "anthropic:claude-sonnet-4-5"


def test_cost_over_times_old_keys_still_work():
    scenario = scenario_from_link("?data_cost_per_example=0.5&engineering_hours=10&hourly_rate=100")
    assert (scenario.data_cost_per_example, scenario.engineering_hours, scenario.hourly_rate) == (0.5, 10.0, 100.0)


def test_bad_values_are_named_and_left_out():
    values, problems = parse_scenario_params(
        {"labelling": "crowd", "teacher_model": "nobody:nothing", "ttft_target_ms": "fast", "data_cost_per_example": "-2"},
        load_options(),
    )
    assert values == {}
    assert len(problems) == 4
    assert any("'labelling' is 'crowd'" in p for p in problems)
    assert any(p.startswith("'teacher_model':") for p in problems)
    assert any("'ttft_target_ms' is 'fast', not a number" in p for p in problems)
    assert any("'data_cost_per_example' is '-2', outside" in p for p in problems)


def test_an_empty_teacher_means_the_pairs_prompting_model():
    values, problems = parse_scenario_params({"teacher_model": ""}, load_options())
    assert values == {"teacher_model": ""} and not problems
    assert {"labelling", "teacher_model", "eval_examples", "ttft_target_ms", "maintenance_usd_per_month"} <= set(
        SCENARIO_PARAMS
    )


def test_labelling_hours_travel_in_a_link():
    scenario = scenario_from_link("?label_hours_per_100=1.5&hourly_rate=80")
    assert scenario.label_hours_per_100 == 1.5 and scenario.label_usd_per_example == 1.2
