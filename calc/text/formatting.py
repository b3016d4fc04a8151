"""Numbers in words and units, as every page, the brief and the command line show them (no Streamlit here).

ui/format.py re-exports these for the pages; calc/api.py and the CLI use them directly, so the figures a link gives
on the command line read exactly as on the page.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calc.costs.pair import CostSummary
    from calc.costs.training import TrainingCost

#: Dollar amounts from this size up are shown as "too large" rather than as 16+ digits (or "$inf").
TOO_LARGE_USD = 1e15


def usd(value: float) -> str:
    """Dollars with precision that suits the size: $0.000150, $45.00, $12,345; "too large" from $10^15 or infinite."""
    if value is None or math.isnan(value):
        return "—"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= TOO_LARGE_USD:
        return f"{'minus ' if sign else ''}too large (over $10^15)"
    if size == 0:
        return "$0"
    if size < 0.01:
        return f"{sign}${size:.6f}".rstrip("0")
    if size < 1_000:
        return f"{sign}${size:,.2f}"
    return f"{sign}${size:,.0f}"


def usd_per_month(value: float) -> str:
    """Dollars a month: $45.00/mo."""
    shown = usd(value)
    return shown if "too large" in shown or shown == "—" else f"{shown}/mo"


def usd_per_month_short(value: float) -> str:
    """Dollars a month in few characters, for the projector: $45/mo, $1,234/mo, $12.3k/mo, $4.5M/mo, $0.12/mo."""
    if value is None or math.isnan(value):
        return "—"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= TOO_LARGE_USD:
        return f"{'minus ' if sign else ''}too large"
    rounded = float(f"{size:.3g}")  # three significant digits first, so 999,999 reads $1M, not $1000k
    for limit, unit, suffix in ((1e12, 1e12, "T"), (1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if rounded >= limit:
            return f"{sign}${rounded / unit:g}{suffix}/mo"
    if size >= 10 or size == 0 or float(size).is_integer():
        return f"{sign}${size:,.0f}/mo"
    return f"{sign}${size:.2g}/mo" if size < 1 else f"{sign}${size:,.2f}/mo"


def months(value: float | None) -> str:
    """Breakeven in months, with days when under one month; "never" for None."""
    if value is None:
        return "never"
    if value < 1:
        days = max(1, round(value * 30))
        return f"~{days} day{'s' if days > 1 else ''}"
    return f"{value:,.1f} months"


def count(value: float) -> str:
    return f"{value:,.0f}"


def per_day(value: float) -> str:
    return f"{value:,.0f}/day"


def breakeven_text(summary: CostSummary) -> str:
    """Breakeven in words: "immediately" for free training, "never" without savings, or why it is unknown."""
    if summary.training.not_possible:
        return summary.training.not_possible
    if not summary.training.price_known:
        return "unknown: enter the training price"
    if summary.breakeven_months == 0:
        return "immediately"
    return months(summary.breakeven_months)


def training_text(training: TrainingCost) -> str:
    """One training run's cost, that it is not possible (too few examples), or that the provider publishes no price."""
    if training.not_possible:
        return training.not_possible
    if not training.price_known:
        return "not published: enter it"
    return usd(training.cost_usd) + (" (entered price)" if training.price_entered else "")


def article_suffix(pricing: str, misfit: str | None) -> str:
    """The label suffix of savings and breakeven: "" at full prices, " (article)" where the article's convention
    describes the pair, " (article's convention only)" where it does not (`misfit`: the real figure is shown beside)."""
    if pricing != "article":
        return ""
    return " (article)" if misfit is None else " (article's convention only)"


def real_beside(pricing: str, misfit: str | None, article_value: str, real_value: str) -> str:
    """`article_value`, with the real figure beside it where the article's convention does not describe the pair."""
    if pricing != "article" or misfit is None:
        return article_value
    return f"{article_value} (real: {real_value})"


def real_breakeven_text(summary: CostSummary) -> str:
    """Breakeven at real prices in words (the figure shown beside an article-convention breakeven)."""
    if summary.training.not_possible:
        return summary.training.not_possible
    if not summary.training.price_known:
        return "unknown: enter the training price"
    value = summary.real_breakeven_months
    return "immediately" if value == 0 else months(value)
