"""OpenAI's encodings as tiktoken's own constructors build them (tiktoken_ext.openai_public), from the bundled files."""

from __future__ import annotations

import tiktoken_ext.openai_public as openai_public

from calc.tokenizers.vocabulary import Vocabulary

O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)

O200K = Vocabulary(
    "o200k_base",
    "OpenAI o200k_base (GPT-4o, GPT-4.1, GPT-5, o-series)",
    O200K_PATTERN,
    {openai_public.ENDOFTEXT: 199999, openai_public.ENDOFPROMPT: 200018},
)
CL100K = Vocabulary(
    "cl100k_base",
    "OpenAI cl100k_base (GPT-4, GPT-3.5)",
    CL100K_PATTERN,
    {
        openai_public.ENDOFTEXT: 100257,
        openai_public.FIM_PREFIX: 100258,
        openai_public.FIM_MIDDLE: 100259,
        openai_public.FIM_SUFFIX: 100260,
        openai_public.ENDOFPROMPT: 100276,
    },
)
