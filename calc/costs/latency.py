"""Latency per route: the time to first token that a request's uncached input tokens add (prefill), what fine-tuning
and prompt caching take away, and the output's generation time, each as a range from dated measurements
(data/prefill_latency.csv).

Added time to first token ~ uncached input tokens x prefill time per token. Network, queueing and the model's fixed
start-up come on top and are not modelled: these are the parts the decision changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from calc.catalogue.provider_rules import rule_for
from calc.catalogue.tables import PROVENANCE, Column, DataSchemaError, _read, validate_table
from calc.costs.requests import RequestCost, fine_tuned_request, option_model, option_provider, option_rule, prompt_request
from calc.costs.routes import FineTuneRoute, PromptRoute, SelfHostedRoute
from calc.costs.workload import Workload
from calc.text.formatting import count

LATENCY_COLUMNS = (
    Column("measure", "choice", choices=("prefill", "output")),
    Column("ms_per_token_low", "float", max_value=1_000.0),
    Column("ms_per_token_high", "float", max_value=1_000.0),
    Column("setting", "str"),
    Column("applies_to", "choice", choices=("hosted_api", "any")),
    *PROVENANCE,
)
#: OpenAI's latency guide on why output usually dominates (kept with the figures it qualifies).
OUTPUT_DOMINATES = (
    "OpenAI: 'The latency of a completion request is mostly influenced by two factors: the model and the number of "
    "tokens generated' (help.openai.com/en/articles/6901266, read 2026-12-03); its latency-optimization guide "
    "(developers.openai.com/api/docs/guides/latency-optimization) is quoted in our research notes as saying that halving "
    "the prompt may improve end-to-end latency only 1-5% (not in the copy we read)"
)


@cache
def latency_table() -> pd.DataFrame:
    """data/prefill_latency.csv, schema-checked (DataSchemaError naming the row and column, or a low above a high)."""
    table = validate_table(_read("prefill_latency.csv"), LATENCY_COLUMNS, "prefill_latency.csv")
    bad = table.index[table["ms_per_token_low"] > table["ms_per_token_high"]].tolist()
    if bad:
        raise DataSchemaError(f"prefill_latency.csv: row {bad[0] + 2}: ms_per_token_low is above ms_per_token_high.")
    return table


@dataclass(frozen=True)
class Span:
    """A range of milliseconds."""

    low: float
    high: float

    def scaled(self, tokens: float) -> Span:
        return Span(self.low * tokens, self.high * tokens)

    def text(self) -> str:
        """"30-144 ms", "1.2-4.8 s", or one figure when both ends agree."""
        low, high = self.low, self.high
        if high >= 1_000:
            return f"{low / 1000:,.1f}-{high / 1000:,.1f} s" if round(low, -2) != round(high, -2) else f"{high / 1000:,.1f} s"
        return f"{low:,.0f}-{high:,.0f} ms" if round(low) != round(high) else f"{high:,.0f} ms"


@dataclass(frozen=True)
class RouteLatency:
    """What a route's request shape does to latency: the uncached input tokens and the time they add before the
    first token, what fine-tuning (the example tokens) and prompt caching (the cacheable prefix) remove, and the
    output's generation time, with the measurements used."""

    route_id: str
    input_tokens: int
    uncached_tokens: float  # expected over the cache hit rate, as billed
    example_tokens: int  # prompting only: what fine-tuning removes
    cacheable_tokens: float  # expected tokens prompt caching reads (at the hit rate) when it is on
    output_tokens: int
    prefill: Span  # ms per input token
    output: Span  # ms per output token
    sources: tuple[str, ...]
    reasoning_tokens: int = 0  # of the output tokens, a reasoning model's thinking (written before the answer)

    @property
    def added_ttft(self) -> Span:
        """Time the uncached input tokens add before the first token."""
        return self.prefill.scaled(self.uncached_tokens)

    @property
    def examples_ttft(self) -> Span:
        """Time the few-shot example tokens add (what fine-tuning removes), uncached."""
        return self.prefill.scaled(self.example_tokens)

    @property
    def caching_removes(self) -> Span:
        """Time prompt caching of the static prefix takes off (expected over the hit rate)."""
        return self.prefill.scaled(self.cacheable_tokens)

    @property
    def generation(self) -> Span:
        """Time to write the output tokens after the first."""
        return self.output.scaled(max(self.output_tokens - 1, 0))

    def target_mark(self, target_ms: float) -> str:
        """"" when the added time is within `target_ms` (or no target), else "misses" or "may miss" the target."""
        if target_ms <= 0:
            return ""
        ttft = self.added_ttft
        return "misses" if ttft.low > target_ms else "may miss" if ttft.high > target_ms else ""


