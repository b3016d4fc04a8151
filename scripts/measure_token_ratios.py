"""Measure each bundled vocabulary's tokens per o200k_base token, by content kind (run once; feeds data/token_ratios.csv).

Corpus, all read from files on a Debian machine with this project's .venv (none is shipped):
    english        the seed article (/work/shared/seed/fine-tuning-vs-prompting.txt) and this repository's README.md
    code           twelve modules of CPython 3.11's standard library (/usr/lib/python3.11)
    json           Altair's Vega-Lite JSON schema and theme file, pretty-printed (.venv site-packages)
    german_french  vim 9.0's German and French message catalogues (/usr/share/vim/vim90/lang/{de,fr})
    cjk            vim 9.0's Simplified/Traditional Chinese and Japanese catalogues (zh_CN, zh_TW, ja)

Each kind is cut into samples of about 2,000 characters; a ratio is a sample's tokens / its o200k tokens. The table
gives the ratio over the whole kind and the 10th-90th percentile of the samples. With PyPI anthropic-tokenizer
installed (its Claude-2 vocabulary), it also prints that vocabulary x 1.10, coder/ai-tokenizer's calibration of
Claude 3 to 4.5 against the live count_tokens API.

    .venv/bin/python scripts/measure_token_ratios.py [--seed PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calc.tokenizers import VOCABULARIES  # noqa: E402

SITE = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"), None)
STDLIB = (
    "argparse",
    "json/decoder",
    "csv",
    "datetime",
    "textwrap",
    "string",
    "shlex",
    "fractions",
    "heapq",
    "bisect",
    "difflib",
    "calendar",
)
SAMPLE_CHARS = 2_000


def catalogue(language: str) -> str:
    """The translated messages of vim's catalogue for `language`, one per line, decoded by the catalogue's charset."""
    data = Path(f"/usr/share/vim/vim90/lang/{language}/LC_MESSAGES/vim.mo").read_bytes()
    count, _, translations = struct.unpack("<3I", data[8:20])
    texts = []
    for index in range(count):
        length, offset = struct.unpack("<2I", data[translations + 8 * index : translations + 8 * index + 8])
        texts.append(data[offset : offset + length])
    charset = re.search(rb"charset=([\w-]+)", texts[0]).group(1).decode()
    return "\n".join(t.decode(charset) for t in texts[1:])


def corpus(seed: Path) -> dict[str, str]:
    schema = SITE / "altair" / "vegalite" / "v6" / "schema"
    return {
        "english": seed.read_text(encoding="utf-8") + "\n" + (ROOT / "README.md").read_text(encoding="utf-8"),
        "code": "\n".join(Path(f"/usr/lib/python3.11/{m}.py").read_text(encoding="utf-8") for m in STDLIB),
        "json": "\n".join(
            json.dumps(json.loads((schema / f).read_text(encoding="utf-8")), indent=2, ensure_ascii=False)
            for f in ("vega-lite-schema.json", "vega-themes.json")
        )[:400_000],
        "german_french": catalogue("de") + "\n" + catalogue("fr"),
        "cjk": catalogue("zh_CN") + "\n" + catalogue("zh_TW") + "\n" + catalogue("ja"),
    }


def samples(text: str) -> list[str]:
    return [text[i : i + SAMPLE_CHARS] for i in range(0, len(text) - SAMPLE_CHARS // 2, SAMPLE_CHARS)]


def ratios(count, base, parts: list[str]) -> tuple[float, float, float]:
    """The whole kind's ratio and the 10th and 90th percentile of the samples' ratios."""
    own = [count(p) for p in parts]
    ref = [base(p) for p in parts]
    each = sorted(o / r for o, r in zip(own, ref, strict=True) if r)
    deciles = statistics.quantiles(each, n=10)
    return sum(own) / sum(ref), deciles[0], deciles[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=Path, default=Path("/work/shared/seed/fine-tuning-vs-prompting.txt"))
    args = parser.parse_args()
    kinds = corpus(args.seed)
    base = VOCABULARIES["o200k_base"].count
    counters = {name: v.count for name, v in VOCABULARIES.items() if name != "o200k_base"}
    try:
        import anthropic_tokenizer

        counters["claude-2 x 1.10"] = lambda text: anthropic_tokenizer.count_tokens(text) * 1.10
    except ImportError:
        pass
    print("kind,samples,o200k_tokens," + ",".join(f"{n} (all; p10-p90)" for n in counters))
    for kind, text in kinds.items():
        parts = samples(text)
        cells = []
        for count in counters.values():
            whole, low, high = ratios(count, base, parts)
            cells.append(f"{whole:.3f} ({low:.3f}-{high:.3f})")
        print(f"{kind},{len(parts)},{sum(base(p) for p in parts)}," + ",".join(cells))


if __name__ == "__main__":
    main()
