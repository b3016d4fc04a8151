"""Offline token counting with tiktoken, using the encoding files bundled in data/tokenizers.

tiktoken normally downloads its encodings; here its own constructors are run with a loader that
reads the bundled copy instead, and tiktoken's own hash check decides whether the copy is used.
The result does not depend on TIKTOKEN_CACHE_DIR or on the network.
"""

from __future__ import annotations

import base64
import gzip
import threading
from functools import cache, lru_cache
from pathlib import Path
from unittest import mock

import tiktoken
import tiktoken.load
import tiktoken_ext.openai_public as openai_public

TOKENIZER_DIR = Path(__file__).resolve().parent.parent / "data" / "tokenizers"
ENCODINGS = ("o200k_base", "cl100k_base")
ESTIMATE_ENCODING = "o200k_base"

_CHAT_TOKENS_PER_MESSAGE = 3
_CHAT_TOKENS_PER_NAME = 1
_CHAT_REPLY_PRIMING = 3

_CL100K_PREFIXES = ("gpt-4-", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada")
_O200K_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o", "gpt-oss")
_load_lock = threading.Lock()


class TokenizerFileError(RuntimeError):
    """A bundled encoding file is missing or fails tiktoken's hash check."""


def _bundled_ranks(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
    """Stand-in for tiktoken's load_tiktoken_bpe that reads the bundled copy of `url`."""
    name = url.rsplit("/", 1)[-1]
    path = TOKENIZER_DIR / f"{name}.gz"
    if not path.exists():
        raise TokenizerFileError(f"Bundled tokenizer file {path} is missing.")
    contents = gzip.decompress(path.read_bytes())
    if expected_hash is None or not tiktoken.load.check_hash(contents, expected_hash):
        raise TokenizerFileError(f"{path} does not match tiktoken's expected SHA-256 {expected_hash}.")
    ranks: dict[bytes, int] = {}
    for line in contents.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


@cache
def get_encoding(name: str) -> tiktoken.Encoding:
    """The named encoding, built once per process from the bundled, hash-checked file."""
    if name not in ENCODINGS:
        raise ValueError(f"Unknown encoding {name!r}; bundled encodings: {', '.join(ENCODINGS)}.")
    constructor = getattr(openai_public, name)
    with _load_lock, mock.patch.object(openai_public, "load_tiktoken_bpe", _bundled_ranks):
        kwargs = constructor()
    return tiktoken.Encoding(**kwargs)


def encoding_name_for_model(model: str) -> str:
    """The tiktoken encoding for an OpenAI model name (fine-tuned `ft:` names included)."""
    name = model.strip().lower()
    if name.startswith("ft:"):
        name = name[3:]
    if name.startswith(_O200K_PREFIXES):
        return "o200k_base"
    if name == "gpt-4" or name.startswith(_CL100K_PREFIXES):
        return "cl100k_base"
    raise KeyError(model)


def is_exact(model: str) -> bool:
    """True when `model` uses an OpenAI encoding bundled here, so counts are exact."""
    try:
        encoding_name_for_model(model)
    except KeyError:
        return False
    return True


def encoding_name_for(model: str) -> str:
    """The encoding used to count for `model`: its own, or o200k_base as an estimate."""
    try:
        return encoding_name_for_model(model)
    except KeyError:
        return ESTIMATE_ENCODING


@lru_cache(maxsize=64)
def _count(text: str, encoding_name: str) -> int:
    return len(get_encoding(encoding_name).encode_ordinary(text))


def count_tokens(text: str, model: str) -> int:
    """Tokens in `text` for `model`; special-token text such as <|endoftext|> counts as plain text.

    Counts are cached per (text, encoding), so an unchanged paste is not re-encoded on a rerun.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    if not text:
        return 0
    return _count(text, encoding_name_for(model))


def normalise_newlines(text: str) -> str:
    """Windows and old-Mac line endings as \n, so pasted text splits the same everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


DEFAULT_DELIMITER = "\n\n---\n"


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


def token_spans(text: str, model: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids of `text` and each token's (start, end) byte offsets in its UTF-8 encoding."""
    encoding = get_encoding(encoding_name_for(model))
    ids = encoding.encode_ordinary(text)
    spans = []
    position = 0
    for token in ids:
        length = len(encoding.decode_single_token_bytes(token))
        spans.append((position, position + length))
        position += length
    return ids, spans


def count_chat_tokens(messages: list[dict], model: str) -> int:
    """Prompt tokens the API bills for `messages`: 3 per message + each value + 1 per name + 3."""
    total = _CHAT_REPLY_PRIMING
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise ValueError(f"message {index} must be a dict with role and content, not {type(message).__name__}")
        total += _CHAT_TOKENS_PER_MESSAGE
        for key, value in message.items():
            if value is None:
                continue
            total += count_tokens(value if isinstance(value, str) else str(value), model)
            if key == "name":
                total += _CHAT_TOKENS_PER_NAME
    return total
