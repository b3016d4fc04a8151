"""Self-hosting the fine-tuned model vs the managed option, by daily volume: serving cost only, training left out.

Both sides are routes priced for the scenario's workload: self-hosted = always-on GPUs from data/gpus.csv, as many as
the larger of the memory rule (calc/costs/gpu.py) and the throughput rule (calc/costs/serving.py); managed = the
pair's fine-tuning route (per-token cost x volume + its fixed fee, which steps for dedicated GPUs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calc.costs.hosting import self_hosted_plan
from calc.costs.pair import Pair
from calc.costs.routes import RouteCosts, SelfHostedRoute
from calc.costs.serving import ServingPlan
from calc.costs.workload import scenario_workload
from calc.scenario import LIMITS, Scenario

SELF_HOSTED = "Self-hosted"
MANAGED = "Managed fine-tuned"
GRID_POINTS = 400
MAX_STEP_POINTS = 300  # beyond this many GPU steps in range the line is drawn without vertical risers


@dataclass(frozen=True)
class ServingComparison:
    """Self-hosted vs managed monthly cost by volume (`frame`, long form) and the volume ranges where self-hosting
    costs no more (`cheaper`; a range ending in None runs to the top of the scenario's volume limit)."""

    frame: pd.DataFrame
    plan: ServingPlan
    managed_monthly_usd: float
    managed_label: str
    cheaper: tuple[tuple[float, float | None], ...]
    cheaper_now: bool
    low: float
    high: float

    @property
    def cheaper_from(self) -> float | None:
        """The smallest volume where self-hosting costs no more than the managed option (None: no volume)."""
        return self.cheaper[0][0] if self.cheaper else None


def _costs(volumes: np.ndarray, own: RouteCosts, managed: RouteCosts) -> tuple[np.ndarray, np.ndarray]:
    return own.monthly_usd(volumes), managed.monthly_usd(volumes)


def _edge(low: float, high: float, own: RouteCosts, managed: RouteCosts) -> float:
    """The volume in (low, high] where self-hosting turns cheaper (`low` is not cheaper, `high` is), by bisection."""
    for _ in range(80):
        middle = (low + high) / 2
        a, b = _costs(np.array([middle]), own, managed)
        if a[0] <= b[0] + 1e-9:
            high = middle
        else:
            low = middle
    return high


def cheaper_ranges(
    grid: np.ndarray, own: RouteCosts, managed: RouteCosts
) -> tuple[tuple[float, float | None], ...]:
    """Volume ranges (start, end; None: to the end of `grid`) where self-hosted <= managed.

    `grid` is sorted and holds every step boundary, so between neighbours self-hosting is flat and the managed
    cost rises: a range starts between two points (found by bisection) and ends at a boundary (a grid point).
    """
    self_hosted, managed_cost = _costs(grid, own, managed)
    cheaper = self_hosted <= managed_cost + 1e-9
    ranges: list[tuple[float, float | None]] = []
    start: float | None = None
    for i, now in enumerate(cheaper):
        if now and start is None:
            start = float(grid[0]) if i == 0 else _edge(float(grid[i - 1]), float(grid[i]), own, managed)
        elif not now and start is not None:
            ranges.append((start, float(grid[i - 1])))
            start = None
    if start is not None:
        ranges.append((start, None))
    return tuple(ranges)


def _with_risers(volumes: np.ndarray, boundaries: np.ndarray) -> np.ndarray:
    """`volumes` plus each step boundary and a point just after it, so a line draws each step as a riser."""
    if boundaries.size > MAX_STEP_POINTS:
        return volumes
    after = boundaries * (1 + 1e-9)
    return np.unique(np.concatenate([volumes, boundaries, after]))


def serving_comparison(
    scenario: Scenario, pair: Pair, params_b: float, gpu: str, low: float = 10, high: float | None = None
) -> ServingComparison:
    """Monthly serving cost by daily volume, self-hosted (steps as GPUs are added) vs the pair's managed option."""
    top = LIMITS["requests_per_day"][1]
    high = min(top, max(10_000_000.0, scenario.requests_per_day * 10)) if high is None else high
    if not 0 < low < high:
        raise ValueError("the volume range needs 0 < low < high.")
    work = scenario_workload(scenario)
    own = SelfHostedRoute(params_b, gpu).costs(scenario, work)
    managed = pair.fine_tuning.costs(scenario, work)
    boundaries = own.fee.boundaries(low, high)
    managed_boundaries = managed.fee.boundaries(low, high)
    volumes = np.geomspace(low, high, GRID_POINTS)
    volumes = _with_risers(_with_risers(volumes, boundaries), managed_boundaries)
    self_hosted, managed_cost = _costs(volumes, own, managed)
    label = f"{MANAGED}: {pair.option.label}"
    frame = pd.DataFrame(
        {
            "requests_per_day": np.concatenate([volumes, volumes]),
            "line": [f"{SELF_HOSTED} on {gpu}"] * volumes.size + [label] * volumes.size,
            "monthly_cost_usd": np.concatenate([self_hosted, managed_cost]),
            "gpus": np.concatenate([own.fee.units(volumes), managed.fee.units(volumes) if managed.fee.steps else
                                    np.zeros(volumes.size, int)]),
        }
    )
    search = np.unique(
        np.concatenate([[0.0], np.geomspace(1e-3, top, 4_000), own.fee.boundaries(0, top), managed.fee.boundaries(0, top)])
    )
    plan = self_hosted_plan(params_b, gpu, work)
    current = managed.monthly_at(scenario.requests_per_day)
    return ServingComparison(
        frame=frame,
        plan=plan,
        managed_monthly_usd=current,
        managed_label=label,
        cheaper=cheaper_ranges(search, own, managed),
        cheaper_now=plan.monthly_usd <= current + 1e-9,
        low=low,
        high=high,
    )
