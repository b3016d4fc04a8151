"""Llama 3.x (3, 3.1, 3.2, 3.3): Meta's 128,000-token BPE, which is tiktoken's own format, split by its regex.

The contraction alternative is written as cl100k writes it ('(?i:[sdmt]|ll|ve|re)), the same matches as the
tokenizer.json's (?i:'s|'t|'re|'ve|'m|'ll|'d) and a little faster.
"""

from __future__ import annotations

from calc.tokenizers.vocabulary import Vocabulary

PATTERN = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
LLAMA3 = Vocabulary("llama3", "Llama 3.x (128k vocabulary)", PATTERN)