@cache
def _span(measure: str, own_gpus: bool) -> tuple[Span, tuple[str, ...]]:
    """The range of a measure over the rows that apply (own GPUs: measurements on self-run GPUs only), with sources;
    cached: every route of every ranking asks."""
    table = latency_table()
    rows = table[(table["measure"] == measure) & ((table["applies_to"] == "any") | (not own_gpus))]
    sources = tuple(f"{r.setting} ({r.source}, {r.as_of.isoformat()}, {r.confidence})" for r in rows.itertuples())
    return Span(float(rows["ms_per_token_low"].min()), float(rows["ms_per_token_high"].max())), sources


def _hit_if_cached(workload: Workload, provider_id: str, model_id: str = "") -> float:
    """The share of requests that would read the prefix from cache were caching on: the route provider's hit rate
    (all of them where it rounds to none, so that what caching could remove is never shown as nothing)."""
    return (workload.hit_pct_for(provider_id, model_id) or 100) / 100


def _expected_cached(request: RequestCost) -> float:
    return request.cached_tokens * request.cache_hit_pct / 100


def route_latency(
    route: PromptRoute | FineTuneRoute | SelfHostedRoute, workload: Workload, billed: RequestCost | None = None
) -> RouteLatency:
    """Latency of one request of `workload` on `route`: prompting keeps the examples, fine-tuning drops them; own GPUs
    use the self-run measurements only. Caching as the workload bills it (`billed`: the route's request as already
    priced, else priced here); what caching would remove when switched on, by the provider's prefix rule."""
    if isinstance(route, PromptRoute):
        billed = billed or prompt_request(workload, route.model)
        rule = rule_for(route.model.provider_id, route.model.model_id)
        has_cached_price = route.model.cached_input_per_mtok is not None
        hit = _hit_if_cached(workload, route.model.provider_id, route.model.model_id)
        cacheable = rule.cached_tokens(workload.static_prefix_tokens) * hit if has_cached_price else 0.0
        examples, own_gpus = workload.example_tokens, False
    elif isinstance(route, FineTuneRoute):
        billed = billed or fine_tuned_request(workload, route.option)
        has_cached_price = route.option.tuned_cached_input_per_mtok is not None
        hit = _hit_if_cached(workload, option_provider(route.option), option_model(route.option))
        cacheable = option_rule(route.option).cached_tokens(workload.static_kept_tokens) * hit if has_cached_price else 0.0
        examples, own_gpus = 0, route.kind == "self_hosted" or route.option.hosting_kind == "dedicated_gpu"
    elif isinstance(route, SelfHostedRoute):
        billed = RequestCost(workload.kept_input_tokens, 0, workload.output_tokens, 0.0)
        cacheable, examples, own_gpus = 0.0, 0, True
    else:
        raise ValueError(f"route_latency needs a route, not {type(route).__name__}.")
    prefill, prefill_sources = _span("prefill", own_gpus)
    output, output_sources = _span("output", own_gpus)
    return RouteLatency(
        route_id=route.id,
        input_tokens=billed.input_tokens,
        uncached_tokens=billed.input_tokens - _expected_cached(billed),
        example_tokens=examples,
        cacheable_tokens=max(cacheable - _expected_cached(billed), 0.0),
        output_tokens=billed.output_tokens,
        prefill=prefill,
        output=output,
        sources=prefill_sources + output_sources,
        reasoning_tokens=billed.reasoning_tokens,
    )


def latency_sentence(prompting: RouteLatency, tuned: RouteLatency | None = None, target_ms: float = 0) -> str:
    """The pair's latency in words, as every surface says it: what the examples add, what fine-tuning and caching
    remove, where output dominates, and the target."""
    parts = [
        f"Your {count(prompting.example_tokens)} example tokens add about {prompting.examples_ttft.text()} before the "
        f"first token of every request ({count(prompting.uncached_tokens)} uncached input tokens add "
        f"{prompting.added_ttft.text()} in all); fine-tuning removes the examples"
    ]
    caching = prompting.caching_removes
    parts.append(
        f"; caching the prefix removes about {caching.text()}"
        if caching.high > 0
        else "; caching the prefix removes nothing here (prefix below the provider's minimum or caching already on)"
    )
    if tuned is not None:
        parts.append(f" (the fine-tuned model's {count(tuned.uncached_tokens)} input tokens: {tuned.added_ttft.text()})")
    generation = prompting.generation
    parts.append(
        f". Writing {count(prompting.output_tokens)} output tokens"
        + (f" ({count(prompting.reasoning_tokens)} of them reasoning, before the answer)" if prompting.reasoning_tokens else "")
        + f" takes about {generation.text()}"
        + (", which dominates end to end" if generation.low > prompting.added_ttft.high else "")
        + "."
    )
    if target_ms > 0:
        mark = prompting.target_mark(target_ms)
        parts.append(f" Target {target_ms:,.0f} ms to first token: prompting {mark or 'meets it'} on prefill alone.")
    return "".join(parts)


def source_list(latency: RouteLatency) -> str:
    """The measurements behind a latency, dated, one per line, and OpenAI's guide on output."""
    return "\n".join([*(f"- {s}" for s in latency.sources), f"- {OUTPUT_DOMINATES}"])
