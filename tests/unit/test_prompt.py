import datetime as dt
import html
import re
from dataclasses import replace

import pytest

from calc.catalogue.options import shipped_records
from calc.catalogue.price_check import check_prices
from calc.costs.pair import resolve_pair, summarize
from calc.inputs import prompt, tokens
from calc.scenario import Scenario
from ui.chat_editor import apply_editor_changes, empty_messages
from ui.token_view import token_view_html


def test_split_examples_default_and_custom_delimiters():
    text = "Q: a\nA: 1\n\n---\nQ: b\nA: 2\r\n\r\n---\r\nQ: c\nA: 3\n\n---\n\n"
    assert tokens.split_examples(text) == ["Q: a\nA: 1", "Q: b\nA: 2", "Q: c\nA: 3"]
    assert tokens.split_examples("x###y###", "###") == ["x", "y"]
    assert tokens.split_examples("   ") == []
    with pytest.raises(ValueError, match="must not be empty"):
        tokens.split_examples("x", "")


def test_text_prompt_counts():
    counts = prompt.count_text_prompt("Classify.", "great -> positive\n\n---\nbad -> negative", "gpt-4o-mini")
    assert counts.examples == 2
    assert counts.instruction_tokens == tokens.count_tokens("Classify.", "gpt-4o")
    assert counts.example_tokens == tokens.count_tokens("great -> positive\n\n---\nbad -> negative", "gpt-4o")
    assert counts.total_tokens == counts.instruction_tokens + counts.example_tokens
    assert counts.exact and counts.describe() == f"{counts.total_tokens:,} OpenAI tokens (exact)"


def test_empty_prompt_is_zero():
    counts = prompt.count_text_prompt("", "", "gpt-4o")
    assert (counts.total_tokens, counts.examples, counts.tokens_per_example) == (0, 0, 0)


def test_models_without_a_vocabulary_are_estimates_with_a_range():
    counts = prompt.count_text_prompt("Classify the ticket.", "great -> positive\n\n---\nbad -> negative", "claude-sonnet-5")
    assert not counts.exact and counts.low < counts.total_tokens < counts.high
    assert counts.describe() == f"estimate: {counts.low:,}-{counts.high:,} Claude tokens"
    assert prompt.count_text_prompt("hello", "", "gemini-2.5-flash").exact  # Gemma 3's vocabulary


def test_chat_prompt_splits_examples_by_the_api_rule():
    rows = [
        {"role": "system", "content": "Classify.", "example": False},
        {"role": "user", "content": "great", "example": True},
        {"role": "assistant", "content": "positive", "example": True},
        {"role": "user", "content": "meh", "example": False},
    ]
    counts = prompt.count_chat_prompt(rows, "gpt-4o")
    messages = [{"role": r["role"], "content": r["content"]} for r in rows]
    assert counts.total_tokens == tokens.count_chat_tokens(messages, "gpt-4o")
    assert counts.example_tokens == tokens.count_chat_tokens(messages[1:3], "gpt-4o") - 3
    assert counts.examples == 1
    with pytest.raises(ValueError, match="Unknown role"):
        prompt.count_chat_prompt([{"role": "wizard", "content": "x"}], "gpt-4o")


def test_size_limit():
    with pytest.raises(prompt.PromptTooLargeError, match="limit is 2,000,000"):
        prompt.count_text_prompt("x" * (prompt.MAX_PROMPT_CHARS + 1), "", "gpt-4o")


def test_awkward_text_counts():
    for text in ("<|endoftext|><|im_start|>", "🙂👍🏽 emoji", "中文文本", "עברית ومرحبا", "a\r\nb\rc\n"):
        assert tokens.count_tokens(text, "gpt-4o") > 0


def test_cost_table():
    counts = prompt.PromptCount(instruction_tokens=200, example_tokens=1_000, examples=5, exact=True, tokenizer="o200k_base")
    scenario = Scenario(option="openai-gpt-4o-mini", prompt_model="openai:gpt-4o-mini", output_tokens=50, cache_hit_pct=100)
    table = _table(counts, scenario)
    as_pasted, cached, tuned = table.to_dict(orient="records")
    assert as_pasted["usd_per_request"] == pytest.approx((1_200 * 0.15 + 50 * 0.60) / 1e6)
    assert cached["cached_tokens"] == 1_152  # OpenAI: 1,024 + one 128-token step of the 1,200-token prefix
    assert cached["usd_per_request"] == pytest.approx((1_152 * 0.075 + 48 * 0.15 + 50 * 0.60) / 1e6)
    assert tuned["usd_per_request"] == pytest.approx((200 * 0.30 + 50 * 1.20) / 1e6)
    assert as_pasted["usd_per_month"] == pytest.approx(as_pasted["usd_per_request"] * 300_000)


