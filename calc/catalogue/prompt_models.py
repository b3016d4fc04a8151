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

import pandas as pd

from calc.catalogue.options import FineTuneOption
from calc.catalogue.price_sources import current_version, pinned
from calc.catalogue.status import PromptLifecycle, Status, prompt_status
from calc.catalogue.tables import (
    DATA_DIR,
    PROMPT_LIFECYCLE_DATES,
    PROMPT_MODEL_COLUMNS,
    DataSchemaError,
    validate_table,
)

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
        return prompt_status(self.label, self.lifecycle, self.flagged_deprecated, on or self.on)


def _timestamp(on: dt.date) -> dt.datetime:
    return dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)


def _snapshot(version: str) -> Any:
    """The genai-prices data of `version` (calc/catalogue/price_sources.py keeps the last few in use)."""
    return pinned(version).catalogue.snapshot


def _facts(version: str) -> pd.DataFrame:
    """The prompting-model facts of `version`: a team's table when one is in force, else the shipped one."""
    team = pinned(version).models.table
    return prompt_model_facts() if team is None else team


@lru_cache(maxsize=1)
def prompt_model_facts() -> pd.DataFrame:
    """Curated facts about prompting models: the recommended short list and dated lifecycle facts, with sources."""
    table = pd.read_csv(DATA_DIR / "prompt_models.csv", dtype=str, keep_default_na=False)
    facts = validate_table(table, PROMPT_MODEL_COLUMNS, "prompt_models.csv")
    problems = [
        f"{ref}: '{date}' has no '{source}'"
        for ref, row in zip(facts["model_ref"], facts.to_dict(orient="records"), strict=True)
        for date, source in PROMPT_LIFECYCLE_DATES
        if _date(row[date]) is not None and _text(row[source]) is None
    ]
    duplicated = facts["model_ref"][facts["model_ref"].duplicated()].tolist()
    if duplicated:
        problems.append(f"duplicate model_ref {', '.join(duplicated)}")
    if problems:
        raise DataSchemaError("prompt_models.csv: " + "; ".join(problems) + ".")
    return facts.set_index("model_ref", drop=False)


def _date(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else value


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) or not value else str(value)


def lifecycles() -> dict[str, PromptLifecycle]:
    """Each curated model's lifecycle facts in the facts table in force, by `provider:model`."""
    return _lifecycles(current_version())


@lru_cache(maxsize=8)
def _lifecycles(version: str) -> dict[str, PromptLifecycle]:
    """Lifecycle facts of `version`'s facts table (built once per version; statuses are computed per date)."""
    return {
        str(ref): PromptLifecycle(
            shutdown=_date(row["shutdown"]),
            shutdown_source=_text(row["shutdown_source"]),
            closed_to_new_customers=_date(row["closed_to_new_customers"]),
            closed_to_new_customers_source=_text(row["closed_to_new_customers_source"]),
            earliest_retirement=_date(row["earliest_retirement"]),
            earliest_retirement_source=_text(row["earliest_retirement_source"]),
            successor=_text(row["successor_ref"]),
            source=str(row["source"]),
            checked=_date(row["as_of"]),
            confidence=str(row["confidence"]),
        )
        for ref, row in _facts(version).iterrows()
    }


def shut_down_refs(on: dt.date) -> frozenset[str]:
    """The curated models shut down on or before `on` in the facts in force (the picker asks on every rerun)."""
    return _shut_down_refs(on, current_version())


@lru_cache(maxsize=16)
def _shut_down_refs(on: dt.date, version: str) -> frozenset[str]:
    return frozenset(ref for ref, life in _lifecycles(version).items() if life.shutdown is not None and life.shutdown <= on)


def shutdown_date(ref: str) -> dt.date | None:
    """The announced shutdown date of `ref` (`provider:model`), if we have one."""
    life = lifecycles().get(ref)
    return None if life is None else life.shutdown


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
        lifecycle=_lifecycles(version).get(canonical),
        _model=model,
        _provider=provider,
        catalogue=pinned(version).catalogue.label,
    )


def base_prompt_ref(option: FineTuneOption) -> str | None:
    """The genai-prices reference of the option's own base model ("same base model"), if the catalogue has it."""
    if option.base_model_ref is None:
        return None
    try:
        return canonical_ref(option.base_model_ref)
    except ValueError:
        return option.base_model_ref
