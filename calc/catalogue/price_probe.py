"""genai-prices data checked whole before it goes into force: every price of every model (each dated or conditional
price and each variant) held to the bounds team tables have, then priced once with a small probe request.

genai-prices checks a price only when it computes one, so data with a negative price loads cleanly and then breaks
every page that prices that model; a price of 1e308 overflows and one of 1e-320 prints as "$0.". Used by
calc/catalogue/price_sources.py on each fetch.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from calc.catalogue.tables import MAX_PRICE

#: The smallest price above zero accepted, per unit genai-prices prices in (1M tokens, 1,000 requests, an hour of
#: audio): its cheapest real price is about $0.001 per 1M tokens, so anything a thousand times smaller is an error
#: (or a denormal number that prints as "$0.").
MIN_NONZERO_PRICE = Decimal("0.000001")
_MAX = Decimal(str(MAX_PRICE))
#: The probe: a small request every model can price (input and output tokens; other units count as zero).
PROBE_USAGE = {"input_tokens": 1_000, "output_tokens": 100}
#: A model is named in a message by at most this many characters (the data may hold any id).
_MAX_NAME_CHARS = 80


class ImplausiblePriceError(ValueError):
    """A price in fetched data outside what the model accepts; the message names the model and the field."""


def _price_sets(model: Any) -> Iterator[tuple[str, Any]]:
    """(which price, ModelPrice) for a model: its one price set, each conditional one, and each variant's."""
    from genai_prices.types import ModelPrice

    if isinstance(model.prices, ModelPrice):
        yield "", model.prices
    else:
        for conditional in model.prices:
            constraint = conditional.constraint
            start = getattr(constraint, "start_date", None)
            yield ("" if constraint is None else f" (price from {start})" if start else " (a timed price)"), conditional.prices
    for variant in model.price_variants or ():
        yield " (a price variant)", variant.prices


def _numbers(value: Any) -> Iterator[Any]:
    """Each number a price field holds: the price, or a tiered price's base and tiers."""
    from genai_prices.types import TieredPrices

    if isinstance(value, TieredPrices):
        yield value.base
        yield from (tier.price for tier in value.tiers)
    else:
        yield value


def _problem(value: Any) -> str | None:
    """Why `value` is not a usable price, or None."""
    if not isinstance(value, Decimal):
        return f"is {str(value)[:40]!r}, not a number"
    if not value.is_finite():
        return f"is {value}, not a finite number"
    if value < 0:
        return f"is {value:.6g}, below 0"
    if value > _MAX:
        return f"is {value:.6g}, above the maximum {MAX_PRICE:,.0f}"
    if 0 < value < MIN_NONZERO_PRICE:
        return f"is {value:.3g}, above 0 but below the smallest plausible price {MIN_NONZERO_PRICE:f}"
    return None


def invalid_model_price(payload: Any) -> str | None:
    """The first model of raw genai-prices data (its JSON list) whose prices genai-prices cannot read, named with its
    field and the reason ("openai:gpt-6-luna input_mtok: Input should be a finite number"); None when each reads.

    genai-prices' own error names the field but not the model; this is asked only once the whole file failed.
    """
    from genai_prices.types import _normalize_model_prices
    from pydantic import ValidationError

    for provider in payload if isinstance(payload, list) else ():
        models = provider.get("models") if isinstance(provider, dict) else None
        for model in models if isinstance(models, list) else ():
            if not isinstance(model, dict):
                continue
            try:
                _normalize_model_prices(model)
            except ValidationError as problem:
                errors = problem.errors()
                deepest = max(errors, key=lambda error: len(error.get("loc", ())), default={})
                field = str((deepest.get("loc") or ("prices",))[0])[:_MAX_NAME_CHARS]
                name = f"{provider.get('id')}:{model.get('id')}"[:_MAX_NAME_CHARS]
                return f"{name} {field}: {deepest.get('msg', 'invalid')}"
    return None


def check_snapshot_prices(snapshot: Any) -> int:
    """Every price of every model in `snapshot` (a genai-prices DataSnapshot) bounded and probed; the number of price
    sets checked, or ImplausiblePriceError at the first that fails ("openai:gpt-6-luna input_mtok is -5, below 0")."""
    from genai_prices.types import Usage

    checked = 0
    for provider in snapshot.providers:
        for model in provider.models:
            for which, prices in _price_sets(model):
                name = f"{provider.id}:{model.id}"[:_MAX_NAME_CHARS] + which
                for field, value in vars(prices).items():
                    if field.startswith("_") or value is None:
                        continue
                    for number in _numbers(value):
                        problem = _problem(number)
                        if problem:
                            raise ImplausiblePriceError(f"{name} {field[:_MAX_NAME_CHARS]} {problem}")
                try:
                    prices.calc_price(Usage(**PROBE_USAGE))
                except (ValueError, TypeError, ArithmeticError, LookupError) as failure:
                    raise ImplausiblePriceError(f"{name} cannot be priced: {failure}") from None
                checked += 1
    return checked
