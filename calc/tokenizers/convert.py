"""The scenario's token counts, defined in the reference encoding (o200k_base), in each route's own tokens.

A family with a bundled vocabulary converts by its ratio measured against o200k_base for the content kind; an
estimate family by its ratio to its base encoding, times that encoding's own ratio to o200k_base.
"""

from __future__ import annotations

from functools import lru_cache

from calc.tokenizers.models import tokenizer_for
from calc.tokenizers.ratios import REFERENCE_ENCODING, ratio_for


@lru_cache(maxsize=1024)
def family_ratio(family: str, kind: str) -> float:
    """Tokens of `family` per o200k_base token on `kind` content (the central figure)."""
    if family == REFERENCE_ENCODING:
        return 1.0
    ratio = ratio_for(family, kind)
    return ratio.ratio * family_ratio(ratio.base_encoding, kind) if ratio.base_encoding != family else ratio.ratio


def model_ratio(model: str, kind: str) -> float:
    """Tokens of `model` per o200k_base token on `kind` content."""
    return family_ratio(tokenizer_for(model).family, kind)


def in_family_tokens(tokens: int, family: str, kind: str) -> int:
    """`tokens` of the reference encoding as the family's tokens (rounded to whole tokens)."""
    return tokens if family == REFERENCE_ENCODING else round(tokens * family_ratio(family, kind))


def ratio_text(model: str, kind: str) -> str:
    """How a route converts the scenario's tokens, in words: 'x1.63 (Claude, estimate)' or 'x1.18 (Qwen, measured)'
    (a bundled vocabulary's ratio measured on the content kind)."""
    tokenizer = tokenizer_for(model)
    how = "measured" if tokenizer.exact else "estimate"
    return f"x{family_ratio(tokenizer.family, kind):.2f} ({tokenizer.noun}, {how})"
