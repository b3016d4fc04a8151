"""Every model in its own tokens: the bundled open vocabularies count as their reference tokenizers do, and models
without one get a labelled estimate from a dated ratio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calc.tokenizers import VOCABULARIES, count, tokenizer_for
from calc.tokenizers.chat import count_chat, overhead_for
from calc.tokenizers.content import content_kind
from calc.tokenizers.files import SHA256, TOKENIZER_DIR
from calc.tokenizers.models import EXACT, NOUNS, model_table
from calc.tokenizers.ratios import CONTENT_KINDS, ratio_for, ratio_table

ROOT = Path(__file__).resolve().parents[2]
#: Counts by Hugging Face `tokenizers` on each original tokenizer.json and by mistral-common's Tekkenizer, recorded
#: by scripts/check_tokenizers.py (which also compares ~2,800 more texts against the references).
REFERENCE = json.loads((ROOT / "tests" / "fixtures" / "tokenizer_reference.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vocabulary", sorted(REFERENCE["counts"]))
@pytest.mark.parametrize("text_id", sorted(REFERENCE["texts"]))
def test_open_vocabularies_count_as_their_reference_tokenizers(vocabulary, text_id):
    text = REFERENCE["texts"][text_id]
    assert VOCABULARIES[vocabulary].count(text) == REFERENCE["counts"][vocabulary][text_id]


def test_every_bundled_file_has_a_hash_and_loads():
    shipped = {p.name.removesuffix(".tiktoken.gz") for p in TOKENIZER_DIR.glob("*.tiktoken.gz")}
    assert shipped == set(SHA256) == set(VOCABULARIES) == set(EXACT)
    assert all(VOCABULARIES[name].count("Hello, world") > 0 for name in shipped)


@pytest.mark.parametrize(
    ("model", "noun"),
    [
        ("groq:llama-3.1-8b-instant", "Llama 3"),
        ("groq:qwen/qwen3-32b", "Qwen"),
        ("google:gemma-3", "Gemma 3"),
        ("mistral:mistral-nemo", "Mistral"),
        ("deepseek:deepseek-v4-flash", "DeepSeek"),
    ],
)
def test_the_acceptance_models_count_exactly_in_their_own_tokens(model, noun):
    result = count(REFERENCE["texts"]["german"], model)
    assert result.exact and result.low == result.tokens == result.high
    assert result.describe() == f"{result.tokens:,} {noun} tokens (exact)"
    assert result.tokens == REFERENCE["counts"][tokenizer_for(model).family]["german"]


@pytest.mark.parametrize("text_id", ["english_few_shot", "python"])
def test_claude_sonnet_5_is_an_estimate_above_o200k(text_id):
    text = REFERENCE["texts"][text_id]
    o200k = count(text, "gpt-4o").tokens
    claude = count(text, "anthropic:claude-sonnet-5")
    assert not claude.exact
    assert o200k < claude.low <= claude.tokens <= claude.high
    assert claude.describe() == f"estimate: {claude.low:,}-{claude.high:,} Claude tokens"


def test_an_estimate_is_the_base_count_times_the_ratio_for_its_content_kind():
    text = REFERENCE["texts"]["german"]
    result = count(text, "anthropic:claude-3-5-haiku-latest")
    ratio = ratio_for("claude_legacy", "german_french")
    base = count(text, "gpt-4o").tokens
    assert result.content_kind == "german_french" and result.ratio == ratio
    expected = (round(base * ratio.low), round(base * ratio.ratio), round(base * ratio.high))
    assert (result.low, result.tokens, result.high) == expected
    chosen = count(text, "anthropic:claude-3-5-haiku-latest", kind="code")
    assert chosen.ratio == ratio_for("claude_legacy", "code")
    nova = count(text, "aws:amazon.nova-micro-v1:0")
    assert nova.ratio.base_encoding == "cl100k_base"
    assert nova.tokens == round(count(text, "gpt-4").tokens * nova.ratio.ratio)


def test_every_estimate_family_has_a_ratio_for_every_content_kind():
    families = set(model_table()["tokenizer"]) - set(EXACT)
    assert families <= set(NOUNS)
    for family in families:
        for kind in CONTENT_KINDS:
            ratio = ratio_for(family, kind)
            assert 0 < ratio.low <= ratio.ratio <= ratio.high
    table = ratio_table()
    assert set(table["family"]) >= families | (set(EXACT) - {"o200k_base"})


@pytest.mark.parametrize(
    ("text_id", "kind"),
    [
        ("english_few_shot", "english"),
        ("json_schema", "json"),
        ("german", "german_french"),
        ("python", "code"),
        ("chinese", "cjk"),
        ("japanese", "cjk"),
    ],
)
def test_content_kind(text_id, kind):
    assert content_kind(REFERENCE["texts"][text_id]) == kind


def test_chat_counts_follow_each_family_template():
    messages = [{"role": "system", "content": "You classify tickets."}, {"role": "user", "content": "My card was charged twice."}]
    text = sum(count(m["content"], "groq:llama-3.1-8b-instant").tokens for m in messages)
    # <|begin_of_text|>; <|start_header_id|>role<|end_header_id|>\n\n ... <|eot_id|> twice; the assistant header
    assert count_chat(messages, "groq:llama-3.1-8b-instant").tokens == text + 1 + 2 * 5 + 4
    qwen = sum(count(m["content"], "groq:qwen/qwen3-32b").tokens for m in messages)
    assert count_chat(messages, "groq:qwen/qwen3-32b").tokens == qwen + 2 * 5 + 3
    assert overhead_for("o200k_base").family == "openai"
    claude = count_chat(messages, "anthropic:claude-sonnet-5")
    assert not claude.exact and claude.low < claude.high


def test_bad_input_is_refused_in_words():
    with pytest.raises(TypeError, match="string"):
        count(None, "gpt-4o")
    with pytest.raises(ValueError, match="Name a model"):
        count("x", "  ")
    with pytest.raises(ValueError, match="content kind"):
        count("x", "anthropic:claude-sonnet-5", kind="poetry")


def test_a_route_converts_the_scenarios_o200k_counts_to_its_own_tokens():
    from dataclasses import replace

    from calc.costs.workload import OWN_TOKENS, in_tokens_of, scenario_workload
    from calc.scenario import Scenario
    from calc.tokenizers.convert import family_ratio, ratio_text

    work = scenario_workload(Scenario(content_kind="german_french", examples=5, tokens_per_example=120))
    llama = in_tokens_of(work, "groq:llama-3.1-8b-instant")
    r = ratio_for("llama3", "german_french").ratio
    assert (llama.static_kept_tokens, llama.own_input_tokens, llama.example_tokens, llama.output_tokens) == (
        round(100 * r),
        round(100 * r),
        round(600 * r),
        round(50 * r),
    )
    assert llama.encoding == OWN_TOKENS and in_tokens_of(llama, "anthropic:claude-sonnet-5") is llama
    assert in_tokens_of(work, "openai:gpt-4o").example_tokens == 600  # the reference encoding itself
    nova = family_ratio("amazon_nova", "cjk")  # Nova's ratio is to cl100k_base, cl100k_base's to o200k_base
    assert nova == ratio_for("amazon_nova", "cjk").ratio * ratio_for("cl100k_base", "cjk").ratio
    assert (
        ratio_text("anthropic:claude-sonnet-5", "english")
        == f"x{ratio_for('claude_2026', 'english').ratio:.2f} (Claude, estimate)"
    )
    assert replace(work, encoding=OWN_TOKENS) == in_tokens_of(replace(work, encoding=OWN_TOKENS), "groq:qwen/qwen3-32b")


def test_the_same_workload_costs_what_it_costs_in_each_models_tokens():
    import datetime as dt

    from calc.api import routes
    from calc.scenario import Scenario

    on = dt.date(2026, 12, 3)
    english = {row.route.id: row for row in routes(Scenario(), on=on).rows}
    german = {row.route.id: row for row in routes(Scenario(content_kind="german_french"), on=on).rows}
    claude = "prompt:anthropic:claude-sonnet-5"
    factor = ratio_for("claude_2026", "german_french").ratio / ratio_for("claude_2026", "english").ratio
    assert german[claude].monthly_usd == pytest.approx(english[claude].monthly_usd * factor, rel=0.01)
    luna = "prompt:openai:gpt-6-luna"  # GPT-6: o200k_base assumed on every kind
    assert german[luna].monthly_usd == pytest.approx(english[luna].monthly_usd)
    table = routes(Scenario(content_kind="german_french"), on=on).to_dict()
    assert table["content_kind"] == "german_french"
    assert {r["id"]: r["token_conversion"] for r in table["routes"]}[claude].endswith("(Claude, estimate)")
