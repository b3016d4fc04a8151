"""Server CPU per slider move of two servers measured in one run, alternating short bursts (an A/B comparison).

Both servers run at once; the same number of protocol-level sessions (bench/protocol.py) move each server's volume
slider once a second, in bursts that alternate A, B, B, A, ... so a drift of the machine's speed (other work on a
shared host, frequency changes) affects both alike. Used to measure one cut at a time, e.g. the home page against
the floor page, or the home page with and without a package: `--env-b PYTHONPATH=/dir/that/shadows/it`. Prints
each server's CPU per move and the ratio; the last line of stdout is one JSON object {"a_ms_per_move",
"b_ms_per_move", "ratio", "moves_a", "moves_b", "errors"}. Server-side figures, not what a browser shows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from capacity import Load, combined, print_level
from cluster import Cluster, serve
from protocol import run_clients


async def compare(server_a: Cluster, server_b: Cluster, args: argparse.Namespace) -> dict:
    """Warm both servers, open the sessions, alternate bursts; the figures of each."""
    loads = {"A": Load(server_a, "A", 1), "B": Load(server_b, "B", 1)}
    for load in loads.values():
        await load.warm()
        await load.grow(args.sessions)
    runs: dict[str, list] = {"A": [], "B": []}
    for burst in range(args.bursts):
        for name in ("A", "B") if burst % 2 == 0 else ("B", "A"):
            runs[name].append(await loads[name].drive(args.sessions, 1.0, args.seconds))
    for load in loads.values():
        await load.close()
    a, b = combined(runs["A"]), combined(runs["B"])
    print_level(a)
    print_level(b)
    a_ms, b_ms = a.server_cpu_ms / max(a.served, 1), b.server_cpu_ms / max(b.served, 1)
    errors = a.errors + b.errors + loads["A"].open_errors + loads["B"].open_errors
    return {"a_ms_per_move": round(a_ms, 2), "b_ms_per_move": round(b_ms, 2), "ratio": round(a_ms / b_ms, 2),
            "moves_a": a.served, "moves_b": b.served, "errors": errors}  # fmt: skip


def main() -> None:
    """Serve both pages, compare them, print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", default="server.py", help="server A's script (default: the explorer)")
    parser.add_argument("--b", default="bench/floor_page.py", help="server B's script (default: the floor page)")
    parser.add_argument("--env-b", default="", help="NAME=VALUE set for server B only")
    parser.add_argument("--sessions", type=int, default=20, help="sessions per server (default 20)")
    parser.add_argument("--bursts", type=int, default=6, help="bursts per server (default 6)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per burst (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as logs, serve(args.a, 1, Path(logs)) as server_a:
        if args.env_b:  # the environment server B starts with (server A has started already)
            name, _, value = args.env_b.partition("=")
            os.environ[name] = value
        with serve(args.b, 1, Path(logs)) as server_b:
            figures = run_clients(compare(server_a, server_b, args))
    print(f"A {args.a}: {figures['a_ms_per_move']} ms/move; B {args.b} {args.env_b}: {figures['b_ms_per_move']} ms/move")
    print(f"A/B {figures['ratio']}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
