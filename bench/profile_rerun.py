"""Where a home-page rerun spends its time: cProfile over slider moves run through Streamlit's AppTest.

Each page is opened once, its caches warmed by one pass over the slider, then `--moves` slider moves are profiled.
Printed: ms per move for the home page and the floor page (bench/floor_page.py), the home page's own sections
(the `show_*` functions and the sidebar) by cumulative time, and Streamlit's element calls by cumulative time.
AppTest runs the script in this process without a websocket (the profiler is attached to its script thread), so
the figures are the script's own work; the per-move server CPU with the protocol is bench/capacity.py's. AppTest
compiles the page on every run (a server caches the bytecode): `compile` and `ast` lines are AppTest's, not the
server's. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

PROFILER: dict[str, cProfile.Profile | None] = {"active": None}


def _profiled(run_script):
    """Wrap the script thread's run so the active profiler sees it (cProfile follows only the thread that enables it)."""

    def run(self, rerun_data):
        profiler = PROFILER["active"]
        if profiler is None:
            return run_script(self, rerun_data)
        profiler.enable()
        try:
            return run_script(self, rerun_data)
        finally:
            profiler.disable()

    return run


script_runner.ScriptRunner._run_script = _profiled(script_runner.ScriptRunner._run_script)  # type: ignore[method-assign]

HOME_SECTIONS = (
    "scenario_sidebar",
    "volume_view",
    "volume_analysis",
    "volume_texts",
    "show_numbers",
    "show_charts",
    "volume_page_spec",
    "cumulative_page_spec",
    "show_exports",
    "show_article_table",
    "show_sources",
    "edited_options",
)


def session(script: str) -> tuple[AppTest, list[int]]:
    """An AppTest of `script`, run once, and its slider's options."""
    app = AppTest.from_file(str(ROOT / script), default_timeout=120)
    app.run()
    if app.exception:
        raise RuntimeError(f"{script}: {app.exception[0].message}")
    return app, list(app.select_slider(key="requests_per_day").options)


def move(app: AppTest, options: list, index: int) -> None:
    """Set the volume slider to option `index` and rerun."""
    app.select_slider(key="requests_per_day").set_value(int(options[index])).run()


def walk(count: int, span: int) -> list[int]:
    """`count` slider positions back and forth over the middle of a scale of `span` options."""
    low, high = span // 5, span - span // 5 - 1
    return [low + abs((i % (2 * (high - low))) - (high - low)) for i in range(count)]


def profile(script: str, moves: int) -> tuple[float, pstats.Stats]:
    """Warm `script`, then profile `moves` slider moves; returns ms per move (wall, unprofiled) and the stats."""
    app, options = session(script)
    for index in range(len(options)):
        move(app, options, index)
    positions = walk(moves, len(options))
    start = time.perf_counter()
    for index in positions:
        move(app, options, index)
    per_move = (time.perf_counter() - start) * 1000 / moves
    profiler = PROFILER["active"] = cProfile.Profile()
    for index in positions:
        move(app, options, index)
    PROFILER["active"] = None
    return per_move, pstats.Stats(profiler)


def cumulative_ms(stats: pstats.Stats, moves: int, match) -> dict[str, float]:
    """Cumulative ms per move of the functions whose (file, name) `match` accepts, largest first."""
    rows: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if match(filename, name):
            label = f"{Path(filename).name}:{name}"
            rows[label] = rows.get(label, 0.0) + ct * 1000 / moves
    return dict(sorted(rows.items(), key=lambda item: -item[1]))


def main() -> None:
    """Profile the home page and the floor page; print the sections and Streamlit's element calls."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=40, help="slider moves to time and profile per page (default 40)")
    parser.add_argument("--page", default="streamlit_app.py", help="page to profile (default: the home page)")
    parser.add_argument("--floor", default="bench/floor_page.py", help="floor page (default: one select_slider + one metric)")
    parser.add_argument("--dump", help="also write the home page's profile here (for pstats or snakeviz)")
    args = parser.parse_args()
    home_ms, home = profile(args.page, args.moves)
    if args.dump:
        home.dump_stats(args.dump)
    floor_ms, _ = profile(args.floor, args.moves)
    print(f"script time per move (AppTest, unprofiled): home {home_ms:.1f} ms, floor {floor_ms:.1f} ms")
    sections = cumulative_ms(home, args.moves, lambda f, n: n in HOME_SECTIONS and str(ROOT) in f and ".venv" not in f)
    print("home page sections, cumulative ms per move (profiled, so inflated about 2x):")
    for label, ms in sections.items():
        print(f"  {ms:7.2f}  {label}")
    elements = cumulative_ms(
        home,
        args.moves,
        lambda f, n: "streamlit/elements" in f and not n.startswith("_") and n[0].islower() and "<" not in n,
    )
    top = dict(list(elements.items())[:15])
    print("Streamlit element calls, cumulative ms per move (profiled):")
    for label, ms in top.items():
        print(f"  {ms:7.2f}  {label}")
    print("top functions by own time:")
    home.sort_stats("tottime").print_stats(12)
    figures = {
        "home_ms": round(home_ms, 1),
        "floor_ms": round(floor_ms, 1),
        "sections": {k: round(v, 2) for k, v in sections.items()},
        "elements": {k: round(v, 2) for k, v in top.items()},
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
