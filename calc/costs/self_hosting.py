"""Self-hosting the fine-tuned model vs the managed option, by daily volume: serving cost only, training left out.

Self-hosted = always-on GPUs from data/gpus.csv, as many as the larger of the memory rule (calc/costs/gpu.py) and
the throughput rule (calc/costs/serving.py). Managed = the pair's fine-tuned option at each volume, exactly as
`summarize` prices it there (per-token cost x volume + its fixed fee, which steps for dedicated GPUs).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from calc.catalogue.options import HOURS_PER_DAY
from calc.costs.gpu import gpu_table, serving_gpus
from calc.costs.pair import Pair
from calc.costs.serving import SECONDS_PER_DAY, HostingSteps, ServingPlan, option_steps, scenario_plan
from calc.costs.summary import summarize
from calc.scenario import LIMITS, Scenario

SELF_HOSTED = "Self-hosted"
MANAGED = "Managed fine-tuned"
GRID_POINTS = 400
MAX_STEP_POINTS = 300  # beyond this many GPU steps in range the line is drawn without vertical risers


def self_hosted_plan(scenario: Scenario, params_b: float, gpu: str, requests_per_day: float | None = None) -> ServingPlan:
    """Self-hosting `params_b` on `gpu` at the scenario's volume (or `requests_per_day`): GPUs = max(memory, throughput)."""
    price = float(gpu_table().loc[gpu, "price_per_gpu_hour"])
    return scenario_plan(scenario, params_b, gpu, price, serving_gpus(params_b, gpu), requests_per_day)


def self_hosted_steps(scenario: Scenario, params_b: float, gpu: str) -> HostingSteps:
    """The self-hosted monthly cost as steps in daily volume."""
    plan = self_hosted_plan(scenario, params_b, gpu, 0)
    return HostingSteps(
        min_gpus=plan.gpus,
        gpus_per_request_per_day=scenario.output_tokens / SECONDS_PER_DAY * scenario.peak_factor / plan.per_gpu_tokens_per_s,
        usd_per_gpu_month=plan.usd_per_gpu_hour * HOURS_PER_DAY * scenario.days_per_month,
        base_usd=0.0,
    )


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


def _managed(scenario: Scenario, pair: Pair) -> tuple[float, float, HostingSteps | None]:
    """(per-request USD, flat monthly fee, fee steps or None) of the managed option: `summarize`'s own terms."""
    summary = summarize(replace(scenario, requests_per_day=0), pair)
    return summary.fine_tuned_request.usd, summary.hosting_monthly_usd, option_steps(scenario, pair.option)


def _costs(
    volumes: np.ndarray, days: int, own: HostingSteps, managed: tuple[float, float, HostingSteps | None]
) -> tuple[np.ndarray, np.ndarray]:
    per_request, flat, steps = managed
    fee = np.full(volumes.shape, flat) if steps is None else steps.monthly_usd(volumes)
    return own.monthly_usd(volumes), volumes * days * per_request + fee


def _edge(low: float, high: float, days: int, own: HostingSteps, managed: tuple[float, float, HostingSteps | None]) -> float:
    """The volume in (low, high] where self-hosting turns cheaper (`low` is not cheaper, `high` is), by bisection."""
    for _ in range(80):
        middle = (low + high) / 2
        a, b = _costs(np.array([middle]), days, own, managed)
        if a[0] <= b[0] + 1e-9:
            high = middle
        else:
            low = middle
    return high


def cheaper_ranges(
    grid: np.ndarray, days: int, own: HostingSteps, managed: tuple[float, float, HostingSteps | None]
) -> tuple[tuple[float, float | None], ...]:
    """Volume ranges (start, end; None: to the end of `grid`) where self-hosted <= managed.

    `grid` is sorted and holds every step boundary, so between neighbours self-hosting is flat and the managed
    cost rises: a range starts between two points (found by bisection) and ends at a boundary (a grid point).
    """
    self_hosted, managed_cost = _costs(grid, days, own, managed)
    cheaper = self_hosted <= managed_cost + 1e-9
    ranges: list[tuple[float, float | None]] = []
    start: float | None = None
    for i, now in enumerate(cheaper):
        if now and start is None:
            start = float(grid[0]) if i == 0 else _edge(float(grid[i - 1]), float(grid[i]), days, own, managed)
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
    own = self_hosted_steps(scenario, params_b, gpu)
    managed = _managed(scenario, pair)
    managed_steps = managed[2]
    boundaries = own.boundaries(low, high)
    managed_boundaries = managed_steps.boundaries(low, high) if managed_steps is not None else np.array([])
    volumes = np.geomspace(low, high, GRID_POINTS)
    volumes = _with_risers(_with_risers(volumes, boundaries), managed_boundaries)
    self_hosted, managed_cost = _costs(volumes, scenario.days_per_month, own, managed)
    label = f"{MANAGED}: {pair.option.label}"
    frame = pd.DataFrame(
        {
            "requests_per_day": np.concatenate([volumes, volumes]),
            "line": [f"{SELF_HOSTED} on {gpu}"] * volumes.size + [label] * volumes.size,
            "monthly_cost_usd": np.concatenate([self_hosted, managed_cost]),
            "gpus": np.concatenate(
                [own.gpus(volumes), managed_steps.gpus(volumes) if managed_steps is not None else np.zeros(volumes.size, int)]
            ),
        }
    )
    search = np.unique(
        np.concatenate([[0.0], np.geomspace(1e-3, top, 4_000), own.boundaries(0, top), managed_boundaries, boundaries])
    )
    if managed_steps is not None:
        search = np.unique(np.concatenate([search, managed_steps.boundaries(0, top)]))
    plan = self_hosted_plan(scenario, params_b, gpu)
    current = summarize(scenario, pair).monthly_fine_tuned_usd
    return ServingComparison(
        frame=frame,
        plan=plan,
        managed_monthly_usd=current,
        managed_label=label,
        cheaper=cheaper_ranges(search, scenario.days_per_month, own, managed),
        cheaper_now=plan.monthly_usd <= current + 1e-9,
        low=low,
        high=high,
    )
