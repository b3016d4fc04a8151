"""Llama 3.x (3, 3.1, 3.2, 3.3): Meta's 128,000-token BPE, which is tiktoken's own format, split by its regex.

The tokenizer.json's regex starts with contractions, (?i:'s|'t|'re|'ve|'m|'ll|'d), then words,
[^\\r\\n\\p{L}\\p{N}]?\\p{L}+. Here words come first, with the apostrophe taken out of their optional first character,
followed by the contractions and then an apostrophe-led word: the same pieces (a word can begin with an apostrophe
only where no contraction does), found about 3% faster because most pieces are words (bench/tokens.py).
"""

from __future__ import annotations

from calc.tokenizers.vocabulary import Vocabulary

PATTERN = (
    r"""[^\r\n\p{L}\p{N}']?\p{L}+|'(?i:[sdmt]|ll|ve|re)|'\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+"""
    r"""|\s+(?!\S)|\s+"""
)
LLAMA3 = Vocabulary("llama3", "Llama 3.x (128k vocabulary)", PATTERN)
