import pytest

from calc.catalogue.tables import load_options
from calc.inputs.querystring import PAGE_PARAMS, parse_page_params, parse_scenario_params, scenario_from_values, volume_steps
from calc.scenario import Scenario

OPTIONS = load_options()


def test_volume_steps_are_log_spaced():
    steps = volume_steps()
    assert steps[0] == 10 and steps[-1] == 1_000_000
    assert [s for s in steps if 1_000 <= s < 10_000] == [1_000, 1_500, 2_000, 2_500, 3_000, 4_000, 5_000, 6_000, 7_500]
    assert steps == sorted(set(steps))


def test_good_parameters_are_typed():
    values, problems = parse_scenario_params(
        {"requests_per_day": "50000", "examples": "7", "option": "openai-gpt-4o", "pricing": "article", "caching": "true"},
        OPTIONS,
    )
    assert problems == []
    assert values == {
        "requests_per_day": 50_000, "examples": 7, "option": "openai-gpt-4o", "pricing": "article", "caching": True,
        "prompt_model": "openai:gpt-4o",  # an old option-only link prompts the option's own base model
    }  # fmt: skip


def test_prompt_model_in_a_link():
    values, problems = parse_scenario_params({"prompt_model": "gpt-6-luna", "option": "azure-gpt-4.1-mini"}, OPTIONS)
    assert problems == [] and values == {"prompt_model": "openai:gpt-6-luna", "option": "azure-gpt-4.1-mini"}
    values, _ = parse_scenario_params({"option": "azure-gpt-4.1-mini"}, OPTIONS)
    assert "prompt_model" not in values  # a new option alone keeps the chosen prompting model
    values, problems = parse_scenario_params({"prompt_model": "openai:no-such-model"}, OPTIONS)
    assert values == {} and "prompt_model" in problems[0]


def test_option_label_as_the_widget_writes_it():
    values, _ = parse_scenario_params({"option": "Vertex Gemini 2.5 Flash"}, OPTIONS)
    assert values["option"] == "vertex-gemini-2.5-flash"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"requests_per_day": "abc"}, "'requests_per_day' is 'abc', not a number"),
        ({"requests_per_day": "5"}, "outside 10-1,000,000"),
        ({"requests_per_day": "1e30"}, "outside"),
        ({"examples": "2.5"}, "not a whole number"),
        ({"examples": "nan"}, "not a whole number"),
        ({"option": "<script>alert(1)</script>"}, "not a known fine-tuning option"),
        ({"pricing": "cheap"}, "expected one of full, article"),
        ({"caching": "maybe"}, "expected one of true, false"),
        ({"tokens_per_example": "9" * 500}, "too long"),
    ],
)
def test_bad_parameters_are_reported_not_raised(params, fragment):
    values, problems = parse_scenario_params(params, OPTIONS)
    assert values == {}
    assert len(problems) == 1 and fragment in problems[0]


def test_unrelated_and_repeated_parameters():
    values, problems = parse_scenario_params({"utm_source": "x", "examples": ["3", "4"]}, OPTIONS)
    assert values == {"examples": 4} and problems == []


def test_scenario_from_values_maps_epochs_zero_to_default_rule():
    assert scenario_from_values({"epochs": 0}).epochs is None
    assert scenario_from_values({"epochs": 4, "requests_per_day": 20}) == Scenario(epochs=4, requests_per_day=20)


def test_the_pickers_mark_for_a_shut_down_model_reads_back_as_the_model():
    values, problems = parse_scenario_params({"prompt_model": "openai:o4-mini · shut down 2026-10-23"}, OPTIONS)
    assert values == {"prompt_model": "openai:o4-mini"} and not problems


def test_page_params_are_parsed_as_their_widgets_would_and_bad_ones_described():
    values, problems = parse_page_params(
        {"sh_gpus": "4.0", "monthly_growth": "-2.5", "present": "TRUE", "sh_gpu": "nope", "decline_custom": "1e309"}
    )
    assert values == {"sh_gpus": 4, "monthly_growth": -2.5, "present": "true"}
    assert isinstance(values["sh_gpus"], int) and PAGE_PARAMS["sh_gpus"].whole
    assert [p.split("'")[1] for p in problems] == ["decline_custom", "sh_gpu"]
    assert parse_page_params({"sh_gpus": "1.5"})[1] == ["'sh_gpus' is '1.5', not a whole number"]
