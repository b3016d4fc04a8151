"""Server memory after five crafted 42 MB training files, each uploaded in its own browser session that stays open.

Each file has 450,000 JSONL lines that each carry a key (three files) or a role (two files) no other line has: the
shape that made one upload keep ~140 MB before reports were counted by what they hold. The app process
(server.py) is measured from /proc, alone and with the processes it started (the token worker, which the page starts
as it loads: calc/inputs/token_worker.py): resident memory after start-up, with the page opened once (its modules, tokenizer
and sample loaded: the baseline, in the same run), after each upload's analysis is shown, and settled at the end.
Chromium (Debian's) drives the uploads; the sessions stay open, so their uploaded files stay in the server's memory
too (Streamlit keeps them).

Run with the test environment: `.venv/bin/python bench/upload_memory.py` (several minutes); `--cold` skips the first
visit, so the first upload also pays for loading the page (page open = start). The last line of stdout is
one JSON object: {"rss_start_mb", "rss_page_open_mb", "rss_after_mb": [...], "rss_settled_mb", "added_mb" (settled minus
page open), "tree_page_open_mb", "worker_page_open_mb", "tree_settled_mb", "tree_added_mb" (the same with the worker),
"kept_uploads_mb", "peak_mb", "file_mb", "seconds"}.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from bench.cluster import rss_mb, serve
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE

LINES = 450_000


def crafted(path: Path, seed: int, variety: str, lines: int = LINES) -> None:
    """A JSONL file whose every line has a key ("key") or a role ("role") of its own."""
    with path.open("w") as handle:
        for i in range(lines):
            own_key = f'"content":"#{i}","k{i}":{seed}'
            user = "{" + ('"role":"user",' + (own_key if variety == "key" else f'"content":"Ticket {i}"')) + "}"
            role = "assistant" if variety == "key" else f"r{seed}_{i}"
            answer = "ok" if variety == "key" else "late"
            handle.write(f'{{"messages":[{user},{{"role":"{role}","content":"{answer}"}}]}}\n')


def descendants(pid: int) -> list[int]:
    """The processes started by `pid` and by them (the token worker), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def tree_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants in MB (shared pages counted in each)."""
    total = rss_mb(pid)
    for child in descendants(pid):
        try:
            total += rss_mb(child)
        except OSError:
            continue
    return total


def peak_mb(pid: int) -> float:
    """The process's resident high-water mark in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5, help="crafted uploads, one session each (default 5)")
    parser.add_argument("--lines", type=int, default=LINES, help=f"lines per file (default {LINES:,})")
    parser.add_argument(
        "--cold", action="store_true", help="no visit before the uploads: the baseline is the server just started"
    )
    args = parser.parse_args()
    figures: dict = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = []
        for index in range(args.files):
            path = folder / f"crafted-{index}.jsonl"
            crafted(path, index, "key" if index % 2 == 0 else "role", args.lines)
            paths.append(path)
        figures["file_mb"] = [round(p.stat().st_size / 1e6, 1) for p in paths]
        with serve("server.py", 1, folder) as cluster, sync_playwright() as playwright:
            pid = cluster.app_pids[0]
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            time.sleep(5)  # the warm-up thread
            figures["rss_start_mb"] = round(rss_mb(pid), 1)
            if not args.cold:  # the page once, with its sample: its modules, tokenizer and token worker loaded
                first = browser.new_context().new_page()
                first.goto(f"{cluster.url}/Training_data")
                first.wait_for_selector(IDLE, timeout=120_000)
                first.get_by_text("Train / eval split").wait_for(timeout=120_000)
                time.sleep(2)
            figures["rss_page_open_mb"] = round(rss_mb(pid), 1)
            figures["tree_page_open_mb"] = round(tree_mb(pid), 1)
            figures["worker_page_open_mb"] = round(figures["tree_page_open_mb"] - figures["rss_page_open_mb"], 1)
            figures["rss_after_mb"], seconds, pages = [], [], []
            for path in paths:
                page = browser.new_context().new_page()
                pages.append(page)  # the session stays open, with its upload
                page.goto(f"{cluster.url}/Training_data")
                page.wait_for_selector(IDLE, timeout=120_000)
                start = time.perf_counter()
                page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
                shown = re.compile(rf"^Examples\s*{args.lines:,}")  # this file's analysis, not the sample's before it
                page.locator("[data-testid='stMetric']").filter(has_text=shown).wait_for(timeout=600_000)
                page.wait_for_selector(IDLE, timeout=600_000)
                seconds.append(round(time.perf_counter() - start, 1))
                figures["rss_after_mb"].append(round(rss_mb(pid), 1))
                print(f"{path.name}: shown after {seconds[-1]} s; server RSS {figures['rss_after_mb'][-1]} MB", flush=True)
            time.sleep(10)
            figures["rss_settled_mb"] = round(rss_mb(pid), 1)
            figures["tree_settled_mb"] = round(tree_mb(pid), 1)
            figures["peak_mb"] = round(peak_mb(pid), 1)
            figures["seconds"] = seconds
            browser.close()
    figures["added_mb"] = round(figures["rss_settled_mb"] - figures["rss_page_open_mb"], 1)
    figures["tree_added_mb"] = round(figures["tree_settled_mb"] - figures["tree_page_open_mb"], 1)
    figures["kept_uploads_mb"] = round(sum(figures["file_mb"]), 1)
    baseline = "(cold: no visit first)" if args.cold else "with the page open once"
    print(
        f"{args.files} crafted uploads ({', '.join(map(str, figures['file_mb']))} MB): server RSS {figures['rss_start_mb']} MB "
        f"at start, {figures['rss_page_open_mb']} MB {baseline} -> {figures['rss_settled_mb']} MB settled "
        f"(+{figures['added_mb']} MB; target < 300; the open sessions' files, which Streamlit keeps, are "
        f"{figures['kept_uploads_mb']} MB of it), peak {figures['peak_mb']} MB"
    )
    print(
        f"with the processes it started (the token worker, {figures['worker_page_open_mb']} MB when the page opened): "
        f"{figures['tree_page_open_mb']} -> {figures['tree_settled_mb']} MB (+{figures['tree_added_mb']} MB)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
