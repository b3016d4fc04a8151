"""Total cost over time: retraining, price declines, volume growth and retiring models, month by month.

Three paths: prompting, fine-tuned, and the hybrid (fine-tuned + dynamic examples). Training, each
retraining and a forced migration when the option shuts down are paid in the month they happen.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from calc.catalogue.options import FineTuneOption
from calc.catalogue.status import option_status
from calc.costs.pair import Pair
from calc.costs.serving import hosting_per_month
from calc.costs.summary import fine_tuned_request, hybrid_hosting, hybrid_request_cost, request_costs
from calc.costs.training import training_cost
from calc.scenario import Scenario

PATHS = ("Prompting", "Fine-tuned", "Hybrid")
DECLINE_PRESETS = {
    "None: a named model's list price stays flat": 0.0,
    "Article, low: prices fall 50% a year": 0.5,
    "Article, high: prices fall 80% a year": 0.8,
    "LLMflation: 10x cheaper a year (a16z, 2024)": 0.9,
}


@dataclass(frozen=True)
class Assumptions:
    """What the lifecycle adds to a Scenario; defaults follow the article where it gives figures."""

    retrains_per_year: float = 3.0  # the article: 2-4 retraining cycles a year
    data_cost_per_example: float = 0.0  # labelling cost per training example, paid each cycle
    engineering_hours: float = 0.0  # per training cycle
    hourly_rate: float = 0.0
    annual_price_decline: float = 0.5  # the article: 50-80% a year; applies to per-token prices
    monthly_growth: float = 0.0  # requests/day growth per month
    hybrid_examples: int = 2

    def __post_init__(self) -> None:
        checks = {
            "retrains_per_year": (0, 12),
            "data_cost_per_example": (0, 10_000),
            "engineering_hours": (0, 10_000),
            "hourly_rate": (0, 10_000),
            "annual_price_decline": (0, 0.99),
            "monthly_growth": (-0.5, 1.0),
            "hybrid_examples": (0, 100),
        }
        for name, (low, high) in checks.items():
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or not low <= value <= high
            ):
                raise ValueError(f"{name} must be a number from {low:g} to {high:g}, not {value!r}.")


def retrain_months(retrains_per_year: float, months: int) -> list[int]:
    """Months (1..months) in which a retraining cycle falls, evenly spaced."""
    if not retrains_per_year > 0 or 12 / retrains_per_year > months + 1:  # none in the horizon (12/1e-320 is inf)
        return []
    step = 12 / retrains_per_year
    return [m for m in (round(step * k) for k in range(1, int(months / step) + 2)) if 1 <= m <= months]


def migration_month(option: FineTuneOption, start: dt.date, months: int) -> int | None:
    """The month (1..months) in which the option's shutdown date falls, when inside the horizon."""
    shutdown = option.shutdown
    if shutdown is None:
        return None
    elapsed = (shutdown.year - start.year) * 12 + shutdown.month - start.month
    month = max(1, elapsed + (1 if shutdown.day >= start.day else 0))
    return month if month <= months else None


def _cycle_cost(scenario: Scenario, option: FineTuneOption, assumptions: Assumptions, price_factor: float) -> float:
    training = training_cost(scenario, option).cost_usd * price_factor
    return (
        training
        + assumptions.engineering_hours * assumptions.hourly_rate
        + scenario.training_examples * assumptions.data_cost_per_example
    )


def live_successor(option: FineTuneOption, records: Mapping[str, FineTuneOption], on: dt.date) -> FineTuneOption | None:
    """The option a forced migration moves to: the named successor if it is still live on `on`, else None."""
    if option.successor is None or option.successor not in records:
        return None
    successor = records[option.successor]
    return successor if option_status(successor, on).usable_by_new_customer else None


