"""Quality the user has not measured: cited priors, always labelled as such.

Two kinds, by what a pair compares:
- the same base model prompted and fine-tuned: the article's quality-by-task table (its ranges, as published);
- a fine-tuned small model against a prompted large one: `data/quality_priors.csv`, literature ranges by task and
  number of training labels, each row with its source, date and confidence.
Every prior reads "literature prior, not your task"; where no row applies the quality is unknown, never equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.article.quality import task_quality
from calc.article.source import article_section
from calc.catalogue.tables import NOTES, PROVENANCE, Column, DataSchemaError, _read, validate_table

PRIOR_COLUMNS = (
    Column("prior_id", "str"),
    Column("comparison", "choice", choices=("tuned_small_vs_prompted_large",)),
    Column("tasks", "str"),
    Column("min_labels", "int"),
    Column("max_labels", "int", required=False),
    Column("gap_low", "float", min_value=-100.0, max_value=100.0),
    Column("gap_high", "float", min_value=-100.0, max_value=100.0),
    Column("finding", "str"),
    *PROVENANCE,
    NOTES,
)
PRIOR_LABEL = "literature prior, not your task"
ARTICLE_LABEL = "the article's range for this task type, not your task"


@lru_cache(maxsize=1)
def prior_table() -> pd.DataFrame:
    """The literature priors, checked: ranges in order, label bands that do not overlap for a task."""
    table = validate_table(_read("quality_priors.csv"), PRIOR_COLUMNS, "quality_priors.csv")
    for row in table.itertuples():
        if row.gap_low > row.gap_high:
            raise DataSchemaError(f"quality_priors.csv: {row.prior_id}: gap_low is above gap_high.")
        if not pd.isna(row.max_labels) and row.max_labels <= row.min_labels:
            raise DataSchemaError(f"quality_priors.csv: {row.prior_id}: max_labels must be above min_labels.")
        for task in row.tasks.split():
            task_quality(task)  # an unknown task id fails loudly
    return table


@dataclass(frozen=True)
class GapPrior:
    """Percentage points a fine-tuned route is expected to gain over a prompted one (negative: lose), as a range."""

    low: float
    high: float
    label: str
    source: str
    confidence: str
    finding: str

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    def text(self) -> str:
        """'+3 to +6 points (the article's range for this task type, not your task)'."""
        return f"{self.low:+g} to {self.high:+g} points ({self.label})"


@lru_cache(maxsize=64)
def same_model_prior(task_id: str) -> GapPrior:
    """The article's quality delta for the task: prompting and fine-tuning the same model (500-2,000 examples)."""
    row = task_quality(task_id)
    low, high = sorted((float(row["delta_low"]), float(row["delta_high"])))
    return GapPrior(low, high, ARTICLE_LABEL, article_section(f"Quality Comparison by Task Type: {row['task']}"),
                    "as published", f"{row['task']}: {row['justified']}")  # fmt: skip


@lru_cache(maxsize=1_024)
def small_model_prior(task_id: str, labels: int) -> GapPrior | None:
    """The literature range for a fine-tuned small model against a prompted large one on the task with `labels`
    training examples; None where no row covers it (the quality is then unknown)."""
    table = prior_table()
    for row in table.itertuples():
        upper_ok = pd.isna(row.max_labels) or labels < row.max_labels
        if task_id in row.tasks.split() and row.min_labels <= labels and upper_ok:
            source = f"{row.source} (as of {row.as_of.isoformat()}, {row.confidence})"
            return GapPrior(float(row.gap_low), float(row.gap_high), PRIOR_LABEL, source, str(row.confidence),
                            str(row.finding))  # fmt: skip
    return None


@lru_cache(maxsize=64)
def prompted_accuracy_prior(task_id: str) -> tuple[float, float]:
    """The article's accuracy range (%) for an optimised few-shot prompt on the task (any model)."""
    row = task_quality(task_id)
    return float(row["prompting_low"]), float(row["prompting_high"])


@lru_cache(maxsize=64)
def tuned_accuracy_prior(task_id: str) -> tuple[float, float]:
    """The article's accuracy range (%) for the same model fine-tuned on 500-2,000 examples."""
    row = task_quality(task_id)
    return float(row["fine_tuned_low"]), float(row["fine_tuned_high"])
