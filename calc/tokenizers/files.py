"""The vocabulary files bundled in data/tokenizers/, unpacked once and checked by SHA-256 before use.

Every file is a gzipped tiktoken BPE file read by tiktoken's own loader (`load_tiktoken_bpe`), which refuses one
whose unpacked content does not have the expected SHA-256: OpenAI's encodings with the hash tiktoken itself
expects, the converted open vocabularies with the hash scripts/build_tokenizers.py printed (data/tokenizers/README.md).
"""

from __future__ import annotations

import gzip
import os
import tempfile
import threading
from pathlib import Path

import tiktoken.load

TOKENIZER_DIR = Path(__file__).resolve().parents[2] / "data" / "tokenizers"
#: SHA-256 of each bundled file, unpacked.
SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "llama3": "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
    "qwen2": "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186",
    "deepseek_v3": "ea361439831165203088c236a65f20163f58a68d735b51593dfe1068a23920b2",
    "tekken_240718": "64a081edb3cbb8639a4eea9a7135ab9a0467c50676c672b217ba655f4d50e127",
    "gemma3": "3d3f2e85a5d58808e016897b27e5e2c1b3bbbf0fad439de7180946d50db8e6cc",
}
_load_lock = threading.Lock()


class TokenizerFileError(RuntimeError):
    """A bundled vocabulary file is missing or fails its hash check."""


def _unpacked(name: str, expected_hash: str, folder: Path) -> Path:
    """The bundled `name`.tiktoken unpacked to a local file (once per content) that tiktoken's loader can read."""
    packed = folder / f"{name}.tiktoken.gz"
    if not packed.exists():
        raise TokenizerFileError(f"Bundled tokenizer file {packed} is missing.")
    user = os.getuid() if hasattr(os, "getuid") else "user"
    target = Path(tempfile.gettempdir()) / f"prompt-or-finetune-tokenizers-{user}" / f"{name}-{expected_hash[:16]}.tiktoken"
    if not target.exists():
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(gzip.decompress(packed.read_bytes()))
        os.replace(partial, target)
    return target


def load_ranks(name: str, folder: Path | None = None) -> dict[bytes, int]:
    """The BPE ranks of a bundled vocabulary, read by tiktoken's loader and checked against its SHA-256."""
    if name not in SHA256:
        raise ValueError(f"Unknown vocabulary {name!r}; bundled: {', '.join(SHA256)}.")
    folder = TOKENIZER_DIR if folder is None else folder
    expected = SHA256[name]
    with _load_lock:
        path = _unpacked(name, expected, folder)
        try:
            return tiktoken.load.load_tiktoken_bpe(str(path), expected_hash=expected)
        except ValueError:
            path.unlink(missing_ok=True)  # a damaged unpacked copy: unpack again from the bundled file, once
            try:
                return tiktoken.load.load_tiktoken_bpe(str(_unpacked(name, expected, folder)), expected_hash=expected)
            except ValueError:
                raise TokenizerFileError(f"{folder / name}.tiktoken.gz does not match its expected SHA-256 {expected}.") from None
