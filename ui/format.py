"""Number formatting with units, shared by every page."""

from __future__ import annotations

import math


def usd(value: float) -> str:
    """Dollars with precision that suits the size: $0.000150, $45.00, $12,345."""
    if value is None or math.isnan(value):
        return "—"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size == 0:
        return "$0"
    if size < 0.01:
        return f"{sign}${size:.6f}".rstrip("0")
    if size < 1_000:
        return f"{sign}${size:,.2f}"
    return f"{sign}${size:,.0f}"


def usd_per_month(value: float) -> str:
    return f"{usd(value)}/mo"


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


def wrap(text: str, width: int = 16) -> str:
    """Insert line breaks so a label fits a narrow chart band."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)
