"""Every route ranked, against one pair's `summarize`, measured in the same run (Python, no server, no browser).

- `pair_ms`: one pair's `summarize` (prompting route + fine-tuning route priced, savings, breakeven);
- `routes_ms`: every route for the same scenario priced and ranked at its volume (`price_routes(...).at(volume)`);
- `ratio` = routes_ms / pair_ms (target <= 10 for ~40 routes: one route costs no more than a quarter of a pair);
- `envelope_ms`: the cheapest route at each of the 241 volumes of the chart, from the priced routes (target <= 50);
- `rank_ms`: re-ranking the priced routes at a new volume (what a slider move costs the All routes page);
- `quality_rank_ms`: the same re-rank with quality beside cost (each route's quality, its wrong answers at an error
  cost, sorted by total cost: `with_quality`, the qualities derived once per scenario as the page keeps them), and
  `quality_ratio` = quality_rank_ms / rank_ms (target <= 1.3);
- `verdict_ms`: the pair's verdict (summarize + decide), recomputed on every volume move where it is shown.

Each round uses a scenario not seen before (the few-shot example count and output length vary) and clears the
per-usage caches (genai-prices' per-request result, GPU throughput at a prompt length) before timing, so nothing is
reused that a new link would not reuse. The catalogue itself (tables, models resolved for the date) stays loaded, as
in a running server. The last line printed is a JSON object of the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calc.costs.pair import resolve_pair, summarize, volume_grid
from calc.costs.ranking import cheapest_by_volume, price_routes
from calc.costs.requests import model_request_usd
from calc.costs.serving import tokens_per_gpu_second
from calc.scenario import Scenario
from calc.verdict.quality import pair_verdict, route_qualities
from calc.verdict.ranked import with_quality

ON = dt.date(2026, 12, 3)


def _cold() -> None:
    model_request_usd.cache_clear()
    tokens_per_gpu_second.cache_clear()


def _timed(call) -> float:
    _cold()
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def scenarios(rounds: int) -> list[Scenario]:
    """Distinct scenarios: examples 1..20 and output lengths 20..400 combined, each a new usage for every route."""
    base = Scenario()
    return [replace(base, examples=1 + i % 20, output_tokens=20 + 13 * (i // 20), error_cost=0.05) for i in range(rounds)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="distinct scenarios timed (default 200)")
    args = parser.parse_args()
    grid = volume_grid(10, 1_000_000, 241)
    warm = Scenario()
    price_routes(warm, ON).at(warm.requests_per_day)  # load tables and resolve the catalogue's models once
    pair_ms, routes_ms, envelope_ms, rank_ms, quality_ms, verdict_ms = [], [], [], [], [], []
    for scenario in scenarios(args.rounds):
        pair = resolve_pair(scenario, None, ON)
        pair_ms.append(_timed(lambda s=scenario, p=pair: summarize(s, p)))
        routes_ms.append(_timed(lambda s=scenario: price_routes(s, ON).at(s.requests_per_day)))
        priced = price_routes(scenario, ON)
        envelope_ms.append(_timed(lambda p=priced: cheapest_by_volume(p, grid, 6, 10_000)))
        rank_ms.append(_timed(lambda p=priced: p.at(123_456)))
        qualities = route_qualities(priced, None)
        verdict = pair_verdict(scenario, pair, summarize(scenario, pair))
        quality_ms.append(_timed(lambda p=priced, q=qualities, v=verdict: with_quality(p.at(123_456), q, v, "total")))
        verdict_ms.append(_timed(lambda s=scenario, p=pair: pair_verdict(s, p, summarize(s, p))))
    n = len(price_routes(warm, ON).routes)
    figures = {
        "routes": n,
        "routes_ms": round(statistics.median(routes_ms), 3),
        "pair_ms": round(statistics.median(pair_ms), 3),
        "ratio": round(statistics.median(routes_ms) / statistics.median(pair_ms), 2),
        "envelope_ms": round(statistics.median(envelope_ms), 3),
        "rank_ms": round(statistics.median(rank_ms), 3),
        "quality_rank_ms": round(statistics.median(quality_ms), 3),
        "quality_ratio": round(statistics.median(quality_ms) / statistics.median(rank_ms), 2),
        "verdict_ms": round(statistics.median(verdict_ms), 3),
    }
    print(f"{n} routes over {args.rounds} new scenarios (medians, Python in one process, per-usage caches cleared):")
    print(f"  one pair's summarize       {figures['pair_ms']:8.3f} ms")
    print(f"  every route priced, ranked {figures['routes_ms']:8.3f} ms   ratio {figures['ratio']} (target <= 10)")
    print(f"  cheapest envelope, 241 pts {figures['envelope_ms']:8.3f} ms   (target <= 50)")
    print(f"  re-rank at a new volume    {figures['rank_ms']:8.3f} ms")
    print(f"  ... with quality, by total {figures['quality_rank_ms']:8.3f} ms   ratio {figures['quality_ratio']} (target <= 1.3)")
    print(f"  the pair's verdict         {figures['verdict_ms']:8.3f} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
