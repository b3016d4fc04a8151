"""An eval results file of 100,000 rows analysed: read, checked and reported (per-route accuracy with Wilson intervals,
the paired comparison with the exact McNemar test, sample-size advice), against reading the same CSV with pandas alone
in the same run (Python, one process, no server).

- `floor_ms`: `pandas.read_csv` of the file into a frame (the least any analysis does);
- `eval_ms`: `calc.evaluate` on the same bytes (target <= 1,000 ms), for CSV and for JSONL;
- `ratio` = eval_ms / floor_ms for the CSV.

Two routes score 50,000 shared examples each (seeded). Three runs each; the medians are reported. The last line printed
is a JSON object of the figures.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calc import evaluate

ROWS = 100_000


def files() -> tuple[bytes, bytes]:
    """The same 100,000 rows as CSV and as JSONL."""
    rng = np.random.default_rng(7)
    half = ROWS // 2
    routes = ["openai:gpt-6-luna"] * half + ["bedrock-nova-micro"] * half
    ids = list(range(half)) * 2
    scores = np.concatenate([(rng.random(half) < 0.90), (rng.random(half) < 0.92)]).astype(int)
    csv = "route,example_id,score\n" + "".join(f"{r},{i},{s}\n" for r, i, s in zip(routes, ids, scores, strict=True))
    jsonl = "".join(
        json.dumps({"route": r, "example_id": i, "score": int(s)}) + "\n" for r, i, s in zip(routes, ids, scores, strict=True)
    )
    return csv.encode(), jsonl.encode()


def _ms(call) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    csv, jsonl = files()
    evaluate(csv[:2_000].rsplit(b"\n", 1)[0], "warm.csv")  # load the catalogue the route names resolve against
    floor = _ms(lambda: pd.read_csv(io.BytesIO(csv)))
    csv_ms = _ms(lambda: evaluate(csv, "eval.csv"))
    jsonl_ms = _ms(lambda: evaluate(jsonl, "eval.jsonl"))
    report = evaluate(csv, "eval.csv")
    pair = report.pairs[0]
    figures = {
        "rows": ROWS,
        "floor_ms": round(floor, 1),
        "eval_ms": round(csv_ms, 1),
        "eval_jsonl_ms": round(jsonl_ms, 1),
        "ratio": round(csv_ms / floor, 2),
    }
    print(f"{ROWS:,} eval rows (2 routes x 50,000 shared examples; medians of 3):")
    print(f"  pandas.read_csv alone    {figures['floor_ms']:8.1f} ms")
    print(f"  calc.evaluate, CSV       {figures['eval_ms']:8.1f} ms   ratio {figures['ratio']} (target <= 1,000 ms)")
    print(f"  calc.evaluate, JSONL     {figures['eval_jsonl_ms']:8.1f} ms")
    print(f"  paired test found: {pair.text()}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
