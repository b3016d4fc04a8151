"""What kind of text a prompt mostly is, so an estimate uses the ratio measured on that kind."""

from __future__ import annotations

import json
import re

from calc.tokenizers.ratios import CONTENT_KINDS

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from \S+ import|return\b|if .*:$|for .*:$|function\b|const |let |var |#include|public |"
    r"private |\}|\{$|.*;\s*$|.*\)\s*\{\s*$)"
)
_GERMAN_FRENCH = re.compile(
    r"\b(?:der|die|das|und|nicht|ist|ich|mit|sie|ein|eine|zu|auf|für|le|la|les|et|est|des|une|pour|pas|dans|que|vous|"
    r"nous|du|au)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\b\w+\b")
#: A sample of this many characters decides the kind: enough for a stable share, quick on a 2 MB paste.
SAMPLE_CHARS = 20_000


def content_kind(text: str) -> str:
    """The content kind of `text` (one of CONTENT_KINDS) from simple shares of its first SAMPLE_CHARS characters:
    CJK characters among letters, whether it parses as JSON, code-like lines, German/French function words."""
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if letters and len(_CJK.findall(sample)) / letters >= 0.2:
        return "cjk"
    stripped = sample.strip()
    if stripped[:1] in "{[" and _is_json(text.strip() if len(text) <= SAMPLE_CHARS else stripped):
        return "json"
    lines = [line for line in sample.splitlines() if line.strip()]
    if lines and sum(1 for line in lines if _CODE_LINE.match(line)) / len(lines) >= 0.3:
        return "code"
    words = _WORD.findall(sample)
    if words and len(_GERMAN_FRENCH.findall(sample)) / len(words) >= 0.08:
        return "german_french"
    return CONTENT_KINDS[0]


def _is_json(text: str) -> bool:
    """True when `text` parses as JSON, or (cut at the sample's end) holds a JSON object's "key": pattern throughout."""
    try:
        json.loads(text)
    except ValueError:
        return text.count('":') >= max(3, text.count("\n") // 3)
    return True
