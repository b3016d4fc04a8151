"""Gemma 3 (and Gemini 2.x text, which Google's SDK counts with it): SentencePiece-style BPE through tiktoken.

Gemma's tokenizer replaces every space with "▁" and runs BPE over whole characters, falling back to one token per
UTF-8 byte for a character it does not know. The bundled ranks (scripts/build_tokenizers.py) put single characters
and the partial byte sequences they are built from first, so tiktoken forms every known character before any
merge; a partial sequence left in the output is an unknown character's bytes, counted as its bytes. Its added tokens
that ordinary text can hold (HTML tags, runs of up to 31 newlines or tabs, runs of "▁" typed as such) are one token
each and split the text around them, as the tokenizer does. The split pattern only cuts where no token of the
vocabulary spans the cut: around digits (each is its own token), newline and tab runs, and before "▁" (no token
holds "▁" after another character but ">▁</").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calc.tokenizers.vocabulary import Vocabulary

SPACE = "\u2581"
PATTERN = rf"""\n{{1,31}}|\t{{1,31}}|[0-9]|{SPACE}*(?:>{SPACE}</|[^{SPACE}\n\t0-9])+|{SPACE}+"""
#: Ranks below this are partial characters (scripts/build_tokenizers.py prints it).
PARTIAL_RANKS = 917
_TAG_NAMES = ("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
              "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "a", "html", "body", "img", "span", "bbox", "ul", "li",
              "div", "iframe", "footer")  # fmt: skip
_TAGS = sorted({f"<{name}>" for name in _TAG_NAMES} | {f"</{name}>" for name in _TAG_NAMES}, key=len, reverse=True)
#: Gemma's added tokens that plain text can hold, longest first: one token each wherever they appear.
HTML_TAGS = re.compile("|".join(re.escape(tag) for tag in _TAGS))
SPACE_RUNS = re.compile(f"{SPACE}{{2,31}}")


def _split(text: str, tokens: re.Pattern[str], count_part) -> int:
    """Tokens of `text` where each match of `tokens` is one token and the parts between are counted by `count_part`."""
    total, position = 0, 0
    for match in tokens.finditer(text):
        if match.start() > position:
            total += count_part(text[position : match.start()])
        total += 1
        position = match.end()
    if position < len(text):
        total += count_part(text[position:])
    return total


@dataclass(frozen=True, eq=False)
class GemmaVocabulary(Vocabulary):
    """Gemma 3's text rules around the tiktoken encoding (see the module docstring)."""

    def _bpe_count(self, text: str) -> int:
        ids = self.encoding.encode_ordinary(text.replace(" ", SPACE))
        if not ids or min(ids) >= PARTIAL_RANKS:
            return len(ids)
        decode = self.encoding.decode_single_token_bytes
        return len(ids) + sum(len(decode(t)) - 1 for t in ids if t < PARTIAL_RANKS)

    def _typed_space_runs(self, text: str) -> int:
        return _split(text, SPACE_RUNS, self._bpe_count) if SPACE in text else self._bpe_count(text)

    def count(self, text: str) -> int:
        if "<" in text and HTML_TAGS.search(text):
            return _split(text, HTML_TAGS, self._typed_space_runs)
        return self._typed_space_runs(text)

    def pieces(self, text: str) -> list[tuple[bytes, int | None]]:
        """Tokens for the token view: the "▁" of a space shown as the space; an unknown character as its bytes."""
        parts: list[tuple[bytes, int | None]] = []
        position = 0
        for match in HTML_TAGS.finditer(text) if "<" in text else ():
            parts += self._bpe_pieces(text[position : match.start()])
            parts.append((match.group().encode(), None))
            position = match.end()
        return parts + self._bpe_pieces(text[position:])

    def _bpe_pieces(self, text: str) -> list[tuple[bytes, int | None]]:
        decode = self.encoding.decode_single_token_bytes
        parts: list[tuple[bytes, int | None]] = []
        for token in self.encoding.encode_ordinary(text.replace(" ", SPACE)):
            data = decode(token).replace(SPACE.encode(), b" ")
            parts += [(bytes([b]), None) for b in data] if token < PARTIAL_RANKS else [(data, None)]
        return parts


GEMMA3 = GemmaVocabulary("gemma3", "Gemma 3 / Gemini 2.x (262k vocabulary)", PATTERN, ids_are_real=False)
