"""Per-request, monthly and cumulative cost of prompting vs a fine-tuned model, and breakeven.

Two pricing modes:
- "full": prompting is billed at the base model's prices (instructions + examples), the
  fine-tuned model at its own (higher) prices for instructions only, plus any hosting.
- "article": every token at the fine-tuned model's prices, so the saving is just the removed
  example tokens at the fine-tuned input price, as the article computes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calc.scenario import Scenario
from calc.tables import Option, default_option_rows, option_rows
from calc.training import TrainingCost, training_cost

CACHE_MIN_PREFIX_TOKENS = 1_024
HOURS_PER_DAY = 24
APPROACHES = ("Prompting", "Fine-tuned")


def get_option(option_id: str, options: pd.DataFrame | None = None) -> Option:
    """The option `option_id` from `options` (default: the shipped table), or ValueError listing the ids."""
    rows = default_option_rows() if options is None else option_rows(options)
    if option_id not in rows:
        raise ValueError(f"Unknown fine-tuning option {option_id!r}; known: {', '.join(rows)}.")
    return rows[option_id]


def _price(option: Option, column: str, fallback: str | None = None) -> float:
    """A per-1M price from `option`; an empty cached price falls back to the uncached one."""
    value = option[column]
    if pd.isna(value) and fallback is not None:
        value = option[fallback]
    return 0.0 if pd.isna(value) else float(value)


@dataclass(frozen=True)
class RequestCost:
    """Dollar cost of one request on one side, with the token split behind it."""

    input_tokens: int
    cached_tokens: int
    output_tokens: int
    usd: float


def _article_prefix(option: Option) -> str:
    """Which prices the article convention uses: tuned ones, or base ones where tuned are per GPU-hour."""
    return "tuned" if _price(option, "tuned_input_per_mtok") > 0 else "base"


def _request_cost(input_tokens: int, output_tokens: int, option: Option, prefix: str, cacheable: bool) -> RequestCost:
    cached = input_tokens if cacheable else 0
    usd = (
        (input_tokens - cached) * _price(option, f"{prefix}_input_per_mtok")
        + cached * _price(option, f"{prefix}_cached_input_per_mtok", f"{prefix}_input_per_mtok")
        + output_tokens * _price(option, f"{prefix}_output_per_mtok")
    ) / 1e6
    return RequestCost(input_tokens, cached, output_tokens, usd)


def request_costs(scenario: Scenario, option: Option) -> tuple[RequestCost, RequestCost]:
    """(prompting, fine-tuned) cost of one request under the scenario's pricing mode.

    With caching on (full pricing only; the article ignores caching), a static prefix of at least
    1,024 tokens is billed at the cached-input price, OpenAI's rule for prompt caching.
    """
    if scenario.pricing == "article":
        prefix = _article_prefix(option)
        return (
            _request_cost(scenario.prompt_input_tokens, scenario.output_tokens, option, prefix, False),
            _request_cost(scenario.instruction_tokens, scenario.output_tokens, option, prefix, False),
        )
    return (
        _request_cost(
            scenario.prompt_input_tokens,
            scenario.output_tokens,
            option,
            "base",
            scenario.caching and scenario.prompt_input_tokens >= CACHE_MIN_PREFIX_TOKENS,
        ),
        _request_cost(
            scenario.instruction_tokens,
            scenario.output_tokens,
            option,
            "tuned",
            scenario.caching and scenario.instruction_tokens >= CACHE_MIN_PREFIX_TOKENS,
        ),
    )


def hybrid_request_cost(scenario: Scenario, dynamic_examples: int, option: Option) -> RequestCost:
    """One request to the fine-tuned model that still carries `dynamic_examples` few-shot examples."""
    if isinstance(dynamic_examples, bool) or not isinstance(dynamic_examples, int) or not 0 <= dynamic_examples <= 1_000:
        raise ValueError(f"dynamic_examples must be a whole number from 0 to 1,000, not {dynamic_examples!r}.")
    input_tokens = scenario.instruction_tokens + dynamic_examples * scenario.tokens_per_example
    if scenario.pricing == "article":
        return _request_cost(input_tokens, scenario.output_tokens, option, _article_prefix(option), False)
    cacheable = scenario.caching and scenario.instruction_tokens >= CACHE_MIN_PREFIX_TOKENS
    request = _request_cost(input_tokens, scenario.output_tokens, option, "tuned", False)
    if not cacheable:
        return request
    cached = _request_cost(scenario.instruction_tokens, 0, option, "tuned", True)
    plain = _request_cost(scenario.instruction_tokens, 0, option, "tuned", False)
    return RequestCost(input_tokens, scenario.instruction_tokens, scenario.output_tokens, request.usd - plain.usd + cached.usd)


def hybrid_monthly(scenario: Scenario, dynamic_examples: int, options: pd.DataFrame | None = None) -> float:
    """Monthly cost of the hybrid: fine-tuned model + `dynamic_examples` examples per request (+ hosting).

    Only the static instructions can be cached; dynamic examples change per request.
    """
    option = get_option(scenario.option, options)
    request = hybrid_request_cost(scenario, dynamic_examples, option)
    return request.usd * scenario.requests_per_month + hosting_per_month(option, scenario.days_per_month)


def hosting_per_month(option: Option, days_per_month: int = 30) -> float:
    """Fixed monthly cost of keeping the fine-tuned model's hardware up (0 when per-token only)."""
    return _price(option, "hosting_usd_per_hour") * HOURS_PER_DAY * days_per_month


