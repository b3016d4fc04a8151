"""How many people one server process holds: browserless sessions over Streamlit's websocket protocol.

Each session opens the page as a browser tab does (GET `/`, the websocket `/_stcore/stream`, a `rerun_script`
with the URL's query string and no widget states, waited for until `script_finished`). Then it moves the volume
slider (key `requests_per_day`) at a set pace: a `rerun_script` carrying the slider's new value in
`widget_states` as the frontend sends it, timed until `script_finished`. Sessions start staggered over one pace
period; a session whose move is still running when its next one is due sends it as soon as it finishes, and
the due moves it missed are not made up (so moves/s served falls below offered when the server saturates).

For each level (number of sessions) it prints p50/p95/mean latency, moves/s served vs offered, errors, and the
server's CPU per move (read from /proc for the app processes). It does the same for a floor page
(bench/floor_page.py: one select_slider and one metric) in the same run, then runs the acceptance case (40
sessions x one move per 2 s by default). With --saturate M (default 400 moves/s, above what one process serves
here) 20 and then 80 home sessions share M moves/s offered, so both are saturated: more open sessions must not lower
the served rate. With --processes N the app runs as N processes behind nginx (deploy/nginx, sticky sessions); the
last level is also run on one process to compare, and so is the floor page offered N times the home page's CPU load
(what this machine lets any page gain from N processes while the load generator shares its cores). The N processes are pinned
to a core each, as scripts/serve_many.sh runs them (--no-pin to compare); one process runs unpinned, as
`streamlit run` does. Compare processes at a level that saturates one: `--processes 2 --levels 200 --pace 3`.

The load generator runs in this process, separate from the server's, but on the same cores: its own CPU per move is
printed too, and so are the cores the server used and those every other process on the machine used meanwhile
(a shared machine's other work shows there). The last line of stdout is one JSON object:
{"levels", "home_ms_per_move", "floor_ms_per_move", "ratio", "served_at_max", "offered_at_max", "errors", ...}.
`bench/load.py` measures what a user sees in a browser; this measures what the server can serve.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import Cluster, cpu_seconds, rss_mb, serve, server_errors
from protocol import ProtocolError, Session, run_clients

OPEN_CONCURRENCY = 4
MOVE_TIMEOUT = 30.0
#: A level whose served share of offered moves is below this is saturated: the server could not keep up.
SATURATED = 0.95
#: Sessions that share the saturating load in turn: few people dragging fast, then many, alternated this many times.
SATURATION_SESSIONS = (20, 80)
SATURATION_TURNS = 4


@dataclass
class Level:
    """What one level measured: N sessions moving at `pace` moves per session per second for `duration` s."""

    page: str
    sessions: int
    pace: float
    processes: int
    duration: float
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    offered: int = 0
    errors: int = 0
    seconds: float = 0.0
    server_cpu_ms: float = 0.0
    client_cpu_ms: float = 0.0
    machine_cpu_ms: float = 0.0
    rss_mb: float = 0.0

    @property
    def served(self) -> int:
        """Moves completed."""
        return len(self.latencies_ms)

    def summary(self) -> dict[str, float | int | str]:
        """The figures printed and put in the JSON line."""
        lat = sorted(self.latencies_ms) or [math.nan]
        served = max(self.served, 1)
        wall = max(self.seconds, 1e-9)
        return {
            "page": self.page,
            "sessions": self.sessions,
            "pace": self.pace,
            "processes": self.processes,
            "p50_ms": round(percentile(lat, 50), 1),
            "p95_ms": round(percentile(lat, 95), 1),
            "mean_ms": round(statistics.fmean(lat), 1),
            "offered_per_s": round(self.sessions * self.pace, 2),
            "served_per_s": round(self.served / max(self.seconds, self.duration), 2),
            "served_fraction": round(self.served / max(self.seconds, self.duration) / (self.sessions * self.pace), 3),
            "moves": self.served,
            "errors": self.errors,
            "server_cpu_ms_per_move": round(self.server_cpu_ms / served, 1),
            "client_cpu_ms_per_move": round(self.client_cpu_ms / served, 1),
            "server_rss_mb": round(self.rss_mb, 1),
            "server_cores": round(self.server_cpu_ms / 1000 / wall, 2),
            "other_cores": round(max(0.0, self.machine_cpu_ms - self.server_cpu_ms - self.client_cpu_ms) / 1000 / wall, 2),
        }


def combined(levels: list[Level]) -> Level:
    """One level from several runs of the same sessions and pace: their moves, errors, time and CPU added up."""
    first = levels[0]
    total = Level(first.page, first.sessions, first.pace, first.processes, sum(level.duration for level in levels))
    for level in levels:
        total.latencies_ms += level.latencies_ms
        total.offered += level.offered
        total.errors += level.errors
        total.seconds += level.seconds
        total.server_cpu_ms += level.server_cpu_ms
        total.client_cpu_ms += level.client_cpu_ms
        total.machine_cpu_ms += level.machine_cpu_ms
        total.rss_mb = max(total.rss_mb, level.rss_mb)
    return total


def percentile(ordered: list[float], q: float) -> float:
    """The q-th percentile (0-100) of sorted values, by linear interpolation."""
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def machine_busy_seconds() -> float:
    """CPU time every process on this machine has used so far (all cores, from /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Walker:
    """A session's slider positions: back and forth over the middle of the scale, each session from its own start."""

    def __init__(self, start: int, low: int, high: int) -> None:
        self.index, self.low, self.high, self.step = start, low, high, 1

    def next(self) -> int:
        """The next option index to move to."""
        if not self.low <= self.index + self.step <= self.high:
            self.step = -self.step
        self.index += self.step
        return self.index


class Load:
    """A pool of open sessions against one URL, grown level by level; idle sessions stay connected."""

    def __init__(self, cluster: Cluster, page: str, processes: int) -> None:
        self.cluster, self.page, self.processes = cluster, page, processes
        self.sessions: list[Session] = []
        self.walkers: list[Walker] = []
        self.open_errors = 0

    async def warm(self) -> None:
        """One session visits every slider position once, so every level sees warm caches (not counted)."""
        session = Session(self.cluster.url, timeout=120)
        await session.open()
        if session.slider is None:
            raise ProtocolError(f"{self.page}: no slider with key requests_per_day")
        for index in range(len(session.slider.options)):
            await session.move(index)
        await session.close()

    async def grow(self, count: int) -> None:
        """Open sessions until `count` are open, a few at a time."""
        gate = asyncio.Semaphore(OPEN_CONCURRENCY)

        async def open_one() -> Session | None:
            async with gate:
                session = Session(self.cluster.url, timeout=120)
                try:
                    run = await session.open()
                except (ProtocolError, OSError, TimeoutError):
                    self.open_errors += 1
                    return None
                self.open_errors += len(run.errors)
                return session if session.slider is not None else None

        opened = await asyncio.gather(*(open_one() for _ in range(count - len(self.sessions))))
        for session in opened:
            if session is not None and session.slider is not None:
                span = len(session.slider.options)
                low, high = span // 5, span - span // 5 - 1
                self.walkers.append(Walker(low + len(self.sessions) % (high - low), low, high))
                self.sessions.append(session)

    async def drive(self, count: int, pace: float, duration: float) -> Level:
        """The first `count` sessions move at `pace` for `duration` seconds; returns what was measured."""
        level = Level(self.page, count, pace, self.processes, duration)
        if len(self.sessions) < count:
            level.errors += count - len(self.sessions)
        active = list(zip(self.sessions[:count], self.walkers[:count], strict=True))
        period = 1 / pace
        clock = time.monotonic  # not loop.time(): uvloop's is cached per loop iteration, so it can read behind
        start = clock() + 0.2
        end = start + duration

        async def one(position: int, session: Session, walker: Walker) -> None:
            slot = start + period * position / len(active)
            while slot < end:
                now = clock()
                if now < slot:
                    await asyncio.sleep(slot - now)
                sent = clock()
                try:
                    run = await asyncio.wait_for(session.move(walker.next()), MOVE_TIMEOUT)
                except (ProtocolError, OSError, TimeoutError):
                    level.errors += 1
                    return
                level.errors += len(run.errors)
                if not run.errors:
                    level.latencies_ms.append(run.seconds * 1000)
                slot += period * max(1, math.floor((sent - slot) / period) + 1)  # never the same slot twice

        for position in range(len(active)):
            first = start + period * position / len(active)
            level.offered += max(0, math.ceil((end - first) / period))
        await asyncio.sleep(max(0.0, start - clock()))
        server_cpu, client_cpu, machine_cpu = self._server_cpu(), time.process_time(), machine_busy_seconds()
        began = time.perf_counter()
        await asyncio.gather(*(one(i, s, w) for i, (s, w) in enumerate(active)))
        level.seconds = time.perf_counter() - began
        level.server_cpu_ms = (self._server_cpu() - server_cpu) * 1000
        level.client_cpu_ms = (time.process_time() - client_cpu) * 1000
        level.machine_cpu_ms = (machine_busy_seconds() - machine_cpu) * 1000
        level.rss_mb = sum(rss_mb(pid) for pid in self.cluster.app_pids)
        return level

    def _server_cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.cluster.app_pids)

    async def close(self) -> None:
        """Close every session."""
        await asyncio.gather(*(session.close() for session in self.sessions), return_exceptions=True)


