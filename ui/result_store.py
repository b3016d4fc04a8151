"""A result store shared by every session of the process: thread-safe, least recently used out first, bounded in bytes,
in total and per owner (a session), each result counted by what it holds."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

STORE_MAX_BYTES = 256 * 1024 * 1024
#: What one session's analyses and splits may keep: a 50 MB upload's report holds ~20 MB at most (two token
#: arrays and the split's line numbers); a second file pushes the first one out.
OWNER_MAX_BYTES = 32 * 1024 * 1024


def release_free_memory() -> None:
    """Hand memory freed after a large analysis back to the system (glibc's malloc_trim; nothing elsewhere).

    Each session's script runs on its own thread, and glibc keeps what a thread's arena freed: without this, the
    transient memory of analysing a 40 MB file stays in the process's resident size after the report is built.
    """
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)


class ResultStore:
    """Analyses and splits shared by all sessions: thread-safe, least recently used first out, bounded in bytes."""

    def __init__(self, max_bytes: int, sizer: Callable[[Any], int] | None = None, max_bytes_per_owner: int | None = None) -> None:
        """An empty store that holds at most `max_bytes` (and `max_bytes_per_owner` for one owner), measuring each
        result with `sizer` (default: `size`)."""
        self.max_bytes = max_bytes
        self.max_bytes_per_owner = max_bytes_per_owner
        self.sizer = sizer or self.size
        self.bytes = 0
        self.entries: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self.owners: dict[str, OrderedDict[tuple, int]] = {}
        self.lock = threading.Lock()

    @staticmethod
    def size(value: Any) -> int:
        """Bytes a stored result holds: its own count when it has one (`memory_bytes()`), files by their length."""
        measure = getattr(value, "memory_bytes", None)
        if callable(measure):
            return int(measure())
        return sum(len(part) for part in value if isinstance(part, bytes)) if isinstance(value, tuple) else 1024

    def __contains__(self, key: tuple) -> bool:
        """True while the result for `key` is kept."""
        with self.lock:
            return key in self.entries

    def owner_bytes(self, owner: str) -> int:
        """Bytes the results computed for `owner` keep in the store."""
        with self.lock:
            return sum(self.owners.get(owner, {}).values())

    def get(self, key: tuple, compute: Callable[[], Any], owner: str | None = None) -> Any:
        """`compute()` once per key while it stays in the store; results bigger than the whole store (or than what
        `owner` may keep) are returned but not kept."""
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key][0]
        value = compute()
        size = self.sizer(value)
        owner_limit = self.max_bytes if owner is None or self.max_bytes_per_owner is None else self.max_bytes_per_owner
        with self.lock:
            if key not in self.entries and size <= min(self.max_bytes, owner_limit):
                self.entries[key] = (value, size)
                self.bytes += size
                if owner is not None:
                    held = self.owners.setdefault(owner, OrderedDict())
                    held[key] = size
                    while sum(held.values()) > owner_limit:
                        self._drop(next(iter(held)))
                while self.bytes > self.max_bytes:
                    self._drop(next(iter(self.entries)))
        return value

    def _drop(self, key: tuple) -> None:
        """Remove `key` from the store and from its owner's list (the lock is held)."""
        _, size = self.entries.pop(key)
        self.bytes -= size
        for owner, held in list(self.owners.items()):
            if held.pop(key, None) is not None and not held:
                del self.owners[owner]
