"""Values derived from an object the pages keep (a stored analysis, its curves), computed once per live object.

A slider move back to a volume seen before gets the same stored analysis and the same curves frame: formatting its
text and turning its data into Arrow again cost a few milliseconds of server time on every move. A memo keyed on the
object's identity (and any further hashable arguments) hands back what was derived the first time. An object's
entries live exactly as long as the object (a weak-reference finalizer drops them when it is freed, before its id can
be reused), so the memo holds nothing the result stores have let go. What is memoised must depend on nothing but the
object and the arguments, and the object must not change once used: nothing in the pages modifies a stored frame or
analysis in place.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ObjectMemo(Generic[T]):
    """`memo(obj, *args)` is `derive(obj, *args)`, computed once per live object and arguments; thread-safe."""

    def __init__(self, derive: Callable[..., T]) -> None:
        """A memo of `derive(obj, *args)`; `args` must be hashable."""
        self.derive = derive
        self.entries: dict[int, dict[tuple[Hashable, ...], T]] = {}
        self.lock = threading.Lock()

    def __call__(self, obj: Any, *args: Hashable) -> T:
        """What `derive` gave for this object and arguments, deriving it now if new."""
        key = id(obj)
        with self.lock:
            known = self.entries.get(key)
            if known is not None and args in known:
                return known[args]
        value = self.derive(obj, *args)
        with self.lock:
            known = self.entries.get(key)
            if known is None:
                known = self.entries[key] = {}
                weakref.finalize(obj, self._forget, key)
            return known.setdefault(args, value)

    def _forget(self, key: int) -> None:
        with self.lock:
            self.entries.pop(key, None)

    def __len__(self) -> int:
        """Objects remembered now."""
        return len(self.entries)
