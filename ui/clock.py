"""The date every page prices and dates statuses for: today, or the date in PRICES_ON (YYYY-MM-DD).

Tests pin it so a page means the same thing next month; a team can pin it to replay a meeting's date.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "PRICES_ON"


def app_today() -> dt.date:
    """Today, unless PRICES_ON names a date (ValueError, naming the variable, when it is not one)."""
    pinned = os.environ.get(ENV, "").strip()
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise ValueError(f"{ENV} must be a date as YYYY-MM-DD, not {pinned!r}") from None
