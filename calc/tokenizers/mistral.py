"""Mistral's tekken (Nemo 2407, Pixtral 12B, Small 2409, Ministral 8B): tiktoken-based, loaded as mistral-common does.

mistral-common builds a tiktoken encoding from the file's first vocab_size - 1,000 ranks and its pattern; token ids
are those ranks plus the 1,000 control tokens before them.
"""

from __future__ import annotations

from calc.tokenizers.vocabulary import Vocabulary

PATTERN = (
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?"""
    r"""[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+"""
    r"""|\s+(?!\S)|\s+"""
)
TEKKEN = Vocabulary("tekken_240718", "Mistral tekken (Nemo, Pixtral 12B, Small 2409)", PATTERN, ids_are_real=False)
