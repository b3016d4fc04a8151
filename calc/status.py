"""An option's lifecycle on a given day: retired, closed to new jobs, deprecated or active."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from calc.tables import Option


@dataclass(frozen=True)
class Lifecycle:
    """Where an option stands: a short state, a severity for display, and a sentence with dates."""

    state: str  # "retired", "closed", "deprecated", "active"
    severity: str  # "error", "warning", "ok"
    sentence: str


def _date(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else value


def lifecycle(option: Option, today: dt.date) -> Lifecycle:
    """The lifecycle of `option` on `today`, from its status and dates."""
    label = option["label"]
    shutdown = _date(option["shutdown_date"])
    new_jobs = _date(option["new_jobs_until"])
    if option["status"] == "shutdown" or (shutdown is not None and shutdown <= today):
        when = f" on {shutdown.isoformat()}" if shutdown else ""
        return Lifecycle(
            "retired", "error", f"{label} was shut down{when}: no new fine-tunes and no inference. Shown for comparison only."
        )
    if new_jobs is not None and new_jobs <= today:
        return Lifecycle(
            "closed",
            "error",
            f"{label} closed to new fine-tuning jobs on {new_jobs.isoformat()}"
            + (f"; existing fine-tunes shut down on {shutdown.isoformat()}." if shutdown else "."),
        )
    if option["status"] == "deprecated":
        parts = []
        if new_jobs is not None:
            parts.append(f"new fine-tuning jobs close {new_jobs.isoformat()} ({(new_jobs - today).days} days)")
        if shutdown is not None:
            parts.append(f"the model and its fine-tunes shut down {shutdown.isoformat()} ({(shutdown - today).days} days)")
        detail = "; ".join(parts) if parts else "no shutdown date published"
        return Lifecycle("deprecated", "warning", f"{label} is deprecated: {detail}.")
    return Lifecycle("active", "ok", f"{label} is available for new fine-tuning jobs.")
