"""What one request costs on a route: a prompted request on a genai-prices model, or a request to a fine-tuned
option at its per-token prices, each with the provider's prompt caching and batch discount."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from calc.catalogue.options import FineTuneOption
from calc.catalogue.prompt_models import PromptModel
from calc.catalogue.provider_rules import FALLBACK, ProviderRule, rule_for
from calc.costs.reasoning import reasoning_tokens
from calc.costs.workload import Workload
from calc.text.formatting import usd, usd_per_month

CACHE_MIN_PREFIX_TOKENS = 1_024
#: Fine-tuned options billed per token, so a batch API's discount applies (hourly deployments and GPUs get none).
PER_TOKEN_KINDS = ("serverless", "storage_monthly")


@dataclass(frozen=True)
class RequestCost:
    """Dollar cost of one request on one route (expected over cache hits and batched traffic), with its token split.

    `cached_tokens` are billed as cache reads when the prefix is cached (a `cache_hit_pct` share of requests);
    `batch_pct` of the traffic is billed at the batch discount.
    """

    input_tokens: int
    cached_tokens: int
    output_tokens: int
    usd: float
    cache_hit_pct: float = 0
    batch_pct: int = 0
    reasoning_tokens: int = 0  # of `output_tokens`, those a reasoning model thinks before answering (billed as output)


def batched(usd: float, batch_pct: int, discount: float | None) -> float:
    """A request's expected price when `batch_pct`% of the traffic goes through a batch API at `discount` off."""
    if not batch_pct or discount is None:
        return usd
    return usd * (1 - batch_pct / 100 * discount)


def tuned_request(
    input_tokens: int, output_tokens: int, option: FineTuneOption, cached_tokens: int = 0, hit_pct: float = 100
) -> RequestCost:
    """One request to the fine-tuned model at its per-token prices (0 for dedicated hardware).

    `cached_tokens` of the input are read from cache on a hit (`hit_pct`% of requests) where the option has a
    cached price; on a miss they bill as plain input.
    """
    price_in, price_out = option.tuned_input_per_mtok, option.tuned_output_per_mtok
    price_cached = option.tuned_cached_input_per_mtok
    cached = cached_tokens if price_cached is not None else 0
    hit = hit_pct / 100 if cached else 0.0
    full = (input_tokens * price_in + output_tokens * price_out) / 1e6
    usd = full - hit * cached * (price_in - (price_cached or 0.0)) / 1e6
    return RequestCost(input_tokens, cached, output_tokens, usd, hit_pct if cached else 0)


def option_provider(option: FineTuneOption) -> str:
    """The provider id whose caching rules serve the fine-tuned option: its base model's provider ("" if none)."""
    return (option.base_model_ref or "").partition(":")[0]


def option_model(option: FineTuneOption) -> str:
    """The model id of the option's base model ("" if none): its cache lifetime may be the model's own."""
    return (option.base_model_ref or "").partition(":")[2]


def option_rule(option: FineTuneOption) -> ProviderRule:
    """The caching and batch rule of the provider serving the fine-tuned option (by its base model's provider)."""
    provider_id, _, model_id = (option.base_model_ref or "").partition(":")
    return rule_for(provider_id, model_id) if provider_id else FALLBACK


@lru_cache(maxsize=8_192)
def model_request_usd(model: PromptModel, input_tokens: int, output_tokens: int, cached: int = 0, written: int = 0) -> float:
    """genai-prices' own price for one request's usage on `model` (kept per usage: ~90 us a calculation)."""
    return model.request_usd(input_tokens, output_tokens, cached, written)


