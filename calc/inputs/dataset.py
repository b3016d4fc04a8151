"""Fine-tuning data analysis: OpenAI-format validation, token statistics and billing, in one stream.

The format checks and names follow the OpenAI Cookbook's chat fine-tuning data-preparation notebook.
Lines are read one at a time and tokens are counted in batches, so memory grows with the
per-example statistics, not with a second copy of the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calc.costs.training import default_epochs
from calc.inputs import token_worker
from calc.inputs.tokens import MAX_WHITESPACE_RUN, UncountableTextError, check_countable, get_encoding
from calc.text.safe_text import valid_unicode

FORMAT_ERROR_KEYS = (
    "data_type",
    "missing_messages_list",
    "message_missing_key",
    "message_unrecognized_key",
    "unrecognized_role",
    "missing_content",
    "example_missing_assistant_message",
)
#: Not one of the cookbook's checks: a file must hold one format, and a legacy prompt/completion record among chat
#: examples (or a chat example in a legacy file) is flagged, though both are read.
MIXED_FORMAT = "mixed_format"
#: Each check in words, for the page and the command line's text (the keys stay the cookbook's, in --json).
FORMAT_ERROR_WORDS = {
    "data_type": "Line is not a JSON object",
    "missing_messages_list": "No list of messages",
    "message_missing_key": "Message without a role or content",
    "message_unrecognized_key": "Message with an unknown key",
    "unrecognized_role": "Unknown role",
    "missing_content": "Message without text",
    "example_missing_assistant_message": "No assistant message",
    MIXED_FORMAT: "Mixed formats",
}
RECOGNISED_KEYS = ("role", "content", "name", "function_call", "weight")
RECOGNISED_ROLES = ("system", "user", "assistant", "function")
_KEYS, _ROLES = frozenset(RECOGNISED_KEYS), frozenset(RECOGNISED_ROLES)
DEFAULT_TOKEN_LIMIT = 16_385
MAX_LISTED_ERRORS = 100
#: A listed problem's message is cut to this many characters (a key or role in it may be megabytes long).
MAX_ERROR_CHARS = 300
#: Distinct role patterns and key sets remembered per file; beyond them only their count grows (a file whose every
#: line carries its own key would otherwise keep one entry per line).
MAX_DISTINCT_PATTERNS = 100
#: Role names and keys are remembered up to this many characters.
MAX_NAME_CHARS = 40
#: Outputs that look like labels: at most this many distinct ones, each at most MAX_LABEL_CHARS long.
MAX_LABELS = 50
MAX_LABEL_CHARS = 40
#: Examples counted together: small enough that reading and counting overlap closely (1,000 measured 0.56 s on
#: bench/dataset.py, 250 0.52 s), big enough that each worker request carries tens of thousands of characters.
BATCH_EXAMPLES = 250
#: Progress is reported about every this many examples (not every batch: each report is a message to the page).
PROGRESS_EXAMPLES = 1_000
_CACHE_MAX_CHARS = 4_000_000
_NEAR_TABLE = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ123456789", b"abcdefghijklmnopqrstuvwxyz000000000")
_WHITESPACE = b" \t\r\n\f\v"
#: A batch's new strings go to the token worker from this many characters; fewer are counted in-process at once.
WORKER_MIN_CHARS = 8_000
#: At most this many characters go to the worker in one request, so the copies a request makes (its UTF-8 here, and
#: bytes and text in the worker) stay a few tens of MB, whatever the lines hold.
WORKER_REQUEST_CHARS = 4_000_000
#: Batches sent to be counted before the first of them is added up: reading runs ahead of counting by this much.
IN_FLIGHT = 1
#: The share of a batch's characters counted in this thread while the worker counts the rest, adjusted batch by
#: batch so neither waits for the other: the reading alone is lighter than the encoding, so with all encoding in the
#: worker this thread would idle (28 MB: 0.62 s, against 0.3 s of reading and 0.46 s of encoding).
LOCAL_SHARE_START, LOCAL_SHARE_STEP, LOCAL_SHARE_MAX = 0.3, 0.05, 0.75
#: Longest JSONL line read, in bytes: ~2 million tokens, far above any fine-tuning context; longer lines are reported.
MAX_LINE_BYTES = 8_000_000
#: Longest CSV cell read, in characters (Python's csv module stops at 131,072 unless told otherwise).
MAX_CSV_FIELD_CHARS = 8_000_000
if csv.field_size_limit() < MAX_CSV_FIELD_CHARS:
    csv.field_size_limit(MAX_CSV_FIELD_CHARS)

Progress = Callable[[float], None]


class DatasetFileError(ValueError):
    """A training file that cannot be read at all; the message says why in one sentence."""


def _encoding_hint(raw: bytes) -> str:
    """A guess at what a file that is not UTF-8 is, in words."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it looks like UTF-16"
    return "it looks like Latin-1 (Windows-1252)"


