"""What a teacher model's provider says about training other models on its outputs, and whether it sells distillation
as a product (data/teacher_terms.csv): shown wherever the scenario distils, "unknown" where we have no terms on file."""

from __future__ import annotations

from functools import cache

import pandas as pd

from calc.catalogue.prompt_models import PromptModel
from calc.catalogue.tables import PROVENANCE, Column, _read, validate_table

TERMS_COLUMNS = (
    Column("provider", "str"),
    Column("training_on_outputs", "str"),
    Column("distillation_product", "str"),
    *PROVENANCE,
)


@cache
def teacher_terms_table() -> pd.DataFrame:
    """data/teacher_terms.csv, schema-checked, indexed by genai-prices provider id."""
    return validate_table(_read("teacher_terms.csv"), TERMS_COLUMNS, "teacher_terms.csv").set_index("provider")


def teacher_terms_text(teacher: PromptModel) -> str:
    """The teacher provider's terms on training other models with its outputs, with source and date, or "unknown"."""
    table = teacher_terms_table()
    if teacher.provider_id not in table.index:
        return (
            f"{teacher.label} as teacher: terms on training other models with its outputs unknown (no terms on file for "
            f"{teacher.provider_name}); read them before distilling."
        )
    row = table.loc[teacher.provider_id]
    return (
        f"{teacher.label} as teacher: {row['training_on_outputs']}. Distillation product: {row['distillation_product']}. "
        f"Source: {row['source']} ({row['as_of'].isoformat()}, {row['confidence']})."
    )


#: Fine-tuning providers (the options table's `provider`) that sell distillation as a product, by terms-table row.
DISTILLATION_SELLERS = {"AWS Bedrock": "aws"}


def distillation_product_note(option_provider: str) -> str | None:
    """Where the fine-tuning provider sells distillation as its own product: what it is and whether its rates are
    published (None elsewhere)."""
    row_id = DISTILLATION_SELLERS.get(option_provider)
    if row_id is None:
        return None
    row = teacher_terms_table().loc[row_id]
    return (
        f"{option_provider} sells distillation as a product: {row['distillation_product']}. Priced here the same way: the "
        f"teacher's requests plus this option's training ({row['source']}, {row['as_of'].isoformat()})."
    )
