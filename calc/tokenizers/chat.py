"""Chat messages as each family's API bills them: the messages' text plus its chat template's own tokens
(data/chat_overheads.csv: per request, per message by role, to prime the reply)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.catalogue.tables import DATA_DIR, NOTES, PROVENANCE, Column, validate_table
from calc.tokenizers.content import content_kind
from calc.tokenizers.count import TokenCount, count_with
from calc.tokenizers.models import tokenizer_for

ROLES = ("system", "user", "assistant", "tool")
OVERHEAD_COLUMNS = (
    Column("family", "str"),
    Column("per_request", "int"),
    *(Column(role, "int") for role in ROLES),
    Column("reply_priming", "int"),
    Column("counts_role_text", "bool"),
    Column("per_name", "int"),
    *PROVENANCE,
    NOTES,
)
#: Vocabularies whose models share one chat rule.
_RULE_OF = {"o200k_base": "openai", "cl100k_base": "openai"}


@dataclass(frozen=True)
class ChatOverhead:
    """A family's chat template in tokens: once per request, per message of each role, to prime the reply."""

    family: str
    per_request: int
    per_role: dict[str, int]
    reply_priming: int
    counts_role_text: bool
    per_name: int
    source: str
    confidence: str


@lru_cache(maxsize=1)
def overhead_table() -> pd.DataFrame:
    """data/chat_overheads.csv, schema-checked."""
    table = pd.read_csv(DATA_DIR / "chat_overheads.csv", dtype=str, keep_default_na=False)
    return validate_table(table, OVERHEAD_COLUMNS, "chat_overheads.csv").set_index("family", drop=False)


@lru_cache(maxsize=64)
def overhead_for(family: str) -> ChatOverhead:
    """The chat rule of a tokenizer family (OpenAI's encodings share the Cookbook's rule)."""
    table = overhead_table()
    rule = _RULE_OF.get(family, family)
    if rule not in table.index:
        raise ValueError(f"data/chat_overheads.csv has no row for {family!r}.")
    row = table.loc[rule]
    return ChatOverhead(
        rule,
        int(row["per_request"]),
        {role: int(row[role]) for role in ROLES},
        int(row["reply_priming"]),
        bool(row["counts_role_text"]),
        int(row["per_name"]),
        str(row["source"]),
        str(row["confidence"]),
    )


def _text(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def count_chat(messages: Sequence[Mapping[str, object]], model: str, reply: bool = True, request: bool = True) -> TokenCount:
    """Prompt tokens the API bills for `messages` in `model`'s tokens: each message's text and its template tokens,
    with `request` the tokens once per request and with `reply` those that prime the answer. Under OpenAI's rule
    every value is counted (role and name too), as the Cookbook counts them."""
    tokenizer = tokenizer_for(model)
    rule = overhead_for(tokenizer.family)
    for index, message in enumerate(messages):
        if not isinstance(message, Mapping):
            raise ValueError(f"message {index} must be a dict with role and content, not {type(message).__name__}")
    joined = "\n".join(_text(m.get("content")) for m in messages)
    kind = None if tokenizer.exact else (content_kind(joined) if joined else "english")
    total = count_with("", tokenizer, kind).plus((rule.per_request if request else 0) + (rule.reply_priming if reply else 0))
    for message in messages:
        role = _text(message.get("role")) or "user"
        total = total.plus(rule.per_role.get(role, rule.per_role["user"]))
        for key, value in message.items():
            if value is None or key == "example" or (key == "role" and not rule.counts_role_text):
                continue
            if key not in ("role", "content", "name") and not rule.counts_role_text:
                continue
            total = total + count_with(_text(value), tokenizer, kind)
            if key == "name":
                total = total.plus(rule.per_name)
    return total