def decode_text(data: bytes | str) -> str:
    """A whole text file as str (a UTF-8 BOM dropped); DatasetFileError naming the likely encoding when it is not UTF-8."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise DatasetFileError(
            f"The file is not UTF-8 (first at line {line:,}); {_encoding_hint(data)} — re-save it as UTF-8 and upload it again."
        ) from None


@dataclass
class DatasetReport:
    """What a training file holds, what is wrong with it, and what training on it is billed."""

    n_lines: int = 0
    n_examples: int = 0
    n_valid: int = 0
    format_errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*FORMAT_ERROR_KEYS, MIXED_FORMAT), 0))
    n_invalid_json: int = 0
    n_missing_system: int = 0
    n_missing_user: int = 0
    stats: dict[str, dict[str, float]] = field(default_factory=dict)
    n_examples_over_limit: int = 0
    token_limit: int = DEFAULT_TOKEN_LIMIT
    default_epochs: int = 3
    billing_tokens_per_epoch: int = 0
    total_billed_tokens: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    n_errors: int = 0
    total_tokens: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    assistant_tokens: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    n_exact_duplicates: int = 0
    n_near_duplicates: int = 0
    role_patterns: Counter = field(default_factory=Counter)
    n_system_prompts: int = 0
    key_sets: Counter = field(default_factory=Counter)
    labels: Counter | None = None
    #: Examples whose role pattern or key set was not remembered (past MAX_DISTINCT_PATTERNS distinct ones).
    n_other_role_patterns: int = 0
    n_other_key_sets: int = 0
    #: 1: every line was read; k > 1: a uniform sample of every k-th line (see analyze_jsonl).
    sampled_every: int = 1
    #: Line numbers of the examples a train/eval split writes (chat records), for counting a split without writing it.
    split_lines: np.ndarray | range = field(default_factory=lambda: np.zeros(0, dtype=np.int32), repr=False)
    #: Lines holding a lone surrogate (a \\ud800-\\udfff escape that pairs with nothing: valid JSON, not valid text),
    #: read with each replaced by "�" so every check, count and label can show it.
    n_replaced_text_lines: int = 0

    def epochs(self, entered: int = 0) -> int:
        """The epochs of a run on this file: `entered`, or OpenAI's default rule for its size when 0."""
        return entered or self.default_epochs

    def billed_tokens(self, epochs: int) -> int:
        """Tokens billed over `epochs` epochs, each example truncated to the token limit."""
        return self.billing_tokens_per_epoch * epochs

    def add_format_error(self, line: int, key: str, detail: str) -> None:
        """Count one failed check and list it: its name in words, what is wrong, and the cookbook's name for it."""
        self.format_errors[key] += 1
        self.add_error(line, f"{FORMAT_ERROR_WORDS[key]}: {detail} ({key}).")

    def add_error(self, line: int | None, message: str) -> None:
        self.n_errors += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            short = message if len(message) <= MAX_ERROR_CHARS else message[: MAX_ERROR_CHARS - 1] + "…"
            self.errors.append({"line": line, "message": short})

    @property
    def n_key_sets_text(self) -> str:
        """How many distinct key sets the file has, in words ("more than 100" past those remembered)."""
        if self.n_other_key_sets:
            return f"more than {len(self.key_sets):,}"
        return f"{len(self.key_sets):,}"

    def memory_bytes(self) -> int:
        """Bytes this report keeps alive: its arrays plus every container, string and number it holds (sys.getsizeof)."""
        return _deep_size(self)


