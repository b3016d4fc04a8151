"""One request's token shape and the traffic that repeats it: what every route is priced for.

A Scenario describes a workload in the sidebar's terms; the Token cost page builds one from a pasted prompt's
exact counts. Either way, every route prices the same Workload the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from calc.costs.caching import cache_estimate
from calc.scenario import Scenario
from calc.tokenizers.convert import in_family_tokens
from calc.tokenizers.models import tokenizer_for
from calc.tokenizers.ratios import REFERENCE_ENCODING

#: A workload whose counts are already the route's own tokens (the Token cost page counts each model's).
OWN_TOKENS = "own"


@dataclass(frozen=True)
class Workload:
    """Tokens of one request and how many requests: `kept_input_tokens` (instructions + the request's own input)
    go to every route, `example_tokens` only to prompting (fine-tuning removes them); `own_input_tokens` of the
    kept ones differ per request and are never cached. `caching` is prompt caching of the static prefix as billed
    (off under the article's convention); `cache_hit_pct` is the share of requests the user says find it cached (None:
    each route's own provider's estimate at `cache_volume` requests/day, `hit_pct_for`); `batch_pct`% of traffic can wait for a
    batch API; `peak_factor` is peak over average traffic (sizes dedicated GPUs). `active_hours` a day a deployment
    that scales to zero runs (traffic arrives within them) and `finetunes_sharing` fine-tunes of this traffic on one
    multi-LoRA deployment shape the hosting fee where the provider allows them (calc/costs/hosting.py).
    Its token counts are in `encoding` (the scenario's: o200k_base; OWN_TOKENS once in a route's own tokens) on
    `content_kind` text; a route converts them with `in_tokens_of` as it builds its request."""

    kept_input_tokens: int
    own_input_tokens: int
    example_tokens: int
    output_tokens: int
    requests_per_day: float
    days_per_month: int = 30
    peak_factor: float = 3.0
    caching: bool = False
    cache_hit_pct: int | None = None
    batch_pct: int = 0
    active_hours: float = 24.0
    finetunes_sharing: int = 1
    cache_volume: float | None = None
    encoding: str = REFERENCE_ENCODING
    content_kind: str = "english"
    reasoning_effort: str = "default"  # a reasoning model's effort per request ("default": its own; costs/reasoning.py)

    def __post_init__(self) -> None:
        for name in ("kept_input_tokens", "own_input_tokens", "example_tokens", "output_tokens", "days_per_month"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, not {value!r}.")
        if self.own_input_tokens > self.kept_input_tokens:
            raise ValueError("own_input_tokens cannot exceed kept_input_tokens.")
        volume = self.requests_per_day
        if isinstance(volume, bool) or not isinstance(volume, (int, float)) or not math.isfinite(volume) or volume < 0:
            raise ValueError(f"requests_per_day must be a finite number >= 0, not {volume!r}.")
        for name in ("cache_hit_pct", "batch_pct"):
            value = getattr(self, name)
            if not (value is None and name == "cache_hit_pct") and not 0 <= value <= 100:
                raise ValueError(f"{name} must be between 0 and 100, not {value!r}.")
        cache_volume = self.cache_volume
        if cache_volume is not None and (isinstance(cache_volume, bool) or not math.isfinite(cache_volume) or cache_volume < 0):
            raise ValueError(f"cache_volume must be a finite number >= 0, not {cache_volume!r}.")
        if not 1 <= self.peak_factor <= 1_000:
            raise ValueError(f"peak_factor must be between 1 and 1,000, not {self.peak_factor!r}.")
        if isinstance(self.active_hours, bool) or not 1 <= self.active_hours <= 24:
            raise ValueError(f"active_hours must be between 1 and 24, not {self.active_hours!r}.")
        sharing = self.finetunes_sharing
        if isinstance(sharing, bool) or not isinstance(sharing, int) or not 1 <= sharing <= 1_000:
            raise ValueError(f"finetunes_sharing must be a whole number from 1 to 1,000, not {sharing!r}.")

    @property
    def static_kept_tokens(self) -> int:
        """Kept input tokens identical in every request (static instructions): cacheable on every route."""
        return self.kept_input_tokens - self.own_input_tokens

    @property
    def prompt_input_tokens(self) -> int:
        """Input tokens of one prompted request: the kept tokens plus the few-shot examples."""
        return self.kept_input_tokens + self.example_tokens

    @property
    def static_prefix_tokens(self) -> int:
        """The prompted request's static prefix (examples + static instructions): what prompt caching can read."""
        return self.example_tokens + self.static_kept_tokens

    @property
    def requests_per_month(self) -> float:
        return self.requests_per_day * self.days_per_month

    def hit_pct_for(self, provider_id: str, model_id: str = "") -> float:
        """The share of requests (%) that find a route's static prefix cached: the user's rate, else the estimate for
        the route's own provider at the workload's cache volume (each provider keeps a cache its own time)."""
        if self.cache_hit_pct is not None:
            return self.cache_hit_pct
        volume = self.requests_per_day if self.cache_volume is None else self.cache_volume
        return cache_estimate(volume, provider_id, self.active_hours, model_id).hit_pct

    def at(self, requests_per_day: float) -> Workload:
        """The same requests at another daily volume (cache hit rates stay those of the workload's own volume)."""
        volume = self.requests_per_day if self.cache_volume is None else self.cache_volume
        return replace(self, requests_per_day=requests_per_day, cache_volume=volume)


def in_tokens_of(workload: Workload, model: str) -> Workload:
    """The workload in `model`'s own tokens: reference-encoding counts converted by its family's ratio for the
    content kind (calc/tokenizers/convert.py); counts already in own tokens unchanged."""
    if workload.encoding == OWN_TOKENS:
        return workload
    family = tokenizer_for(model).family
    if family == workload.encoding:
        return replace(workload, encoding=OWN_TOKENS)
    kind = workload.content_kind
    own = in_family_tokens(workload.own_input_tokens, family, kind)
    static = in_family_tokens(workload.static_kept_tokens, family, kind)
    return replace(
        workload,
        kept_input_tokens=static + own,
        own_input_tokens=own,
        example_tokens=in_family_tokens(workload.example_tokens, family, kind),
        output_tokens=in_family_tokens(workload.output_tokens, family, kind),
        encoding=OWN_TOKENS,
    )


def scenario_workload(scenario: Scenario) -> Workload:
    """The workload a scenario describes; caching is billed only under full pricing (the article ignores it)."""
    return Workload(
        kept_input_tokens=scenario.instruction_tokens,
        own_input_tokens=scenario.request_own_tokens,
        example_tokens=scenario.example_tokens,
        output_tokens=scenario.output_tokens,
        requests_per_day=scenario.requests_per_day,
        days_per_month=scenario.days_per_month,
        peak_factor=scenario.peak_factor,
        caching=scenario.caching and scenario.pricing == "full",
        cache_hit_pct=scenario.cache_hit_pct,
        batch_pct=scenario.batch_pct,
        active_hours=scenario.active_hours,
        finetunes_sharing=scenario.finetunes_per_deployment,
        cache_volume=scenario.cache_volume,
        content_kind=scenario.content_kind,
        reasoning_effort=scenario.reasoning_effort,
    )


def with_dynamic_examples(workload: Workload, examples: int, tokens_per_example: int) -> Workload:
    """The hybrid's request: the fine-tuned model's kept tokens plus `examples` dynamic examples chosen per request
    (so never cached)."""
    if isinstance(examples, bool) or not isinstance(examples, int) or not 0 <= examples <= 1_000:
        raise ValueError(f"dynamic_examples must be a whole number from 0 to 1,000, not {examples!r}.")
    extra = examples * tokens_per_example
    return replace(
        workload,
        kept_input_tokens=workload.kept_input_tokens + extra,
        own_input_tokens=workload.own_input_tokens + extra,
        example_tokens=0,
    )
