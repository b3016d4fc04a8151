"""Training cost: epochs (entered, the provider's default, or OpenAI's rule) x tokens (or GPU-hours) x price."""

from __future__ import annotations

from dataclasses import dataclass

from calc.catalogue.options import FineTuneOption
from calc.scenario import Scenario

TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25


def default_epochs(n_examples: int) -> int:
    """OpenAI's default: 3 epochs, adjusted so examples x epochs stays within 100..25,000."""
    if n_examples < 0:
        raise ValueError(f"n_examples must be >= 0, not {n_examples}.")
    if n_examples == 0:
        return TARGET_EPOCHS
    if n_examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // n_examples)
    if n_examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // n_examples)
    return TARGET_EPOCHS


def scenario_training_tokens(scenario: Scenario) -> tuple[int, int]:
    """Epochs of one run (entered, else OpenAI's default rule) and the tokens it trains on: examples x tokens x epochs."""
    epochs = scenario.epochs or default_epochs(scenario.training_examples)
    return epochs, scenario.training_examples * scenario.tokens_per_training_example * epochs


@dataclass(frozen=True)
class TrainingCost:
    """One training run: what is billed and what it costs.

    `price_known` is False when the provider publishes no training price and none was entered: the
    cost then reads 0 and every page says the price is missing instead of showing a breakeven.
    """

    epochs: int
    epochs_rule: str  # "entered", "OpenAI's default rule", "the provider's default"
    billed_tokens: int
    gpu_hours: float | None
    cost_usd: float
    cost_low_usd: float | None
    cost_high_usd: float | None
    min_examples: int | None
    meets_minimum: bool
    price_usd: float | None
    price_entered: bool
    minimum_applied: bool = False
    hours_missing: bool = False  # billed per training hour, and the hours of one run are not entered

    @property
    def not_possible(self) -> str | None:
        """Why this run cannot happen (fewer examples than the option's minimum), in the words every surface shows
        for its training cost and breakeven; None when it can."""
        if self.meets_minimum:
            return None
        return f"not possible: needs at least {self.min_examples:,} training examples"

    @property
    def epochs_are_default(self) -> bool:
        """True when the epochs come from a default rule, not from the user."""
        return self.epochs_rule != "entered"

    @property
    def price_known(self) -> bool:
        """False when no training price is published or entered, or the hours of a run billed by the hour are not."""
        return self.price_usd is not None and not self.hours_missing

    @property
    def missing_entry(self) -> str:
        """What the user must enter before the run has a cost: "the training price" or "the training hours"."""
        return "the training hours" if self.hours_missing else "the training price"


def epochs_for(n_examples: int, option: FineTuneOption, entered: int | None) -> tuple[int, str]:
    """Epochs of a run and where they come from: entered, the provider's default, or OpenAI's rule."""
    if entered is not None:
        return entered, "entered"
    if option.default_epochs is not None:
        return option.default_epochs, "the provider's default"
    if option.provider.startswith(("OpenAI", "Azure")):
        return default_epochs(n_examples), "OpenAI's default rule"
    return default_epochs(n_examples), "OpenAI's default rule, assumed: no published default"


def training_cost(scenario: Scenario, option: FineTuneOption) -> TrainingCost:
    """Cost of one training run of `scenario`'s data on `option` (its price, or the scenario's entered one; billed per
    training hour: the scenario's entered hours of one run)."""
    epochs, rule = epochs_for(scenario.training_examples, option, scenario.epochs)
    billed = scenario.training_examples * scenario.tokens_per_training_example * epochs
    return billed_training_cost(
        billed, epochs, scenario.training_examples, option, rule, scenario.training_price, scenario.training_hours
    )


def dataset_training_cost(
    n_examples: int, tokens_per_epoch: int, option: FineTuneOption, entered_epochs: int | None = None
) -> TrainingCost:
    """One run on a file of `n_examples` billing `tokens_per_epoch` per epoch, at `option`'s epochs (see `epochs_for`)."""
    epochs, rule = epochs_for(n_examples, option, entered_epochs)
    return billed_training_cost(tokens_per_epoch * epochs, epochs, n_examples, option, rule)


def billed_training_cost(
    billed: int,
    epochs: int,
    n_examples: int,
    option: FineTuneOption,
    epochs_rule: str = "OpenAI's default rule",
    entered_price: float | None = None,
    training_hours: float | None = None,
) -> TrainingCost:
    """Cost of training `billed` tokens (all epochs) on `option`: per token, GPU-hours x rate, or, billed per hour of the
    provider's job, `training_hours` x rate (unknown until the hours of one run are entered: no provider publishes them)."""
    mtok = billed / 1e6
    hours_missing = False
    if option.per_gpu_hour:
        gpu_hours = mtok * float(option.gpu_hours_per_mtok or 0.0)
        units = gpu_hours
    elif option.per_training_hour:
        gpu_hours, hours_missing = None, training_hours is None
        units = float(training_hours or 0.0)
    else:
        gpu_hours = None
        units = mtok
    price = entered_price if entered_price is not None else option.training_price_usd
    use_range = entered_price is None
    low, high = option.training_price_low_usd, option.training_price_high_usd
    minimum = option.min_examples
    floor = option.min_job_usd if billed > 0 and option.min_job_usd else 0.0
    cost = units * price if price is not None else 0.0
    return TrainingCost(
        epochs=epochs,
        epochs_rule=epochs_rule,
        billed_tokens=billed,
        gpu_hours=gpu_hours,
        cost_usd=max(cost, floor) if price is not None else 0.0,
        cost_low_usd=max(units * low, floor) if use_range and low is not None else None,
        cost_high_usd=max(units * high, floor) if use_range and high is not None else None,
        min_examples=minimum,
        meets_minimum=minimum is None or n_examples >= minimum,
        price_usd=price,
        price_entered=entered_price is not None,
        minimum_applied=price is not None and floor > cost,
        hours_missing=hours_missing,
    )