def print_level(level: Level) -> None:
    """One line per level."""
    s = level.summary()
    print(
        f"{s['page']:>5} x{s['processes']} {s['sessions']:>3} sessions @ {s['pace']:g}/s: "
        f"p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, mean {s['mean_ms']:.0f} ms | "
        f"served {s['served_per_s']:.1f}/s of {s['offered_per_s']:.1f}/s offered ({s['served_fraction']:.0%}) | "
        f"errors {s['errors']} | server CPU {s['server_cpu_ms_per_move']:.1f} ms/move, "
        f"load generator {s['client_cpu_ms_per_move']:.1f} ms/move | server RSS {s['server_rss_mb']:.0f} MB | "
        f"cores busy: server {s['server_cores']:.2f}, other processes {s['other_cores']:.2f}",
        flush=True,
    )


async def measure(
    cluster: Cluster,
    page: str,
    processes: int,
    levels: list[int],
    pace: float,
    duration: float,
    check: tuple[int, float] | None,
    saturate: float = 0.0,
) -> tuple[list[Level], Level | None, list[Level], int]:
    """Every level in increasing order (sessions opened as needed), plus the acceptance case when it is reached.

    With `saturate` (moves/s offered in all), 20 and then 80 sessions share that offered load, so each session moves
    faster than once a second and the server is saturated both times: what more open sessions cost at capacity.
    """
    load = Load(cluster, page, processes)
    await load.warm()
    results, checked = [], None
    targets = sorted(set(levels) | ({check[0]} if check else set()))
    for target in targets:
        await load.grow(target)
        if target in levels:
            results.append(await load.drive(target, pace, duration))
            print_level(results[-1])
        if check and target == check[0]:
            checked = await load.drive(check[0], check[1], duration)
            print_level(checked)
    saturated = []
    if saturate:
        await load.grow(max(SATURATION_SESSIONS))
        runs: dict[int, list[Level]] = {sessions: [] for sessions in SATURATION_SESSIONS}
        for turn in range(SATURATION_TURNS):  # alternated, so a drift of the machine's speed affects both alike
            for sessions in SATURATION_SESSIONS if turn % 2 == 0 else SATURATION_SESSIONS[::-1]:
                runs[sessions].append(await load.drive(sessions, saturate / sessions, duration / SATURATION_TURNS))
        saturated = [combined(runs[sessions]) for sessions in SATURATION_SESSIONS]
        for level in saturated:
            print_level(level)
    await load.close()
    return results, checked, saturated, load.open_errors


