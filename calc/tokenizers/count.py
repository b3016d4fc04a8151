"""One count for any model: `count(text, model)` in the model's own tokens, exact or an estimate with its range."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from calc.tokenizers.content import content_kind
from calc.tokenizers.guard import check_countable
from calc.tokenizers.models import ModelTokenizer, tokenizer_for
from calc.tokenizers.ratios import CONTENT_KIND_LABELS, Ratio, ratio_for
from calc.tokenizers.registry import VOCABULARIES


@dataclass(frozen=True)
class TokenCount:
    """Tokens of a text for a model: exact (low == tokens == high), or an estimate's central figure and range."""

    tokens: int
    low: int
    high: int
    exact: bool
    family: str
    tokenizer: str
    noun: str
    content_kind: str | None = None
    ratio: Ratio | None = None

    def __add__(self, other: TokenCount) -> TokenCount:
        """Two counts of the same model's tokens added (parts of one prompt)."""
        if other.family != self.family:
            raise ValueError(f"Cannot add {other.family} tokens to {self.family} tokens.")
        return TokenCount(
            self.tokens + other.tokens,
            self.low + other.low,
            self.high + other.high,
            self.exact and other.exact,
            self.family,
            self.tokenizer,
            self.noun,
            self.content_kind or other.content_kind,
            self.ratio or other.ratio,
        )

    def plus(self, tokens: int) -> TokenCount:
        """The count with `tokens` exact tokens more (a chat template's own tokens)."""
        return TokenCount(
            self.tokens + tokens,
            self.low + tokens,
            self.high + tokens,
            self.exact,
            self.family,
            self.tokenizer,
            self.noun,
            self.content_kind,
            self.ratio,
        )

    def describe(self) -> str:
        """'1,234 Llama 3 tokens (exact)' or 'estimate: 1,160-1,300 Claude tokens'."""
        if self.exact:
            return f"{self.tokens:,} {self.noun} tokens (exact)"
        return f"estimate: {self.low:,}-{self.high:,} {self.noun} tokens"

    def how(self) -> str:
        """How it was counted, in words: the vocabulary, or the ratio and its source."""
        if self.exact or self.ratio is None:
            return f"exact: {self.tokenizer}, bundled vocabulary"
        return (
            f"estimate: {self.tokenizer}; the {self.ratio.base_encoding} count x {self.ratio.describe()} "
            f"({CONTENT_KIND_LABELS[self.ratio.content_kind]} detected or chosen; {self.ratio.confidence}: {self.ratio.source})"
        )

    def to_dict(self) -> dict[str, object]:
        """The count as JSON-ready values (the command line's --json)."""
        return {
            "total_tokens": self.tokens,
            "exact": self.exact,
            "tokenizer": self.tokenizer,
            "family": self.family,
            "range": None if self.exact else [self.low, self.high],
            "content_kind": self.content_kind,
            "ratio": None
            if self.ratio is None
            else {
                "base_encoding": self.ratio.base_encoding,
                "ratio": self.ratio.ratio,
                "low": self.ratio.low,
                "high": self.ratio.high,
                "source": self.ratio.source,
                "as_of": self.ratio.as_of,
                "confidence": self.ratio.confidence,
            },
        }


@lru_cache(maxsize=64)
def vocabulary_count(text: str, vocabulary: str) -> int:
    """Tokens of `text` in a bundled vocabulary, cached so an unchanged paste is not encoded again on a rerun."""
    if not text:
        return 0
    check_countable(text)
    return VOCABULARIES[vocabulary].count(text)


def zero(model: str) -> TokenCount:
    """No tokens, in `model`'s own tokens."""
    return count("", model)


def count(text: str, model: str, kind: str | None = None) -> TokenCount:
    """Tokens of `text` in `model`'s own tokens: exact with a bundled vocabulary, otherwise the base encoding's count
    times the family's ratio for the content kind (`kind`, or detected from the text)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    return count_with(text, tokenizer_for(model), kind)


def count_with(text: str, tokenizer: ModelTokenizer, kind: str | None = None) -> TokenCount:
    """`count` for a tokenizer already looked up."""
    if tokenizer.exact:
        n = vocabulary_count(text, tokenizer.family)
        return TokenCount(n, n, n, True, tokenizer.family, tokenizer.label, tokenizer.noun)
    chosen = kind or (content_kind(text) if text else "english")
    ratio = ratio_for(tokenizer.family, chosen)
    base = vocabulary_count(text, ratio.base_encoding)
    return TokenCount(
        round(base * ratio.ratio),
        round(base * ratio.low),
        round(base * ratio.high),
        False,
        tokenizer.family,
        tokenizer.label,
        tokenizer.noun,
        chosen,
        ratio,
    )
