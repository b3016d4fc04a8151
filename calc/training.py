"""Training cost: OpenAI's default-epochs rule and tokens x epochs (or GPU-hours) x price."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from calc.scenario import Scenario
from calc.tables import Option

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


@dataclass(frozen=True)
class TrainingCost:
    """One training run: what is billed and what it costs."""

    epochs: int
    epochs_are_default: bool
    billed_tokens: int
    gpu_hours: float | None
    cost_usd: float
    cost_low_usd: float | None
    cost_high_usd: float | None
    min_examples: int | None
    meets_minimum: bool


def training_cost(scenario: Scenario, option: Option) -> TrainingCost:
    """Cost of one training run of `scenario`'s data on `option` (a row of the options table)."""
    epochs = scenario.epochs if scenario.epochs is not None else default_epochs(scenario.training_examples)
    billed = scenario.training_examples * scenario.tokens_per_training_example * epochs
    return billed_training_cost(billed, epochs, scenario.training_examples, option, scenario.epochs is None)


def billed_training_cost(
    billed: int, epochs: int, n_examples: int, option: Option, epochs_are_default: bool = True
) -> TrainingCost:
    """Cost of training `billed` tokens (all epochs) on `option`: per token, or GPU-hours x rate."""
    mtok = billed / 1e6
    if option["training_unit"] == "per_gpu_hour":
        gpu_hours = mtok * float(option["gpu_hours_per_mtok"])
        units = gpu_hours
    else:
        gpu_hours = None
        units = mtok
    low, high = option.get("training_price_low_usd"), option.get("training_price_high_usd")
    minimum = option.get("min_examples")
    minimum = None if minimum is None or pd.isna(minimum) else int(minimum)
    return TrainingCost(
        epochs=epochs,
        epochs_are_default=epochs_are_default,
        billed_tokens=billed,
        gpu_hours=gpu_hours,
        cost_usd=units * float(option["training_price_usd"]),
        cost_low_usd=None if low is None or pd.isna(low) else units * float(low),
        cost_high_usd=None if high is None or pd.isna(high) else units * float(high),
        min_examples=minimum,
        meets_minimum=minimum is None or n_examples >= minimum,
    )