def run_page(
    script: str, page: str, processes: int, levels: list[int], args: argparse.Namespace, logs: Path, saturate: float = 0.0
) -> tuple[list[Level], Level | None, list[Level], int]:
    """Serve `script`, measure it, and count server-side errors in its logs."""
    check = (args.check_sessions, args.check_pace) if args.check_sessions else None
    with serve(script, processes, logs, pin=not args.no_pin) as cluster:
        levels_run, checked, saturated, errors = run_clients(
            measure(cluster, page, processes, levels, args.pace, args.duration, check, saturate)
        )
        log_errors = sum(server_errors(log) for log in cluster.logs if log.suffix == ".log" and "nginx" not in str(log))
    if errors or log_errors:
        print(f"{page}: {errors} errors opening sessions, {log_errors} tracebacks/errors in the server logs", flush=True)
    return levels_run, checked, saturated, errors + log_errors


def cpu_per_move(levels: list[Level]) -> float:
    """Server CPU per move over all levels of a page."""
    moves = sum(level.served for level in levels)
    return sum(level.server_cpu_ms for level in levels) / moves if moves else math.nan


def floor_scaling(args: argparse.Namespace, sessions: int, pace: float, logs: Path) -> tuple[tuple[Level, Level], int]:
    """The floor page at `sessions` x `pace` on N processes and on one: how far this machine lets any page scale."""
    quiet = argparse.Namespace(**{**vars(args), "check_sessions": 0, "pace": pace})
    many, _, _, many_errors = run_page(args.floor, "floor", args.processes, [sessions], quiet, logs)
    one, _, _, one_errors = run_page(args.floor, "floor", 1, [sessions], quiet, logs)
    return (many[0], one[0]), many_errors + one_errors