def path_costs(
    scenario: Scenario,
    pair: Pair,
    records: Mapping[str, FineTuneOption],
    months: int,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """One row per month (0..months) and path: monthly cost, cumulative cost and the month's events.

    Month 0 is the pair's date. When the fine-tuned option shuts down inside the horizon, the fine-tuned
    and hybrid paths retrain on its successor (only if that is live; otherwise they stop at the shutdown
    with no traffic served, and the event says so).
    """
    assumptions = assumptions or Assumptions()
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
        raise ValueError(f"months must be a whole number from 1 to 120, not {months!r}.")
    migrate = migration_month(pair.option, pair.on, months)
    successor = live_successor(pair.option, records, pair.on)
    retrains = set(retrain_months(assumptions.retrains_per_year, months))
    rows = []
    totals = dict.fromkeys(PATHS, 0.0)
    option: FineTuneOption | None = pair.option
    prompting = request_costs(scenario, pair)[0]
    for month in range(months + 1):
        events = []
        if migrate is not None and month == migrate and option is pair.option:
            option = successor
            events.append(f"migration to {successor.label}" if successor else "shutdown: no live successor")
        factor = (1 - assumptions.annual_price_decline) ** (month / 12)
        volume = scenario.requests_per_day * (1 + assumptions.monthly_growth) ** month
        requests = volume * scenario.days_per_month if month > 0 else 0.0
        monthly = {"Prompting": prompting.usd * factor * requests}
        if option is None:
            monthly["Fine-tuned"] = monthly["Hybrid"] = 0.0
            training = 0.0
            label = "none (shut down)"
        else:
            current = replace(scenario, option=option.option_id)
            tuned = fine_tuned_request(current, option)
            hybrid = hybrid_request_cost(current, assumptions.hybrid_examples, option)
            this_month = replace(current, requests_per_day=volume)
            hosting = hosting_per_month(this_month, option) if month > 0 else 0.0
            hybrid_fee = hybrid_hosting(this_month, assumptions.hybrid_examples, option) if month > 0 else 0.0
            training = 0.0
            if month == 0:
                training = _cycle_cost(current, option, assumptions, factor)
                events.append("initial training")
            elif month in retrains or (migrate == month and successor is not None):
                training = _cycle_cost(current, option, assumptions, factor)
                if month in retrains:
                    events.append("retraining")
            monthly["Fine-tuned"] = tuned.usd * factor * requests + hosting + training
            monthly["Hybrid"] = hybrid.usd * factor * requests + hybrid_fee + training
            label = option.label
        for path in PATHS:
            totals[path] += monthly[path]
            rows.append(
                {
                    "month": month,
                    "path": path,
                    "monthly_usd": monthly[path],
                    "cumulative_usd": totals[path],
                    "training_usd": 0.0 if path == "Prompting" else training,
                    "event": "" if path == "Prompting" else ", ".join(events),
                    "option": pair.prompt.label if path == "Prompting" else label,
                }
            )
    return pd.DataFrame(rows)


def breakeven_month(frame: pd.DataFrame, path: str = "Fine-tuned") -> int | None:
    """The first month from which `path` has cost no more in total than prompting; None if never."""
    wide = frame.pivot(index="month", columns="path", values="cumulative_usd")
    ahead = wide.index[(wide[path] <= wide["Prompting"]) & (wide.index > 0)]
    return int(ahead[0]) if len(ahead) else None


def cumulative_at(frame: pd.DataFrame, month: int) -> pd.Series:
    """Each path's total cost by the end of `month` (a `path_costs` frame), indexed by path."""
    return frame[frame["month"] == month].set_index("path")["cumulative_usd"]


def net_saving(
    scenario: Scenario, pair: Pair, records: Mapping[str, FineTuneOption], assumptions: Assumptions, months: int = 12
) -> float:
    """Prompting's total minus the fine-tuned path's total after `months`."""
    frame = path_costs(scenario, pair, records, months, assumptions)
    last = cumulative_at(frame, months)
    return float(last["Prompting"] - last["Fine-tuned"])


def sensitivity(
    scenario: Scenario,
    pair: Pair,
    records: Mapping[str, FineTuneOption],
    assumptions: Assumptions | None = None,
    months: int = 12,
) -> pd.DataFrame:
    """How far the net saving after `months` moves when each input swings across its range.

    Ranges are the article's where it gives them (examples 3-10, retraining 2-4 a year, price decline
    50-80%), the source's price range for training where known, and half to double otherwise.
    """
    assumptions = assumptions or Assumptions()
    base = net_saving(scenario, pair, records, assumptions, months)
    option = pair.option
    swings: list[tuple[str, str, object, object, str]] = [
        ("Requests per day", "scenario", scenario.requests_per_day * 0.5, scenario.requests_per_day * 2, "half to double"),
        ("Few-shot examples", "scenario", 3, 10, "the article's 3-10 examples in a prompt"),
        (
            "Tokens per example",
            "scenario",
            max(1, scenario.tokens_per_example // 2),
            scenario.tokens_per_example * 2,
            "half to double",
        ),
        ("Output tokens", "scenario", scenario.output_tokens // 2, scenario.output_tokens * 2, "half to double"),
        (
            "Training examples",
            "scenario",
            max(1, scenario.training_examples // 2),
            scenario.training_examples * 2,
            "half to double",
        ),
        ("Retraining cycles a year", "assumptions", 2.0, 4.0, "the article's 2-4"),
        ("Annual price decline", "assumptions", 0.5, 0.8, "the article's 50-80%"),
        ("Monthly volume growth", "assumptions", 0.0, 0.05, "flat to 5% a month"),
    ]
    rows = []
    for name, target, low, high, basis in swings:
        results = []
        for value in (low, high):
            field = {
                "Requests per day": "requests_per_day",
                "Few-shot examples": "examples",
                "Tokens per example": "tokens_per_example",
                "Output tokens": "output_tokens",
                "Training examples": "training_examples",
                "Retraining cycles a year": "retrains_per_year",
                "Annual price decline": "annual_price_decline",
                "Monthly volume growth": "monthly_growth",
            }[name]
            if target == "scenario":
                results.append(net_saving(replace(scenario, **{field: value}), pair, records, assumptions, months))
            else:
                results.append(net_saving(scenario, pair, records, replace(assumptions, **{field: value}), months))
        rows.append(
            {
                "input": name,
                "low_value": low,
                "high_value": high,
                "saving_low": results[0],
                "saving_high": results[1],
                "basis": basis,
            }
        )
    low_price, high_price, price = option.training_price_low_usd, option.training_price_high_usd, option.training_price_usd
    if low_price is not None and high_price is not None and price and scenario.training_price is None:
        frame = path_costs(scenario, pair, records, months, assumptions)
        training_total = frame.loc[frame["path"] == "Fine-tuned", "training_usd"].sum()
        engineering = (
            assumptions.engineering_hours * assumptions.hourly_rate
            + scenario.training_examples * assumptions.data_cost_per_example
        )
        cycles = (frame.loc[frame["path"] == "Fine-tuned", "training_usd"] > 0).sum()
        runs_only = training_total - engineering * cycles
        rows.append(
            {
                "input": "Training price",
                "low_value": low_price,
                "high_value": high_price,
                "saving_low": base + runs_only * (1 - low_price / price),
                "saving_high": base + runs_only * (1 - high_price / price),
                "basis": "the source's price range",
            }
        )
    table = pd.DataFrame(rows)
    table["base"] = base
    table["span"] = (table["saving_high"] - table["saving_low"]).abs()
    return table.sort_values("span", ascending=False).reset_index(drop=True)
