"""Per-request, monthly and cumulative cost of prompting one model vs running a fine-tuned one, and breakeven.

Prompting is priced by genai-prices' own calculation for the prompted model (`Pair.prompt`); the fine-tuned
side by the curated option (`Pair.option`): its per-token prices plus any fixed fee (deployment hours,
dedicated GPUs, storage). Two conventions for the saving:
- "full": savings = prompting minus fine-tuned, each at its real price;
- "article": savings = the removed example tokens x the fine-tuned input price, as the article computes
  them. Absolute monthly costs stay at real prices under both conventions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from calc.catalogue.options import FineTuneOption
from calc.catalogue.provider_rules import FALLBACK, ProviderRule, rule_for
from calc.costs.pair import Pair
from calc.costs.serving import hosting_per_month, option_plan, option_steps
from calc.costs.training import TrainingCost, training_cost
from calc.scenario import Scenario

CACHE_MIN_PREFIX_TOKENS = 1_024
APPROACHES = ("Prompting", "Fine-tuned")


@dataclass(frozen=True)
class RequestCost:
    """Dollar cost of one request on one side (expected over cache hits and batched traffic), with its token split.

    `cached_tokens` are billed as cache reads when the prefix is cached (a `cache_hit_pct` share of requests);
    `batch_pct` of the traffic is billed at the batch discount.
    """

    input_tokens: int
    cached_tokens: int
    output_tokens: int
    usd: float
    cache_hit_pct: int = 0
    batch_pct: int = 0


def batched(usd: float, batch_pct: int, discount: float | None) -> float:
    """A request's expected price when `batch_pct`% of the traffic goes through a batch API at `discount` off."""
    if not batch_pct or discount is None:
        return usd
    return usd * (1 - batch_pct / 100 * discount)


def _tuned_prices(option: FineTuneOption) -> tuple[float, float, float]:
    """(input, cached input, output) per 1M on the fine-tuned model; an absent cached price is the input price."""
    cached = option.tuned_cached_input_per_mtok
    return option.tuned_input_per_mtok, option.tuned_input_per_mtok if cached is None else cached, option.tuned_output_per_mtok


def tuned_request(
    input_tokens: int, output_tokens: int, option: FineTuneOption, cached_tokens: int = 0, hit_pct: int = 100
) -> RequestCost:
    """One request to the fine-tuned model at its per-token prices (0 for dedicated hardware).

    `cached_tokens` of the input are read from cache on a hit (`hit_pct`% of requests) where the option has a
    cached price; on a miss they bill as plain input.
    """
    price_in, price_cached, price_out = _tuned_prices(option)
    cached = cached_tokens if option.tuned_cached_input_per_mtok is not None else 0
    hit = hit_pct / 100 if cached else 0.0
    full = (input_tokens * price_in + output_tokens * price_out) / 1e6
    usd = full - hit * cached * (price_in - price_cached) / 1e6
    return RequestCost(input_tokens, cached, output_tokens, usd, hit_pct if cached else 0)


def option_rule(option: FineTuneOption) -> ProviderRule:
    """The caching and batch rule of the provider serving the fine-tuned option (by its base model's provider)."""
    ref = option.base_model_ref or ""
    provider_id, _, model_id = ref.partition(":")
    return rule_for(provider_id, model_id) if provider_id else FALLBACK


def _caching_on(scenario: Scenario) -> bool:
    return scenario.caching and scenario.pricing == "full"


def prompt_request(scenario: Scenario, pair: Pair) -> RequestCost:
    """One prompted request (instructions + examples + the request's input) on the prompting model, priced by genai-prices.

    With caching on (full pricing; the article ignores caching) only the static prefix — examples and static
    instructions, never the request's own input — is cached, by the provider's rule (OpenAI: from 1,024 tokens
    in 128-token steps). A hit reads it at the cached price; a miss writes it (at the cache-write price where the
    model has one). Batched traffic gets the provider's batch discount.
    """
    model = pair.prompt
    rule = rule_for(model.provider_id, model.model_id)
    tokens, output = scenario.prompt_input_tokens, scenario.output_tokens
    static = scenario.example_tokens + scenario.static_instruction_tokens
    cached = rule.cached_tokens(static) if _caching_on(scenario) and model.cached_input_per_mtok is not None else 0
    if cached:
        hit = scenario.cache_hit_pct / 100
        usd = hit * model.request_usd(tokens, output, cached) + (1 - hit) * model.request_usd(tokens, output, 0, cached)
    else:
        usd = model.request_usd(tokens, output)
    usd = batched(usd, scenario.batch_pct, rule.batch_discount)
    return RequestCost(tokens, cached, output, usd, scenario.cache_hit_pct if cached else 0, scenario.batch_pct)


