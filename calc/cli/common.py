"""What every subcommand of the command line shares: one-line errors with an exit status, reading a file or stdin
as UTF-8 text, JSON in (bounded nesting) and out (strict: no non-finite numbers)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any, NoReturn

from calc.text.safe_text import valid_unicode

PROG = "prompt-or-finetune"
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNUSABLE = 2
TOO_LARGE = "too large"
_BINARY_SNIFF_BYTES = 8_192


class CliError(Exception):
    """Input the command cannot use: reported as one line on stderr with exit status `status`."""

    def __init__(self, message: str, status: int = EXIT_UNUSABLE) -> None:
        super().__init__(message)
        self.status = status


def _fail(message: str, status: int = EXIT_UNUSABLE) -> NoReturn:
    raise CliError(message, status)


def _first_line(problem: BaseException) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text.splitlines()[0]


def _read_bytes(source: str, max_bytes: int | None = None) -> tuple[bytes, str]:
    """The bytes of `source` (a path, or '-' for stdin) and a name to show; CliError when unreadable."""
    if source == "-":
        data = sys.stdin.buffer.read() if max_bytes is None else sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        path = Path(source)
        if path.is_dir():
            _fail(f"{source}: is a directory, not a file")
        try:
            with path.open("rb") as handle:
                data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
        except FileNotFoundError:
            _fail(f"{source}: no such file")
        except OSError as problem:
            _fail(f"{source}: cannot read the file ({problem.strerror or _first_line(problem)})")
        name = source
    if max_bytes is not None and len(data) > max_bytes:
        _fail(f"{name}: the file is larger than {max_bytes / 1e6:,.6g} MB")
    return data, name


def _decode(data: bytes, name: str) -> str:
    """`data` as UTF-8 text (a leading BOM dropped); CliError for binary data or another encoding."""
    if b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        _fail(f"{name}: binary data (NUL bytes), not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        _fail(f"{name}: not UTF-8 text (invalid byte on line {line})")


def load_json(text: str, name: str, hint: str = "") -> Any:
    """`text` parsed as JSON, each lone surrogate in it (an escape such as \\udc80) replaced by "�" so it prints and
    compares as text; CliError naming the line and column when it is malformed or nested too deeply."""
    try:
        return valid_unicode(json.loads(text))
    except json.JSONDecodeError as problem:
        _fail(f"{name}: malformed JSON on line {problem.lineno}, column {problem.colno}: {problem.msg}{hint}")
    except RecursionError:
        _fail(f"{name}: the JSON is nested too deeply to read{hint}")
    except ValueError as problem:  # an integer of more than 4,300 digits
        _fail(f"{name}: unreadable JSON ({_first_line(problem)}){hint}")


def json_safe(value: Any) -> Any:
    """`value` with every infinite number as "too large" (or "minus too large") and NaN as null: JSON has neither."""
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else (TOO_LARGE if value > 0 else f"minus {TOO_LARGE}")
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value


def print_json(value: Any, **options: Any) -> None:
    """Print `value` as strict JSON (no Infinity or NaN: see json_safe)."""
    print(json.dumps(json_safe(value), allow_nan=False, indent=2, **options))
