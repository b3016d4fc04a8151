import math

import pytest

from calc.catalogue.options import get_option
from calc.costs.training import (
    billed_training_cost,
    dataset_training_cost,
    default_epochs,
    epochs_for,
    scenario_training_tokens,
    training_cost,
)
from calc.scenario import Scenario


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("requests_per_day", -1, "requests_per_day must be between 0"),
        ("requests_per_day", math.nan, "requests_per_day must be a finite number"),
        ("requests_per_day", math.inf, "requests_per_day must be a finite number"),
        ("requests_per_day", 1e12, "requests_per_day must be between"),
        ("examples", 2.5, "examples must be a whole number"),
        ("examples", "5", "examples must be a number"),
        ("tokens_per_example", -10, "tokens_per_example must be between"),
        ("output_tokens", True, "output_tokens must be a number"),
        ("epochs", 0, "epochs must be between 1"),
        ("horizon_months", 0, "horizon_months must be between 1"),
        ("pricing", "cheap", "pricing must be one of full, article"),
        ("caching", "yes", "caching must be True or False"),
        ("option", "", "option must be"),
    ],
)
def test_validation_names_the_field(field, value, message):
    with pytest.raises(ValueError, match=message):
        Scenario(**{field: value})


def test_defaults_are_the_articles_simple_classification():
    scenario = Scenario()
    assert scenario.prompt_input_tokens == 800
    assert scenario.instruction_tokens == 200
    assert scenario.requests_per_month == 300_000


@pytest.mark.parametrize(
    ("examples", "epochs"),
    [(10, 10), (20, 5), (33, 3), (34, 3), (1_000, 3), (8_333, 3), (8_334, 2), (12_500, 2), (30_000, 1), (1, 25), (0, 3)],
)
def test_openai_default_epochs(examples, epochs):
    assert default_epochs(examples) == epochs


def test_token_training_cost_is_tokens_times_epochs_times_price():
    option = get_option("openai-gpt-4o-mini")
    cost = training_cost(Scenario(training_examples=1_000, tokens_per_training_example=500), option)
    assert cost.epochs == 3 and cost.epochs_are_default
    assert cost.billed_tokens == 1_500_000
    assert cost.cost_usd == pytest.approx(4.5)
    assert cost.gpu_hours is None and cost.meets_minimum

    explicit = training_cost(Scenario(training_examples=1_000, tokens_per_training_example=500, epochs=4), option)
    assert explicit.cost_usd == pytest.approx(6.0) and not explicit.epochs_are_default


def test_gpu_hour_training_cost():
    option = get_option("selfhosted-llama-3.1-8b")
    cost = training_cost(Scenario(option=option.option_id, training_examples=10_000, tokens_per_training_example=1_000), option)
    assert cost.billed_tokens == 20_000_000  # 10,000 examples -> 2 epochs by the default rule
    assert cost.gpu_hours == pytest.approx(20 * 0.0558)
    assert cost.cost_usd == pytest.approx(20 * 0.0558 * 3.99)
    assert cost.cost_low_usd == pytest.approx(20 * 0.0558 * 2.69)
    assert cost.cost_high_usd == pytest.approx(20 * 0.0558 * 6.88)


def test_minimum_examples_not_met():
    option = get_option("bedrock-claude-3-haiku")
    cost = training_cost(Scenario(option=option.option_id, training_examples=20), option)
    assert cost.min_examples == 32 and not cost.meets_minimum
    assert training_cost(Scenario(option=option.option_id, training_examples=32), option).meets_minimum


def test_no_training_examples_costs_nothing():
    option = get_option("openai-gpt-4o")
    assert training_cost(Scenario(option=option.option_id, training_examples=0), option).cost_usd == 0


def test_minimum_charge_per_job_is_a_floor():
    from dataclasses import replace

    option = replace(get_option("bedrock-nova-micro"), min_job_usd=4.0)
    small = training_cost(Scenario(option=option.option_id, training_examples=100, tokens_per_training_example=100), option)
    assert small.cost_usd == 4.0 and small.minimum_applied  # 100 x 100 x 2 epochs x $1/1M = $0.02 < $4
    large = training_cost(Scenario(option=option.option_id, training_examples=100_000, tokens_per_training_example=500), option)
    assert large.cost_usd == pytest.approx(100_000 * 500 * 2 / 1e6) and not large.minimum_applied
    assert training_cost(Scenario(option=option.option_id, training_examples=0), option).cost_usd == 0


@pytest.mark.parametrize("option_id", ["openai-gpt-4o-mini", "selfhosted-llama-3.1-8b"])
@pytest.mark.parametrize("entered", [None, 5])
def test_dataset_training_cost_is_tokens_per_epoch_times_its_epochs(option_id, entered):
    option = get_option(option_id)
    cost = dataset_training_cost(40, 12_000, option, entered)
    epochs, rule = epochs_for(40, option, entered)
    assert (cost.epochs, cost.epochs_rule, cost.billed_tokens) == (epochs, rule, 12_000 * epochs)
    assert cost == billed_training_cost(12_000 * epochs, epochs, 40, option, rule)


@pytest.mark.parametrize(("examples", "entered", "epochs"), [(1_000, None, 3), (20, None, 5), (20_000, None, 1), (1_000, 7, 7)])
def test_scenario_training_tokens(examples, entered, epochs):
    scenario = Scenario(training_examples=examples, tokens_per_training_example=300, epochs=entered)
    assert scenario_training_tokens(scenario) == (epochs, examples * 300 * epochs)
