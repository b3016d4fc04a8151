"""Cached calls into calc/ for the pages: one computation per distinct scenario, shared by sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd
import streamlit as st

from calc.article.bands import band_for, band_spans
from calc.article.reproduction import low_volume_check, recompute_inference_table
from calc.catalogue.price_sources import pinned
from calc.costs.caching import with_cache_hit
from calc.costs.pair import (
    CostSummary,
    Crossover,
    Pair,
    crossover,
    cumulative_costs,
    resolve_pair,
    summarize,
    volume_curves,
    volume_grid,
)
from calc.costs.ranking import PricedRoute, PricedRoutes, cheapest_at, price_routes
from calc.inputs.querystring import INT_PARAMS
from calc.scenario import Scenario
from ui.chart_specs import label_bands
from ui.format import count, usd
from ui.result_store import ResultStore

VOLUME_LOW = INT_PARAMS["requests_per_day"].minimum
VOLUME_HIGH = INT_PARAMS["requests_per_day"].maximum


@dataclass(frozen=True)
class VolumeAnalysis:
    """Everything the home page shows for one scenario and its pair."""

    pair: Pair
    summary: CostSummary
    other_mode: CostSummary
    unbatched: CostSummary
    all_batched: CostSummary
    curves: pd.DataFrame
    spans: pd.DataFrame
    crossover: Crossover | None
    cumulative: pd.DataFrame
    band: dict
    cheapest: tuple[PricedRoute, float] | None = None  # the cheapest usable route at this volume, and its monthly cost


@lru_cache(maxsize=1)
def chart_bands() -> pd.DataFrame:
    """The volume bands clipped to the chart's range and labelled; the same for every scenario (read-only)."""
    return label_bands(band_spans(VOLUME_LOW, VOLUME_HIGH))


def volume_analysis(
    scenario: Scenario, on: dt.date, options: pd.DataFrame | None = None, version: str | None = None
) -> VolumeAnalysis:
    """Costs, curves over 241 log-spaced volumes, crossover, cumulative months and band, for prices on `on`.

    `options` is the session's edited price table, or None for the one in force (shipped or the team's). `version`
    pins the price data (calc/catalogue/price_sources.py; None: the data in force now), so a page that read it once shows one
    version throughout. Results for the tables in force are kept per process in a store bounded in bytes
    (SHIPPED_ANALYSES), keyed on the data's version: computing one takes ~2 ms, while st.cache_data's hashing and
    copying measured more than that on every rerun. Raises ValueError when the pair cannot be resolved.
    """
    data = pinned(version)
    if options is None:
        key = (scenario, on, data.version)
        return SHIPPED_ANALYSES.get(key, lambda: _shipped_analysis(scenario, on, data.version, data.options.table))
    pair = resolve_pair(scenario, options, on, data.version)
    return _analysis(scenario, pair, _lines(scenario, pair, options, data.version))


@dataclass(frozen=True)
class VolumeLines:
    """What does not move with the volume: both cost lines, where they cross, and every route priced."""

    curves: pd.DataFrame
    crossover: Crossover | None
    routes: PricedRoutes


def _lines(scenario: Scenario, pair: Pair, options: pd.DataFrame | None, version: str) -> VolumeLines:
    curves = volume_curves(scenario, volume_grid(VOLUME_LOW, VOLUME_HIGH), pair)
    return VolumeLines(curves, crossover(scenario, pair), price_routes(scenario, pair.on, options, version))


def _shipped_analysis(scenario: Scenario, on: dt.date, version: str, options: pd.DataFrame | None) -> VolumeAnalysis:
    """An analysis at the prices of `version` whose lines are shared with every other volume of the same scenario.

    A slider move changes only the volume: the lines (and so the chart's data, converted once) stay the same objects.
    """
    pair = resolve_pair(scenario, options, on, version)
    flat = replace(with_cache_hit(scenario), requests_per_day=VOLUME_LOW)
    return _analysis(scenario, pair, SHIPPED_LINES.get((flat, on, version), lambda: _lines(flat, pair, options, version)))


#: One kept analysis's records (summaries, pair, band) and what the page derives from it and keeps while it lives
#: (ui/object_memo.py): its text, its two chart specs and their small datasets in Arrow form. Measured on 2026-12-06 at
#: 84-87 KB in all with the cumulative table (the first analyses of a process at the top: lazy caches fill), of which
#: ~35 KB is the volume chart's spec; 88-91 KB while each reasoning lookup left a namedtuple class for the garbage
#: collector, and ~80 KB before the cards said what reasoning adds and the verdict's text grew. The allowance keeps
#: ~8% over the measurement; tests/unit/test_chart_payload.py checks the count covers it.
PAGE_ALLOWANCE_BYTES = 88 * 1024


