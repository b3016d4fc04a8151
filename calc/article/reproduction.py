"""The article's inference-savings table and its low-volume claim, recomputed in both pricing modes."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from calc.catalogue.options import get_option
from calc.catalogue.prompt_models import base_prompt_ref
from calc.catalogue.tables import load_inference_scenarios
from calc.costs.pair import breakeven_months, resolve_pair, summarize
from calc.scenario import Scenario

LOW_VOLUME_CLAIM = "At 100 requests/day, breakeven extends to 6-18 months"
LOW_VOLUME = 100
#: The article's figures are for gpt-4o-mini while it was served; its base prices are read as of this date.
ARTICLE_PRICES_ON = dt.date(2026, 11, 29)


def _scenario(row: pd.Series, pricing: str, requests_per_day: float) -> Scenario:
    return Scenario(
        requests_per_day=requests_per_day,
        examples=1,
        tokens_per_example=int(row["input_tokens_prompting"] - row["input_tokens_fine_tuned"]),
        instruction_tokens=int(row["input_tokens_fine_tuned"]),
        output_tokens=int(row["output_tokens"]),
        option=row["option_id"],
        prompt_model=base_prompt_ref(get_option(row["option_id"])) or Scenario().prompt_model,
        pricing=pricing,
    )


def _savings(row: pd.Series, pricing: str, on: dt.date, requests_per_day: float) -> float:
    scenario = _scenario(row, pricing, requests_per_day)
    return summarize(scenario, resolve_pair(scenario, None, on)).monthly_savings_usd


def _months_range(row: pd.Series, savings: float) -> tuple[float | None, float | None]:
    return (
        breakeven_months(row["typical_training_low_usd"], savings),
        breakeven_months(row["typical_training_high_usd"], savings),
    )


def recompute_inference_table(on: dt.date = ARTICLE_PRICES_ON) -> pd.DataFrame:
    """The four scenarios: the article's figures beside the article convention and full pricing.

    Each scenario prompts the option's own base model (the article's setting), at prices in force on
    `on` (by default a fixed date while gpt-4o-mini is still served, so the reproduction does not move).
    Breakeven ranges use the article's typical gpt-4o-mini training run ($15-75).
    """
    records = []
    for _, row in load_inference_scenarios().iterrows():
        volume = float(row["requests_per_day"])
        article = _savings(row, "article", on, volume)
        full = _savings(row, "full", on, volume)
        records.append(
            {
                "scenario": row["scenario"],
                "input_tokens_prompting": int(row["input_tokens_prompting"]),
                "input_tokens_fine_tuned": int(row["input_tokens_fine_tuned"]),
                "output_tokens": int(row["output_tokens"]),
                "stated_monthly_savings_usd": float(row["stated_monthly_savings_usd"]),
                "article_convention_savings_usd": article,
                "full_pricing_savings_usd": full,
                "stated_breakeven": row["stated_breakeven"],
                "article_convention_breakeven_months": _months_range(row, article),
                "full_pricing_breakeven_months": _months_range(row, full),
            }
        )
    return pd.DataFrame.from_records(records)


def low_volume_check(on: dt.date = ARTICLE_PRICES_ON) -> pd.DataFrame:
    """Breakeven at 100 requests/day for each scenario under the article's own convention.

    The article claims 6-18 months; its own figures give far longer.
    """
    records = []
    for _, row in load_inference_scenarios().iterrows():
        savings = _savings(row, "article", on, LOW_VOLUME)
        low, high = _months_range(row, savings)
        records.append(
            {
                "scenario": row["scenario"],
                "monthly_savings_usd": savings,
                "breakeven_low_months": low,
                "breakeven_high_months": high,
            }
        )
    return pd.DataFrame.from_records(records)
