"""Model generations read from model ids: a prompting model with no curated lifecycle row whose family has moved on two
generations (gpt-4 when gpt-6 is priced, claude-3 when claude-5 is, gemini-1.5 when gemini-4 is) is very likely shut
down or closing, so it is warned about and left out of the recommended list and, by default, of the ranking.

Only families whose ids carry their generation plainly are read; anything else has no generation (never flagged).
The newest generation of a family is the highest one the catalogue in force prices, so a new release moves the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Generations behind the newest at which a family is "superseded": its models are two releases old or more.
SUPERSEDED_AFTER = 2
#: (family, pattern): the first match wins; group 1 is the major generation. Patterns match a model id (lower case)
#: after any provider prefix (Bedrock's `regional.anthropic.`), so `aws:regional.anthropic.claude-3-sonnet-...` reads
#: Claude 3. GPT-3 models (davinci, curie, babbage, ada) are named without a number: they are generation 3.
FAMILY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GPT", re.compile(r"(?:^|[./:])(?:chat)?gpt-(\d)(?:\.\d+|\d)?(?:o|-|$|:)")),
    ("GPT", re.compile(r"(?:^|[./:])(?:text-)?(?:ada|babbage|curie|davinci)(?:-\d{3})?$")),
    ("OpenAI o-series", re.compile(r"(?:^|[./:])o(\d)(?:-|$)")),
    ("Claude", re.compile(r"(?:^|[./:])claude-(?:v)?(?:(?:instant|haiku|sonnet|opus|fable|mythos)-)?(\d)(?:-|$|\.|:)")),
    ("Gemini", re.compile(r"(?:^|[./:])gemini-(?:live-)?(\d)(?:\.\d+)?-")),
    ("Gemini", re.compile(r"(?:^|[./:])gemini-(?:pro|flash)-(1)\.\d")),
    ("Gemini", re.compile(r"(?:^|[./:])gemini-(1)\.0-|(?:^|[./:])gemini-pro(?:-vision)?$")),
    ("Llama", re.compile(r"(?:^|[./:])(?:meta-)?llama-?(\d)(?:[-.]|$)")),
)


def generation(model_id: str) -> tuple[str, int] | None:
    """(family, major generation) read from a model id, or None where the id does not say.

    >>> generation("gpt-4-32k"), generation("regional.anthropic.claude-3-sonnet-20240229-v1:0"), generation("o1-mini")
    (('GPT', 4), ('Claude', 3), ('OpenAI o-series', 1))
    >>> generation("gemini-flash-1.5-8b"), generation("text-davinci-003"), generation("gpt-oss-20b")
    (('Gemini', 1), ('GPT', 3), None)
    """
    text = model_id.lower()
    for family, pattern in FAMILY_PATTERNS:
        match = pattern.search(text)
        if match:
            return family, int(match.group(1)) if match.lastindex else 3
    return None


def newest_generations(model_ids: Iterable[str]) -> dict[str, int]:
    """The newest generation of each family among `model_ids` (the catalogue in force)."""
    newest: dict[str, int] = {}
    for model_id in model_ids:
        found = generation(model_id)
        if found is not None:
            family, major = found
            newest[family] = max(major, newest.get(family, 0))
    return newest


def superseded_note(model_id: str, newest: dict[str, int]) -> str | None:
    """Why `model_id` belongs to a family superseded two generations ago (None: it does not, or cannot be read).

    >>> superseded_note("gpt-4-32k", {"GPT": 6})
    'it is generation 4 of GPT, whose newest is generation 6'
    >>> superseded_note("gpt-5.2", {"GPT": 6}) is None
    True
    """
    found = generation(model_id)
    if found is None:
        return None
    family, major = found
    latest = newest.get(family, major)
    if latest - major < SUPERSEDED_AFTER:
        return None
    return f"it is generation {major} of {family}, whose newest is generation {latest}"