def _deep_size(value: Any, seen: set[int] | None = None) -> int:
    """Bytes held by `value` and everything it refers to (numpy arrays with their buffers), each object counted once."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):  # getsizeof counts the buffer of an array that owns it; a view's is its base's
        return sys.getsizeof(value) + (0 if value.base is None else _deep_size(value.base, seen))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(_deep_size(k, seen) + _deep_size(v, seen) for k, v in value.items())
    elif isinstance(value, (list, tuple, set, frozenset)):
        size += sum(_deep_size(item, seen) for item in value)
    elif hasattr(value, "__dict__"):
        size += _deep_size(vars(value), seen)
    return size


def _remember(counter: Counter, key: tuple, limit: int = MAX_DISTINCT_PATTERNS) -> bool:
    """Count `key` in `counter` when it is already there or there is room; False when it is left out."""
    if key in counter or len(counter) < limit:
        counter[key] += 1
        return True
    return False


def token_bins(tokens: np.ndarray, max_bins: int = 40) -> pd.DataFrame:
    """Examples per bin of tokens (bin_start inclusive, bin_end exclusive), bins of a round width (1, 2 or 5 x 10^k),
    at most `max_bins`: what a histogram draws, whatever the number of examples."""
    values = np.asarray(tokens)
    if values.size == 0:
        return pd.DataFrame({"bin_start": [], "bin_end": [], "examples": []})
    low, high = int(values.min()), int(values.max())
    span = max(high - low + 1, 1)
    width = next(step * 10**power for power in range(0, 20) for step in (1, 2, 5) if step * 10**power * max_bins >= span)
    start = low // width * width
    edges = np.arange(start, high + width + 1, width)
    counts, _ = np.histogram(values, bins=edges)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "examples": counts})


def _describe(values: np.ndarray) -> dict[str, float]:
    if values.size == 0:
        return dict.fromkeys(("min", "max", "mean", "median", "p10", "p90"), 0.0)
    return {
        "min": float(values.min()),
        "max": float(values.max()),
        "mean": float(values.mean()),
        "median": float(np.median(values)),
        "p10": float(np.percentile(values, 10)),
        "p90": float(np.percentile(values, 90)),
    }


def _lines(data: bytes | str | Path) -> Iterator[bytes]:
    """The file's lines as bytes, read one at a time."""
    if isinstance(data, Path):
        with data.open("rb") as handle:
            yield from handle
    elif isinstance(data, str):
        for line in io.StringIO(data):
            yield line.encode("utf-8", "surrogatepass")
    else:
        yield from io.BytesIO(data)


_SCAN = json.JSONDecoder().scan_once


def _loads(text: str) -> Any:
    """json.loads(text), by json's own scanner directly where the line is one value and whitespace (most lines):
    json.loads' wrapper cost a fifth of reading a short line. Anything else goes through json.loads, for its errors."""
    try:
        value, end = _SCAN(text, 0)
    except (StopIteration, ValueError, RecursionError):
        return json.loads(text)
    if end == len(text) or text[end:].isspace():
        return value
    return json.loads(text)


