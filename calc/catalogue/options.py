"""The fine-tuning option record: one frozen dataclass per curated row, resolved once from the options table.

Everything downstream (costs, training, lifecycle, pages) reads these typed records, never table rows, as
genai-prices models a price with `ModelPrice`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import load_options

HOURLY_KINDS = ("deployment_hourly", "dedicated_gpu", "provisioned")
HOURS_PER_DAY = 24


@dataclass(frozen=True)
class FineTuneOption:
    """A provider + model that can be (or could be) fine-tuned: prices, hosting, lifecycle dates and provenance.

    Prices are USD per 1M tokens; `training_price_usd` is per 1M training tokens or per GPU-hour (see
    `training_unit`) and None when the provider publishes none. Each lifecycle date has its own source.
    """

    option_id: str
    label: str
    provider: str
    model_id: str
    method: str
    training_price_usd: float | None
    training_price_low_usd: float | None
    training_price_high_usd: float | None
    training_unit: str
    gpu_hours_per_mtok: float | None
    min_examples: int | None
    max_example_tokens: int | None
    default_epochs: int | None
    base_model_ref: str | None
    base_input_per_mtok: float
    base_cached_input_per_mtok: float | None
    base_output_per_mtok: float
    tuned_input_per_mtok: float
    tuned_cached_input_per_mtok: float | None
    tuned_output_per_mtok: float
    hosting_kind: str
    hosting_usd_per_hour: float | None
    hosting_units: int
    storage_usd_per_month: float | None
    closed_to_new_customers: dt.date | None
    closed_to_new_customers_source: str | None
    jobs_close: dt.date | None
    jobs_close_source: str | None
    shutdown: dt.date | None
    shutdown_source: str | None
    successor: str | None
    source: str
    as_of: dt.date
    confidence: str
    notes: str | None
    model_size_b: float | None = None  # dedicated_gpu: parameters (billions) that size the GPUs by throughput
    serving_gpu: str | None = None  # dedicated_gpu: the GPU (data/gpus.csv) the model serves on
    min_job_usd: float | None = None  # the smallest charge for one training job, where the provider has one
    earliest_retirement: dt.date | None = None  # "retires no earlier than" (a floor the provider publishes, not a date)
    earliest_retirement_source: str | None = None
    service_kind: str = "production"  # production, preview, training or own_gpus (SERVICE_KINDS), with its source
    service_kind_source: str | None = None
    unverified_figures: str | None = None  # which of the row's figures no copy confirms (its confidence says how many)

    @property
    def training_price_published(self) -> bool:
        """False when the provider publishes no training price (the user must enter one)."""
        return self.training_price_usd is not None

    @property
    def per_gpu_hour(self) -> bool:
        """True when training is billed in GPU-hours (self-hosted), not per token."""
        return self.training_unit == "per_gpu_hour"

    @property
    def per_training_hour(self) -> bool:
        """True when training is billed per hour of the provider's job (the hours of one run are the user's)."""
        return self.training_unit == "per_training_hour"

    @property
    def hourly_rate_missing(self) -> bool:
        """True when the option bills per hour but the hourly rate is not known (costs are then a lower bound)."""
        return self.hosting_kind in HOURLY_KINDS and self.hosting_usd_per_hour is None

    def billing_terms(self) -> str:
        """How the tuned model is billed besides tokens, in words: the published terms, not sized for any workload
        (calc/costs/hosting.py `hosting_text` adds the sizing)."""
        if self.hosting_kind == "serverless":
            extra = f" + ${self.storage_usd_per_month:,.2f}/month storage" if self.storage_usd_per_month else ""
            return "per token, no hosting fee" + extra
        if self.hosting_kind == "storage_monthly":
            fee = f"${self.storage_usd_per_month:,.2f}/month" if self.storage_usd_per_month is not None else "a fee not published"
            return f"per token at the base price + model storage {fee}"
        units = {"deployment_hourly": "deployment", "dedicated_gpu": "GPU", "provisioned": "unit"}[self.hosting_kind]
        count = f"{self.hosting_units} {units}{'s' if self.hosting_units != 1 else ''}"
        if self.hosting_usd_per_hour is None:
            return f"{count} billed by the hour (rate not published: left out)"
        if self.hosting_kind == "dedicated_gpu" and self.model_size_b is not None and self.serving_gpu:
            return f"at least {count} x ${self.hosting_usd_per_hour:,.2f}/hour, always on; more as volume needs (by throughput)"
        return f"{count} x ${self.hosting_usd_per_hour:,.2f}/hour, always on"


def _value(row: Mapping[str, object], name: str) -> object:
    value = row.get(name)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


def _record(row: Mapping[str, object]) -> FineTuneOption:
    values = {f.name: _value(row, f.name) for f in fields(FineTuneOption)}
    for name in ("min_examples", "max_example_tokens", "default_epochs"):
        values[name] = None if values[name] is None else int(values[name])
    values["hosting_units"] = int(values["hosting_units"] or 1)
    values["service_kind"] = values["service_kind"] or "production"
    values["model_size_b"] = None if values["model_size_b"] is None else float(values["model_size_b"])
    for name in ("tuned_input_per_mtok", "tuned_output_per_mtok", "base_input_per_mtok", "base_output_per_mtok"):
        values[name] = float(values[name] or 0.0)
    return FineTuneOption(**values)


def option_records(table: pd.DataFrame) -> dict[str, FineTuneOption]:
    """Every row of a validated options table as a typed record, keyed by option_id."""
    return {str(row["option_id"]): _record(row) for row in table.to_dict(orient="records")}


@lru_cache(maxsize=1)
def shipped_records() -> dict[str, FineTuneOption]:
    """The shipped options as records, built once per process (read-only)."""
    return option_records(load_options())


_RECORDS_BY_TABLE: dict[int, tuple[pd.DataFrame, dict[str, FineTuneOption]]] = {}


def records_for(table: pd.DataFrame | None) -> dict[str, FineTuneOption]:
    """Records for `table` (None: the options in force: the shipped table, or a team's when one is loaded).

    An edited or team table is resolved once while it is alive.
    """
    if table is None:
        from calc.catalogue.price_sources import in_force

        table = in_force().options.table
        if table is None:
            return shipped_records()
    held = _RECORDS_BY_TABLE.get(id(table))
    if held is not None and held[0] is table:
        return held[1]
    records = option_records(table)
    if len(_RECORDS_BY_TABLE) > 64:
        _RECORDS_BY_TABLE.clear()
    _RECORDS_BY_TABLE[id(table)] = (table, records)
    return records


def get_option(option_id: str, table: pd.DataFrame | None = None) -> FineTuneOption:
    """The option `option_id` (from `table`, default the shipped one), or ValueError listing the known ids."""
    records = records_for(table)
    if option_id not in records:
        raise ValueError(f"Unknown fine-tuning option {option_id!r}; known: {', '.join(records)}.")
    return records[option_id]
