"""Keeping the curated data current: what no longer agrees with the installed genai-prices, the calendar or itself.

Run by `scripts/check_prices.py` (and a test with a fixed date). Hard problems make the script exit non-zero.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from calc.options import FineTuneOption, shipped_records
from calc.pair import base_prompt_ref
from calc.prompt_models import prompt_model_facts, resolve_prompt_model
from calc.status import option_status

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
    on: dt.date, records: dict[str, FineTuneOption] | None = None, facts: pd.DataFrame | None = None
) -> list[Finding]:
    """Every finding about the options and prompting facts on day `on`: the shipped ones, or a team's `records`
    (calc/options.py) and `facts` (a validated prompt_models table) before they are published.

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
                findings.append(Finding(True, option.option_id, f"successor {option.successor} is not live on {on}"))
        if option.confidence == "unverified" and option.notes and "unverified" not in option.notes.lower():
            findings.append(Finding(True, option.option_id, "unverified prices must say so in the notes"))
    for ref, fact in (prompt_model_facts() if facts is None else facts).iterrows():
        try:
            resolve_prompt_model(str(ref), on)
        except ValueError as problem:
            findings.append(Finding(True, str(ref), f"not in the installed genai-prices: {problem}"))
            continue
        if fact["recommended"] and fact["shutdown"] is not None and fact["shutdown"] <= on:
            findings.append(Finding(True, str(ref), f"recommended but shut down {fact['shutdown']}"))
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
