"""Total cost over time: retraining, price declines, volume growth and retiring models, month by month.

Three paths: prompting, fine-tuned, and the hybrid (fine-tuned + dynamic examples), each walked as routes on each
month's date. Training, each retraining and a migration are paid in the month they happen. A fine-tune is never
retrained on a route that takes no new jobs that month: it moves first to the option's live successor (our assumed
one, named), or keeps serving the last fine-tune until the shutdown and then falls back to prompting. The prompting
path moves to its model's named successor when the model shuts down.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from calc.catalogue.options import FineTuneOption
from calc.catalogue.prompt_models import resolve_prompt_model
from calc.catalogue.status import option_status
from calc.costs.pair import Pair
from calc.costs.routes import FineTuneRoute, PromptRoute, RouteCosts
from calc.costs.upfront import NO_WORK
from calc.costs.workload import scenario_workload, with_dynamic_examples
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
    """What the lifecycle adds to a Scenario; defaults follow the article where it gives figures. The work before
    each training (labels, engineering, the evaluation set) is the Scenario's (calc/costs/upfront.py)."""

    retrains_per_year: float = 3.0  # the article: 2-4 retraining cycles a year
    annual_price_decline: float = 0.5  # the article: 50-80% a year; applies to per-token prices
    monthly_growth: float = 0.0  # requests/day growth per month
    hybrid_examples: int = 2

    def __post_init__(self) -> None:
        checks = {
            "retrains_per_year": (0, 12),
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


def month_date(start: dt.date, month: int) -> dt.date:
    """The date `month` calendar months after `start` (the day clipped to the month's length)."""
    index = start.month - 1 + month
    year, month_of_year = start.year + index // 12, index % 12 + 1
    return dt.date(year, month_of_year, min(start.day, calendar.monthrange(year, month_of_year)[1]))


def _cycle_cost(costs: RouteCosts, price_factor: float, first: bool) -> float:
    """One training (its price declining by `price_factor`) and the work before it, as RouteCosts prices it: the first
    training pays all of it; a retraining or migration repeats the labels and engineering, not the evaluation set."""
    work = costs.work or NO_WORK
    return costs.training_usd * price_factor + (work.total_usd if first else work.per_cycle_usd)


def live_successor(option: FineTuneOption, records: Mapping[str, FineTuneOption], on: dt.date) -> FineTuneOption | None:
    """The option a migration moves to: the named successor if a new customer can train on it on `on`, else None."""
    if option.successor is None or option.successor not in records:
        return None
    successor = records[option.successor]
    return successor if option_status(successor, on).usable_by_new_customer else None


def can_train(option: FineTuneOption, on: dt.date, new_customer: bool) -> bool:
    """Whether a job can be started on `option` on `on`: a new customer needs it open to new customers; a team
    that already fine-tuned it can retrain until jobs close."""
    status = option_status(option, on)
    return status.usable_by_new_customer if new_customer else status.state not in ("no_new_jobs", "shut_down")


@dataclass
class _TunedPath:
    """Where the fine-tuned (and hybrid) path stands while walking the months."""

    option: FineTuneOption | None
    costs: RouteCosts | None = None
    hybrid: RouteCosts | None = None
    shut_down_seen: bool = False
    trained: bool = False  # a first training (and so the evaluation set) has been paid


@dataclass
class _PromptPath:
    route: PromptRoute
    costs: RouteCosts
    shut_down_seen: bool = False


def _prompt_month(path: _PromptPath, scenario: Scenario, on: dt.date) -> list[str]:
    """Move the prompting path to its model's named successor once the model has shut down on `on`."""
    status = path.route.status(on)
    if status.state != "shut_down" or path.shut_down_seen:
        return []
    path.shut_down_seen = True
    model = path.route.model
    if model.successor_ref is None:
        return [f"{model.label} shut down {model.shutdown}: no named successor, priced as before"]
    try:
        successor = PromptRoute(resolve_prompt_model(model.successor_ref, on))
    except ValueError:
        return [f"{model.label} shut down {model.shutdown}: its successor {model.successor_ref} is not in the catalogue"]
    path.route, path.costs, path.shut_down_seen = successor, successor.costs(scenario), False
    return [f"prompting moves to {successor.label} ({model.label} shut down {model.shutdown})"]


def path_costs(
    scenario: Scenario,
    pair: Pair,
    records: Mapping[str, FineTuneOption],
    months: int,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """One row per month (0..months) and path: its date, monthly cost, cumulative cost, training and the month's
    events, and the model or option serving it. Month 0 is the pair's date; month m is m calendar months later.
    """
    assumptions = assumptions or Assumptions()
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
        raise ValueError(f"months must be a whole number from 1 to 120, not {months!r}.")
    retrains = set(retrain_months(assumptions.retrains_per_year, months))
    workload = scenario_workload(scenario)
    prompt = _PromptPath(pair.prompting, pair.prompting.costs(scenario, workload))
    tuned = _TunedPath(None)
    rows = []
    totals = dict.fromkeys(PATHS, 0.0)
    for month in range(months + 1):
        on = month_date(pair.on, month)
        factor = (1 - assumptions.annual_price_decline) ** (month / 12)
        volume = scenario.requests_per_day * (1 + assumptions.monthly_growth) ** month
        requests = volume * scenario.days_per_month if month > 0 else 0.0
        prompt_events = _prompt_month(prompt, scenario, on)
        prompting_usd = prompt.costs.request.usd * factor * requests
        events, training = _tuned_month(tuned, pair, records, scenario, on, month, month in retrains, assumptions, factor)
        if tuned.costs is None:
            fine_tuned_usd = hybrid_usd = prompting_usd
            label = prompt.route.label + " (prompting: no fine-tune to serve)"
        else:
            assert tuned.hybrid is not None and tuned.option is not None
            fee, hybrid_fee = (tuned.costs.fee.at(volume), tuned.hybrid.fee.at(volume)) if month > 0 else (0.0, 0.0)
            upkeep = tuned.costs.upkeep_usd if month > 0 else 0.0
            fine_tuned_usd = tuned.costs.request.usd * factor * requests + fee + upkeep + training
            hybrid_usd = tuned.hybrid.request.usd * factor * requests + hybrid_fee + upkeep + training
            label = tuned.option.label
        monthly = {"Prompting": prompting_usd, "Fine-tuned": fine_tuned_usd, "Hybrid": hybrid_usd}
        for path in PATHS:
            totals[path] += monthly[path]
            prompting = path == "Prompting"
            rows.append(
                {
                    "month": month,
                    "date": on.isoformat(),
                    "path": path,
                    "monthly_usd": monthly[path],
                    "cumulative_usd": totals[path],
                    "training_usd": 0.0 if prompting else training,
                    "event": ", ".join(prompt_events if prompting else events),
                    "option": prompt.route.label if prompting else label,
                }
            )
    return pd.DataFrame(rows)


def _tuned_month(
    path: _TunedPath,
    pair: Pair,
    records: Mapping[str, FineTuneOption],
    scenario: Scenario,
    on: dt.date,
    month: int,
    retrain_due: bool,
    assumptions: Assumptions,
    factor: float,
) -> tuple[list[str], float]:
    """The fine-tuned path's events and training spend in month `month` (date `on`), updating `path`."""
    events: list[str] = []
    if month == 0:
        return _start(path, pair, pair.option, records, scenario, on, assumptions, factor, "initial training")
    option = path.option
    if option is None:
        return events, 0.0
    status = option_status(option, on)
    if status.state == "shut_down" and not path.shut_down_seen:
        path.shut_down_seen = True
        successor = live_successor(option, records, on)
        if successor is None:
            path.option = path.costs = path.hybrid = None
            return [f"{option.label} shut down {option.shutdown}: no live successor, back to prompting"], 0.0
        return _start(path, pair, successor, records, scenario, on, assumptions, factor,
                      f"migration to {successor.label} ({option.label} shut down {option.shutdown})")  # fmt: skip
    if not retrain_due:
        return events, 0.0
    if can_train(option, on, new_customer=False):
        assert path.costs is not None
        return ["retraining"], _cycle_cost(path.costs, factor, first=False)
    successor = live_successor(option, records, on)
    if successor is None:
        return [f"no retraining: {option.label} takes no new jobs ({status.headline}), no live successor"], 0.0
    return _start(path, pair, successor, records, scenario, on, assumptions, factor,
                  f"retraining moves to {successor.label} ({option.label}: {status.headline})")  # fmt: skip


def _start(
    path: _TunedPath,
    pair: Pair,
    option: FineTuneOption,
    records: Mapping[str, FineTuneOption],
    scenario: Scenario,
    on: dt.date,
    assumptions: Assumptions,
    factor: float,
    event: str,
) -> tuple[list[str], float]:
    """Train `option` from scratch on `on` (a new customer's first job there), or its live successor if it is closed."""
    if not can_train(option, on, new_customer=True):
        successor = live_successor(option, records, on)
        status = option_status(option, on)
        if successor is None:
            path.option = path.costs = path.hybrid = None
            return [f"{option.label} cannot be trained by a new customer ({status.headline}) and has no live successor: "
                    "prompting instead"], 0.0  # fmt: skip
        event = f"{event} on {successor.label} instead ({option.label}: {status.headline})"
        option = successor
    route = FineTuneRoute(option)
    workload = scenario_workload(scenario)
    hybrid = with_dynamic_examples(workload, assumptions.hybrid_examples, scenario.tokens_per_example)
    costs = route.costs(scenario, workload, pair.teacher)
    path.option, path.costs, path.hybrid, path.shut_down_seen = option, costs, route.costs(scenario, hybrid, pair.teacher), False
    first, path.trained = not path.trained, True
    return [event], _cycle_cost(costs, factor, first)


ROUTINE_EVENTS = ("initial training", "retraining")


def lifecycle_events(frame: pd.DataFrame) -> pd.DataFrame:
    """The month-by-month events of a `path_costs` frame worth marking on a chart: retraining cycles and every move
    between routes (a migration, a closed route trained elsewhere, a fallback to prompting, a prompting successor),
    one row per (month, event) with its date, path and kind ("retraining" or "migration")."""
    rows = []
    for row in frame[(frame["event"] != "") & (frame["path"] != "Hybrid")].itertuples(index=False):
        for event in str(row.event).split(", "):
            if event == "initial training":
                continue
            kind = "retraining" if event == "retraining" else "migration"
            rows.append({"month": row.month, "date": row.date, "path": row.path, "event": event, "kind": kind})
    return pd.DataFrame(rows, columns=["month", "date", "path", "event", "kind"])


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
        work = FineTuneRoute(option).costs(scenario, teacher=pair.teacher).work or NO_WORK
        cycles = (frame.loc[frame["path"] == "Fine-tuned", "training_usd"] > 0).sum()
        runs_only = training_total - work.per_cycle_usd * cycles - (work.total_usd - work.per_cycle_usd)
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
