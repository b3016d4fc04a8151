"""Prompting models: any model in the bundled genai-prices catalogue, priced per request on a given date.

A model is named `provider:model` as genai-prices names them (e.g. `openai:gpt-6-luna`); a bare model id
resolves when the catalogue itself points to one provider. Per-request costs come from genai-prices' own
price calculation for that request's usage, so context-length tiers apply, at the price in force on the
date. The data is the package's bundled snapshot unless a refresh is configured (calc/catalogue/price_sources.py): every
cache here is keyed on the version of the data in force, so a refresh never mixes old and new prices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version
from typing import Any

from calc.catalogue.generations import newest_generations, superseded_note
from calc.catalogue.options import FineTuneOption
from calc.catalogue.price_sources import current_version, pinned
from calc.catalogue.prompt_facts import PromptLifecycle, _facts, _lifecycles, lifecycles
from calc.catalogue.prompt_facts import prompt_model_facts as prompt_model_facts  # re-exported for the pages
from calc.catalogue.prompt_facts import shut_down_refs as shut_down_refs
from calc.catalogue.prompt_facts import shutdown_date as shutdown_date
from calc.catalogue.status import Status, prompt_status

#: Providers whose every catalogue model should have a curated lifecycle row (`prices --check` lists the gaps).
LIFECYCLE_PROVIDERS = ("openai", "azure", "anthropic", "google", "aws")
CATALOGUE = f"genai-prices {version('genai-prices')} (bundled data)"
SEPARATOR = ":"
RECOMMENDED = "Recommended (current models)"


def _mtok(value: object) -> float | None:
    """USD per 1M tokens of a genai-prices price (flat, or the first tier of a tiered one), or None."""
    if value is None:
        return None
    base = getattr(value, "base", value)
    return float(base) if isinstance(base, (Decimal, int, float)) else None


@dataclass(frozen=True)
class PromptModel:
    """One prompting model with the prices in force on `on` (first context tier, for display)."""

    ref: str
    provider_id: str
    provider_name: str
    model_id: str
    name: str
    on: dt.date
    input_per_mtok: float
    cached_input_per_mtok: float | None
    output_per_mtok: float
    tiered: bool
    flagged_deprecated: bool
    source: str
    lifecycle: PromptLifecycle | None
    _model: Any = field(repr=False, compare=False, hash=False)
    _provider: Any = field(repr=False, compare=False, hash=False)
    catalogue: str = CATALOGUE  # which genai-prices data priced it: the bundled snapshot, or fetched from where and when
    superseded: str | None = None  # no lifecycle row, and its family moved on two generations (calc/catalogue/generations.py)

    @property
    def shutdown(self) -> dt.date | None:
        """The announced shutdown date, if any."""
        return None if self.lifecycle is None else self.lifecycle.shutdown

    @property
    def successor_ref(self) -> str | None:
        """The provider's named replacement, if any."""
        return None if self.lifecycle is None else self.lifecycle.successor

    @property
    def label(self) -> str:
        """The provider and the model's name, as the pickers show it."""
        return f"{self.provider_name} {self.name}"

    def request_usd(self, input_tokens: int, output_tokens: int, cached_tokens: int = 0, cache_write_tokens: int = 0) -> float:
        """One request's price from genai-prices' own calculation (input includes cached and cache-written tokens).

        A model without a cache-write price bills written tokens as plain input, as genai-prices does.
        """
        from genai_prices import Usage

        usage = Usage(
            input_tokens=input_tokens,
            cache_read_tokens=cached_tokens,
            cache_write_tokens=cache_write_tokens,
            output_tokens=output_tokens,
        )
        calculation = self._model.calc_price(usage, self._provider, genai_request_timestamp=_timestamp(self.on))
        return float(calculation.total_price)

    def status(self, on: dt.date | None = None) -> Status:
        """Where the model stands on `on` (default: its pricing date)."""
        return prompt_status(self.label, self.lifecycle, self.flagged_deprecated, on or self.on, self.superseded)


def _timestamp(on: dt.date) -> dt.datetime:
    return dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)


def _snapshot(version: str) -> Any:
    """The genai-prices data of `version` (calc/catalogue/price_sources.py keeps the last few in use)."""
    return pinned(version).catalogue.snapshot


def lifecycle_gaps(providers: tuple[str, ...] = LIFECYCLE_PROVIDERS) -> dict[str, list[str]]:
    """Catalogue models of `providers` with neither a curated lifecycle row nor the catalogue's deprecation flag."""
    known = lifecycles()
    gaps: dict[str, list[str]] = {}
    for provider in _snapshot(current_version()).providers:
        if provider.id not in providers:
            continue
        missing = [
            f"{provider.id}{SEPARATOR}{model.id}"
            for model in provider.models
            if _has_text_prices(model) and not model.deprecated and f"{provider.id}{SEPARATOR}{model.id}" not in known
        ]
        if missing:
            gaps[provider.id] = sorted(missing, key=str.lower)
    return gaps


def recommended_refs() -> list[str]:
    """The short list of current models offered first in the picker."""
    facts = _facts(current_version())
    return facts.index[facts["recommended"]].tolist()


def catalogue_refs() -> dict[str, list[str]]:
    """Every priced text model in the catalogue as `provider:model`, grouped by provider name (sorted)."""
    return _catalogue_refs(current_version())


