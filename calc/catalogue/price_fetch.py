"""Reading price data for a refresh: a download capped in bytes, a team table from a URL or a path, and a failure
said in one line (the note a page shows while the last good prices stay in use). Used by calc/catalogue/price_sources.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

REQUEST_TIMEOUT_S = 10.0
MAX_REASON_CHARS = 240


class SourceError(ValueError):
    """Data fetched or read for a refresh that is refused; the message is one line."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clock_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%H:%M UTC")


def one_line(problem: BaseException | str) -> str:
    """A failure as one short line: the HTTP status, the connection error or the parse error, never a traceback."""
    if isinstance(problem, str):
        text = problem
    else:
        status = getattr(getattr(problem, "response", None), "status_code", None)
        if status is not None and type(problem).__name__ == "HTTPStatusError":
            text = f"the server answered HTTP {status}"
        elif isinstance(problem, json.JSONDecodeError):
            text = f"not complete JSON (line {problem.lineno}, column {problem.colno}: {problem.msg})"
        elif type(problem).__name__ == "ValidationError":
            first = problem.errors()[0] if hasattr(problem, "errors") and problem.errors() else {}
            where = ".".join(str(part) for part in first.get("loc", ()))
            text = f"not genai-prices data ({where}: {first.get('msg', 'invalid')})"
        elif type(problem).__module__.startswith("httpx"):
            text = f"{type(problem).__name__}: {problem}".rstrip(": ")
        else:
            text = str(problem) or type(problem).__name__
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


def download(url: str, max_bytes: int, timeout: Any = REQUEST_TIMEOUT_S) -> bytes:
    """The body at `url`, read in chunks and refused past `max_bytes` (a 50 MB answer is never held whole).

    `timeout`: seconds, or an httpx2.Timeout (genai-prices' own `request_timeout`).
    """
    import httpx2

    if not isinstance(timeout, httpx2.Timeout):
        timeout = httpx2.Timeout(timeout, connect=min(timeout, 5.0))
    with httpx2.stream("GET", url, timeout=timeout) as response:
        response.raise_for_status()
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise SourceError(f"the file is {int(declared):,} bytes; at most {max_bytes:,} are accepted")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(f"the file is over {max_bytes:,} bytes; at most {max_bytes:,} are accepted")
            chunks.append(chunk)
    return b"".join(chunks)


def read_location(location: str, max_bytes: int) -> bytes:
    """The bytes of a team table at a URL or a path, refused past `max_bytes`; SourceError when unreadable."""
    if location.startswith(("http://", "https://")):
        return download(location, max_bytes)
    path = Path(location)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceError(f"{location}: no such file") from None
    except (IsADirectoryError, PermissionError, OSError) as problem:
        raise SourceError(f"{location}: cannot read the file ({problem.strerror or problem})") from None
    if len(data) > max_bytes:
        raise SourceError(f"{location}: the file is over {max_bytes:,} bytes; at most {max_bytes:,} are accepted")
    return data


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]
