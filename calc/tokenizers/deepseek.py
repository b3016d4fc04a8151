"""DeepSeek V3 and V4 (one vocabulary): a 128k byte-level BPE split by three regexes in turn, as one regex here.

The tokenizer.json splits digits (\\p{N}{1,3}) first, then runs of CJK ideographs and kana, then each remaining part
by a GPT-style regex. One regex does the same for tiktoken: digits, CJK runs, and the third regex with digits and CJK
taken out of its classes; its "whitespace not before a non-space" becomes "not before a character of the same part",
and a last alternative keeps characters no rule matches (controls) as the part they form. Words come first: no other
alternative can match where a word starts, and most pieces are words (15% faster, bench/tokens.py).
"""

from __future__ import annotations

from calc.tokenizers.vocabulary import Vocabulary

CJK = "\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff"
_LETTERS = rf"[[\p{{L}}\p{{M}}]--[{CJK}]]"
PATTERN = "|".join(
    [
        rf"[^\r\n\p{{L}}\p{{P}}\p{{S}}\p{{N}}{CJK}]?{_LETTERS}+",
        r"\p{N}{1,3}",
        f"[{CJK}]+",
        r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+""",
        rf" ?[[\p{{P}}\p{{S}}]--[{CJK}]]+[\r\n]*",
        r"\s*[\r\n]+",
        rf"\s+(?![^\s\p{{N}}{CJK}])",
        r"\s+",
        rf"(?:[^\s\p{{L}}\p{{M}}\p{{N}}\p{{P}}\p{{S}}{CJK}](?!{_LETTERS}))+",
    ]
)
DEEPSEEK_V3 = Vocabulary("deepseek_v3", "DeepSeek V3 / V4 (128k vocabulary)", PATTERN)
