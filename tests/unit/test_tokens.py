import os
import subprocess
import sys
from pathlib import Path

import pytest
import tiktoken_ext.openai_public as openai_public

from calc.inputs import tokens

ROOT = Path(__file__).resolve().parents[2]

# The OpenAI Cookbook's "How to count tokens with tiktoken" chat example and its published counts.
COOKBOOK_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English.",
    },
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
    },
    {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
    {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."},
]


@pytest.mark.parametrize(("model", "expected"), [("gpt-4", 129), ("gpt-3.5-turbo", 129), ("gpt-4o", 124), ("gpt-4o-mini", 124)])
def test_chat_count_matches_cookbook(model, expected):
    assert tokens.count_chat_tokens(COOKBOOK_MESSAGES, model) == expected


def test_known_string_counts():
    assert tokens.count_tokens("tiktoken is great!", "gpt-4") == 6
    assert tokens.count_tokens("hello world", "gpt-4o") == 2
    assert tokens.count_tokens("", "gpt-4o") == 0


def test_special_token_text_is_ordinary_text():
    encoding = tokens.get_encoding("o200k_base")
    ids = encoding.encode_ordinary("<|endoftext|>")
    assert 199999 not in ids  # the real special token's id
    assert tokens.count_tokens("<|endoftext|>", "gpt-4o") == len(ids) > 1
    assert tokens.count_tokens("<|im_start|>user", "gpt-4") > 1


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("gpt-4o-mini-2024-07-18", "o200k_base"),
        ("ft:gpt-4.1-mini-2025-04-14:acme::abc", "o200k_base"),
        ("openai:o4-mini", "o200k_base"),
        ("gpt-4-0613", "cl100k_base"),
        ("azure:gpt-3.5-turbo", "cl100k_base"),
        ("google:gemini-2.5-flash", "gemma3"),
        ("groq:llama-3.1-8b-instant", "llama3"),
        ("fireworks:accounts/fireworks/models/llama-v3p1-8b-instruct", "llama3"),
        ("groq:qwen/qwen3-32b", "qwen2"),
        ("deepseek:deepseek-v4-flash", "deepseek_v3"),
        ("mistral:mistral-nemo", "tekken_240718"),
        ("anthropic:claude-3-5-haiku-latest", "claude_legacy"),
        ("anthropic:claude-sonnet-4-20250514", "claude_legacy"),
        ("anthropic:claude-opus-4-7", "claude_2026"),
        ("anthropic:claude-sonnet-5", "claude_2026"),
        ("aws:amazon.nova-micro-v1:0", "amazon_nova"),
        ("google:gemini-3.5-flash", "gemini_3"),
        ("openai:gpt-6-luna", "gpt_6"),
        ("together:meta-llama/Llama-4-Scout-17B", "unknown"),
    ],
)
def test_each_model_is_counted_by_its_own_family(model, family):
    from calc.tokenizers import tokenizer_for

    assert tokenizer_for(model).family == family


def test_models_without_a_vocabulary_are_estimates_in_their_own_tokens():
    assert tokens.is_exact("gemini-2.5-flash") and tokens.is_exact("gpt-4.1")
    assert not tokens.is_exact("claude-3-haiku")
    text = "Ein kurzer Satz über die Rechnung, die zweimal belastet wurde."
    assert tokens.count_tokens(text, "claude-3-haiku") > tokens.count_tokens(text, "gpt-4o")


def test_chat_rule_counts_name_and_priming():
    one = [{"role": "user", "content": "hi"}]
    named = [{"role": "user", "content": "hi", "name": "bob"}]
    role, content, name = (tokens.count_tokens(t, "gpt-4o") for t in ("user", "hi", "bob"))
    assert tokens.count_chat_tokens(one, "gpt-4o") == 3 + role + content + 3
    assert tokens.count_chat_tokens(named, "gpt-4o") == 3 + role + content + name + 1 + 3
    assert tokens.count_chat_tokens([], "gpt-4o") == 3


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(TypeError, match="string"):
        tokens.count_tokens(None, "gpt-4o")
    with pytest.raises(ValueError, match="message 0"):
        tokens.count_chat_tokens(["not a dict"], "gpt-4o")
    with pytest.raises(ValueError, match="Unknown encoding"):
        tokens.get_encoding("p50k_base")


@pytest.mark.parametrize("name", tokens.ENCODINGS)
def test_encodings_are_built_as_tiktokens_own_constructors_build_them(name):
    """Hash, pattern and special tokens are the ones tiktoken's constructor passes (its rank loader stubbed here)."""
    import unittest.mock

    from calc.tokenizers.files import SHA256
    from calc.tokenizers.registry import VOCABULARIES

    seen = {}

    def record(url, expected_hash=None):
        seen["hash"] = expected_hash
        return {}

    with unittest.mock.patch.object(openai_public, "load_tiktoken_bpe", record):
        constructed = getattr(openai_public, name)()
    vocabulary = VOCABULARIES[name]
    assert (seen["hash"], constructed["pat_str"], constructed["special_tokens"]) == (
        SHA256[name],
        vocabulary.pattern,
        vocabulary.special_tokens,
    )


def test_no_mock_in_production_code():
    for folder in ("calc", "ui", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            assert "mock" not in path.read_text(encoding="utf-8"), path


def test_corrupt_or_missing_file_is_refused(tmp_path, monkeypatch):
    import gzip
    import tempfile

    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "o200k_base.tiktoken.gz").write_bytes(gzip.compress(b"aGVsbG8= 0\n"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "unpacked"))
    (tmp_path / "unpacked").mkdir()
    with pytest.raises(tokens.TokenizerFileError, match="SHA-256"):
        tokens.load_ranks("o200k_base", bundled)
    with pytest.raises(tokens.TokenizerFileError, match="missing"):
        tokens.load_ranks("cl100k_base", bundled)


def test_a_huge_whitespace_run_is_refused_in_words_not_a_tokenizer_panic():
    text = "intro" + " " * 1_000_000 + "end"
    with pytest.raises(tokens.UncountableTextError, match="in a row"):
        tokens.count_tokens(text, "gpt-4o")
    with pytest.raises(tokens.UncountableTextError):
        tokens.token_pieces(text, "gpt-4o")
    assert tokens.count_tokens(" " * (tokens.MAX_WHITESPACE_RUN - 1) + "x", "gpt-4o") > 0


CHILD = """
import socket
def refuse(*a, **k):
    raise OSError("network disabled in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
from calc.inputs.tokens import count_tokens
print(count_tokens("hello world", "gpt-4o"), count_tokens("hello world", "gpt-4"))
"""


@pytest.mark.parametrize("cache_dir", [None, "", "unrelated"])
def test_works_offline_whatever_the_cache_dir(cache_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR")}
    if cache_dir is not None:
        env["TIKTOKEN_CACHE_DIR"] = "" if cache_dir == "" else str(tmp_path / cache_dir)
    result = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "2"]


@pytest.mark.parametrize(("typed", "examples"), [("\\n—\\n", 3), ("—", 3), ("\\n\\n---\\n", 1)])
def test_a_non_ascii_delimiter_is_kept_as_typed(typed, examples):
    text = "Q: a\nA: 1\n—\nQ: b\nA: 2\n—\nQ: c\nA: 3"
    assert len(tokens.split_examples(text, tokens.parse_delimiter(typed))) == examples


def test_delimiter_escapes_round_trip():
    for delimiter in (tokens.DEFAULT_DELIMITER, "\n—\n", "\t|\t", "a\\nb"):
        assert tokens.parse_delimiter(tokens.delimiter_as_typed(delimiter)) == delimiter
