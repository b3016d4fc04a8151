"""Which tokenizer counts a model's text (data/tokenizer_models.csv): a bundled vocabulary, or an estimate family.

A model is named as the app names it — a genai-prices ref `provider:model`, a bare model id, or a fine-tuning option's
base model — and matched case-insensitively against each row's regex in order; the first match wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import DATA_DIR, NOTES, PROVENANCE, Column, validate_table

MODEL_COLUMNS = (Column("match", "str"), Column("tokenizer", "str"), *PROVENANCE, NOTES)
#: The vocabularies bundled in data/tokenizers/ (calc/tokenizers/files.py); any other tokenizer is an estimate family.
EXACT = ("o200k_base", "cl100k_base", "llama3", "qwen2", "deepseek_v3", "tekken_240718", "gemma3")
#: How the page and the command line name each family's tokens ("estimate: 1,160-1,300 Claude tokens").
NOUNS = {
    "o200k_base": "OpenAI",
    "cl100k_base": "OpenAI",
    "llama3": "Llama 3",
    "qwen2": "Qwen",
    "deepseek_v3": "DeepSeek",
    "tekken_240718": "Mistral",
    "gemma3": "Gemma 3",
    "claude_legacy": "Claude",
    "claude_2026": "Claude",
    "gemini_3": "Gemini",
    "gpt_6": "GPT-6",
    "amazon_nova": "Nova",
    "unknown": "model",
}
#: Each family's tokenizer in words.
LABELS = {
    "o200k_base": "OpenAI o200k_base",
    "cl100k_base": "OpenAI cl100k_base",
    "llama3": "Llama 3.x vocabulary",
    "qwen2": "Qwen 2.5 / Qwen3 vocabulary",
    "deepseek_v3": "DeepSeek V3 / V4 vocabulary",
    "tekken_240718": "Mistral tekken (2407)",
    "gemma3": "Gemma 3 vocabulary (Gemini 2.x text)",
    "claude_legacy": "Claude 3 to Opus 4.6 (no published tokenizer)",
    "claude_2026": "Claude Opus 4.7 and later (new tokenizer, none published)",
    "gemini_3": "Gemini 3.1 and later (Gemma 4 vocabulary, not shipped)",
    "gpt_6": "GPT-6 (no published encoding)",
    "amazon_nova": "Amazon Nova (no published tokenizer)",
    "unknown": "no vocabulary for this model here",
}


@dataclass(frozen=True)
class ModelTokenizer:
    """The tokenizer family that counts a model's text, and where that mapping comes from."""

    model: str
    family: str
    source: str
    confidence: str

    @property
    def exact(self) -> bool:
        return self.family in EXACT

    @property
    def noun(self) -> str:
        return NOUNS[self.family]

    @property
    def label(self) -> str:
        return LABELS[self.family]


@lru_cache(maxsize=1)
def model_table() -> pd.DataFrame:
    """data/tokenizer_models.csv, schema-checked: every regex compiles and names a known family."""
    table = validate_table(
        pd.read_csv(DATA_DIR / "tokenizer_models.csv", dtype=str, keep_default_na=False), MODEL_COLUMNS, "tokenizer_models.csv"
    )
    for row in table.itertuples():
        re.compile(row.match)
        if row.tokenizer not in NOUNS:
            raise ValueError(f"tokenizer_models.csv: unknown tokenizer {row.tokenizer!r}")
    return table


def model_name(model: str) -> str:
    """The model id a rule matches: lower case, without the `provider:` prefix of a genai-prices ref."""
    name = model.strip().lower()
    provider, colon, rest = name.partition(":")
    if colon and provider != "ft" and "/" not in provider and "." not in provider and rest:
        return rest
    return name


@lru_cache(maxsize=1024)
def tokenizer_for(model: str) -> ModelTokenizer:
    """The first row of data/tokenizer_models.csv whose regex finds `model`'s id."""
    if not isinstance(model, str) or not model.strip():
        raise ValueError("Name a model to count tokens for.")
    name = model_name(model)
    for row in model_table().itertuples():
        if re.search(row.match, name):
            return ModelTokenizer(model, row.tokenizer, row.source, row.confidence)
    raise ValueError(f"No row of data/tokenizer_models.csv matches {model!r}.")  # the last row matches anything
