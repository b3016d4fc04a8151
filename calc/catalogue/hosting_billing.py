"""How each provider bills a dedicated deployment (data/hosting_billing.csv): the billing increment, whether it
scales to zero (so a deployment running some hours a day pays only those, plus the idle window it waits before scaling
to zero), what a cold start from zero takes, and how many fine-tunes (LoRA adapters) one deployment can serve."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import DATA_DIR, NOTES, PROVENANCE, Column, validate_table

BILLING_COLUMNS = (
    Column("provider", "str"),
    Column("billing_increment", "choice", choices=("hour", "minute", "second")),
    Column("scales_to_zero", "choice", choices=("yes", "no")),
    Column("scale_to_zero_window_minutes", "int", max_value=24 * 60),
    Column("cold_start", "str", required=False),
    Column("max_adapters_per_deployment", "int", min_value=1),
    *PROVENANCE,
    NOTES,
)


@dataclass(frozen=True)
class DeploymentBilling:
    """A provider's deployment billing: `billing_increment`, `scales_to_zero`, the idle minutes billed before it scales
    to zero (`window_minutes`), what a `cold_start` from zero takes, `max_adapters` and the source."""

    provider: str
    billing_increment: str
    scales_to_zero: bool
    max_adapters: int
    source: str
    window_minutes: int = 0
    cold_start: str = ""


#: A provider not in the table: billed for every hour, one fine-tune per deployment.
ALWAYS_ON = DeploymentBilling("", "hour", False, 1, "")


def _row(row: pd.Series) -> DeploymentBilling:
    scales = row["scales_to_zero"] == "yes"
    return DeploymentBilling(
        str(row["provider"]),
        str(row["billing_increment"]),
        scales,
        int(row["max_adapters_per_deployment"]),
        str(row["source"]),
        int(row["scale_to_zero_window_minutes"]),
        str(row["cold_start"] or ""),
    )


@lru_cache(maxsize=1)
def _billing() -> dict[str, DeploymentBilling]:
    return {str(row["provider"]): _row(row) for _, row in billing_table().iterrows()}


def billing_table() -> pd.DataFrame:
    """The deployment billing rows, schema-checked."""
    table = pd.read_csv(DATA_DIR / "hosting_billing.csv", dtype=str, keep_default_na=False)
    return validate_table(table, BILLING_COLUMNS, "hosting_billing.csv")


def deployment_billing(provider: str) -> DeploymentBilling:
    """How `provider` bills a deployment (always on, one fine-tune, when the table has no row for it)."""
    return _billing().get(provider, ALWAYS_ON)
