"""One exact tokenizer: a bundled vocabulary read by tiktoken, with its family's split pattern and text rules."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import tiktoken

from calc.tokenizers.files import load_ranks

_build_lock = threading.Lock()
_built: dict[str, tiktoken.Encoding] = {}


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """A vocabulary file plus the regex that splits text before BPE, as the family's own tokenizer splits it.

    Text that spells a control token (<|endoftext|>, <|eot_id|>, <think>) counts as the plain text it is.
    """

    name: str
    label: str
    pattern: str
    special_tokens: dict[str, int] = field(default_factory=dict)
    #: True when the ranks are the model's own token ids (shown in the token view).
    ids_are_real: bool = True

    @property
    def encoding(self) -> tiktoken.Encoding:
        """The tiktoken encoding, built once per process from the hash-checked file."""
        built = _built.get(self.name)
        if built is None:
            with _build_lock:
                built = _built.get(self.name)
                if built is None:
                    ranks = load_ranks(self.name)
                    built = tiktoken.Encoding(
                        self.name, pat_str=self.pattern, mergeable_ranks=ranks, special_tokens=self.special_tokens
                    )
                    _built[self.name] = built
        return built

    def prepare(self, text: str) -> str:
        """The text as the family's normaliser hands it to the split pattern (unchanged by default)."""
        return text

    def count(self, text: str) -> int:
        """Tokens of `text` (no chat template, no begin-of-text token)."""
        return len(self.encoding.encode_ordinary(self.prepare(text)))

    def pieces(self, text: str) -> list[tuple[bytes, int | None]]:
        """Each token's bytes and id (None where ids are not the model's own), in order, for the token view."""
        encoding = self.encoding
        return [
            (encoding.decode_single_token_bytes(token), token if self.ids_are_real else None)
            for token in encoding.encode_ordinary(self.prepare(text))
        ]
