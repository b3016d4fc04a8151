"""Helpers shared by the benchmarks: start a Streamlit server, launch Chromium, summarise timings."""

from __future__ import annotations

import statistics
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, free_port, start_streamlit  # noqa: E402

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "IDLE", "ROOT", "free_port", "median", "percentile", "server"]


@contextmanager
def server(script: str, log_dir: Path):
    """A Streamlit server for `script` on a free loopback port; yields its URL and log path."""
    port = free_port()
    log = log_dir / f"{Path(script).stem}-{port}.log"
    process = start_streamlit(script, port, log)
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=10)


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
