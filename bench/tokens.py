"""Token-counting throughput of every bundled tokenizer against raw tiktoken o200k_base, measured in one run.

Counts a 1 MB mixed-language text (English, German, Chinese, French, Japanese, Hebrew, code, emoji, JSON) with
tiktoken's own `encode_ordinary` on o200k_base (the baseline), with the app's o200k_base count (P2), and with each
open vocabulary the app ships (calc/tokenizers/: Llama 3, Qwen, DeepSeek, Mistral tekken, Gemma 3), then times a
cached recount of the unchanged text. Each round uses a fresh text and times raw o200k_base again right before each
tokenizer, so a ratio compares two counts made moments apart (this machine is shared); each figure is the median
over REPEATS rounds.
Targets: the app's o200k count >= 0.9x raw, each exact tokenizer >= 0.5x, Llama 3 >= 0.9x, cached recount < 5 ms.
The last line printed is a JSON object: {"raw_s", "app_s", "ratio", "cached_ms", "tokenizers": {name: {"s", "ratio",
"tokens"}}} (ratio = raw o200k seconds / that tokenizer's seconds).
"""

from __future__ import annotations

import json
import random
import statistics
import time

from common import ROOT  # noqa: F401  (puts the project on sys.path)

from calc.inputs import tokens
from calc.tokenizers import VOCABULARIES

SNIPPETS = (
    "The quarterly report shows revenue up 12% while support tickets fell. ",
    "Der Kunde möchte die Bestellung stornieren und das Geld zurück. ",
    "顾客询问退货政策以及运费由谁承担。",
    "La livraison est arrivée en retard, le colis était abîmé. ",
    "お問い合わせありがとうございます。担当者から折り返しご連絡します。",
    "מספר ההזמנה שלי הוא 48213 ולא קיבלתי אישור. ",
    "def total(items):\n    return sum(i.price for i in items)\n",
    '🙂 👍🏽 <|endoftext|> {"label": "billing"}\r\n',
)
TARGET_BYTES = 1_000_000
REPEATS = 9
OPEN = ("llama3", "qwen2", "deepseek_v3", "tekken_240718", "gemma3")
TARGETS = {"llama3": 0.9}


def mixed_text(seed: int) -> str:
    """About 1 MB of UTF-8 text mixing scripts, code, emoji and special-token strings."""
    rng = random.Random(seed)
    parts, size = [], 0
    while size < TARGET_BYTES:
        piece = rng.choice(SNIPPETS)
        parts.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(parts)


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    encoding = tokens.get_encoding("o200k_base")
    for name in OPEN:
        VOCABULARIES[name].count("warm up: load the vocabulary")
    raw_times, app_times, app_ratios, cached_times = [], [], [], []
    open_times: dict[str, list[float]] = {name: [] for name in OPEN}
    open_ratios: dict[str, list[float]] = {name: [] for name in OPEN}
    counts: dict[str, int] = {}
    for repeat in range(REPEATS):
        text = mixed_text(repeat)  # a fresh text each round, so the app's cache cannot help the first count
        raw = timed(encoding.encode_ordinary, text)
        app = timed(tokens.count_tokens, text, "gpt-4o")
        raw_times.append(raw)
        app_times.append(app)
        app_ratios.append(raw / app)
        same_text = text[:-1] + text[-1]  # an equal but separate string, as a rerun would hand over
        cached_times.append(timed(tokens.count_tokens, same_text, "gpt-4o"))
        assert tokens.count_tokens(text, "gpt-4o") == len(encoding.encode_ordinary(text))
        for name in OPEN:
            raw = timed(encoding.encode_ordinary, text)
            seconds = timed(VOCABULARIES[name].count, text)
            open_times[name].append(seconds)
            open_ratios[name].append(raw / seconds)
        counts = {name: VOCABULARIES[name].count(text) for name in OPEN} | {"o200k_base": len(encoding.encode_ordinary(text))}
    raw_s, app_s = statistics.median(raw_times), statistics.median(app_times)
    app_ratio = statistics.median(app_ratios)
    figures = {
        "raw_s": round(raw_s, 4),
        "app_s": round(app_s, 4),
        "ratio": round(app_ratio, 3),
        "cached_ms": round(statistics.median(cached_times) * 1000, 3),
        "tokenizers": {},
    }
    print(f"1 MB mixed text, median of {REPEATS}: raw tiktoken o200k_base {raw_s:.3f} s ({counts['o200k_base']:,} tokens)")
    print(f"  app o200k_base      {app_s:.3f} s  {app_ratio:.2f}x raw (target >= 0.9)")
    for name in OPEN:
        seconds = statistics.median(open_times[name])
        ratio = statistics.median(open_ratios[name])
        figures["tokenizers"][name] = {"s": round(seconds, 4), "ratio": round(ratio, 3), "tokens": counts[name]}
        target = TARGETS.get(name, 0.5)
        print(f"  {name:<18}  {seconds:.3f} s  {ratio:.2f}x raw (target >= {target}); {counts[name]:,} tokens")
    print(f"cached recount: {figures['cached_ms']} ms (target < 5 ms)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