def prompt_request(workload: Workload, model: PromptModel) -> RequestCost:
    """One prompted request (kept tokens + examples) on `model`, priced by genai-prices; a reasoning model writes its
    reasoning tokens (calc/costs/reasoning.py, at the workload's effort) as output on top of the answer.

    With caching on, only the static prefix (examples and static instructions, never the request's own input) is
    cached, by the provider's rule (OpenAI: from 1,024 tokens in 128-token steps). A hit reads it at the cached
    price; a miss writes it (at the cache-write price where the model has one). Batched traffic gets the
    provider's batch discount.
    """
    rule = rule_for(model.provider_id, model.model_id)
    reasoning = reasoning_tokens(model.provider_id, model.model_id, workload.reasoning_effort).tokens
    tokens, output = workload.prompt_input_tokens, workload.output_tokens + reasoning
    cacheable = workload.caching and model.cached_input_per_mtok is not None
    cached = rule.cached_tokens(workload.static_prefix_tokens) if cacheable else 0
    hit_pct = workload.hit_pct_for(model.provider_id, model.model_id) if cached else 0
    if cached:
        hit = hit_pct / 100
        read = model_request_usd(model, tokens, output, cached)
        usd = hit * read + (1 - hit) * model_request_usd(model, tokens, output, 0, cached)
    else:
        usd = model_request_usd(model, tokens, output)
    usd = batched(usd, workload.batch_pct, rule.batch_discount)
    return RequestCost(tokens, cached, output, usd, hit_pct, workload.batch_pct, reasoning)


def fine_tuned_request(workload: Workload, option: FineTuneOption) -> RequestCost:
    """One request to the fine-tuned `option` (kept tokens + output, no examples) under the workload's caching.

    Only its static instructions can be cached. Batch applies where the option bills per token.
    """
    rule = option_rule(option)
    cached = rule.cached_tokens(workload.static_kept_tokens) if workload.caching else 0
    hit_pct = workload.hit_pct_for(option_provider(option), option_model(option)) if cached else 0
    request = tuned_request(workload.kept_input_tokens, workload.output_tokens, option, cached, hit_pct)
    discount = rule.batch_discount if option.hosting_kind in PER_TOKEN_KINDS else None
    usd = batched(request.usd, workload.batch_pct, discount)
    return RequestCost(request.input_tokens, request.cached_tokens, request.output_tokens, usd, request.cache_hit_pct,
                       workload.batch_pct if discount else 0)  # fmt: skip


def article_saving_per_request(example_tokens: int, option: FineTuneOption) -> float:
    """The article's saving: removed example tokens at the fine-tuned input price (base price where tuned is 0)."""
    price = option.tuned_input_per_mtok or option.base_input_per_mtok
    return example_tokens * price / 1e6


def caching_raises_cost(workload: Workload, model: PromptModel) -> str | None:
    """Why prompt caching makes a prompted request cost more than without it (cache writes above the input price on
    the misses outweigh the cheaper reads on the hits), in words; None when it does not, or caching is off."""
    if not workload.caching:
        return None
    cached = prompt_request(workload, model)
    plain = prompt_request(replace(workload, caching=False), model)
    if cached.usd <= plain.usd + 1e-12 or not cached.cached_tokens:
        return None
    return (
        f"Prompt caching costs more on {model.label}: at a {cached.cache_hit_pct:.1f}% hit rate the cache writes on the "
        f"misses (priced above plain input) outweigh the cheaper reads on the hits: ${cached.usd:.6f} per request "
        f"with caching vs ${plain.usd:.6f} without. Turn caching off, or raise the hit rate (more traffic per cache "
        "lifetime)."
    )


def reasoning_note(workload: Workload, model: PromptModel, cite: bool = True) -> str:
    """What a reasoning model's thinking adds to one prompted request and to a month of the workload's requests, with
    the effort and its source, in words (empty for a model that does not reason at the workload's effort): the same
    sentence on the home page, the Token cost page, All routes, the brief and the command line (`cite=False`: the
    source's table named instead of quoted, for the home page's card tooltip)."""
    reasoning = reasoning_tokens(model.provider_id, model.model_id, workload.reasoning_effort)
    if not reasoning.tokens:
        return ""
    added = prompt_request(workload, model).usd - prompt_request(replace(workload, reasoning_effort="none"), model).usd
    return (
        reasoning.text(model.label, cite)[:-1]
        + f"; it adds {usd(added)} a request, {usd_per_month(added * workload.requests_per_month)} at "
        f"{workload.requests_per_day:,.0f} requests/day."
    )
