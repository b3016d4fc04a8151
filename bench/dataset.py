"""Speed of calc.inputs.dataset.analyze_jsonl on 10,000 chat examples (~28 MB), against raw tiktoken encoding of the same
strings (the faster of tiktoken's batch API and a plain encode_ordinary loop, both timed in the same run) and a
straightforward per-message loop like the OpenAI Cookbook's. Python, one process and the token worker it starts
(calc/inputs/token_worker.py), wall-clock time; no server or browser.

The token worker is started before the timed runs, as the Training data page starts it when it loads; the cost of
starting it and analysing at once is measured once (cold_analyze_s), and so is the analysis without the worker
(in_process_s: EXPLORER_TOKEN_WORKER=0, one core, or a worker that cannot start). Each floor only counts tokens:
like the analysis, it keeps no token lists once counted.

`--runs N` repeats the whole measurement N times (default 3), each with its own floor. The last line printed is a
JSON object: {"runs": [{"analyze_s", "batch_encode_s", "serial_encode_s", "raw_encode_s", "loop_s", "ratio_vs_raw",
"speedup_vs_loop"}, ...], "worst_ratio_vs_raw", "cold_analyze_s", "in_process_s", "in_process_ratio_vs_raw",
"peak_mib"}; raw_encode_s is the faster of the two floors.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import tracemalloc

from common import ROOT  # noqa: F401  (puts the project on sys.path)

from calc.inputs import token_worker
from calc.inputs.dataset import analyze_jsonl
from calc.inputs.tokens import get_encoding

N_EXAMPLES = 10_000
WORDS = (
    "invoice", "refund", "parcel", "courier", "order", "account", "password", "delivery", "warranty", "discount",
    "customer", "Rechnung", "Lieferung", "Konto", "订单", "退款", "配送", "commande", "livraison", "remboursement",
    "🙂", "the", "a", "of", "to", "and", "is", "in", "for",
)  # fmt: skip


def make_dataset(seed: int = 1) -> bytes:
    """10,000 chat examples of ~2.5 KB each: a shared system prompt, a long user turn, an answer."""
    rng = random.Random(seed)
    system = "You are a careful support assistant. Classify and summarise the ticket. " * 4
    lines = []
    for i in range(N_EXAMPLES):
        user = f"Ticket {i}: " + " ".join(rng.choice(WORDS) for _ in range(330))
        answer = "Summary: " + " ".join(rng.choice(WORDS) for _ in range(40))
        messages = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
            {"role": "assistant", "content": answer},
        ]
        lines.append(json.dumps({"messages": messages}, ensure_ascii=False))
    return "\n".join(lines).encode("utf-8")


def message_strings(data: bytes) -> list[str]:
    return [v for line in data.splitlines() for m in json.loads(line)["messages"] for v in m.values()]


def cookbook_loop(data: bytes) -> int:
    """The OpenAI Cookbook's way: load every example, check the format, then count tokens per message
    with num_tokens_from_messages and num_assistant_tokens_from_messages, one string at a time."""
    encoding = get_encoding("o200k_base")
    dataset = [json.loads(line) for line in data.splitlines()]
    format_errors = dict.fromkeys(("data_type", "missing_messages_list", "message_missing_key", "unrecognized_role"), 0)
    for ex in dataset:
        if not isinstance(ex, dict):
            format_errors["data_type"] += 1
            continue
        messages = ex.get("messages", None)
        if not messages:
            format_errors["missing_messages_list"] += 1
            continue
        for message in messages:
            if "role" not in message or "content" not in message:
                format_errors["message_missing_key"] += 1
            if message.get("role", None) not in ("system", "user", "assistant", "function"):
                format_errors["unrecognized_role"] += 1

    def num_tokens_from_messages(messages):
        num_tokens = 0
        for message in messages:
            num_tokens += 3
            for key, value in message.items():
                num_tokens += len(encoding.encode(value))
                if key == "name":
                    num_tokens += 1
        return num_tokens + 3

    def num_assistant_tokens_from_messages(messages):
        return sum(len(encoding.encode(m["content"])) for m in messages if m["role"] == "assistant")

    convo_lens, assistant_lens = [], []
    for ex in dataset:
        convo_lens.append(num_tokens_from_messages(ex["messages"]))
        assistant_lens.append(num_assistant_tokens_from_messages(ex["messages"]))
    return sum(convo_lens)


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def measure(data: bytes, strings: list[str]) -> dict[str, float]:
    """One run: the analysis, both raw floors and the cookbook loop, timed back to back."""
    encoding = get_encoding("o200k_base")
    batch_s, _ = timed(lambda: sum(map(len, encoding.encode_ordinary_batch(strings))))
    serial_s, _ = timed(lambda: sum(len(encoding.encode_ordinary(text)) for text in strings))
    analyze_s, report = timed(analyze_jsonl, data)
    loop_s, loop_total = timed(cookbook_loop, data)
    assert int(report.total_tokens.sum()) == loop_total, "the analysis and the loop must agree"
    raw_s = min(batch_s, serial_s)
    return {
        "analyze_s": round(analyze_s, 3),
        "batch_encode_s": round(batch_s, 3),
        "serial_encode_s": round(serial_s, 3),
        "raw_encode_s": round(raw_s, 3),
        "loop_s": round(loop_s, 3),
        "ratio_vs_raw": round(analyze_s / raw_s, 3),
        "speedup_vs_loop": round(loop_s / analyze_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measurements, each with its own floor (default 3)")
    args = parser.parse_args()
    data = make_dataset()
    strings = message_strings(data)
    token_worker.WORKER.stop()
    cold_s, _ = timed(lambda: token_worker.start() and analyze_jsonl(data))
    analyze_jsonl(data[:3_000_000])  # warm
    runs = []
    for index in range(args.runs):
        figures = measure(data, strings)
        runs.append(figures)
        print(
            f"run {index + 1}: analyze_jsonl {figures['analyze_s']:.2f} s · raw encoding {figures['raw_encode_s']:.2f} s "
            f"(batch API {figures['batch_encode_s']:.2f} s, plain loop {figures['serial_encode_s']:.2f} s) · ratio "
            f"{figures['ratio_vs_raw']} (target <= 1.3) · cookbook-style loop {figures['loop_s']:.2f} s "
            f"(speed-up {figures['speedup_vs_loop']}x, target >= 2x)",
            flush=True,
        )
    token_worker.WORKER.stop()
    in_process_s, _ = timed(analyze_jsonl, data)
    floor_s = min(r["raw_encode_s"] for r in runs)
    print(
        f"first analysis, starting the worker: {cold_s:.2f} s · with the worker turned off: {in_process_s:.2f} s "
        f"(ratio {in_process_s / floor_s:.2f} to the fastest floor)"
    )
    tracemalloc.start()
    analyze_jsonl(data)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"{N_EXAMPLES:,} examples, {len(data) / 2**20:.1f} MiB; peak memory in this process (tracemalloc): {peak:.1f} MiB")
    summary = {
        "runs": runs,
        "worst_ratio_vs_raw": max(r["ratio_vs_raw"] for r in runs),
        "cold_analyze_s": round(cold_s, 3),
        "in_process_s": round(in_process_s, 3),
        "in_process_ratio_vs_raw": round(in_process_s / floor_s, 3),
        "peak_mib": round(peak, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
