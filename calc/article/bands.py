"""The article's volume decision bands: which one a daily volume falls in and what it recommends."""

from __future__ import annotations

import bisect
import math
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import load_volume_bands


@lru_cache(maxsize=1)
def _default_bands() -> tuple[list[float], list[dict]]:
    table = load_volume_bands()
    return table["min_requests_per_day"].tolist(), table.to_dict(orient="records")


def band_for(requests_per_day: float, bands: pd.DataFrame | None = None) -> dict:
    """The band holding `requests_per_day` (lower bound inclusive, upper exclusive), as a dict."""
    if isinstance(requests_per_day, bool) or not isinstance(requests_per_day, (int, float)):
        raise ValueError(f"requests_per_day must be a number, not {requests_per_day!r}.")
    if math.isnan(requests_per_day) or requests_per_day < 0:
        raise ValueError(f"requests_per_day must be a non-negative number, not {requests_per_day!r}.")
    if bands is None:
        starts, rows = _default_bands()
    else:
        starts, rows = bands["min_requests_per_day"].tolist(), bands.to_dict(orient="records")
    return dict(rows[bisect.bisect_right(starts, requests_per_day) - 1])


def band_spans(low: float, high: float, bands: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each band clipped to [low, high] for shading a chart: start, end, label, recommendation."""
    table = load_volume_bands() if bands is None else bands
    spans = pd.DataFrame(
        {
            "start": table["min_requests_per_day"].clip(lower=low, upper=high),
            "end": table["max_requests_per_day"].fillna(high).clip(lower=low, upper=high),
            "band": table["band"],
            "volume_label": table["volume_label"],
            "recommendation": table["recommendation"],
            "why": table["why"],
        }
    )
    return spans[spans["end"] > spans["start"]].reset_index(drop=True)
