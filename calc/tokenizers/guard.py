"""Text every tokenizer here can take: tiktoken's regex overflows its stack on a whitespace run of ~1M characters."""

from __future__ import annotations

import re

#: No prompt has 100,000 spaces or line breaks in a row; tiktoken's regex fails near a million.
MAX_WHITESPACE_RUN = 100_000
_WHITESPACE_RUN = re.compile(r"\s+")


class UncountableTextError(ValueError):
    """Text the tokenizer cannot take (a whitespace run longer than MAX_WHITESPACE_RUN)."""


def longest_whitespace_run_at_least(text: str, length: int = MAX_WHITESPACE_RUN) -> bool:
    """True when `text` holds `length` or more whitespace characters in a row.

    Reads one character every length / 2 (any such run covers two of them) and measures only the runs found there,
    so ordinary text costs a few dozen character reads, not a scan of the whole text.
    """
    step = max(1, length // 2)
    for point in range(0, len(text), step):
        if not text[point].isspace():
            continue
        end = _WHITESPACE_RUN.match(text, point).end()
        if end - point < step:
            continue
        before = text[max(0, point - length) : point]
        start = point - (len(before) - len(before.rstrip()))
        if end - start >= length:
            return True
    return False


def check_countable(text: str) -> None:
    """Raise UncountableTextError when `text` holds a whitespace run the tokenizer cannot take."""
    if len(text) >= MAX_WHITESPACE_RUN and longest_whitespace_run_at_least(text):
        raise UncountableTextError(
            f"The text holds more than {MAX_WHITESPACE_RUN:,} spaces or line breaks in a row, which the tokenizer "
            "cannot count; remove the run of blank space."
        )