def parse_jsonl(
    data: bytes | str | Path, report: DatasetReport, every: int = 1, keep_surrogates: bool = False
) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON value) for each non-blank line (of every `every`-th line: a uniform sample);
    unreadable lines go into `report`.

    A lone surrogate in a line's text (an escape such as \\udc80) is replaced by "�" and the line counted in
    `report.n_replaced_text_lines`, unless `keep_surrogates` (the split files keep the line's own escape)."""
    for number, raw in islice(enumerate(_lines(data), start=1), 0, None, every):
        report.n_lines = number
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if len(raw) > MAX_LINE_BYTES:
            report.n_invalid_json += 1
            report.add_error(
                number, f"Line is {len(raw):,} bytes; the limit is {MAX_LINE_BYTES:,} (about 2 million tokens): not read."
            )
            continue
        if b"\x00" in raw:
            report.n_invalid_json += 1
            report.add_error(number, "Binary data (NUL bytes): this does not look like a text file.")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as problem:
            report.n_invalid_json += 1
            report.add_error(
                number,
                f"Not valid UTF-8 (byte {problem.start + 1} of the line): the file is not UTF-8; "
                f"{_encoding_hint(raw)} — re-save it as UTF-8.",
            )
            continue
        if not text or text.isspace():
            continue
        try:
            value = _loads(text)
        except json.JSONDecodeError as problem:
            report.n_invalid_json += 1
            report.add_error(number, json_problem(problem, text))
            continue
        except RecursionError:
            report.n_invalid_json += 1
            report.add_error(number, f"Not valid JSON here: nested too deeply to read (the line is {len(text):,} characters).")
            continue
        except ValueError:  # Python refuses to convert integers of more than 4,300 digits
            report.n_invalid_json += 1
            report.add_error(number, "Not valid JSON here: a number with more than 4,300 digits.")
            continue
        if not keep_surrogates and ("\\ud" in text or "\\uD" in text):  # only such an escape makes a surrogate
            valid = valid_unicode(value)
            report.n_replaced_text_lines += valid is not value
            value = valid
        yield number, value


#: json's own messages (CPython's decoder) in words: what is wrong at the column it names.
_JSON_CAUSES = {
    "Expecting value": "a value was expected here (text in double quotes, a number, true, false, null, {...} or [...])",
    "Expecting property name enclosed in double quotes": "a key in double quotes was expected (single quotes, or a comma "
    "before '}'?)",
    "Expecting ':' delimiter": "a ':' was expected after the key",
    "Expecting ',' delimiter": "a ',' (or a closing bracket) was expected after the value before it",
    "Unterminated string starting at": "the text in quotes that starts here is never closed",
    "Invalid control character at": "a line break or tab inside text in quotes must be written \\n or \\t",
    "Invalid \\escape": "a backslash starts no escape JSON knows (write \\\\ for a backslash)",
    "Invalid \\uXXXX escape": "a \\u escape needs four hex digits",
    "Extra data": "more text follows a complete JSON value (two objects on one line?)",
    "Illegal trailing comma before end of object": "a comma before '}'",
    "Illegal trailing comma before end of array": "a comma before ']'",
}


def json_problem(problem: json.JSONDecodeError, text: str) -> str:
    """A line's JSON error with its column and the cause in words ("Invalid control character at" is json's way to
    say a quote was never closed before the line ended)."""
    end = len(text.rstrip("\r\n"))
    if problem.msg == "Invalid control character at" and problem.pos >= end:  # the line's own newline, inside a string
        try:
            json.loads(text[:end])
        except json.JSONDecodeError as unclosed:
            problem = unclosed
        except (ValueError, RecursionError):
            pass
    cause = _JSON_CAUSES.get(problem.msg, problem.msg)
    return f"Not valid JSON at column {problem.colno:,}: {cause} (the line is {end:,} characters)."


def replaced_text_note(n_lines: int) -> str:
    """What the page and the command line say about lines whose lone surrogates were replaced."""
    lines = f"{n_lines:,} line{'s' if n_lines != 1 else ''}"
    return (
        f"{lines} held text that is not valid Unicode (a lone surrogate escape such as \\udc80, which pairs with "
        'nothing): read with "�" in its place. The split files keep the escape as it was.'
    )


def legacy_to_chat(record: Any) -> Any:
    """A legacy {"prompt", "completion"} record as chat messages; anything else unchanged."""
    if isinstance(record, dict) and "messages" not in record and ("prompt" in record or "completion" in record):
        return {
            "messages": [
                {"role": "user", "content": record.get("prompt")},
                {"role": "assistant", "content": record.get("completion")},
            ]
        }
    return record


def csv_records(
    data: bytes | str,
    input_column: str,
    output_column: str,
    system_column: str | None = None,
    report: DatasetReport | None = None,
) -> Iterator[tuple[int, Any]]:
    """Rows of a CSV file as chat records, numbered by their line in the file (header = line 1).

    A file that is not UTF-8 raises DatasetFileError; a row that cannot be parsed ends the reading and is
    reported in `report` (raised as DatasetFileError without one).
    """
    reader = csv.DictReader(io.StringIO(decode_text(data), newline=""))
    try:
        for row in reader:
            messages = []
            if system_column:
                messages.append({"role": "system", "content": row.get(system_column)})
            messages += [
                {"role": "user", "content": row.get(input_column)},
                {"role": "assistant", "content": row.get(output_column)},
            ]
            yield reader.line_num, {"messages": messages}
    except csv.Error as problem:
        reason = (
            f"a cell is longer than {MAX_CSV_FIELD_CHARS:,} characters"
            if "field larger" in str(problem)
            else "it is not valid CSV"
        )
        message = f"Reading stopped at line {reader.line_num + 1:,}: {reason}."
        if report is None:
            raise DatasetFileError(message) from None
        report.n_invalid_json += 1
        report.add_error(reader.line_num + 1, message)


def csv_columns(data: bytes | str) -> list[str]:
    """The header of a CSV file (DatasetFileError when the file is not UTF-8 or the header cannot be read)."""
    try:
        return next(csv.reader(io.StringIO(decode_text(data), newline="")), [])
    except csv.Error:
        raise DatasetFileError("The first line of the CSV cannot be read as a header row.") from None


def _check_example(number: int, record: Any, report: DatasetReport) -> list[dict] | None:
    """The cookbook's format checks for one example; returns its messages when it can be counted."""
    if not isinstance(record, dict):
        kind = "a list (the whole file may be one JSON array)" if isinstance(record, list) else type(record).__name__
        report.add_format_error(number, "data_type", f"each line must be a JSON object, this is {kind}")
        return None
    messages = record.get("messages")
    if not messages or not isinstance(messages, list):
        report.add_format_error(number, "missing_messages_list", "no non-empty 'messages' list")
        return None
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            report.add_format_error(number, "message_missing_key", f"message {index + 1} is not an object")
            continue
        if "role" not in message or "content" not in message:
            report.add_format_error(number, "message_missing_key", f"message {index + 1} lacks 'role' or 'content'")
        unknown = [k for k in message if k not in RECOGNISED_KEYS]
        if unknown:
            report.add_format_error(
                number,
                "message_unrecognized_key",
                f"message {index + 1} has {', '.join(map(str, unknown[:5]))}; keys are {', '.join(RECOGNISED_KEYS)}",
            )
        if message.get("role") not in RECOGNISED_ROLES:
            report.add_format_error(
                number,
                "unrecognized_role",
                f"message {index + 1} has role {str(message.get('role'))[:40]!r}; roles are {', '.join(RECOGNISED_ROLES)}",
            )
        content = message.get("content")
        if (not content and not message.get("function_call")) or not isinstance(content, str):
            report.add_format_error(number, "missing_content", f"message {index + 1} has no text content")
    dicts = [m for m in messages if isinstance(m, dict)]
    if not any(m.get("role") == "assistant" for m in dicts):
        report.add_format_error(number, "example_missing_assistant_message", "no message from the assistant")
    if not any(m.get("role") == "system" for m in dicts):
        report.n_missing_system += 1
    if not any(m.get("role") == "user" for m in dicts):
        report.n_missing_user += 1
    return dicts or None


def _mixed_format_detail(form: str, first: tuple[str, int]) -> str:
    """Why a record in another format than the file's is flagged, naming the line that set the file's format."""
    kinds = {"chat": "chat messages", "legacy": "a legacy prompt/completion record"}
    files = {"chat": "chat examples", "legacy": "legacy prompt/completion records"}
    return (
        f"{kinds[form]} in a file of {files[first[0]]} (as line {first[1]:,} is); a fine-tuning file holds one format: "
        f"write it as {'messages' if first[0] == 'chat' else 'prompt and completion'}"
    )


def _plain_roles(messages: Any) -> list[str] | None:
    """The roles of a list of messages that passes every one of the cookbook's checks (each an object of known keys
    with a known role and text content, one from the assistant); None for anything else, which _check_example then
    reports in full. One pass: most lines of most files are plain."""
    if not messages or type(messages) is not list:
        return None
    roles = []
    for message in messages:
        if type(message) is not dict:
            return None
        role, content = message.get("role"), message.get("content")
        if type(role) is not str or role not in _ROLES or type(content) is not str or not content or not message.keys() <= _KEYS:
            return None
        roles.append(role)
    return roles if "assistant" in roles else None


def _near_key(encoded: bytes) -> bytes:
    """UTF-8 text as compared for near-duplicates: ASCII lower case, no whitespace, every digit a 0.

    One bytes.translate pass: str.translate and regex substitution measured 10-20x slower here.
    """
    return encoded.translate(_NEAR_TABLE, _WHITESPACE)


class _Counter:
    """Token lengths of strings, remembering repeated ones (system prompts, labels) up to a size cap.

    Where the token worker process runs (calc/inputs/token_worker.py: the Training data page starts it as it loads),
    most of a big batch's new strings go to it, and it counts them while the caller goes on reading and checking the
    next batch: `submit` returns at once and its answer is collected later; the rest (LOCAL_SHARE_*) are counted
    here when the answer is collected. Small batches, and any the worker cannot answer, are counted here. Encoding
    threads in this process measured slower than none: the reading thread holds the GIL they need between strings.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.encode = get_encoding(encoding).encode_ordinary
        self.cache: dict[str, int] = {}
        self.cached_chars = 0
        self.local_share = LOCAL_SHARE_START

    def _send(self, texts: list[str]) -> Future | None:
        """`texts` sent to the token worker, or None when it cannot take them (they are then counted here)."""
        try:
            return token_worker.WORKER.submit(self.encoding, texts)
        except token_worker.WorkerUnavailableError:
            return None

    def _rebalance(self, waited: bool) -> None:
        """Count more of each batch here when this thread had to wait for the worker, less when it did not."""
        step = LOCAL_SHARE_STEP if waited else -LOCAL_SHARE_STEP
        self.local_share = min(max(self.local_share + step, 0.0), LOCAL_SHARE_MAX)

    def submit(self, texts: list[str]) -> Callable[[], tuple[list[int], dict[str, int]]]:
        """Start counting `texts`; the returned function gives their lengths, in order, and each text's length by
        text, once they are counted."""
        if self.cached_chars > _CACHE_MAX_CHARS:
            self.cache.clear()
            self.cached_chars = 0
        cache = self.cache
        known = {t: cache[t] for t in texts if t in cache}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        size = sum(map(len, missing))
        if size >= WORKER_MIN_CHARS and token_worker.WORKER.running:
            here, there = _split_at_share(missing, self.local_share)
            chunks = _chunks(there, WORKER_REQUEST_CHARS)
            futures = [self._send(chunk) for chunk in chunks]
        else:
            here, chunks, futures = missing, [], []

        def result() -> tuple[list[int], dict[str, int]]:
            counted = {text: len(self.encode(text)) for text in here}  # while the worker counts the rest
            if futures:
                self._rebalance(waited=not all(f is None or f.done() for f in futures))
            for chunk, future in zip(chunks, futures, strict=True):
                counts = token_worker.WORKER.counts(future)
                if counts is None:
                    counts = [len(self.encode(text)) for text in chunk]
                counted.update(zip(chunk, counts, strict=True))
            known.update(counted)
            cache.update(counted)
            self.cached_chars += size
            return [known[t] for t in texts], known

        return result


def _split_at_share(texts: list[str], share: float) -> tuple[list[str], list[str]]:
    """`texts` cut in two, the first holding about `share` of their characters."""
    if share <= 0:
        return [], texts
    goal, size = share * sum(map(len, texts)), 0
    for index, text in enumerate(texts):
        if size >= goal:
            return texts[:index], texts[index:]
        size += len(text)
    return texts, []


def _chunks(texts: list[str], max_chars: int) -> list[list[str]]:
    """`texts` in order, in runs of at most `max_chars` characters (a longer text on its own)."""
    chunks: list[list[str]] = [[]]
    size = 0
    for text in texts:
        if size + len(text) > max_chars and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += len(text)
    return chunks


def _compact(numbers: array) -> np.ndarray:
    """Whole numbers collected during the analysis as the array the report keeps: 4 bytes each where they fit.

    Not 2: NumPy refuses arithmetic between a uint16 array and a Python integer past its range (a token limit of
    100,000, say), which every consumer would then have to know."""
    values = np.frombuffer(numbers, dtype=np.int64) if numbers else np.zeros(0, dtype=np.int64)
    return values.astype(np.int32) if not values.size or values.max() < 2**31 else values.copy()


def _compact_lines(numbers: array) -> np.ndarray | range:
    """Line numbers as the report keeps them: a range when they are evenly spaced (every line, or every k-th line of
    a sample), the compact array otherwise."""
    values = np.frombuffer(numbers, dtype=np.int64) if numbers else np.zeros(0, dtype=np.int64)
    if values.size >= 2:
        step = int(values[1] - values[0])
        if step > 0 and bool((np.diff(values) == step).all()):
            return range(int(values[0]), int(values[-1]) + 1, step)
    return _compact(numbers)


def _repeats(digests: array) -> int:
    """How many fingerprints repeat one seen before (all but the first of each)."""
    return len(digests) - len(np.unique(np.frombuffer(digests, dtype=np.int64))) if digests else 0


def _name(value: Any) -> str:
    """A role or key as remembered: text of at most MAX_NAME_CHARS characters."""
    return str(value)[:MAX_NAME_CHARS]


def _counted(value: Any) -> bool:
    """Whether a message value is counted as text (numbers, true and false are not)."""
    return not isinstance(value, (int, float))


@lru_cache(maxsize=64)
def _role_content_keys(n_messages: int) -> tuple[str, ...]:
    """The key set of n messages that each hold only a role and a content."""
    return ("content",) * n_messages + ("role",) * n_messages


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def analyze_records(
    records: Iterable[tuple[int, Any]],
    report: DatasetReport,
    *,
    encoding: str = "o200k_base",
    max_tokens_per_example: int = DEFAULT_TOKEN_LIMIT,
    progress: Progress | None = None,
    total_lines: int | None = None,
) -> DatasetReport:
    """Validate and count a stream of (line, record) pairs into `report`."""
    if not isinstance(max_tokens_per_example, int) or max_tokens_per_example < 1:
        raise ValueError(f"max_tokens_per_example must be a positive whole number, not {max_tokens_per_example!r}.")
    counter = _Counter(encoding)
    # Compact arrays (8 bytes an example, no object per number): a 1,000,000-line file keeps tens of MB, not hundreds.
    totals, assistants, n_messages, split_lines = array("q"), array("q"), array("q"), array("q")
    exact_digests, near_digests = array("q"), array("q")  # 64-bit fingerprints; duplicates are counted at the end
    systems: set[int] = set()
    assistant_texts: Counter = Counter()
    label_like = True
    #: Per example: how many of the batch's texts are its own, its tokens beyond them, and its assistant outputs.
    batch: list[tuple[int, int, list[str]]] = []
    batch_texts: list[str] = []
    next_progress = PROGRESS_EXAMPLES
    pending: list[tuple[list[tuple[int, int, list[str]]], Callable[[], tuple[list[int], dict[str, int]]]]] = []

    def flush(final: bool = False) -> None:
        """Send the batch to be counted; add up the batches sent IN_FLIGHT before it (all of them at the end)."""
        pending.append((list(batch), counter.submit(list(batch_texts))))
        batch.clear()
        batch_texts.clear()
        while len(pending) > (0 if final else IN_FLIGHT):
            add_up(*pending.pop(0))

    def add_up(examples: list[tuple[int, int, list[str]]], counted: Callable[[], tuple[list[int], dict[str, int]]]) -> None:
        """Each example's tokens (its texts', 3 per message, 1 per name, 3 to prime the reply) and its outputs'."""
        lengths, known = counted()
        start = 0
        for n_texts, extra, outputs in examples:
            totals.append(extra + sum(lengths[start : start + n_texts]))
            assistants.append(sum(known[t] for t in outputs))
            start += n_texts

    first_form: tuple[str, int] | None = None  # the file's format: that of its first chat or legacy record, and its line
    for number, record in records:
        report.n_examples += 1
        is_chat = type(record) is dict and "messages" in record
        chat = record if is_chat else legacy_to_chat(record)
        form = "chat" if is_chat else "legacy" if chat is not record else None
        if first_form is None and form is not None:
            first_form = (form, number)
        mixed = form is not None and form != first_form[0]
        messages = chat.get("messages") if isinstance(chat, dict) else None
        if isinstance(messages, list):
            split_lines.append(number)
        roles = _plain_roles(messages)
        plain = roles is not None
        if not plain:  # not a plain valid example: the full checks name each problem
            errors_before = report.n_errors
            messages = _check_example(number, chat, report)
            report.n_valid += report.n_errors == errors_before
            if messages is None:
                continue
            roles = [m.get("role") for m in messages]
            valid = report.n_errors == errors_before
        else:
            report.n_missing_system += "system" not in roles
            report.n_missing_user += "user" not in roles
            report.n_valid += 1
            valid = True
        values = [v for m in messages for v in m.values()] if plain else []
        if len(values) == 2 * len(messages):  # plain, and each message holds only its role and content: most lines
            texts = [m["content"] for m in messages]
            outputs = [text for role, text in zip(roles, texts, strict=True) if role == "assistant"]
            n_names, key_set = 0, _role_content_keys(len(messages))
        else:
            values = [_as_text(v) for m in messages for v in m.values() if not isinstance(v, (int, float))]
            texts = [_as_text(m.get("content", "")) for m in messages]
            outputs = [_as_text(m["content"]) for m in messages if m.get("role") == "assistant" and _counted(m.get("content"))]
            n_names = sum(_counted(m.get("name")) for m in messages if "name" in m)
            key_set = tuple(sorted(_name(k) for m in messages for k in m))
        if mixed:
            report.n_valid -= valid
            valid = False
            report.add_format_error(number, MIXED_FORMAT, _mixed_format_detail(form, first_form))
        try:
            for value in values:
                if len(value) >= MAX_WHITESPACE_RUN:
                    check_countable(value)
        except UncountableTextError as problem:
            report.n_valid -= valid
            report.add_error(number, f"Not counted: {problem}")
            continue
        fingerprint = "\x1f".join(f"{role}\x1e{text}" for role, text in zip(roles, texts, strict=True))
        # Fingerprints only meet others of the same analysis, so Python's own (per-process) hash is enough here.
        exact_digests.append(hash(fingerprint))
        near_digests.append(hash(_near_key(fingerprint.encode("utf-8", "surrogatepass"))))
        report.n_other_role_patterns += not _remember(report.role_patterns, tuple(map(_name, roles)))
        report.n_other_key_sets += not _remember(report.key_sets, key_set)
        systems.update(hash(text) for role, text in zip(roles, texts, strict=True) if role == "system")
        if label_like:
            label_like = all(
                len(t) <= MAX_LABEL_CHARS and _remember(assistant_texts, t, MAX_LABELS) for t in map(str.strip, outputs)
            )
            if not label_like:
                assistant_texts.clear()
        n_messages.append(len(messages))
        batch.append((len(values), 3 + 3 * len(messages) + n_names, outputs))
        batch_texts += values
        if len(batch) >= BATCH_EXAMPLES:
            flush()
            if progress and total_lines and report.n_examples >= next_progress:
                next_progress = report.n_examples + PROGRESS_EXAMPLES
                progress(min(report.n_lines / total_lines, 1.0) if report.n_lines else min(number / total_lines, 1.0))
    flush(final=True)
    report.n_exact_duplicates = _repeats(exact_digests)
    report.n_near_duplicates = _repeats(near_digests)
    report.total_tokens = _compact(totals)
    report.assistant_tokens = _compact(assistants)
    report.stats = {
        "n_messages": _describe(np.frombuffer(n_messages, dtype=np.int64)),
        "total_tokens": _describe(report.total_tokens),
        "assistant_tokens": _describe(report.assistant_tokens),
    }
    report.token_limit = max_tokens_per_example
    report.n_examples_over_limit = int((report.total_tokens > max_tokens_per_example).sum())
    report.default_epochs = default_epochs(report.n_examples)
    report.billing_tokens_per_epoch = int(np.minimum(report.total_tokens, max_tokens_per_example).sum())
    report.total_billed_tokens = report.billing_tokens_per_epoch * report.default_epochs
    report.n_system_prompts = len(systems)
    report.labels = assistant_texts if label_like and assistant_texts and report.n_examples >= 2 else None
    report.split_lines = _compact_lines(split_lines)
    if progress:
        progress(1.0)
    return report