def test_prompt_savings_by_name():
    counts = prompt.PromptCount(instruction_tokens=200, example_tokens=1_000, examples=5, exact=True, tokenizer="o200k_base")
    scenario = Scenario(option="openai-gpt-4o-mini", prompt_model="openai:gpt-4o-mini", output_tokens=50, cache_hit_pct=100)
    table = _table(counts, scenario)
    savings = prompt.prompt_savings(table)
    as_pasted, cached, tuned = table["usd_per_month"]
    assert (savings.as_pasted_usd, savings.with_caching_usd, savings.fine_tuned_usd) == (as_pasted, cached, tuned)
    assert savings.fine_tuning_usd == pytest.approx(as_pasted - tuned)
    assert savings.caching_usd == pytest.approx(as_pasted - cached) and savings.caching_usd > 0
    assert savings.cached_prefix_tokens == 1_152
    with pytest.raises(ValueError, match="three rows"):
        prompt.prompt_savings(table.head(2))


def test_cost_table_adds_hosting_for_self_hosted():
    counts = prompt.PromptCount(100, 100, 1, False, "o200k_base")
    scenario = Scenario(option="selfhosted-llama-3.1-8b", prompt_model="together:meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
                        output_tokens=10, requests_per_day=1_000)  # fmt: skip
    assert _table(counts, scenario)["usd_per_month"].iloc[2] == pytest.approx(1.006 * 24 * 30)


def _table(counts: prompt.PromptCount, scenario: Scenario):
    """The Token cost table for a scenario whose requests add no input of their own (the pasted text is all of it)."""
    scenario = replace(scenario, request_input_tokens=0)
    return prompt.prompt_cost_table(counts, scenario, resolve_pair(scenario, None, dt.date(2026, 11, 29)))


@pytest.mark.parametrize("requests_per_day", [10, 10_000, 1_000_000])
@pytest.mark.parametrize("option", sorted(shipped_records()))
def test_with_nothing_pasted_the_token_cost_page_prices_the_scenario_as_the_home_page(option, requests_per_day):
    """Issue 29 item 11: the scenario's own counts (o200k_base, each route converting them to its own tokens) give the
    home page's monthly costs on both rows, on every hosting kind (dedicated GPUs sized for the prompt and volume)."""
    scenario = Scenario(option=option, prompt_model="anthropic:claude-sonnet-5", output_tokens=1_000,
                        requests_per_day=requests_per_day, request_input_tokens=100, instruction_tokens=2_000,
                        examples=8, tokens_per_example=150, content_kind="german_french")  # fmt: skip
    pair = resolve_pair(scenario, None, dt.date(2026, 12, 3))
    table = prompt.prompt_cost_table(prompt.PromptCount.from_scenario(scenario), scenario, pair)
    summary = summarize(scenario, pair)
    assert table["usd_per_month"].iloc[2] == pytest.approx(summary.monthly_fine_tuned_usd, rel=1e-12)
    assert table["usd_per_month"].iloc[0] == pytest.approx(summary.monthly_prompting_usd, rel=1e-12)


def test_a_pasted_prompt_is_priced_in_each_sides_own_tokens():
    """The prompting row bills the text in the prompting model's tokens, the fine-tuned row in its base model's."""
    scenario = Scenario(option="selfhosted-llama-3.1-8b", prompt_model="anthropic:claude-sonnet-5", output_tokens=0,
                        request_input_tokens=0, content_kind="german_french")  # fmt: skip
    text = "Sehr geehrte Damen und Herren, meine Bestellung ist beschädigt angekommen. Ich möchte das Geld zurück."
    pasted = prompt.PastedPrompt("text", instructions=text, examples_text="Q: a\nA: b\n\n---\nQ: c\nA: d")
    claude = prompt.count_pasted(pasted, "anthropic:claude-sonnet-5", scenario)
    llama = prompt.count_pasted(pasted, "together:meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", scenario)
    assert not claude.exact and llama.exact and claude.total_tokens > llama.total_tokens
    pair = resolve_pair(scenario, None, dt.date(2026, 12, 3))
    table = prompt.prompt_cost_table(claude, scenario, pair, llama)
    as_pasted, _, tuned = table.to_dict(orient="records")
    assert as_pasted["input_tokens"] == claude.total_tokens  # no second conversion of the model's own count
    assert tuned["input_tokens"] == llama.instruction_tokens
    assert as_pasted["usd_per_request"] == pytest.approx(claude.total_tokens * pair.prompt.input_per_mtok / 1e6)


