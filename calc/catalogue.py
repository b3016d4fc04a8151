"""Base-model inference prices from the bundled `genai-prices` catalogue, read offline.

Only the data shipped inside the package is read; its online updater is never called. Imported
lazily by the pages that need it, since loading ~2,300 models takes a moment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version

import pandas as pd

CATALOGUE = f"genai-prices {version('genai-prices')} (bundled data)"


def _mtok(value: object) -> float | None:
    """USD per 1M tokens from a genai-prices price (flat or tiered: the base tier), or None."""
    if value is None:
        return None
    base = getattr(value, "base", value)
    return float(base) if isinstance(base, (Decimal, int, float)) else None


@lru_cache(maxsize=1)
def base_model_prices() -> pd.DataFrame:
    """One row per (provider, model) with text-token prices: input, cached input, output per 1M."""
    from genai_prices import data

    now = dt.datetime.now(tz=dt.UTC)
    rows = []
    for provider in data.providers:
        for model in provider.models:
            prices = model.get_prices(now)
            input_price, output_price = _mtok(getattr(prices, "input_mtok", None)), _mtok(getattr(prices, "output_mtok", None))
            if input_price is None or output_price is None:
                continue
            rows.append(
                {
                    "key": f"{provider.id}/{model.id}",
                    "provider": provider.name,
                    "model_id": model.id,
                    "name": model.name or model.id,
                    "input_per_mtok": input_price,
                    "cached_input_per_mtok": _mtok(getattr(prices, "cache_read_mtok", None)),
                    "output_per_mtok": output_price,
                    "source": ", ".join(provider.pricing_urls or []) or CATALOGUE,
                    "catalogue": CATALOGUE,
                }
            )
    return pd.DataFrame(rows).set_index("key", drop=False)


def find_price(provider_id: str, model_ref: str) -> dict | None:
    """The catalogue's prices for `model_ref` at `provider_id`, using the package's own model matching."""
    from genai_prices import data_snapshot

    snapshot = data_snapshot.get_snapshot()
    try:
        provider, model = snapshot.find_provider_model(model_ref, None, provider_id, None)
    except LookupError:
        return None
    key = f"{provider.id}/{model.id}"
    table = base_model_prices()
    return table.loc[key].to_dict() if key in table.index else None
