"""The whitespace-run guard reads a few sampled characters, yet finds exactly the runs a full regex scan finds."""

from __future__ import annotations

import random
import re

import pytest

from calc.inputs.tokens import MAX_WHITESPACE_RUN, UncountableTextError, check_countable, longest_whitespace_run_at_least

SPACES = (" ", "\n", "\t", "\r", "\u00a0", "\u2003", "\u3000", "\x1c")


def full_scan(text: str, length: int) -> bool:
    """The guard's previous form: a regex over the whole text."""
    return re.search(rf"\s{{{length}}}", text) is not None


@pytest.mark.parametrize("length", [1, 2, 3, 7, 10, 64])
def test_the_sampled_guard_agrees_with_a_full_scan(length):
    rng = random.Random(length)
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(0, 6)):
            parts.append("".join(rng.choice("ab,é😀") for _ in range(rng.randint(0, 3 * length))))
            parts.append(
                "".join(
                    rng.choice(SPACES) for _ in range(rng.choice((length - 1, length, length + 1, rng.randint(0, 3 * length))))
                )
            )
        text = "".join(parts)
        assert longest_whitespace_run_at_least(text, length) == full_scan(text, length), (length, text)


def test_a_run_at_the_limit_is_refused_and_one_below_is_counted():
    check_countable("a" + " " * (MAX_WHITESPACE_RUN - 1) + "b" + "\n" * (MAX_WHITESPACE_RUN - 1))
    for where in (0, 12_345, 250_000):
        text = "x" * where + " \n\t" * (MAX_WHITESPACE_RUN // 3 + 1) + "y" * 1_000
        with pytest.raises(UncountableTextError):
            check_countable(text)
