"""How each provider bills a cached prefix and a batch request: minimum prefix, step, batch discount, with sources.

A rule is looked up by genai-prices provider id, then narrowed by a substring of the model id (Anthropic's and
Google's minimums differ by model). A provider with no row gets the stated fallback and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import DATA_DIR, NOTES, PROVENANCE, Column, validate_table

RULE_COLUMNS = (
    Column("provider_id", "str"),
    Column("model_match", "str", required=False),
    Column("min_cache_prefix_tokens", "int"),
    Column("cache_step_tokens", "int", min_value=1),
    Column("batch_discount", "float", required=False),
    *PROVENANCE,
    NOTES,
)


@dataclass(frozen=True)
class ProviderRule:
    """Caching and batch rules for one provider (or one model family of it)."""

    provider_id: str
    min_cache_prefix_tokens: int
    cache_step_tokens: int
    batch_discount: float | None
    source: str
    confidence: str
    notes: str

    def cached_tokens(self, static_tokens: int) -> int:
        """Tokens of a static prefix billed as cache reads on a hit: none below the minimum, whole steps above it."""
        if static_tokens < max(self.min_cache_prefix_tokens, 1):
            return 0
        extra = static_tokens - self.min_cache_prefix_tokens
        return self.min_cache_prefix_tokens + extra // self.cache_step_tokens * self.cache_step_tokens

    def describe(self) -> str:
        """The rule in words, for help texts."""
        step = f" in {self.cache_step_tokens:,}-token steps" if self.cache_step_tokens > 1 else ""
        batch = "no batch discount known" if self.batch_discount is None else f"batch {self.batch_discount:.0%} off"
        return f"cache from {self.min_cache_prefix_tokens:,} tokens{step}; {batch} ({self.confidence})"


FALLBACK = ProviderRule(
    "unknown", 1_024, 1, None, "no rule in data/provider_rules.csv: 1,024-token minimum assumed, no batch", "unverified", ""
)


@lru_cache(maxsize=1)
def rule_table() -> pd.DataFrame:
    """The provider rules, schema-checked."""
    frame = pd.read_csv(DATA_DIR / "provider_rules.csv", dtype=str, keep_default_na=False)
    return validate_table(frame, RULE_COLUMNS, "provider_rules.csv")


@lru_cache(maxsize=4_096)
def rule_for(provider_id: str, model_id: str = "") -> ProviderRule:
    """The most specific rule for a provider's model (a matching `model_match` beats the provider's default row)."""
    rows = rule_table()
    rows = rows[rows["provider_id"] == provider_id]
    if rows.empty:
        return FALLBACK
    specific = rows[rows["model_match"].map(lambda m: isinstance(m, str) and bool(m) and m in model_id.lower())]
    row = (specific if not specific.empty else rows[rows["model_match"].isna()]).iloc[0]
    discount = row["batch_discount"]
    return ProviderRule(
        provider_id=provider_id,
        min_cache_prefix_tokens=int(row["min_cache_prefix_tokens"]),
        cache_step_tokens=int(row["cache_step_tokens"]),
        batch_discount=None if pd.isna(discount) else float(discount),
        source=str(row["source"]),
        confidence=str(row["confidence"]),
        notes=str(row["notes"] or ""),
    )