def test_the_request_own_input_is_counted_once():
    scenario = Scenario(request_input_tokens=100)
    chat = [{"role": "system", "content": "Classify."}, {"role": "user", "content": "My card was charged twice."}]
    holds = prompt.count_pasted(prompt.PastedPrompt("chat", rows=tuple(chat), holds_input=True), "gpt-4o", scenario)
    adds = prompt.count_pasted(prompt.PastedPrompt("chat", rows=tuple(chat)), "gpt-4o", scenario)
    assert holds.own_input_tokens == tokens.count_tokens("My card was charged twice.", "gpt-4o") and adds.own_input_tokens is None
    assert prompt.prompt_workload(holds, scenario, False).kept_input_tokens == holds.instruction_tokens
    assert prompt.prompt_workload(adds, scenario, False).kept_input_tokens == adds.instruction_tokens + 100


@pytest.mark.parametrize("model", ["gpt-4o", "groq:llama-3.1-8b-instant", "google:gemma-3", "anthropic:claude-sonnet-5"])
def test_token_pieces_cover_the_text(model):
    text = "héllo 🙂 wörld <table> 中文"
    pieces = tokens.token_pieces(text, model)
    assert b"".join(data for data, _ in pieces).decode("utf-8") == text
    if tokens.is_exact(model):
        assert len(pieces) == tokens.count_tokens(text, model)


def test_token_view_escapes_html_and_keeps_characters_whole():
    text = "<script>alert(1)</script> <b>x</b> 🙂"
    pieces = tokens.token_pieces(text, "gpt-4o")
    view = token_view_html(pieces)
    assert "<script" not in view and "<b>" not in view
    visible = re.sub(r"<[^>]+>", "", view)  # the text between our own tags
    assert html.unescape(visible) == text
    assert "🙂" in view and "\ufffd" not in view
    assert view.count("<span") <= len(pieces)
    assert 'title="token id ' in view and 'title="token id ' not in token_view_html(tokens.token_pieces(text, "google:gemma-3"))


def test_token_view_limit():
    text = "word " * 100
    assert token_view_html(tokens.token_pieces(text, "gpt-4o"), limit=10).count("<span") == 10


def test_chat_editor_changes_are_applied():
    frame = empty_messages()
    changed = apply_editor_changes(
        frame,
        {
            "edited_rows": {"0": {"content": "Be brief."}},
            "added_rows": [{"role": "user", "content": "hi", "example": True}, {"content": "no role"}],
            "deleted_rows": [],
        },
    )
    assert changed.to_dict(orient="records") == [
        {"role": "system", "content": "Be brief.", "example": False},
        {"role": "user", "content": "hi", "example": True},
        {"role": "user", "content": "no role", "example": False},
    ]
    assert apply_editor_changes(changed, {"deleted_rows": [0, 2]})["content"].tolist() == ["hi"]


def test_price_check_has_no_hard_problem_on_a_fixed_date():
    findings = check_prices(dt.date(2026, 11, 29))
    assert not [f for f in findings if f.hard], findings
    assert not [f for f in findings if "differs from genai-prices" in f.message]
    late = check_prices(dt.date(2027, 10, 20))
    assert any("days old" in f.message for f in late)


def test_price_check_holds_history_rows_to_notes_and_live_rows_to_hard_findings():
    """A shut-down row whose successor closed too is history (a note); a live row with a dead successor is hard."""
    from dataclasses import replace

    from calc.catalogue.options import shipped_records

    on = dt.date(2027, 5, 1)
    findings = check_prices(on)
    assert not [f for f in findings if f.hard], [f for f in findings if f.hard]
    history = [f for f in findings if f.row == "openai-gpt-4o-mini" and "successor" in f.message]
    assert history and not history[0].hard and "history row" in history[0].message
    records = dict(shipped_records())
    records["bedrock-nova-micro"] = replace(records["bedrock-nova-micro"], successor="openai-gpt-4o-mini")
    hard = [f for f in check_prices(on, records) if f.hard]
    assert [(f.row, "successor" in f.message) for f in hard] == [("bedrock-nova-micro", True)]