def breakeven_months(training_usd: float, monthly_savings_usd: float) -> float | None:
    """Months for savings to repay training; None ("never") when savings are zero or negative."""
    if monthly_savings_usd <= 0:
        return None
    return max(training_usd, 0.0) / monthly_savings_usd


@dataclass(frozen=True)
class CostSummary:
    """The headline numbers of a scenario."""

    prompting_request: RequestCost
    fine_tuned_request: RequestCost
    monthly_prompting_usd: float
    monthly_fine_tuned_usd: float
    hosting_monthly_usd: float
    training: TrainingCost
    breakeven_months: float | None

    @property
    def monthly_savings_usd(self) -> float:
        return self.monthly_prompting_usd - self.monthly_fine_tuned_usd


def summarize(scenario: Scenario, options: pd.DataFrame | None = None) -> CostSummary:
    """Monthly costs, savings, training cost and breakeven for `scenario`."""
    option = get_option(scenario.option, options)
    prompting, fine_tuned = request_costs(scenario, option)
    hosting = hosting_per_month(option, scenario.days_per_month)
    monthly_prompting = prompting.usd * scenario.requests_per_month
    monthly_fine_tuned = fine_tuned.usd * scenario.requests_per_month + hosting
    training = training_cost(scenario, option)
    return CostSummary(
        prompting_request=prompting,
        fine_tuned_request=fine_tuned,
        monthly_prompting_usd=monthly_prompting,
        monthly_fine_tuned_usd=monthly_fine_tuned,
        hosting_monthly_usd=hosting,
        training=training,
        breakeven_months=breakeven_months(training.cost_usd, monthly_prompting - monthly_fine_tuned),
    )


def volume_grid(low: float = 10, high: float = 1_000_000, points: int = 241) -> np.ndarray:
    """Log-spaced requests/day from `low` to `high`."""
    if not 0 < low < high or points < 2:
        raise ValueError("volume grid needs 0 < low < high and at least 2 points.")
    return np.geomspace(low, high, points)


def volume_curves(scenario: Scenario, volumes: np.ndarray, options: pd.DataFrame | None = None) -> pd.DataFrame:
    """Monthly cost of each approach at each volume (long form), training amortised over the horizon.

    Computed as whole arrays: cost is linear in volume once per-request costs are known.
    """
    volumes = np.asarray(volumes, dtype=float)
    if volumes.ndim != 1 or volumes.size == 0 or not np.all(np.isfinite(volumes)) or np.any(volumes < 0):
        raise ValueError("volumes must be a non-empty 1-D array of finite, non-negative requests/day.")
    summary = summarize(scenario, options)
    per_month = volumes * scenario.days_per_month
    fixed = summary.hosting_monthly_usd + summary.training.cost_usd / scenario.horizon_months
    prompting = per_month * summary.prompting_request.usd
    fine_tuned = per_month * summary.fine_tuned_request.usd + fixed
    return pd.DataFrame(
        {
            "requests_per_day": np.concatenate([volumes, volumes]),
            "approach": np.repeat(APPROACHES, volumes.size),
            "monthly_cost_usd": np.concatenate([prompting, fine_tuned]),
        }
    )


@dataclass(frozen=True)
class Crossover:
    """The volume where the two monthly-cost lines meet, and the monthly cost there."""

    requests_per_day: float
    monthly_cost_usd: float


def crossover(scenario: Scenario, options: pd.DataFrame | None = None) -> Crossover | None:
    """Requests/day above which fine-tuning (training amortised over the horizon) costs less.

    None when the fine-tuned model costs as much or more per request, so no volume pays it back.
    """
    summary = summarize(scenario, options)
    saving_per_request = summary.prompting_request.usd - summary.fine_tuned_request.usd
    if saving_per_request <= 0:
        return None
    fixed = summary.hosting_monthly_usd + summary.training.cost_usd / scenario.horizon_months
    volume = fixed / (saving_per_request * scenario.days_per_month)
    return Crossover(volume, volume * scenario.days_per_month * summary.prompting_request.usd)


def cumulative_costs(scenario: Scenario, months: int, options: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cumulative spend at the end of each month 0..months; training is paid up front at month 0."""
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 240:
        raise ValueError(f"months must be a whole number from 1 to 240, not {months!r}.")
    summary = summarize(scenario, options)
    month = np.arange(months + 1)
    return pd.DataFrame(
        {
            "month": np.concatenate([month, month]),
            "approach": np.repeat(APPROACHES, month.size),
            "cumulative_usd": np.concatenate(
                [
                    month * summary.monthly_prompting_usd,
                    summary.training.cost_usd + month * summary.monthly_fine_tuned_usd,
                ]
            ),
        }
    )
