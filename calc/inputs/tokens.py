"""Token counting for the pages and the command line, over calc/tokenizers/ (every model in its own tokens), and
the plain-text helpers of the Token cost page (example delimiters, newlines).

`count_tokens` and `count_chat_tokens` return whole tokens: exact with a bundled vocabulary, an estimate's central
figure otherwise (calc.tokenizers.count gives the range and how it was counted).
"""

from __future__ import annotations

import re

import tiktoken

from calc.tokenizers import count, tokenizer_for
from calc.tokenizers.chat import count_chat
from calc.tokenizers.files import TOKENIZER_DIR, TokenizerFileError, load_ranks
from calc.tokenizers.guard import (
    MAX_WHITESPACE_RUN,
    UncountableTextError,
    check_countable,
    longest_whitespace_run_at_least,
)
from calc.tokenizers.openai import CL100K, O200K
from calc.tokenizers.registry import VOCABULARIES

__all__ = [
    "DEFAULT_DELIMITER",
    "ENCODINGS",
    "MAX_WHITESPACE_RUN",
    "TOKENIZER_DIR",
    "TokenizerFileError",
    "UncountableTextError",
    "check_countable",
    "count_chat_tokens",
    "count_tokens",
    "get_encoding",
    "is_exact",
    "load_ranks",
    "longest_whitespace_run_at_least",
    "token_pieces",
]
#: OpenAI's encodings, which training files (OpenAI's fine-tuning format) are counted in.
ENCODINGS = (O200K.name, CL100K.name)


def get_encoding(name: str) -> tiktoken.Encoding:
    """An OpenAI encoding (o200k_base or cl100k_base), built once per process from the bundled, hash-checked file."""
    if name not in ENCODINGS:
        raise ValueError(f"Unknown encoding {name!r}; bundled encodings: {', '.join(ENCODINGS)}.")
    return VOCABULARIES[name].encoding


def is_exact(model: str) -> bool:
    """True when `model`'s own vocabulary is bundled here, so its counts are exact."""
    return tokenizer_for(model).exact


def count_tokens(text: str, model: str) -> int:
    """Tokens in `text` for `model`, in its own tokens; control-token text such as <|endoftext|> counts as plain text.

    Counts are cached per (text, vocabulary), so an unchanged paste is not re-encoded on a rerun.
    """
    return count(text, model).tokens


def count_chat_tokens(messages: list[dict], model: str) -> int:
    """Prompt tokens the API bills for `messages`: their text and the model's chat template (OpenAI's models: 3 per
    message + each value + 1 per name + 3)."""
    return count_chat(messages, model).tokens


def token_pieces(text: str, model: str) -> list[tuple[bytes, int | None]]:
    """`text` in the tokens that count it for `model` (its own vocabulary, or the estimate's base encoding): each
    token's bytes and its id where the id is the model's own."""
    check_countable(text)
    tokenizer = tokenizer_for(model)
    name = tokenizer.family if tokenizer.exact else count("", model).ratio.base_encoding
    return VOCABULARIES[name].pieces(text)


def normalise_newlines(text: str) -> str:
    """Windows and old-Mac line endings as \n, so pasted text splits the same everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


DEFAULT_DELIMITER = "\n\n---\n"


_DELIMITER_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def parse_delimiter(typed: str) -> str:
    """A delimiter typed on one line: \\n, \\t, \\r and \\\\ become those characters; the rest (an em dash too) stays."""
    return re.sub(r"\\([ntr\\])", lambda m: _DELIMITER_ESCAPES[m.group(1)], typed)


def delimiter_as_typed(delimiter: str) -> str:
    """The inverse of parse_delimiter, for showing a delimiter in a one-line text box."""
    return delimiter.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def split_examples(text: str, delimiter: str = DEFAULT_DELIMITER) -> list[str]:
    """The few-shot examples in `text`, split on `delimiter` (default: a blank line, then a --- line).

    Line endings are normalised first; parts that are only whitespace are dropped.
    """
    if not isinstance(text, str) or not isinstance(delimiter, str):
        raise TypeError("text and delimiter must be strings")
    if not delimiter:
        raise ValueError("The example delimiter must not be empty.")
    text, delimiter = normalise_newlines(text), normalise_newlines(delimiter)
    return [part.strip("\n") for part in text.split(delimiter) if part.strip()]