def main() -> None:
    """Run the home page and the floor page at every level, the acceptance case, and (N > 1) one process vs N."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,10,20,40,80", help="session counts, comma-separated (default 1,10,20,40,80)")
    parser.add_argument("--pace", type=float, default=1.0, help="moves per session per second (default 1: saturation)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds each level moves (default 10)")
    parser.add_argument("--page", default="server.py", help="app to serve (default server.py: the explorer, home page first)")
    parser.add_argument("--floor", default="bench/floor_page.py", help="floor page (default: one select_slider + one metric)")
    parser.add_argument("--processes", type=int, default=1, help="app processes behind nginx (default 1: no proxy)")
    parser.add_argument(
        "--no-pin", action="store_true", help="leave N > 1 app processes unpinned (default: one core each, as deployed)"
    )
    parser.add_argument("--check-sessions", type=int, default=40, help="acceptance case: sessions (0 skips it)")
    parser.add_argument("--check-pace", type=float, default=0.5, help="acceptance case: moves per session per second")
    parser.add_argument(
        "--saturate",
        type=float,
        default=400.0,
        help="moves/s offered in all to 20 and then 80 home sessions, above what one process serves (0 skips it)",
    )
    args = parser.parse_args()
    levels = sorted({int(n) for n in args.levels.split(",") if n.strip()})
    print(f"{os.cpu_count()} cores; load generator pid {os.getpid()} (a separate process from the server's)", flush=True)
    with tempfile.TemporaryDirectory(prefix="capacity-") as tmp:
        logs = Path(tmp)
        home, check, saturated, home_errors = run_page(args.page, "home", args.processes, levels, args, logs, args.saturate)
        floor, floor_check, _, floor_errors = run_page(args.floor, "floor", args.processes, levels, args, logs)
        single = floor_pair = None
        home_ms, floor_ms = cpu_per_move(home), cpu_per_move(floor)
        if args.processes > 1:
            no_check = argparse.Namespace(**{**vars(args), "check_sessions": 0})
            single_levels, _, _, single_errors = run_page(args.page, "home", 1, [levels[-1]], no_check, logs)
            single = single_levels[0]
            home_errors += single_errors
            floor_pair, pair_errors = floor_scaling(args, levels[-1], args.pace * args.processes * home_ms / floor_ms, logs)
            floor_errors += pair_errors
    top = home[-1].summary()
    extra = [level for level in (check, floor_check, single, *saturated, *(floor_pair or ())) if level is not None]
    errors = home_errors + floor_errors + sum(level.errors for level in [*home, *floor, *extra])
    by_sessions = {level.sessions: level.summary() for level in home}
    figures: dict[str, object] = {
        "levels": levels,
        "pace": args.pace,
        "processes": args.processes,
        "home_ms_per_move": round(home_ms, 1),
        "floor_ms_per_move": round(floor_ms, 1),
        "ratio": round(home_ms / floor_ms, 2),
        "served_at_max": top["served_per_s"],
        "offered_at_max": top["offered_per_s"],
        "errors": errors,
    }
    print(f"home server CPU per move {home_ms:.1f} ms vs floor {floor_ms:.1f} ms: ratio {figures['ratio']} (target <= 2)")
    if check is not None:
        c = check.summary()
        figures["check"] = {k: c[k] for k in ("sessions", "pace", "p95_ms", "served_fraction", "errors")}
        print(
            f"acceptance, {c['sessions']} sessions x {c['pace']:g}/s: p95 {c['p95_ms']:.0f} ms (target <= 250), "
            f"served {c['served_fraction']:.0%} (target >= 95%), errors {c['errors']} (target 0)"
        )
    if 20 in by_sessions and 80 in by_sessions:
        kept = by_sessions[80]["served_per_s"] / max(by_sessions[20]["served_per_s"], 1e-9)
        figures["served_80_vs_20"] = round(kept, 2)
        print(f"served at 80 sessions / served at 20: {kept:.2f} (target >= 0.9)")
    if len(saturated) == len(SATURATION_SESSIONS):
        few, many = (level.summary() for level in saturated)
        figures["saturated"] = {
            "offered_per_s": args.saturate,
            "served_20": few["served_per_s"],
            "served_80": many["served_per_s"],
            "served_80_vs_20": round(float(many["served_per_s"]) / max(float(few["served_per_s"]), 1e-9), 2),
        }
        print(
            f"at saturation ({args.saturate:g} moves/s offered): 80 sessions served {many['served_per_s']:.1f}/s, "
            f"20 sessions {few['served_per_s']:.1f}/s: {figures['saturated']['served_80_vs_20']} (target >= 0.9)"
        )
    peak = max(float(level.summary()["served_per_s"]) for level in home)
    figures["served_max_vs_peak"] = round(float(top["served_per_s"]) / peak, 2)
    print(f"served at {levels[-1]} sessions / best served at any level: {figures['served_max_vs_peak']} (idle-cost check)")
    if single is not None:
        one = single.summary()
        figures["served_at_max_1_process"] = one["served_per_s"]
        figures["scaling"] = round(float(top["served_per_s"]) / max(float(one["served_per_s"]), 1e-9), 2)
        figures["one_process_saturated"] = float(one["served_fraction"]) < SATURATED
        print(f"{args.processes} processes serve {figures['scaling']}x one process at {levels[-1]} sessions (target >= 1.6)")
        if floor_pair is not None:
            many, one_floor = (level.summary() for level in floor_pair)
            figures["floor_scaling"] = round(float(many["served_per_s"]) / max(float(one_floor["served_per_s"]), 1e-9), 2)
            print(
                f"  the floor page, offered {args.processes}x the CPU load ({many['pace']:.1f} moves/s per session): "
                f"{args.processes} processes serve {figures['floor_scaling']}x one: what this machine gives any page, "
                "with the load generator and nginx on the same cores"
                + ("" if float(many["served_fraction"]) < SATURATED else " (a lower bound: the N processes kept up)")
            )
        if not figures["one_process_saturated"]:
            print(
                f"  one process served {float(one['served_fraction']):.0%} of what was offered: it was not saturated, so "
                "this compares offered load, not capacity; raise --levels (600 sessions saturate one process here)"
            )
    figures["home"] = [level.summary() for level in home]
    figures["floor"] = [level.summary() for level in floor]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