def test_catalogue_is_large_and_offline():
    from calc.catalogue.prompt_models import catalogue_refs

    groups = catalogue_refs()
    assert sum(len(refs) for refs in groups.values()) > 1_000 and len(groups) > 30
    assert "openai:gpt-6-luna" in groups["OpenAI"]


def test_price_check_notes_a_prompting_successor_that_has_shut_down_too(monkeypatch):
    import calc.catalogue.price_check as price_check

    real = price_check.shutdown_date
    monkeypatch.setattr(
        price_check, "shutdown_date", lambda ref: dt.date(2026, 12, 1) if ref == "openai:gpt-6.1-sol" else real(ref)
    )
    notes = [f for f in check_prices(dt.date(2026, 12, 3)) if "successor openai:gpt-6.1-sol shut down too" in f.message]
    assert notes and not any(f.hard for f in notes)
    assert {f.row for f in notes} >= {"openai:gpt-5", "openai:o3"}


def test_emptied_editor_cells_take_their_columns_empty_value():
    frame = apply_editor_changes(empty_messages(), {"added_rows": [{"role": "user", "content": "hi", "example": True}]})
    emptied = apply_editor_changes(
        frame, {"edited_rows": {"0": {"content": None}, "1": {"example": None, "role": None}}, "added_rows": [{"example": None}]}
    )
    assert emptied.to_dict(orient="records") == [
        {"role": "system", "content": "", "example": False},
        {"role": "user", "content": "hi", "example": False},
        {"role": "user", "content": "", "example": False},
    ]
    assert emptied["example"].dtype == bool


@pytest.mark.parametrize(
    "changes",
    [
        ["a"], None, 5, "x", {"edited_rows": [1]}, {"edited_rows": {"0": 5}}, {"edited_rows": {"-1": {"content": "x"}}},
        {"edited_rows": {"7": {"content": "x"}}}, {"edited_rows": {"0": {"nope": 1}}}, {"added_rows": [5, None]},
        {"added_rows": 5}, {"deleted_rows": ["x", -1, 99, None, 0.5]}, {"deleted_rows": 5},
        {"edited_rows": {-1: {"content": "x"}}},
    ],
)  # fmt: skip
def test_chat_editor_changes_a_client_made_up_leave_the_messages_as_they_were(changes):
    """The editor's state comes from the client: positions that are no row, edits and rows that are not objects, and
    unknown columns change nothing (a negative position once added a row at index -1)."""
    frame = apply_editor_changes(empty_messages(), {"added_rows": [{"role": "user", "content": "hi"}]})
    assert apply_editor_changes(frame, changes).to_dict(orient="records") == frame.to_dict(orient="records")


def test_chat_request_bodies_as_people_paste_them():
    from calc.inputs.chat_body import read_chat_body

    system = {"role": "developer", "content": [{"type": "text", "text": "Classify."}]}
    turns = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x"}, {"role": "user", "content": "b"}]
    array, body = read_chat_body([system, *turns]), read_chat_body({"model": "gpt-4o", "messages": [system, *turns]})
    anthropic = read_chat_body({"system": [{"type": "text", "text": "Classify."}], "messages": turns})
    assert array.form == body.form == "openai" and anthropic.form == "anthropic"
    assert array.messages == body.messages == anthropic.messages
    assert array.messages[0] == {"role": "system", "content": "Classify."}
    assert [r["example"] for r in array.rows(True)] == [False, True, True, False]
    assert not any(r["example"] for r in array.rows(False))
    marked = read_chat_body([{"role": "user", "content": "q", "example": True}, {"role": "user", "content": "r"}])
    assert [r["example"] for r in marked.rows(True)] == [True, False]  # the JSON's own marks win
    tool = read_chat_body([{"role": "user", "content": [{"type": "tool_result", "content": "42"}, {"type": "image"}]}])
    assert tool.messages[0]["content"] == "42" and tool.note() == "Not counted: 1 image block(s) (only text is counted)."
    for bad, words in (({"prompt": 1}, "chat JSON must be"), ([], "no messages"), ([{"role": "robot", "content": "x"}],
                       "robot"), ([{"role": "user"}], "no 'content'"), ([{"content": 3}], "content must be text")):  # fmt: skip
        with pytest.raises(ValueError, match=words):
            read_chat_body(bad)
