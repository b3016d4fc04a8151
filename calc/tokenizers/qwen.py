"""Qwen 2.5 and Qwen3: a 151,643-token byte-level BPE whose text is NFC-normalised first; single digits.

Its regex is the tokenizer.json's with words moved before contractions, as in llama3.py (the same pieces, faster).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from calc.tokenizers.vocabulary import Vocabulary

PATTERN = (
    r"""[^\r\n\p{L}\p{N}']?\p{L}+|(?i:'s|'t|'re|'ve|'m|'ll|'d)|'\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+"""
    r"""|\s+(?!\S)|\s+"""
)


@dataclass(frozen=True, eq=False)
class QwenVocabulary(Vocabulary):
    """Qwen's tokenizer.json normalises to NFC before splitting."""

    def prepare(self, text: str) -> str:
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


QWEN2 = QwenVocabulary("qwen2", "Qwen 2.5 / Qwen3 (151k vocabulary)", PATTERN)
