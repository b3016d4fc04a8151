"""Reading price data for a refresh: a download capped in bytes, a team table from a URL or a path, and a failure
said in one line (the note a page shows while the last good prices stay in use). Used by calc/catalogue/price_sources.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import threading
from typing import Any

#: Seconds each step of a download may take (connecting, each read), as genai-prices' own updater allows.
REQUEST_TIMEOUT_S = 10.0
#: Seconds a whole download may take, from the name lookup to the last byte: a source that sends valid data slowly
#: (a byte every few seconds passes every step's timeout) is given up, never waited for (the command line waits
#: WAIT_S in calc/cli/sources.py, longer than this, for a source to load).
FETCH_DEADLINE_S = 20.0
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


def download(url: str, max_bytes: int, timeout: Any = REQUEST_TIMEOUT_S, deadline_s: float | None = None) -> bytes:
    """The body at `url`, read in chunks and refused past `max_bytes` (a 50 MB answer is never held whole), within one
    overall deadline (`deadline_s`, default FETCH_DEADLINE_S) for the name lookup, the connection and every read.

    `timeout`: seconds, or an httpx2.Timeout (genai-prices' own `request_timeout`), for each step. The download runs
    in a daemon thread this one waits for: a server that sends a byte every few seconds, or a name lookup that hangs,
    is given up at the deadline (the thread stops at its next chunk or step timeout).
    """
    deadline_s = FETCH_DEADLINE_S if deadline_s is None else deadline_s
    outcome: dict[str, Any] = {}
    done, cancelled = threading.Event(), threading.Event()

    def run() -> None:
        try:
            outcome["data"] = _download(url, max_bytes, timeout, cancelled)
        except BaseException as problem:  # handed to the waiting thread, raised there
            outcome["error"] = problem
        finally:
            done.set()

    threading.Thread(target=run, name="price-download", daemon=True).start()
    if not done.wait(deadline_s):
        cancelled.set()
        raise SourceError(f"did not answer in time: no complete file within {deadline_s:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["data"]


def _download(url: str, max_bytes: int, timeout: Any, cancelled: threading.Event) -> bytes:
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
            if cancelled.is_set():
                raise SourceError("given up at the deadline")
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(f"the file is over {max_bytes:,} bytes; at most {max_bytes:,} are accepted")
            chunks.append(chunk)
    return b"".join(chunks)


def read_location(location: str, max_bytes: int) -> bytes:
    """The bytes of a team table at a URL or a path, refused past `max_bytes`; SourceError when unreadable.

    A path must name a regular file: a FIFO nobody writes to, a device or a socket would hold the reader forever, so
    the file is opened without waiting and refused unless it is one.
    """
    if location.startswith(("http://", "https://")):
        return download(location, max_bytes)
    try:
        descriptor = os.open(location, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SourceError(f"{location}: no such file") from None
    except OSError as problem:
        raise SourceError(f"{location}: cannot read the file ({problem.strerror or problem})") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise SourceError(f"{location}: {kind}, not a file")
    os.set_blocking(descriptor, True)
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as problem:
            raise SourceError(f"{location}: cannot read the file ({problem.strerror or problem})") from None
    if len(data) > max_bytes:
        raise SourceError(f"{location}: the file is over {max_bytes:,} bytes; at most {max_bytes:,} are accepted")
    return data


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]
