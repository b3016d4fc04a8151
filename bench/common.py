"""Helpers shared by the benchmarks: start a Streamlit server, launch Chromium, summarise timings."""

from __future__ import annotations

import os
import statistics
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, free_port, start_streamlit  # noqa: E402

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "IDLE",
    "RERUN_DONE_JS",
    "RERUN_MS_JS",
    "RERUN_TIMER_JS",
    "ROOT",
    "cpu_seconds",
    "free_port",
    "median",
    "percentile",
    "server",
]

# Times a rerun with the browser's own clock, from the keydown on the slider to the DOM commit that changes
# the metric labelled `label` (a MutationObserver sees it as it happens). Neither the test driver's polling
# nor its round trips to the browser, both slow when many sessions share the CPU, are in the figure.
RERUN_TIMER_JS = """(label) => {
  if (window.__rerunTimer) return;
  const read = () => {
    for (const card of document.querySelectorAll("[data-testid='stMetric']")) {
      const name = card.querySelector("[data-testid='stMetricLabel']");
      const value = card.querySelector("[data-testid='stMetricValue']");
      if (name && value && name.textContent.includes(label)) return value.textContent;
    }
    return null;
  };
  const timer = window.__rerunTimer = {start: null, end: null, old: null};
  document.addEventListener("keydown", () => {
    timer.start = performance.now(); timer.end = null; timer.old = read();
  }, true);
  new MutationObserver(() => {
    if (timer.start === null || timer.end !== null) return;
    const now = read();
    if (now !== null && now !== timer.old) timer.end = performance.now();
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
RERUN_DONE_JS = "() => window.__rerunTimer.end !== null"
RERUN_MS_JS = "() => window.__rerunTimer.end - window.__rerunTimer.start"


@contextmanager
def server(script: str, log_dir: Path):
    """A Streamlit server for `script` on a free loopback port; yields its URL, log path and process id."""
    port = free_port()
    log = log_dir / f"{Path(script).stem}-{port}.log"
    process = start_streamlit(script, port, log)
    try:
        yield f"http://127.0.0.1:{port}", log, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
