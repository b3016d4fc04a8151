"""Offline token counting with tiktoken, using the encoding files bundled in data/tokenizers.

tiktoken normally downloads its encodings. Here each bundled file is unpacked to a local path and read
through tiktoken's own loader (`load_tiktoken_bpe`), which checks it against the SHA-256 that
tiktoken's constructor for the encoding expects. The result does not depend on the network.
"""

from __future__ import annotations

import gzip
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import tiktoken
import tiktoken.load
import tiktoken_ext.openai_public as openai_public

TOKENIZER_DIR = Path(__file__).resolve().parents[2] / "data" / "tokenizers"
ENCODINGS = ("o200k_base", "cl100k_base")
ESTIMATE_ENCODING = "o200k_base"
#: tiktoken's regex overflows its stack on a whitespace run of ~1M characters; no prompt has 100,000 in a row.
MAX_WHITESPACE_RUN = 100_000

_CHAT_TOKENS_PER_MESSAGE = 3
_CHAT_TOKENS_PER_NAME = 1
_CHAT_REPLY_PRIMING = 3

_CL100K_PREFIXES = ("gpt-4-", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada")
_O200K_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o", "gpt-oss")
#: Sample points of the whitespace guard: any run of MAX_WHITESPACE_RUN covers two of them, and from the first
#: it covers it runs on for at least this many characters.
_GUARD_STEP = MAX_WHITESPACE_RUN // 2
_WHITESPACE_RUN = re.compile(r"\s+")
_load_lock = threading.Lock()


class TokenizerFileError(RuntimeError):
    """A bundled encoding file is missing or fails tiktoken's hash check."""


class UncountableTextError(ValueError):
    """Text the tokenizer cannot take (a whitespace run longer than MAX_WHITESPACE_RUN)."""


@dataclass(frozen=True)
class _Spec:
    """What tiktoken's constructor (tiktoken_ext.openai_public) passes for one encoding, rank file aside."""

    expected_hash: str
    pat_str: str
    special_tokens: dict[str, int]


_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_SPECS = {
    "o200k_base": _Spec(
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        _O200K_PATTERN,
        {openai_public.ENDOFTEXT: 199999, openai_public.ENDOFPROMPT: 200018},
    ),
    "cl100k_base": _Spec(
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
        r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        {
            openai_public.ENDOFTEXT: 100257,
            openai_public.FIM_PREFIX: 100258,
            openai_public.FIM_MIDDLE: 100259,
            openai_public.FIM_SUFFIX: 100260,
            openai_public.ENDOFPROMPT: 100276,
        },
    ),
}


def _unpacked(name: str, expected_hash: str) -> Path:
    """The bundled `name`.tiktoken unpacked to a local file (once per content) that tiktoken's loader can read."""
    packed = TOKENIZER_DIR / f"{name}.tiktoken.gz"
    if not packed.exists():
        raise TokenizerFileError(f"Bundled tokenizer file {packed} is missing.")
    folder = Path(tempfile.gettempdir()) / f"prompt-or-finetune-tokenizers-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    target = folder / f"{name}-{expected_hash[:16]}.tiktoken"
    if not target.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(gzip.decompress(packed.read_bytes()))
        os.replace(partial, target)
    return target


def load_ranks(name: str) -> dict[bytes, int]:
    """The BPE ranks of a bundled encoding, read by tiktoken's own loader and checked against tiktoken's SHA-256."""
    spec = _SPECS[name]
    path = _unpacked(name, spec.expected_hash)
    try:
        return tiktoken.load.load_tiktoken_bpe(str(path), expected_hash=spec.expected_hash)
    except ValueError:
        path.unlink(missing_ok=True)  # a damaged unpacked copy: unpack again from the bundled file, once
        try:
            return tiktoken.load.load_tiktoken_bpe(str(_unpacked(name, spec.expected_hash)), expected_hash=spec.expected_hash)
        except ValueError:
            raise TokenizerFileError(
                f"{TOKENIZER_DIR / name}.tiktoken.gz does not match tiktoken's expected SHA-256 {spec.expected_hash}."
            ) from None


@cache
def get_encoding(name: str) -> tiktoken.Encoding:
    """The named encoding, built once per process from the bundled, hash-checked file."""
    if name not in ENCODINGS:
        raise ValueError(f"Unknown encoding {name!r}; bundled encodings: {', '.join(ENCODINGS)}.")
    spec = _SPECS[name]
    with _load_lock:
        ranks = load_ranks(name)
    return tiktoken.Encoding(name, pat_str=spec.pat_str, mergeable_ranks=ranks, special_tokens=spec.special_tokens)


def _exact_encoding(model: str) -> str | None:
    """The tiktoken encoding of an OpenAI model name (fine-tuned `ft:` names included), None for other models."""
    name = model.strip().lower()
    if name.startswith("ft:"):
        name = name[3:]
    if name.startswith(_O200K_PREFIXES):
        return "o200k_base"
    if name == "gpt-4" or name.startswith(_CL100K_PREFIXES):
        return "cl100k_base"
    return None


def is_exact(model: str) -> bool:
    """True when `model` uses an OpenAI encoding bundled here, so counts are exact."""
    return _exact_encoding(model) is not None


def encoding_name_for(model: str) -> str:
    """The encoding used to count for `model`: its own OpenAI encoding, or o200k_base as an estimate (see is_exact)."""
    return _exact_encoding(model) or ESTIMATE_ENCODING


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
    check_countable(text)
    return _count(text, encoding_name_for(model))


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


def token_spans(text: str, model: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids of `text` and each token's (start, end) byte offsets in its UTF-8 encoding."""
    check_countable(text)
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
