"""Token-counting throughput of the app's counter against raw tiktoken, measured in one run.

Counts a 1 MB mixed-language text with calc.inputs.tokens.count_tokens and with tiktoken's own
encode_ordinary on the same encoding, then times a cached recount of the unchanged text.
The last line printed is a JSON object: {"raw_s", "app_s", "ratio", "cached_ms"} (ratio = raw_s / app_s).
"""

from __future__ import annotations

import json
import random
import statistics
import time

from common import ROOT  # noqa: F401  (puts the project on sys.path)

from calc.inputs import tokens

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
REPEATS = 5


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
    raw_times, app_times, cached_times = [], [], []
    for repeat in range(REPEATS):
        text = mixed_text(repeat)  # a fresh text each round, so the app's cache cannot help the first count
        raw_times.append(timed(encoding.encode_ordinary, text))
        app_times.append(timed(tokens.count_tokens, text, "gpt-4o"))
        same_text = text[:-1] + text[-1]  # an equal but separate string, as a rerun would hand over
        cached_times.append(timed(tokens.count_tokens, same_text, "gpt-4o"))
        assert tokens.count_tokens(text, "gpt-4o") == len(encoding.encode_ordinary(text))
    raw_s, app_s = statistics.median(raw_times), statistics.median(app_times)
    figures = {
        "raw_s": round(raw_s, 4),
        "app_s": round(app_s, 4),
        "ratio": round(raw_s / app_s, 3),
        "cached_ms": round(statistics.median(cached_times) * 1000, 3),
    }
    print(f"1 MB mixed text, median of {REPEATS}: raw tiktoken {raw_s:.3f} s, app {app_s:.3f} s (target ratio >= 0.9)")
    print(f"cached recount: {figures['cached_ms']} ms (target < 5 ms)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
