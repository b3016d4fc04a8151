"""Speed of calc.inputs.dataset.analyze_jsonl on 10,000 chat examples (~25 MB), against raw tiktoken batch
encoding of the same strings and a straightforward per-message loop like the OpenAI Cookbook's.

The last line printed is a JSON object:
{"analyze_s", "raw_encode_s", "loop_s", "ratio_vs_raw", "speedup_vs_loop", "peak_mib"}.
"""

from __future__ import annotations

import json
import random
import time
import tracemalloc

from common import ROOT  # noqa: F401  (puts the project on sys.path)

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


def main() -> None:
    data = make_dataset()
    strings = message_strings(data)
    encoding = get_encoding("o200k_base")
    analyze_jsonl(data[:200_000])  # warm the encoder
    raw_s, _ = timed(encoding.encode_ordinary_batch, strings)
    serial_s, _ = timed(lambda: [encoding.encode_ordinary(text) for text in strings])
    analyze_s, report = timed(analyze_jsonl, data)
    loop_s, loop_total = timed(cookbook_loop, data)
    assert int(report.total_tokens.sum()) == loop_total, "the analysis and the loop must agree"
    tracemalloc.start()
    analyze_jsonl(data)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    figures = {
        "analyze_s": round(analyze_s, 3),
        "raw_encode_s": round(raw_s, 3),
        "loop_s": round(loop_s, 3),
        "ratio_vs_raw": round(analyze_s / raw_s, 3),
        "speedup_vs_loop": round(loop_s / analyze_s, 3),
        "peak_mib": round(peak, 1),
    }
    print(f"{N_EXAMPLES:,} examples, {len(data) / 2**20:.1f} MiB, {loop_total:,} tokens")
    print(f"analyze_jsonl {analyze_s:.2f} s · raw batch encode {raw_s:.2f} s (ratio {figures['ratio_vs_raw']}, target <= 1.3)")
    print(f"(for reference: a plain one-string-at-a-time encode_ordinary loop takes {serial_s:.2f} s)")
    print(f"cookbook-style loop {loop_s:.2f} s (speed-up {figures['speedup_vs_loop']}x, target >= 2x)")
    print(f"peak memory during analysis (tracemalloc): {figures['peak_mib']} MiB for a {len(data) / 2**20:.1f} MiB file")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
