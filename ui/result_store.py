"""A result store shared by every session of the process: thread-safe, least recently used out first, bounded in bytes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

STORE_MAX_BYTES = 256 * 1024 * 1024
_REPORT_OVERHEAD_BYTES = 256 * 1024  # errors, counters and labels of one report, generously


class ResultStore:
    """Analyses and splits shared by all sessions: thread-safe, least recently used first out, bounded in bytes."""

    def __init__(self, max_bytes: int, sizer: Callable[[Any], int] | None = None) -> None:
        """An empty store that holds at most `max_bytes`, measuring each result with `sizer` (default: `size`)."""
        self.max_bytes = max_bytes
        self.sizer = sizer or self.size
        self.bytes = 0
        self.entries: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def size(value: Any) -> int:
        """Bytes a stored result holds, roughly: its arrays or files plus a fixed allowance."""
        from calc.inputs.dataset import DatasetReport  # the Training data page's; the home page never loads it

        if isinstance(value, DatasetReport):
            return value.total_tokens.nbytes + value.assistant_tokens.nbytes + _REPORT_OVERHEAD_BYTES
        return sum(len(part) for part in value if isinstance(part, bytes)) if isinstance(value, tuple) else 1024

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """`compute()` once per key while it stays in the store; results bigger than the whole store are not kept."""
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key][0]
        value = compute()
        size = self.sizer(value)
        with self.lock:
            if key not in self.entries and size <= self.max_bytes:
                self.entries[key] = (value, size)
                self.bytes += size
                while self.bytes > self.max_bytes:
                    _, (_, dropped) = self.entries.popitem(last=False)
                    self.bytes -= dropped
        return value
