"""Quality by task type (the article's table) and what the quality gap is worth per month."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from calc.catalogue.tables import load_article_table
from calc.costs.pair import CostSummary, breakeven_months
from calc.scenario import Scenario


@lru_cache(maxsize=1)
def _quality() -> pd.DataFrame:
    return load_article_table("quality").set_index("task_id", drop=False)


def quality_table() -> pd.DataFrame:
    """Quality ranges (% agreement with human judgment) by task type, indexed by task_id."""
    return _quality().copy()


def task_quality(task_id: str) -> dict[str, Any]:
    """One task's quality row, or ValueError listing the known task ids."""
    table = _quality()
    if task_id not in table.index:
        raise ValueError(f"Unknown task {task_id!r}; known: {', '.join(table.index)}.")
    return table.loc[task_id].to_dict()


@dataclass(frozen=True)
class Range:
    """A low / mid / high figure, as the article's ranges give them."""

    low: float
    mid: float
    high: float


def expected_gain(task_id: str) -> Range:
    """Percentage points fine-tuning adds over prompting for the task (negative: it loses)."""
    row = task_quality(task_id)
    low, high = sorted((row["delta_low"], row["delta_high"]))
    return Range(low, (low + high) / 2, high)


def error_value_per_month(scenario: Scenario, gain: Range | None = None) -> tuple[float, float, float]:
    """(low, mid, high) dollars a month saved by fewer errors: requests x error-rate drop x error cost.

    The error-rate drop is `gain` in points (the pair's quality gap: measured, or a prior), by default the article's
    quality delta for the task; a negative gain (reasoning) gives a negative value: fine-tuning would add errors.
    """
    gain = gain or expected_gain(scenario.task)
    per_point = scenario.requests_per_month * scenario.error_cost / 100
    return (gain.low * per_point, gain.mid * per_point, gain.high * per_point)


@dataclass(frozen=True)
class Benefit:
    """Token savings plus error value per month, and the breakeven that includes both."""

    token_savings: float
    error_value: Range
    total: Range
    breakeven_months: tuple[float | None, float | None, float | None]


def monthly_benefit(scenario: Scenario, summary: CostSummary, gain: Range | None = None) -> Benefit:
    """Total monthly benefit of fine-tuning (token savings + error value at the quality gap `gain`, by default the
    article's for the task) with breakeven low/mid/high."""
    low, mid, high = error_value_per_month(scenario, gain)
    savings = summary.monthly_savings_usd
    total = Range(savings + low, savings + mid, savings + high)
    training = summary.training.cost_usd
    return Benefit(
        token_savings=savings,
        error_value=Range(low, mid, high),
        total=total,
        breakeven_months=tuple(breakeven_months(training, value) for value in (total.low, total.mid, total.high)),
    )
