"""Tokens per token of a shipped vocabulary, by content kind (data/token_ratios.csv): the estimates' ranges, and how
the scenario's o200k_base counts convert to each route's own tokens."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import DATA_DIR, NOTES, PROVENANCE, Column, validate_table
from calc.scenario import CONTENT_KINDS

__all__ = ["CONTENT_KINDS", "CONTENT_KIND_LABELS", "REFERENCE_ENCODING", "Ratio", "ratio_for", "ratio_table"]
CONTENT_KIND_LABELS = {
    "english": "English prose",
    "code": "code",
    "json": "JSON",
    "german_french": "German / French",
    "cjk": "Chinese / Japanese / Korean",
}
#: The encoding the scenario's token counts are defined in (sidebar, link, CLI).
REFERENCE_ENCODING = "o200k_base"
BASE_ENCODINGS = ("o200k_base", "cl100k_base", "llama3", "qwen2", "deepseek_v3", "tekken_240718", "gemma3")
RATIO_COLUMNS = (
    Column("family", "str"),
    Column("content_kind", "choice", choices=CONTENT_KINDS),
    Column("base_encoding", "choice", choices=BASE_ENCODINGS),
    Column("ratio", "float", min_value=0.1, max_value=10.0),
    Column("ratio_low", "float", min_value=0.1, max_value=10.0),
    Column("ratio_high", "float", min_value=0.1, max_value=10.0),
    *PROVENANCE,
    NOTES,
)


@dataclass(frozen=True)
class Ratio:
    """A family's tokens per base-encoding token on one content kind: a central figure and a range."""

    family: str
    content_kind: str
    base_encoding: str
    ratio: float
    low: float
    high: float
    source: str
    as_of: str
    confidence: str

    def describe(self) -> str:
        """'1.16 (1.11-1.21) x o200k_base on English prose'."""
        spread = f" ({self.low:.2f}-{self.high:.2f})" if self.low != self.high else ""
        return f"{self.ratio:.2f}{spread} x {self.base_encoding} on {CONTENT_KIND_LABELS[self.content_kind]}"


@lru_cache(maxsize=1)
def ratio_table() -> pd.DataFrame:
    """data/token_ratios.csv, schema-checked, each range holding its central figure."""
    table = validate_table(
        pd.read_csv(DATA_DIR / "token_ratios.csv", dtype=str, keep_default_na=False), RATIO_COLUMNS, "token_ratios.csv"
    )
    bad = table[(table["ratio_low"] > table["ratio"]) | (table["ratio"] > table["ratio_high"])]
    if not bad.empty:
        raise ValueError(f"token_ratios.csv: ratio outside its range for {', '.join(bad['family'] + '/' + bad['content_kind'])}")
    return table


@lru_cache(maxsize=256)
def ratio_for(family: str, content_kind: str) -> Ratio:
    """The family's ratio on `content_kind`; 1.0 exactly for the reference encoding itself."""
    if content_kind not in CONTENT_KINDS:
        raise ValueError(f"Unknown content kind {content_kind!r}; use one of {', '.join(CONTENT_KINDS)}.")
    if family == REFERENCE_ENCODING:
        return Ratio(family, content_kind, family, 1.0, 1.0, 1.0, "the reference encoding itself", "2026-12-06", "confirmed")
    table = ratio_table()
    rows = table[(table["family"] == family) & (table["content_kind"] == content_kind)]
    if rows.empty:
        raise ValueError(f"data/token_ratios.csv has no {content_kind} row for {family!r}.")
    row = rows.iloc[0]
    return Ratio(
        family,
        content_kind,
        str(row["base_encoding"]),
        float(row["ratio"]),
        float(row["ratio_low"]),
        float(row["ratio_high"]),
        str(row["source"]),
        str(row["as_of"]),
        str(row["confidence"]),
    )