@lru_cache(maxsize=8)
def _catalogue_refs(version: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for provider in _snapshot(version).providers:
        refs = [f"{provider.id}{SEPARATOR}{model.id}" for model in provider.models if _has_text_prices(model)]
        if refs:
            groups[provider.name] = sorted(refs, key=str.lower)
    return dict(sorted(groups.items(), key=lambda item: item[0].lower()))


def _has_text_prices(model: Any) -> bool:
    prices = model.prices if not isinstance(model.prices, list) else (model.prices[-1].prices if model.prices else None)
    return (
        prices is not None
        and _mtok(getattr(prices, "input_mtok", None)) is not None
        and _mtok(getattr(prices, "output_mtok", None)) is not None
    )


def provider_names() -> dict[str, str]:
    """Provider id -> display name."""
    return {provider.id: provider.name for provider in _snapshot(current_version()).providers}


def _find_exact(provider: Any, model_ref: str) -> Any | None:
    wanted = model_ref.lower()
    return next((model for model in provider.models if model.id.lower() == wanted), None)


def canonical_ref(text: str) -> str:
    """`provider:model` for a reference given as that or as a bare model id; ValueError saying why not."""
    return _lookup(text, current_version())[0]


@lru_cache(maxsize=4_096)
def _lookup(text: str, version: str) -> tuple[str, Any, Any]:
    """(canonical ref, provider, model) for `text` in the data of `version`, by the catalogue's own matching."""
    text = text.strip()
    if not text:
        raise ValueError("the prompting model is empty")
    snapshot = _snapshot(version)
    providers = {provider.id: provider for provider in snapshot.providers}
    provider_id, sep, model_ref = text.partition(SEPARATOR)
    if sep and provider_id in providers:
        provider = providers[provider_id]
        model = _find_exact(provider, model_ref)
        if model is None:
            try:
                _, model = snapshot.find_provider_model(model_ref, provider, None, None)
            except LookupError:
                raise ValueError(f"'{model_ref}' is not a model genai-prices knows at {provider.name}") from None
        return f"{provider.id}{SEPARATOR}{model.id}", provider, model
    exact = [(p, m) for p in snapshot.providers if (m := _find_exact(p, text)) is not None]
    if len(exact) == 1:
        provider, model = exact[0]
        return f"{provider.id}{SEPARATOR}{model.id}", provider, model
    try:
        provider, model = snapshot.find_provider_model(text, None, None, None)
    except LookupError:
        provider = model = None
    if model is not None and (not exact or any(p is provider for p, _ in exact)):
        return f"{provider.id}{SEPARATOR}{model.id}", provider, model
    if exact:
        names = ", ".join(f"{p.id}{SEPARATOR}{m.id}" for p, m in exact[:4])
        raise ValueError(f"'{text}' is ambiguous: name the provider, e.g. {names}")
    raise ValueError(f"'{text}' is not a model genai-prices knows; use provider:model, e.g. openai:gpt-6-luna")


def resolve_prompt_model(ref: str, on: dt.date, version: str | None = None) -> PromptModel:
    """The prompting model `ref` with its prices in force on `on`; ValueError when the catalogue lacks it.

    `version` pins the price data (calc/catalogue/price_sources.py); None takes the data in force now.
    """
    return _resolve(ref, on, current_version() if version is None else version)


@lru_cache(maxsize=2_048)
def _resolve(ref: str, on: dt.date, version: str) -> PromptModel:
    canonical, provider, model = _lookup(ref, version)
    lifecycle = _lifecycles(version).get(canonical)
    prices = model.get_prices(_timestamp(on))
    input_price, output_price = _mtok(getattr(prices, "input_mtok", None)), _mtok(getattr(prices, "output_mtok", None))
    if input_price is None or output_price is None:
        raise ValueError(f"'{canonical}' has no per-token text prices in {CATALOGUE}")
    return PromptModel(
        ref=canonical,
        provider_id=provider.id,
        provider_name=provider.name,
        model_id=model.id,
        name=model.name or model.id,
        on=on,
        input_per_mtok=input_price,
        cached_input_per_mtok=_mtok(getattr(prices, "cache_read_mtok", None)),
        output_per_mtok=output_price,
        tiered=any(hasattr(getattr(prices, key, None), "tiers") for key in ("input_mtok", "output_mtok")),
        flagged_deprecated=bool(model.deprecated),
        source=", ".join(provider.pricing_urls or []) or CATALOGUE,
        lifecycle=lifecycle,
        _model=model,
        _provider=provider,
        catalogue=pinned(version).catalogue.label,
        superseded=None if lifecycle is not None else superseded_note(model.id, _newest(version)),
    )


@lru_cache(maxsize=8)
def _newest(version: str) -> dict[str, int]:
    """The newest generation of each model family the catalogue of `version` prices."""
    return newest_generations(model.id for provider in _snapshot(version).providers for model in provider.models
                              if _has_text_prices(model))  # fmt: skip


def superseded_refs(refs: list[str]) -> dict[str, str]:
    """Of `refs` (`provider:model`, none with a lifecycle row), those whose family moved on two generations, with why."""
    newest = _newest(current_version())
    notes = {ref: superseded_note(ref.partition(SEPARATOR)[2], newest) for ref in refs}
    return {ref: note for ref, note in notes.items() if note is not None}


def base_prompt_ref(option: FineTuneOption) -> str | None:
    """The genai-prices reference of the option's own base model ("same base model"), if the catalogue has it."""
    if option.base_model_ref is None:
        return None
    try:
        return canonical_ref(option.base_model_ref)
    except ValueError:
        return option.base_model_ref
