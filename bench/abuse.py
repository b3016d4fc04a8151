"""Memory and time under abuse: a thousand distinct scenario links, and hostile training files.

Server side, at the protocol level (bench/protocol.py, no browser): the app process's resident memory after it
starts, after `--links` sessions each opened with its own scenario link (four at a time, each closed after its
first run), and again after the sessions are gone. The links differ in volume, examples, tokens and the pair, so
each one computes and keeps its own analysis (bounded in bytes by ui/analysis.py's store). The time of a home-page
run after the links are in is compared with one before them: a cache the per-rerun work walks would show there.

Model side, in a fresh child process per file (so peak memory is the file's own): time and peak resident memory of
the Training data page's analysis (calc.inputs.dataset) for hostile files next to the shipped sample, the baseline measured
in the same run: a 49 MB single line, 9,000 lines with a 5,000-digit integer each (45 MB), a CSV with a 9-million-character
cell, and 40 MB of Latin-1 text.

Run with the test environment: `.venv/bin/python bench/abuse.py` (about 2 minutes). The last line of stdout is one
JSON object: {"links", "errors", "rss_start_mb", "rss_after_links_mb", "rss_settled_mb", "run_ms_before",
"run_ms_after", "uploads": {name: {"seconds", "peak_mb", "bad_lines"}}, "baseline": {...}}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cluster import ROOT, rss_mb, serve
from bench.protocol import ProtocolError, Session

PROMPT_MODELS = ("openai:gpt-6-luna", "anthropic:claude-haiku-5-5", "google:gemini-3.1-flash-lite", "openai:gpt-4.1-mini")
OPTIONS = ("azure-gpt-4.1-mini", "bedrock-nova-micro", "together-lora-up-to-16b", "openai-gpt-4o-mini")
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from calc.inputs.dataset import DatasetReport, analyze_jsonl, analyze_records, csv_records
data = open({path!r}, "rb").read()
start = time.perf_counter()
if {csv!r}:
    report = DatasetReport()
    report = analyze_records(csv_records(data, "input", "output", None, report=report), report, max_tokens_per_example=16385)
else:
    report = analyze_jsonl(data, max_tokens_per_example=16385)
seconds = time.perf_counter() - start
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak = int(status.split()[0]) / 1024  # this process image's high-water mark (ru_maxrss would include the parent's)
print(json.dumps({{"seconds": round(seconds, 2), "peak_mb": round(peak, 1), "bad_lines": len(report.errors)}}))
"""


def distinct_links(count: int, seed: int = 20261129) -> list[str]:
    """`count` different scenario query strings, as people would share them."""
    rng = random.Random(seed)
    links = set()
    while len(links) < count:
        params = {
            "requests_per_day": rng.choice((100, 1_000, 5_000, 10_000, 50_000, 250_000)),
            "examples": rng.randint(0, 50),
            "tokens_per_example": rng.randint(20, 2_000),
            "output_tokens": rng.randint(0, 2_000),
            "prompt_model": rng.choice(PROMPT_MODELS),
            "option": rng.choice(OPTIONS),
        }
        links.add(urllib.parse.urlencode(params))
    return sorted(links)


async def open_links(url: str, links: list[str], concurrency: int) -> int:
    """Open every link as a new session (a few at a time) and close it after its first run; returns the errors."""
    queue = list(links)
    errors = 0

    async def worker() -> None:
        nonlocal errors
        while queue:
            query = queue.pop()
            session = Session(url, query)
            try:
                run = await session.open()
                errors += len(run.errors)
            except (ProtocolError, OSError, TimeoutError):
                errors += 1
            finally:
                await session.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return errors


async def home_run_ms(url: str, runs: int = 15) -> float:
    """Median time of a fresh session's first home-page run (default scenario), in milliseconds."""
    times = []
    for _ in range(runs):
        session = Session(url)
        try:
            times.append((await session.open()).seconds * 1000)
        finally:
            await session.close()
    return statistics.median(times)


def hostile_files(folder: Path) -> dict[str, tuple[Path, bool]]:
    """The files to analyse: name -> (path, is CSV). The shipped sample is the baseline."""
    line = json.dumps({"messages": [{"role": "user", "content": "x" * (49 * 1024 * 1024)}]})
    files = {
        "baseline: shipped sample (109 examples)": (ROOT / "data" / "sample_training.jsonl", False),
        "49 MB single line": (folder / "single.jsonl", False),
        "9,000 lines with a 5,000-digit integer (45 MB)": (folder / "digits.jsonl", False),
        "CSV with a 9-million-character cell": (folder / "cell.csv", True),
        "40 MB of Latin-1 text": (folder / "latin1.jsonl", False),
    }
    (folder / "single.jsonl").write_text(line)
    digits = json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}], "n": 0})
    (folder / "digits.jsonl").write_text("\n".join(digits.replace('"n": 0', '"n": ' + "9" * 5_000) for _ in range(9_000)))
    (folder / "cell.csv").write_text('input,output\n"' + "y" * 9_000_000 + '",ok\n')
    (folder / "latin1.jsonl").write_bytes(("caf\xe9 " * 8_000_000).encode("latin-1"))
    return files


def analyse_in_child(path: Path, csv: bool) -> dict:
    """Time and peak memory of analysing one file in a fresh Python process."""
    code = CHILD.format(root=str(ROOT), path=str(path), csv=csv)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=ROOT)
    if done.returncode != 0:
        return {"seconds": None, "peak_mb": None, "bad_lines": None, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Run both halves and print the figures, then one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1_000, help="distinct scenario links to open (default 1,000)")
    parser.add_argument("--concurrency", type=int, default=4, help="sessions open at once (default 4)")
    args = parser.parse_args()
    figures: dict = {"links": args.links}
    with tempfile.TemporaryDirectory() as scratch, serve("server.py", 1, Path(scratch)) as cluster:
        pid = cluster.app_pids[0]
        time.sleep(3)  # the warm-up thread
        figures["run_ms_before"] = round(asyncio.run(home_run_ms(cluster.url)), 1)
        figures["rss_start_mb"] = round(rss_mb(pid), 1)
        start = time.perf_counter()
        figures["errors"] = asyncio.run(open_links(cluster.url, distinct_links(args.links), args.concurrency))
        seconds = time.perf_counter() - start
        figures["rss_after_links_mb"] = round(rss_mb(pid), 1)
        time.sleep(5)
        figures["rss_settled_mb"] = round(rss_mb(pid), 1)
        figures["run_ms_after"] = round(asyncio.run(home_run_ms(cluster.url)), 1)
    print(
        f"server (protocol-level sessions): {args.links:,} distinct links in {seconds:.0f} s, {figures['errors']} errors; "
        f"RSS {figures['rss_start_mb']} MB at start -> {figures['rss_after_links_mb']} MB after -> "
        f"{figures['rss_settled_mb']} MB settled; a fresh home run {figures['run_ms_before']} ms before, "
        f"{figures['run_ms_after']} ms after (ratio {figures['run_ms_after'] / figures['run_ms_before']:.2f})"
    )
    uploads = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name, (path, csv) in hostile_files(Path(scratch)).items():
            uploads[name] = analyse_in_child(path, csv)
            print(f"model (child process): {name}: {uploads[name]}")
    baseline_name = next(iter(uploads))
    figures["baseline"] = uploads.pop(baseline_name)
    figures["uploads"] = uploads
    worst = max((u["peak_mb"] or 0) for u in uploads.values())
    print(f"worst hostile peak {worst} MB vs the sample's {figures['baseline']['peak_mb']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