def fine_tuned_request(scenario: Scenario, option: FineTuneOption) -> RequestCost:
    """One request to the fine-tuned `option` (instructions + output, no examples) under the scenario's caching rule.

    Only its static instructions can be cached. Batch applies where the option bills per token (a fine-tuned
    deployment or GPU billed by the hour gets no batch discount).
    """
    rule = option_rule(option)
    cached = rule.cached_tokens(scenario.static_instruction_tokens) if _caching_on(scenario) else 0
    request = tuned_request(scenario.instruction_tokens, scenario.output_tokens, option, cached, scenario.cache_hit_pct)
    per_token_billing = option.hosting_kind in ("serverless", "storage_monthly")
    discount = rule.batch_discount if per_token_billing else None
    usd = batched(request.usd, scenario.batch_pct, discount)
    return RequestCost(request.input_tokens, request.cached_tokens, request.output_tokens, usd, request.cache_hit_pct,
                       scenario.batch_pct if discount else 0)  # fmt: skip


def request_costs(scenario: Scenario, pair: Pair) -> tuple[RequestCost, RequestCost]:
    """(prompting, fine-tuned) cost of one request, each at its real price."""
    return prompt_request(scenario, pair), fine_tuned_request(scenario, pair.option)


def article_saving_per_request(scenario: Scenario, option: FineTuneOption) -> float:
    """The article's saving: removed example tokens at the fine-tuned input price (base price where tuned is 0)."""
    price = option.tuned_input_per_mtok or option.base_input_per_mtok
    return scenario.example_tokens * price / 1e6


def hybrid_request_cost(scenario: Scenario, dynamic_examples: int, option: FineTuneOption) -> RequestCost:
    """One request to the fine-tuned model that still carries `dynamic_examples` few-shot examples.

    Only the static instructions can be cached; dynamic examples change per request.
    """
    if isinstance(dynamic_examples, bool) or not isinstance(dynamic_examples, int) or not 0 <= dynamic_examples <= 1_000:
        raise ValueError(f"dynamic_examples must be a whole number from 0 to 1,000, not {dynamic_examples!r}.")
    input_tokens = scenario.instruction_tokens + dynamic_examples * scenario.tokens_per_example
    cached = option_rule(option).cached_tokens(scenario.static_instruction_tokens) if _caching_on(scenario) else 0
    return tuned_request(input_tokens, scenario.output_tokens, option, cached, scenario.cache_hit_pct)


def hybrid_monthly(scenario: Scenario, dynamic_examples: int, option: FineTuneOption) -> float:
    """Monthly cost of the hybrid: fine-tuned model + `dynamic_examples` examples per request (+ fixed fees).

    Dedicated GPUs are sized for the hybrid's longer requests (the examples are prompt tokens too).
    """
    request = hybrid_request_cost(scenario, dynamic_examples, option)
    return request.usd * scenario.requests_per_month + hybrid_hosting(scenario, dynamic_examples, option)


def hybrid_hosting(scenario: Scenario, dynamic_examples: int, option: FineTuneOption) -> float:
    """The option's fixed monthly fee when each request also carries `dynamic_examples` examples."""
    longer = replace(scenario, instruction_tokens=scenario.instruction_tokens + dynamic_examples * scenario.tokens_per_example)
    return hosting_per_month(longer, option)


def breakeven_months(training_usd: float, monthly_savings_usd: float) -> float | None:
    """Months for savings to repay training; None ("never") when savings are zero or negative."""
    if monthly_savings_usd <= 0:
        return None
    return max(training_usd, 0.0) / monthly_savings_usd