#: Files with more lines than this are first analysed on a uniform sample of about SAMPLE_LINES lines (shown, and
#: said to be a sample), then in full: reading them takes more than ~10 seconds here.
SAMPLE_FIRST_LINES = 200_000
SAMPLE_LINES = 20_000


def sample_every(n_lines: int) -> int:
    """The step of the uniform first-look sample for a file of `n_lines` lines (1: small enough to read at once)."""
    return 1 if n_lines <= SAMPLE_FIRST_LINES else -(-n_lines // SAMPLE_LINES)


def analyze_jsonl(
    data: bytes | str | Path,
    *,
    encoding: str = "o200k_base",
    max_tokens_per_example: int = DEFAULT_TOKEN_LIMIT,
    progress: Progress | None = None,
    every: int = 1,
) -> DatasetReport:
    """Validate a chat (or legacy prompt/completion) JSONL file and count its tokens and billing.

    `every` > 1 reads only every `every`-th line, a uniform sample (lines keep their numbers in the file): a first
    look at a very long file while the whole of it is read.
    """
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"every must be a whole number >= 1, not {every!r}.")
    report = DatasetReport(sampled_every=every)
    if isinstance(data, (bytes, str)) and not data.strip():
        report.add_error(None, "The file is empty.")
        return analyze_records([], report, encoding=encoding, max_tokens_per_example=max_tokens_per_example)
    total_lines = data.count(b"\n" if isinstance(data, bytes) else "\n") + 1 if isinstance(data, (bytes, str)) else None
    return analyze_records(
        parse_jsonl(data, report, every),
        report,
        encoding=encoding,
        max_tokens_per_example=max_tokens_per_example,
        progress=progress,
        total_lines=total_lines,
    )


