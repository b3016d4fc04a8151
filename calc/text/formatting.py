"""Numbers in words and units, as every page, the brief and the command line show them (no Streamlit here).

ui/format.py re-exports these for the pages; calc/api.py and the CLI use them directly, so the figures a link gives
on the command line read exactly as on the page.
"""

from __future__ import annotations

import math

#: Dollar amounts from this size up are shown as "too large" rather than as 16+ digits (or "$inf").
TOO_LARGE_USD = 1e15
#: The smallest amount above zero shown in digits; below it, "under $0.000001" (never "$0." or "$1e-318").
SMALLEST_USD = 0.000001


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
    if size < SMALLEST_USD:
        return f"{'minus ' if sign else ''}under ${SMALLEST_USD:.6f}"
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
    if size < 0.001:
        return f"{'minus ' if sign else ''}under $0.001/mo"
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
