"""The prompt cache hit rate a workload can expect by default: from its request rate and how long the provider keeps
an idle cached prefix (data/cache_lifetimes.csv), so that rare traffic does not get hits it would not get.

With requests arriving at random (Poisson) at `r` per minute over the active hours, a request finds the prefix
still cached when the previous one came within the cache's idle lifetime `T` minutes (each use refreshes it):

    hit rate = 1 - exp(-r x T)

e.g. 100 requests/day over 24 hours with a 5-minute lifetime: r = 0.069/min, hit rate = 1 - exp(-0.35) = 29%;
10,000/day: 1 - exp(-34.7) = 100%. The user can override it (Scenario.cache_hit_pct).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import DATA_DIR, NOTES, PROVENANCE, Column, validate_table
from calc.scenario import Scenario

LIFETIME_COLUMNS = (
    Column("provider_id", "str"),
    Column("model_match", "str", required=False),  # a substring of the model id; empty: the provider's default
    Column("idle_minutes", "float", min_value=0.1),
    *PROVENANCE,
    NOTES,
)
#: A provider with no documented lifetime: the common 5 minutes, said to be assumed.
ASSUMED_MINUTES = 5.0


@dataclass(frozen=True)
class CacheEstimate:
    """The default hit rate (%, not rounded: a floor to a whole percent added 2-4% to cached costs), the lifetime it
    rests on, and the arithmetic in words."""

    hit_pct: float
    idle_minutes: float
    requests_per_minute: float
    source: str

    @property
    def text(self) -> str:
        return (
            f"{self.hit_pct:.1f}% = 1 - exp(-{self.requests_per_minute:,.3g} requests/min x {self.idle_minutes:g} min idle "
            f"cache lifetime) ({self.source})"
        )


@lru_cache(maxsize=1)
def _lifetimes() -> dict[tuple[str, str], tuple[float, str]]:
    """(provider id, model substring or "") -> (idle minutes, source), model rows first for each provider."""
    table = pd.read_csv(DATA_DIR / "cache_lifetimes.csv", dtype=str, keep_default_na=False)
    table = validate_table(table, LIFETIME_COLUMNS, "cache_lifetimes.csv")
    rows = {(str(r["provider_id"]), r["model_match"] if isinstance(r["model_match"], str) else ""):
            (float(r["idle_minutes"]), str(r["source"])) for _, r in table.iterrows()}  # fmt: skip
    return dict(sorted(rows.items(), key=lambda item: item[0][1] == ""))


def lifetime(provider_id: str, model_id: str = "") -> tuple[float, str]:
    """How long `provider_id` keeps an idle cached prefix of `model_id` (minutes) and the source: the model's row (a
    substring of its id), else the provider's, else the common 5 minutes, said to be assumed."""
    text = model_id.lower()
    for (provider, match), found in _lifetimes().items():
        if provider == provider_id and (not match or (text and match in text)):
            return found
    return ASSUMED_MINUTES, f"no documented lifetime for {provider_id}: {ASSUMED_MINUTES:g} minutes assumed"


def hit_rate(requests_per_minute: float, idle_minutes: float) -> float:
    """Share of requests (0-1) finding the prefix cached: 1 - exp(-rate x lifetime)."""
    if not math.isfinite(requests_per_minute) or requests_per_minute < 0:
        raise ValueError(f"requests_per_minute must be a finite number >= 0, not {requests_per_minute!r}.")
    if not math.isfinite(idle_minutes) or idle_minutes <= 0:
        raise ValueError(f"idle_minutes must be a positive number, not {idle_minutes!r}.")
    return 1 - math.exp(-requests_per_minute * idle_minutes)


def cache_estimate(requests_per_day: float, provider_id: str, active_hours: float = 24.0, model_id: str = "") -> CacheEstimate:
    """The default hit rate for `requests_per_day` spread over `active_hours` on `provider_id`'s cache of `model_id`."""
    minutes, source = lifetime(provider_id, model_id)
    per_minute = requests_per_day / (active_hours * 60)
    return CacheEstimate(hit_rate(per_minute, minutes) * 100, minutes, per_minute, source)


def prompt_provider(scenario: Scenario) -> str:
    """The prompting model's provider id (the part of `provider:model` before the colon)."""
    return scenario.prompt_model.split(":", 1)[0]


def scenario_cache_estimate(scenario: Scenario) -> CacheEstimate:
    """The default hit rate for the scenario's prompting provider at its daily volume (or its pinned cache volume)."""
    volume = scenario.requests_per_day if scenario.cache_volume is None else scenario.cache_volume
    return cache_estimate(volume, prompt_provider(scenario), scenario.active_hours, scenario.prompt_model.partition(":")[2])


def cache_hit_pct(scenario: Scenario) -> float:
    """The hit rate in force on the pair's prompting model: the user's, or its provider's estimate at the volume."""
    if scenario.cache_hit_pct is not None:
        return scenario.cache_hit_pct
    return scenario_cache_estimate(scenario).hit_pct


def with_cache_hit(scenario: Scenario) -> Scenario:
    """The scenario with the volume its hit rates are estimated at fixed (its own), so that a copy at another volume
    prices the same requests on every route; unchanged where caching is not billed or the user entered a rate."""
    if not (scenario.caching and scenario.pricing == "full") or scenario.cache_hit_pct is not None:
        return scenario
    if scenario.cache_volume is not None:
        return scenario
    return replace(scenario, cache_volume=scenario.requests_per_day)
