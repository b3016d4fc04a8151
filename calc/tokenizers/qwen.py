"""Qwen 2.5 and Qwen3: a 151,643-token byte-level BPE whose text is NFC-normalised first; single digits."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from calc.tokenizers.vocabulary import Vocabulary

PATTERN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""


@dataclass(frozen=True, eq=False)
class QwenVocabulary(Vocabulary):
    """Qwen's tokenizer.json normalises to NFC before splitting."""

    def prepare(self, text: str) -> str:
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


QWEN2 = QwenVocabulary("qwen2", "Qwen 2.5 / Qwen3 (151k vocabulary)", PATTERN)
