"""Reasoning tokens: a reasoning model thinks before it answers, and bills the thinking as output tokens.

A prompted request on a reasoning model writes `reasoning_tokens(...)` extra output tokens at the effort the scenario
asks for ("default", the scenario's default: the model's own default effort), from data/reasoning_tokens.csv (per
provider and a substring of the model id, with source, date and confidence). A model with no row reasons not at all
here, and fine-tuned models (small, tuned to answer directly) are priced without reasoning.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import DATA_DIR, NOTES, PROVENANCE, Column, validate_table

EFFORTS = ("none", "low", "medium", "high")
#: The scenario's choices: the model's own default effort, or one of EFFORTS.
EFFORT_CHOICES = ("default", *EFFORTS)
REASONING_COLUMNS = (
    Column("provider_id", "str"),
    Column("model_match", "str"),
    Column("reasoning", "choice", choices=("yes", "no")),
    Column("default_effort", "choice", choices=EFFORTS),
    *(Column(f"{effort}_tokens", "int", max_value=1_000_000) for effort in EFFORTS),
    *PROVENANCE,
    NOTES,
)


@dataclass(frozen=True)
class Reasoning:
    """The reasoning tokens one request writes on a model at an effort, and where the figure comes from."""

    tokens: int
    effort: str  # the effort applied ("none" for a model that does not reason)
    default: bool  # True when `effort` is the model's own default (the scenario left it at "default")
    source: str  # "" for a model with no row

    def text(self, label: str, cite: bool = True) -> str:
        """The reasoning a request on `label` is priced with, in words (empty when none); `cite=False` names the table
        the source is in instead of quoting it (for a tooltip)."""
        if not self.tokens:
            return ""
        which = f"its default effort, {self.effort}" if self.default else f"effort {self.effort}"
        source = self.source if cite else "data/reasoning_tokens.csv, on the Assumptions page"
        return (
            f"{label} reasons before it answers: each request is priced with {self.tokens:,} reasoning tokens billed as "
            f"output ({which}; source: {source})."
        )


NO_REASONING = Reasoning(0, "none", True, "")


@dataclass(frozen=True)
class _Row:
    """One reasoning row: the model ids it matches, its default effort and the tokens of each effort."""

    provider_id: str
    model_match: str
    reasoning: bool
    default_effort: str
    tokens: dict[str, int]
    source: str


@lru_cache(maxsize=1)
def reasoning_table() -> pd.DataFrame:
    """The reasoning table, schema-checked."""
    table = pd.read_csv(DATA_DIR / "reasoning_tokens.csv", dtype=str, keep_default_na=False)
    return validate_table(table, REASONING_COLUMNS, "reasoning_tokens.csv")


@lru_cache(maxsize=1)
def _rows() -> tuple[_Row, ...]:
    """The table's rows, read once (a lookup then builds nothing: it runs for every priced request)."""
    return tuple(
        _Row(
            str(row["provider_id"]),
            str(row["model_match"]).lower(),
            row["reasoning"] == "yes",
            str(row["default_effort"]),
            {effort: int(row[f"{effort}_tokens"]) for effort in EFFORTS},
            str(row["source"]),
        )
        for row in reasoning_table().to_dict(orient="records")
    )


@lru_cache(maxsize=4_096)
def reasoning_tokens(provider_id: str, model_id: str, effort: str = "default") -> Reasoning:
    """Reasoning tokens one prompted request on `provider_id:model_id` writes at `effort` ("default": the model's own);
    kept per model and effort (every route of every ranking asks).

    >>> reasoning_tokens("openai", "gpt-6-luna").tokens, reasoning_tokens("openai", "gpt-6-luna", "none").tokens
    (76, 0)
    >>> reasoning_tokens("anthropic", "claude-haiku-5-5").tokens
    0
    """
    if effort not in EFFORT_CHOICES:
        raise ValueError(f"reasoning effort must be one of {', '.join(EFFORT_CHOICES)}, not {effort!r}.")
    text = model_id.lower()
    for row in _rows():
        if row.provider_id == provider_id and row.model_match in text and row.reasoning:
            applied = row.default_effort if effort == "default" else effort
            return Reasoning(row.tokens[applied], applied, effort == "default", row.source)
    return NO_REASONING