def analysis_bytes(result: VolumeAnalysis) -> int:
    """What one kept analysis holds: its cumulative table and what the page derives from it (the lines are shared)."""
    return int(result.cumulative.memory_usage(deep=True).sum()) + 4 * 1024 + PAGE_ALLOWANCE_BYTES


def lines_bytes(lines: VolumeLines) -> int:
    """What one kept pair of lines holds: the curves, the drawn (positive) part and its Arrow form, about 3x, and the
    priced routes (~1 KB each)."""
    return 3 * int(lines.curves.memory_usage(deep=True).sum()) + 1024 * (1 + len(lines.routes.routes))


#: Analyses of the shipped prices, shared by every session: a link's scenario is computed once while it stays here.
#: Bounded in bytes (about 440 distinct links with what the page derives from them), least recently used out first;
#: one that was dropped is recomputed in ~3 ms.
SHIPPED_ANALYSES = ResultStore(40 * 1024 * 1024, analysis_bytes)
#: The volume-independent lines of those analyses, one per scenario whatever its volume.
SHIPPED_LINES = ResultStore(12 * 1024 * 1024, lines_bytes)


def scenario_routes(
    scenario: Scenario, on: dt.date, options: pd.DataFrame | None = None, version: str | None = None
) -> PricedRoutes:
    """Every route priced for the scenario on `on`: for the tables in force the very object the home page's lines
    hold (one pricing per scenario and price version whatever its volume, shared by sessions); for an edited table,
    priced now."""
    data = pinned(version)
    if options is not None:
        return price_routes(scenario, on, options, data.version)
    flat = replace(with_cache_hit(scenario), requests_per_day=VOLUME_LOW)
    team = data.options.table

    def compute() -> VolumeLines:
        return _lines(flat, resolve_pair(flat, team, on, data.version), team, data.version)

    return SHIPPED_LINES.get((flat, on, data.version), compute).routes


def _analysis(scenario: Scenario, pair: Pair, lines: VolumeLines) -> VolumeAnalysis:
    other = "article" if scenario.pricing == "full" else "full"
    summary = summarize(scenario, pair)
    return VolumeAnalysis(
        pair=pair,
        summary=summary,
        other_mode=summarize(replace(scenario, pricing=other), pair),
        unbatched=summarize(replace(scenario, batch_pct=0), pair) if scenario.batch_pct else summary,
        all_batched=summarize(replace(scenario, batch_pct=100), pair) if scenario.batch_pct != 100 else summary,
        curves=lines.curves,
        spans=chart_bands(),
        crossover=lines.crossover,
        cumulative=cumulative_costs(scenario, scenario.horizon_months, pair),
        band=band_for(scenario.requests_per_day),
        cheapest=cheapest_at(lines.routes, scenario.requests_per_day),
    )


@dataclass(frozen=True)
class ArticleView:
    """The article's inference table formatted for display, and its low-volume claim checked."""

    table: pd.DataFrame
    full_pricing_never: int
    low_volume_best: float
    low_volume_worst: float


def _month_range(pair: tuple[float | None, float | None]) -> str:
    low, high = pair
    return "never" if low is None or high is None else f"{low:.1f}-{high:.1f} months"


@st.cache_data(show_spinner=False)
def article_view() -> ArticleView:
    """The article's inference table recomputed in both pricing modes, formatted once per process."""
    table, low_volume = recompute_inference_table(), low_volume_check()
    shown = pd.DataFrame(
        {
            "Scenario": table["scenario"],
            "Input tokens (5 examples -> fine-tuned)": [
                f"{count(a)} -> {count(b)}"
                for a, b in zip(table["input_tokens_prompting"], table["input_tokens_fine_tuned"], strict=True)
            ],
            "Output tokens": table["output_tokens"].map(count),
            "Article: savings/month": table["stated_monthly_savings_usd"].map(usd),
            "Recomputed, article convention": table["article_convention_savings_usd"].map(usd),
            "Recomputed, full pricing": table["full_pricing_savings_usd"].map(usd),
            "Article: breakeven": table["stated_breakeven"],
            "Breakeven, article convention": table["article_convention_breakeven_months"].map(_month_range),
            "Breakeven, full pricing": table["full_pricing_breakeven_months"].map(_month_range),
        }
    )
    return ArticleView(
        table=shown,
        full_pricing_never=int((table["full_pricing_savings_usd"] <= 0).sum()),
        low_volume_best=float(low_volume["breakeven_low_months"].min()),
        low_volume_worst=float(low_volume["breakeven_high_months"].max()),
    )
