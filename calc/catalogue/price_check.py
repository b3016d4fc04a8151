"""Keeping the curated data current: what no longer agrees with the installed genai-prices, the calendar or itself.

Run by `scripts/check_prices.py` (and a test with a fixed date). Hard problems make the script exit non-zero.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from calc.catalogue.options import FineTuneOption, shipped_records
from calc.catalogue.prompt_models import (
    base_prompt_ref,
    lifecycle_gaps,
    prompt_model_facts,
    provider_names,
    resolve_prompt_model,
    shutdown_date,
    superseded_refs,
)
from calc.catalogue.status import option_status

MAX_AGE_DAYS = 183


@dataclass(frozen=True)
class Finding:
    """One thing to look at: how serious (`hard` fails the check), which row, and what is wrong.

    >>> Finding(False, "bedrock-nova-micro", "prices are 251 days old").hard
    False
    """

    hard: bool
    row: str
    message: str


def check_prices(
    on: dt.date, records: Mapping[str, FineTuneOption] | None = None, facts: pd.DataFrame | None = None
) -> list[Finding]:
    """Every finding about the options and prompting facts on day `on`: the shipped ones, or a team's `records`
    (calc/catalogue/options.py) and `facts` (a validated prompt_models table) before they are published.

    A history row (an option already shut down on `on`) whose successor has closed too is a note, not a hard finding.

    >>> findings = check_prices(dt.date(2026, 11, 29))
    >>> [finding for finding in findings if finding.hard]
    []
    """
    findings: list[Finding] = []
    records = shipped_records() if records is None else records
    for option in records.values():
        findings += _base_price_findings(option, on)
        age = (on - option.as_of).days
        if age > MAX_AGE_DAYS:
            findings.append(Finding(False, option.option_id, f"prices are {age} days old (as of {option.as_of}): re-check them"))
        if option.successor:
            successor = records.get(option.successor)
            if successor is None or not option_status(successor, on).usable_by_new_customer:
                history = option.shutdown is not None and option.shutdown <= on
                findings.append(
                    Finding(
                        not history,
                        option.option_id,
                        f"successor {option.successor} is not live on {on}"
                        + (f" (a history row: it shut down {option.shutdown})" if history else ""),
                    )
                )
        if option.confidence == "unverified" and option.notes and "unverified" not in option.notes.lower():
            findings.append(Finding(True, option.option_id, "unverified prices must say so in the notes"))
    for ref, fact in (prompt_model_facts() if facts is None else facts).iterrows():
        try:
            resolve_prompt_model(str(ref), on)
        except ValueError as problem:
            findings.append(Finding(True, str(ref), f"not in the installed genai-prices: {problem}"))
            continue
        row_shutdown = fact.get("shutdown")
        shutdown = row_shutdown if isinstance(row_shutdown, dt.date) else shutdown_date(str(ref))
        if fact["recommended"] and shutdown is not None and shutdown <= on:
            findings.append(Finding(True, str(ref), f"recommended but shut down {shutdown}"))
        successor = fact["successor_ref"]
        gone = shutdown_date(successor) if isinstance(successor, str) and successor else None
        if gone is not None and gone <= on:
            findings.append(Finding(False, str(ref), f"the provider's successor {successor} shut down too ({gone})"))
    return findings + lifecycle_gap_findings()


def lifecycle_gap_findings() -> list[Finding]:
    """Per provider, its catalogue models with no lifecycle row (their status reads "no lifecycle data"), and apart
    from them those whose family moved on two generations (status "superseded": left out of rankings by default)."""
    names = provider_names()
    findings = []
    for provider, refs in lifecycle_gaps().items():
        name = names.get(provider, provider)
        old = superseded_refs(refs)
        rest = [ref for ref in refs if ref not in old]
        if rest:
            findings.append(
                Finding(
                    False,
                    provider,
                    f"{len(rest)} {name} catalogue models have no lifecycle row in prompt_models.csv "
                    f"(status 'no lifecycle data'): {', '.join(rest)}",
                )
            )
        if old:
            findings.append(
                Finding(
                    False,
                    provider,
                    f"{len(old)} {name} catalogue models have no lifecycle row and a family superseded two generations "
                    f"ago (status 'superseded': not offered as usable, left out of rankings by default; add a row "
                    f"with the provider's dates): {', '.join(old)}",
                )
            )
    return findings


def _base_price_findings(option, on: dt.date) -> list[Finding]:
    ref = base_prompt_ref(option)
    if ref is None:
        return []
    try:
        listed = resolve_prompt_model(ref, on)
    except ValueError as problem:
        return [Finding(True, option.option_id, f"base model {ref}: {problem}")]
    findings = []
    for name, ours, theirs in (
        ("input", option.base_input_per_mtok, listed.input_per_mtok),
        ("output", option.base_output_per_mtok, listed.output_per_mtok),
    ):
        if not math.isclose(ours, theirs, rel_tol=1e-6, abs_tol=1e-9):
            findings.append(
                Finding(False, option.option_id, f"base {name} ${ours:g}/1M differs from genai-prices' ${theirs:g} for {ref}")
            )
    return findings
