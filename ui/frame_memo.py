"""Values derived from a DataFrame the pages keep (a stored analysis's curves), computed once per frame object.

A slider move redraws charts whose data did not change: the same stored DataFrame comes back, and turning it into
Arrow again cost about a millisecond a dataset on every move. A memo keyed on the frame's identity hands back what
was derived the first time. An entry lives exactly as long as its frame (a weak-reference finalizer removes it when
the frame is freed, before its id can be reused), so the memo holds nothing the result stores have let go. Frames
are treated as read-only once drawn: nothing in the pages modifies a frame in place.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

import pandas as pd

T = TypeVar("T")


class FrameMemo(Generic[T]):
    """`memo(frame)` is `derive(frame)`, computed once per frame object while the frame lives; thread-safe."""

    def __init__(self, derive: Callable[[pd.DataFrame], T]) -> None:
        """A memo of `derive`, which must depend on nothing but the frame's contents."""
        self.derive = derive
        self.entries: dict[int, T] = {}
        self.lock = threading.Lock()

    def __call__(self, frame: pd.DataFrame) -> T:
        """What `derive` gave for this frame object, deriving it now if it is new."""
        key = id(frame)
        with self.lock:
            if key in self.entries:
                return self.entries[key]
        value = self.derive(frame)
        with self.lock:
            if key not in self.entries:
                self.entries[key] = value
                weakref.finalize(frame, self._forget, key)
        return value

    def _forget(self, key: int) -> None:
        with self.lock:
            self.entries.pop(key, None)

    def __len__(self) -> int:
        """Frames remembered now."""
        return len(self.entries)
