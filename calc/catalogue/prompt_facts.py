"""Prompting models' curated lifecycle facts (data/prompt_models.csv, or a team's table in force): when each model
closes to new customers, shuts down or may retire, each date with its own source.

Kept apart from the genai-prices catalogue (calc/catalogue/prompt_models.py) so that the status rule
(calc/catalogue/status.py) can read a fine-tuning option's base model facts: one rule serves both tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.catalogue.price_sources import current_version, pinned
from calc.catalogue.tables import DATA_DIR, PROMPT_LIFECYCLE_DATES, PROMPT_MODEL_COLUMNS, DataSchemaError, validate_table


@dataclass(frozen=True)
class PromptLifecycle:
    """A prompting model's curated lifecycle facts (data/prompt_models.csv), each date with its own source.

    `earliest_retirement` is a "retires no earlier than" date (Vertex, Azure, Anthropic publish these): a floor, not
    a shutdown. `checked` is the date the sources were read; `confidence` how well they are established.
    """

    shutdown: dt.date | None = None
    shutdown_source: str | None = None
    closed_to_new_customers: dt.date | None = None
    closed_to_new_customers_source: str | None = None
    earliest_retirement: dt.date | None = None
    earliest_retirement_source: str | None = None
    successor: str | None = None
    source: str = ""
    checked: dt.date | None = None
    confidence: str = "unverified"


def _facts(version: str) -> pd.DataFrame:
    """The prompting-model facts of `version`: a team's table when one is in force, else the shipped one."""
    team = pinned(version).models.table
    return prompt_model_facts() if team is None else team


@lru_cache(maxsize=1)
def prompt_model_facts() -> pd.DataFrame:
    """Curated facts about prompting models: the recommended short list and dated lifecycle facts, with sources."""
    table = pd.read_csv(DATA_DIR / "prompt_models.csv", dtype=str, keep_default_na=False)
    facts = validate_table(table, PROMPT_MODEL_COLUMNS, "prompt_models.csv")
    problems = [
        f"{ref}: '{date}' has no '{source}'"
        for ref, row in zip(facts["model_ref"], facts.to_dict(orient="records"), strict=True)
        for date, source in PROMPT_LIFECYCLE_DATES
        if _date(row[date]) is not None and _text(row[source]) is None
    ]
    duplicated = facts["model_ref"][facts["model_ref"].duplicated()].tolist()
    if duplicated:
        problems.append(f"duplicate model_ref {', '.join(duplicated)}")
    if problems:
        raise DataSchemaError("prompt_models.csv: " + "; ".join(problems) + ".")
    return facts.set_index("model_ref", drop=False)


def _date(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else value


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) or not value else str(value)


def lifecycles() -> dict[str, PromptLifecycle]:
    """Each curated model's lifecycle facts in the facts table in force, by `provider:model`."""
    return _lifecycles(current_version())


@lru_cache(maxsize=8)
def _lifecycles(version: str) -> dict[str, PromptLifecycle]:
    """Lifecycle facts of `version`'s facts table (built once per version; statuses are computed per date)."""
    return {
        str(ref): PromptLifecycle(
            shutdown=_date(row["shutdown"]),
            shutdown_source=_text(row["shutdown_source"]),
            closed_to_new_customers=_date(row["closed_to_new_customers"]),
            closed_to_new_customers_source=_text(row["closed_to_new_customers_source"]),
            earliest_retirement=_date(row["earliest_retirement"]),
            earliest_retirement_source=_text(row["earliest_retirement_source"]),
            successor=_text(row["successor_ref"]),
            source=str(row["source"]),
            checked=_date(row["as_of"]),
            confidence=str(row["confidence"]),
        )
        for ref, row in _facts(version).iterrows()
    }


def shut_down_refs(on: dt.date) -> frozenset[str]:
    """The curated models shut down on or before `on` in the facts in force (the picker asks on every rerun)."""
    return _shut_down_refs(on, current_version())


@lru_cache(maxsize=16)
def _shut_down_refs(on: dt.date, version: str) -> frozenset[str]:
    return frozenset(ref for ref, life in _lifecycles(version).items() if life.shutdown is not None and life.shutdown <= on)


def shutdown_date(ref: str) -> dt.date | None:
    """The announced shutdown date of `ref` (`provider:model`), if we have one."""
    life = lifecycles().get(ref)
    return None if life is None else life.shutdown