@dataclass(frozen=True)
class CostSummary:
    """The headline numbers of a scenario for its pair."""

    pricing: str
    prompting_request: RequestCost
    fine_tuned_request: RequestCost
    monthly_prompting_usd: float
    monthly_fine_tuned_usd: float
    hosting_monthly_usd: float
    monthly_savings_usd: float
    training: TrainingCost
    breakeven_months: float | None
    serving_gpus: int | None = None  # dedicated GPUs sized by throughput for this volume (None: not sized)

    @property
    def real_savings_usd(self) -> float:
        """Prompting minus fine-tuned per month at real prices (equals the savings under full pricing)."""
        return self.monthly_prompting_usd - self.monthly_fine_tuned_usd


def summarize(scenario: Scenario, pair: Pair) -> CostSummary:
    """Monthly costs, savings (under the scenario's convention), training cost and breakeven for the pair."""
    prompting, fine_tuned = request_costs(scenario, pair)
    plan = option_plan(scenario, pair.option)
    hosting = hosting_per_month(scenario, pair.option)
    monthly_prompting = prompting.usd * scenario.requests_per_month
    monthly_fine_tuned = fine_tuned.usd * scenario.requests_per_month + hosting
    if scenario.pricing == "article":
        savings = article_saving_per_request(scenario, pair.option) * scenario.requests_per_month
    else:
        savings = monthly_prompting - monthly_fine_tuned
    training = training_cost(scenario, pair.option)
    return CostSummary(
        pricing=scenario.pricing,
        prompting_request=prompting,
        fine_tuned_request=fine_tuned,
        monthly_prompting_usd=monthly_prompting,
        monthly_fine_tuned_usd=monthly_fine_tuned,
        hosting_monthly_usd=hosting,
        monthly_savings_usd=savings,
        training=training,
        breakeven_months=breakeven_months(training.cost_usd, savings) if training.price_known else None,
        serving_gpus=None if plan is None else plan.gpus,
    )


def volume_grid(low: float = 10, high: float = 1_000_000, points: int = 241) -> np.ndarray:
    """Log-spaced requests/day from `low` to `high`."""
    if not 0 < low < high or points < 2:
        raise ValueError("volume grid needs 0 < low < high and at least 2 points.")
    return np.geomspace(low, high, points)


def volume_curves(scenario: Scenario, volumes: np.ndarray, pair: Pair) -> pd.DataFrame:
    """Monthly cost of each approach at each volume (long form), training amortised over the horizon.

    Computed as whole arrays: cost is linear in volume once per-request costs are known, plus the fixed fee,
    which steps up with volume for dedicated GPUs sized by throughput.
    """
    volumes = np.asarray(volumes, dtype=float)
    if volumes.ndim != 1 or volumes.size == 0 or not np.all(np.isfinite(volumes)) or np.any(volumes < 0):
        raise ValueError("volumes must be a non-empty 1-D array of finite, non-negative requests/day.")
    summary = summarize(scenario, pair)
    per_month = volumes * scenario.days_per_month
    steps = option_steps(scenario, pair.option)
    hosting = summary.hosting_monthly_usd if steps is None else steps.monthly_usd(volumes)
    fixed = hosting + summary.training.cost_usd / scenario.horizon_months
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


def crossover(scenario: Scenario, pair: Pair) -> Crossover | None:
    """Requests/day above which fine-tuning (training amortised over the horizon) costs less.

    With a fixed fee (hosting, amortised training) it is the volume where per-request savings pay the fee;
    with dedicated GPUs that step up with volume, the smallest such volume (found exactly, step by step).
    None when the fine-tuned model costs as much or more per request, or each added GPU costs more than
    the requests it serves save, so no volume pays it back.
    """
    summary = summarize(scenario, pair)
    saving_per_request = summary.prompting_request.usd - summary.fine_tuned_request.usd
    if saving_per_request <= 0:
        return None
    amortised = summary.training.cost_usd / scenario.horizon_months
    steps = option_steps(scenario, pair.option)
    if steps is None:
        volume = (summary.hosting_monthly_usd + amortised) / (saving_per_request * scenario.days_per_month)
    else:
        found = steps.first_volume_paying(saving_per_request * scenario.days_per_month, amortised)
        if found is None:
            return None
        volume = found
    return Crossover(volume, volume * scenario.days_per_month * summary.prompting_request.usd)


def cumulative_costs(scenario: Scenario, months: int, pair: Pair) -> pd.DataFrame:
    """Cumulative spend at the end of each month 0..months; training is paid up front at month 0."""
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 240:
        raise ValueError(f"months must be a whole number from 1 to 240, not {months!r}.")
    summary = summarize(scenario, pair)
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
