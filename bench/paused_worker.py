"""A 44 MB training file uploaded on the Training data page while the server's token worker is paused (SIGSTOP, as a
debugger, a container freeze or swap would pause it), against the same upload with the worker running, in one run.

One server (server.py, the token worker on), Debian's Chromium. Session A uploads a 44 MB file with the worker
running (the baseline); then the worker is stopped with SIGSTOP, session B uploads another 44 MB file and, a second
later, session C uploads a small file (200 examples, then 201). Each is timed from choosing the file to its own figures on the
page. C's small upload is also timed alone first, with the worker running. The worker is killed at the end.

The last line printed is a JSON object: {"file_mb", "running_s", "paused_s", "paused_ratio", "small_alone_s",
"small_during_pause_s", "small_ratio", "worker_stopped_by_server"}.
"""

from __future__ import annotations

import json
import os
import re
import signal
import tempfile
import time
from pathlib import Path

from common import ROOT  # noqa: F401  (puts the project on sys.path)
from dataset import make_dataset
from playwright.sync_api import Page, sync_playwright

from bench.cluster import serve
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE

FILE_BYTES = 44_000_000
UPLOAD = "[data-testid='stFileUploaderDropzoneInput']"


def big_file(path: Path, seed: int) -> int:
    """About 44 MB of chat examples (bench/dataset.py's, two seeds), cut at a line; its number of examples."""
    data = (make_dataset(seed) + b"\n" + make_dataset(seed + 100))[:FILE_BYTES].rsplit(b"\n", 1)[0]
    path.write_bytes(data)
    return data.count(b"\n") + 1


def small_file(path: Path, seed: int, examples: int) -> int:
    path.write_bytes(b"\n".join(make_dataset(seed).splitlines()[:examples]))
    return examples


def worker_pid(server_pid: int) -> int:
    """The token worker the server started (a child running calc.inputs.token_worker)."""
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"token_worker" in Path(f"/proc/{child}/cmdline").read_bytes():
                return int(child)
    raise RuntimeError("the server runs no token worker")


def opened(browser, url: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{url}/Training_data")
    page.wait_for_selector(IDLE, timeout=120_000)
    page.get_by_text("Train / eval split").wait_for(timeout=120_000)
    return page


def choose(page: Page, path: Path) -> float:
    page.locator(UPLOAD).set_input_files(str(path))
    return time.perf_counter()


def shown(page: Page, examples: int, since: float) -> float:
    """Seconds from `since` until the page shows the file's own example count and is idle."""
    page.locator("[data-testid='stMetric']").filter(has_text=re.compile(rf"^Examples\s*{examples:,}")).wait_for(timeout=600_000)
    page.wait_for_selector(IDLE, timeout=600_000)
    return round(time.perf_counter() - since, 2)


def main() -> None:
    os.environ["EXPLORER_TOKEN_WORKER"] = "1"
    figures: dict = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = {name: folder / f"{name}.jsonl" for name in ("a", "b", "c-alone", "c")}
        counts = {
            "a": big_file(files["a"], 1),
            "b": big_file(files["b"], 2),
            "c-alone": small_file(files["c-alone"], 3, 200),
            "c": small_file(files["c"], 4, 201),  # another count: the page shows this file's, not the last one's
        }
        figures["file_mb"] = round(files["a"].stat().st_size / 1e6, 1)
        with serve("server.py", 1, folder, pin=False) as cluster, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            a, b, c = (opened(browser, cluster.url) for _ in range(3))
            figures["small_alone_s"] = shown(c, counts["c-alone"], choose(c, files["c-alone"]))
            figures["running_s"] = shown(a, counts["a"], choose(a, files["a"]))
            worker = worker_pid(cluster.app_pids[0])
            os.kill(worker, signal.SIGSTOP)
            try:
                since_b = choose(b, files["b"])
                time.sleep(1)
                figures["small_during_pause_s"] = shown(c, counts["c"], choose(c, files["c"]))
                figures["paused_s"] = shown(b, counts["b"], since_b)
            finally:
                stopped_by_server = not Path(f"/proc/{worker}").exists()
                if not stopped_by_server:
                    os.kill(worker, signal.SIGKILL)
            figures["worker_stopped_by_server"] = stopped_by_server
            browser.close()
    figures["paused_ratio"] = round(figures["paused_s"] / figures["running_s"], 2)
    figures["small_ratio"] = round(figures["small_during_pause_s"] / figures["small_alone_s"], 2)
    print(
        f"{figures['file_mb']} MB: {figures['running_s']} s with the worker running, {figures['paused_s']} s with it "
        f"paused ({figures['paused_ratio']}x); a 201-example upload meanwhile {figures['small_during_pause_s']} s "
        f"({figures['small_ratio']}x its {figures['small_alone_s']} s alone)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
