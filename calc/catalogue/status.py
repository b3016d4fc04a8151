"""Where a fine-tuning option or a prompting model stands on a given day, computed from its dated facts.

Nothing here is stored as text: the status on any date follows from the dates an option closed to new
customers, closes to all new jobs and shuts down (each with its own source).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calc.catalogue.options import FineTuneOption

#: A date this close ahead is flagged as a warning: a plan made today would run into it.
WARN_WITHIN_DAYS = 90


@dataclass(frozen=True)
class Status:
    """A computed status: a short state, a severity for display, a headline and a sentence with dates and sources."""

    state: str  # "open", "closed_to_new_customers", "no_new_jobs", "shut_down"
    severity: str  # "ok", "warning", "error"
    headline: str
    sentence: str
    usable_by_new_customer: bool


def _days(when: dt.date, on: dt.date) -> str:
    days = (when - on).days
    return f"in {days} day{'s' if days != 1 else ''}"


def option_status(option: FineTuneOption, on: dt.date) -> Status:
    """The status of fine-tuning `option` on day `on`, with the dates still ahead."""
    label = option.label
    if option.shutdown is not None and option.shutdown <= on:
        return Status(
            "shut_down",
            "error",
            f"shut down {option.shutdown.isoformat()}",
            f"{label}: shut down {option.shutdown.isoformat()} (no new fine-tunes, no inference; source: "
            f"{option.shutdown_source}). Shown for comparison only.",
            False,
        )
    ahead = []
    if option.jobs_close is not None and option.jobs_close > on:
        ahead.append(f"no new jobs after {option.jobs_close.isoformat()} ({_days(option.jobs_close, on)})")
    if option.shutdown is not None:
        ahead.append(f"shuts down {option.shutdown.isoformat()} ({_days(option.shutdown, on)})")
    later = ("; " + "; ".join(ahead)) if ahead else ""
    if option.jobs_close is not None and option.jobs_close <= on:
        return Status(
            "no_new_jobs",
            "error",
            f"no new jobs since {option.jobs_close.isoformat()}",
            f"{label}: no new fine-tuning jobs since {option.jobs_close.isoformat()} "
            f"(source: {option.jobs_close_source}){later}.",
            False,
        )
    closed = option.closed_to_new_customers
    if closed is not None and closed <= on:
        return Status(
            "closed_to_new_customers",
            "error",
            f"closed to new customers since {closed.isoformat()}",
            f"{label}: closed to new customers since {closed.isoformat()} (source: {option.closed_to_new_customers_source})"
            f"{later}. A team starting today cannot fine-tune it.",
            False,
        )
    soon = [d for d in (option.jobs_close, option.shutdown) if d is not None and (d - on).days <= WARN_WITHIN_DAYS]
    return Status(
        "open",
        "warning" if soon else "ok",
        "open to new customers",
        f"{label}: open to new customers{later}.",
        True,
    )


def prompt_status(label: str, shutdown: dt.date | None, source: str | None, successor: str | None, on: dt.date) -> Status:
    """The status of a prompting model on day `on`, from its announced shutdown date (if any)."""
    instead = f"; the provider names {successor} instead" if successor else ""
    if shutdown is not None and shutdown <= on:
        return Status(
            "shut_down",
            "error",
            f"shut down {shutdown.isoformat()}",
            f"{label}: shut down {shutdown.isoformat()} (source: {source}){instead}. It cannot be prompted today.",
            False,
        )
    if shutdown is not None:
        severity = "warning" if (shutdown - on).days <= WARN_WITHIN_DAYS else "ok"
        return Status(
            "open",
            severity,
            f"shuts down {shutdown.isoformat()}",
            f"{label}: shuts down {shutdown.isoformat()} ({_days(shutdown, on)}; source: {source}){instead}.",
            True,
        )
    return Status("open", "ok", "available", f"{label}: available, no shutdown announced.", True)
