"""Where a fine-tuning option or a prompting model stands on a given day, computed from its dated facts.

Nothing here is stored as text: the status on any date follows from the dates an option closed to new
customers, closes to all new jobs and shuts down (each with its own source).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from calc.catalogue.options import FineTuneOption
from calc.catalogue.prompt_facts import PromptLifecycle, lifecycles

#: A date this close ahead is flagged as a warning: a plan made today would run into it.
WARN_WITHIN_DAYS = 90


@dataclass(frozen=True)
class Status:
    """A computed status: a short state, a severity for display, a headline and a sentence with dates and sources."""

    state: str  # "open", "closed_to_new_customers", "no_new_jobs", "shut_down", "superseded" (prompting, no row)
    severity: str  # "ok", "warning", "error"
    headline: str
    sentence: str
    usable_by_new_customer: bool


def _days(when: dt.date, on: dt.date) -> str:
    days = (when - on).days
    return f"in {days} day{'s' if days != 1 else ''}"


def floor_text(earliest: dt.date, on: dt.date, cited: str) -> str:
    """A "retires no earlier than" floor in words on `on`: ahead, or passed with no date announced (never a shutdown)."""
    if earliest > on:
        return f"retires no earlier than {earliest.isoformat()} ({cited})"
    passed = f"its earliest retirement date {earliest.isoformat()} has passed and no date is announced"
    return f"may retire at any time: {passed} ({cited})"


def base_closure(option: FineTuneOption) -> FineTuneOption:
    """`option` closed to new customers from the day its base model closed to them (Azure "Deprecated", Bedrock
    "Legacy" in the prompting-model facts in force), where that comes before its own date: one rule for both tables.

    A fine-tune on a base model a new customer cannot deploy cannot be started by a new customer either.
    """
    ref = option.base_model_ref
    base = None if ref is None else lifecycles().get(ref)
    closed = None if base is None else base.closed_to_new_customers
    if closed is None or (option.closed_to_new_customers is not None and option.closed_to_new_customers <= closed):
        return option
    source = f"its base model {ref} is closed to new customers since {closed.isoformat()}: {base.closed_to_new_customers_source}"
    return replace(option, closed_to_new_customers=closed, closed_to_new_customers_source=source)


def option_status(option: FineTuneOption, on: dt.date) -> Status:
    """The status of fine-tuning `option` on day `on`, with the dates still ahead (its base model's closure to new
    customers included: `base_closure`)."""
    option = base_closure(option)
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
    floor = option.earliest_retirement
    if floor is not None and option.shutdown is None:
        ahead.append(floor_text(floor, on, f"source: {option.earliest_retirement_source}"))
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
    soon = [d for d in (option.jobs_close, option.shutdown, floor) if d is not None and (d - on).days <= WARN_WITHIN_DAYS]
    return Status(
        "open",
        "warning" if soon else "ok",
        "open to new customers",
        f"{label}: open to new customers{later}.",
        True,
    )


def _cited(source: str | None, confidence: str) -> str:
    return f"source: {source}" + ("" if confidence == "confirmed" else f"; {confidence}")


def prompt_status(
    label: str, lifecycle: PromptLifecycle | None, flagged_deprecated: bool, on: dt.date, superseded: str | None = None
) -> Status:
    """The status of a prompting model on day `on`, from its dated lifecycle facts (None: we have none).

    A model with no curated row says "no lifecycle data" (never "no shutdown announced"); the catalogue's own
    deprecation flag is used where it is the only fact. With no row and a family superseded two generations ago
    (`superseded` says why: calc/catalogue/generations.py) it is not offered as usable: most such models are shut down.
    """
    if lifecycle is None and superseded:
        return Status(
            "superseded",
            "warning",
            "superseded, no lifecycle data",
            f"{label}: no lifecycle data, and {superseded}: most such models are shut down or closed to new customers. "
            "Check the provider's deprecation page before relying on it; rankings leave it out unless shown.",
            False,
        )
    if lifecycle is None:
        if flagged_deprecated:
            return Status(
                "open",
                "warning",
                "deprecated",
                f"{label}: marked deprecated in the genai-prices catalogue (still served; no shutdown date in our data).",
                True,
            )
        return Status(
            "open",
            "warning",
            "no lifecycle data",
            f"{label}: no lifecycle data (no curated dates, no deprecation flag in the catalogue); check the provider's "
            "deprecation page before relying on it.",
            True,
        )
    life, conf = lifecycle, lifecycle.confidence
    instead = f"; the provider names {life.successor} instead" if life.successor else ""
    if life.shutdown is not None and life.shutdown <= on:
        return Status(
            "shut_down",
            "error",
            f"shut down {life.shutdown.isoformat()}",
            f"{label}: shut down {life.shutdown.isoformat()} ({_cited(life.shutdown_source, conf)}){instead}. "
            "It cannot be prompted today.",
            False,
        )
    ahead = []
    if life.shutdown is not None:
        ahead.append(f"shuts down {life.shutdown.isoformat()} ({_days(life.shutdown, on)}; {_cited(life.shutdown_source, conf)})")
    closed = life.closed_to_new_customers
    if closed is not None and closed > on:
        ahead.append(
            f"closes to new customers {closed.isoformat()} ({_days(closed, on)}; "
            f"{_cited(life.closed_to_new_customers_source, conf)})"
        )
    earliest = life.earliest_retirement
    if earliest is not None and life.shutdown is None:
        ahead.append(floor_text(earliest, on, _cited(life.earliest_retirement_source, conf)))
    later = ("; " + "; ".join(ahead)) if ahead else ""
    if closed is not None and closed <= on:
        return Status(
            "closed_to_new_customers",
            "error",
            f"closed to new customers since {closed.isoformat()}",
            f"{label}: closed to new customers since {closed.isoformat()} "
            f"({_cited(life.closed_to_new_customers_source, conf)}){later}{instead}. Existing customers only: a team "
            "starting today cannot prompt it.",
            False,
        )
    near = [d for d in (life.shutdown, closed, earliest) if d is not None and (d - on).days <= WARN_WITHIN_DAYS]
    severity = "warning" if near or flagged_deprecated else "ok"
    if life.shutdown is not None:
        headline = f"shuts down {life.shutdown.isoformat()}"
    elif earliest is not None:
        headline = f"retires no earlier than {earliest.isoformat()}" if earliest > on else "may retire at any time"
    elif flagged_deprecated:
        headline = "deprecated"
    else:
        headline = "available, no shutdown announced"
    if not ahead:
        checked = f" as of {life.checked.isoformat()}" if life.checked else ""
        flag = "; marked deprecated in the genai-prices catalogue" if flagged_deprecated else ""
        return Status(
            "open",
            severity,
            headline,
            f"{label}: available, no shutdown announced{checked} ({_cited(life.source, conf)}){flag}.",
            True,
        )
    return Status("open", severity, headline, f"{label}: available{later}{instead}.", True)
