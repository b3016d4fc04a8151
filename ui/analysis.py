"""Cached calls into calc/ for the pages: one computation per distinct scenario, shared by sessions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from calc.article import low_volume_check, recompute_inference_table
from calc.bands import band_for, band_spans
from calc.costs import CostSummary, Crossover, crossover, cumulative_costs, summarize, volume_curves, volume_grid
from calc.querystring import INT_PARAMS
from calc.scenario import Scenario

VOLUME_LOW = INT_PARAMS["requests_per_day"].minimum
VOLUME_HIGH = INT_PARAMS["requests_per_day"].maximum


@dataclass(frozen=True)
class VolumeAnalysis:
    """Everything the home page shows for one scenario."""

    summary: CostSummary
    other_mode: CostSummary
    curves: pd.DataFrame
    spans: pd.DataFrame
    crossover: Crossover | None
    cumulative: pd.DataFrame
    band: pd.Series


@st.cache_data(show_spinner=False, max_entries=2_000)
def volume_analysis(scenario: Scenario) -> VolumeAnalysis:
    """Costs, curves over 241 log-spaced volumes, crossover, cumulative months and band."""
    other = "article" if scenario.pricing == "full" else "full"
    summary = summarize(scenario)
    return VolumeAnalysis(
        summary=summary,
        other_mode=summarize(Scenario(**{**scenario.__dict__, "pricing": other})),
        curves=volume_curves(scenario, volume_grid(VOLUME_LOW, VOLUME_HIGH)),
        spans=band_spans(VOLUME_LOW, VOLUME_HIGH),
        crossover=crossover(scenario),
        cumulative=cumulative_costs(scenario, scenario.horizon_months),
        band=band_for(scenario.requests_per_day),
    )


@st.cache_data(show_spinner=False)
def article_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The article's inference table and its low-volume claim, recomputed."""
    return recompute_inference_table(), low_volume_check()