def _json_line(record: Any) -> bytes:
    """One JSONL line as valid UTF-8: characters as themselves, lone surrogates (a valid \\ud800 escape) kept escaped."""
    try:
        return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(record).encode("ascii") + b"\n"


def _to_eval(number: int, eval_share: float, seed: int) -> bool:
    """True when the example on line `number` goes to the evaluation file: a seeded hash of the line under the share."""
    digest = hashlib.blake2b(f"{seed}:{number}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < eval_share


def split_counts(lines: Iterable[int], eval_share: float = 0.2, seed: int = 42) -> tuple[int, int]:
    """(train, eval) examples split_train_eval writes for the examples on `lines` (DatasetReport.split_lines),
    counted without writing the files."""
    if not 0 < eval_share < 1:
        raise ValueError(f"eval_share must be between 0 and 1, not {eval_share!r}.")
    numbers = np.asarray(lines).tolist()
    n_eval = sum(_to_eval(number, eval_share, seed) for number in numbers)
    return len(numbers) - n_eval, n_eval


def split_train_eval(
    records: Iterable[tuple[int, Any]], eval_share: float = 0.2, seed: int = 42
) -> tuple[bytes, bytes, int, int]:
    """A reproducible train/eval split of the parseable chat examples as two JSONL files.

    Each example goes to eval when a seeded hash of its line number falls under `eval_share`,
    so the split is the same for the same file and seed, whatever the order of processing.
    """
    if not 0 < eval_share < 1:
        raise ValueError(f"eval_share must be between 0 and 1, not {eval_share!r}.")
    train, evaluation = io.BytesIO(), io.BytesIO()
    counts = [0, 0]
    for number, record in records:
        chat = legacy_to_chat(record)
        if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
            continue
        to_eval = _to_eval(number, eval_share, seed)
        target = evaluation if to_eval else train
        target.write(_json_line(chat))
        counts[to_eval] += 1
    return train.getvalue(), evaluation.getvalue(), counts[0], counts[1]
