import json

import pytest

from calc.inputs import prompt
from calc.inputs.chat_body import read_chat_body
from calc.inputs.prompt import MAX_PROMPT_CHARS
from calc.inputs.tokens import count_tokens
from calc.scenario import Scenario
from calc.text.safe_text import JOINER
from calc.tokenizers import count
from tests.app.conftest import metrics, run_default, run_page

PAGE = "pages/2_Token_cost.py"
EXAMPLES = "Q: great film\nA: positive\n\n---\nQ: dull plot\nA: negative\n\n---\nQ: loved it\nA: positive"


def plain(markdown: str) -> str:
    """A caption's text without the joiners and escapes that keep pasted text inert."""
    return markdown.replace(JOINER, "").replace("\\", "")


def button(at, label):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("pair", [{}, {"prompt_model": "anthropic:claude-sonnet-5", "option": "selfhosted-llama-3.1-8b"}])
def test_with_nothing_pasted_the_page_prices_the_links_scenario(pair):
    """Issue 29 item 11: a link setting 8 x 150-token examples gives the home page's saving, and says what it prices."""
    link = {"examples": "8", "tokens_per_example": "150", "content_kind": "german_french", **pair}
    page, home = run_default(PAGE, link), run_default("streamlit_app.py", link)
    assert not page.exception and not home.exception
    shown = metrics(page)
    assert shown["Monthly saving from fine-tuning"] == metrics(home)["Monthly savings"]
    assert shown["Example tokens"] == "1,200" and shown["Prompt tokens"] != "0"
    note = next(i.value for i in page.info if "Nothing pasted yet" in i.value).replace("\\", "")
    assert "8 examples x 150 tokens" in note and "o200k_base tokens (the scenario's reference encoding)" in note


def test_pasted_text_is_counted_and_priced():
    at = run_page(PAGE)
    at.text_area(key="prompt_instructions").input("Classify the review as positive or negative.").run()
    at.text_area(key="prompt_examples").input(EXAMPLES).run()
    assert not at.exception
    shown = metrics(at)  # the article's link: prompting gpt-4o-mini, counted exactly in o200k_base
    instructions = count_tokens("Classify the review as positive or negative.", "gpt-4o-mini")
    assert shown["Instruction tokens"] == str(instructions)
    assert shown["Example tokens"] == str(count_tokens(EXAMPLES, "gpt-4o-mini"))
    assert any("3 examples found" in c.value for c in at.caption)
    sides, costs = at.table[0].value, at.table[1].value
    assert sides["Side"].tolist() == ["Prompting", "Fine-tuned (its base model)"]
    assert len(costs) == 3 and costs["Per month"].str.startswith("$").all()


def test_use_these_counts_sets_the_scenario():
    at = run_page(PAGE)
    at.text_area(key="prompt_instructions").input("Classify the review as positive or negative.").run()
    at.text_area(key="prompt_examples").input(EXAMPLES).run()
    button(at, "Use these counts in the scenario").click().run()
    assert not at.exception
    assert at.slider(key="examples").value == 3
    instructions = count_tokens("Classify the review as positive or negative.", "gpt-4o")
    own_input = at.number_input(key="request_input_tokens").value  # each request's own input rides on the instructions
    assert at.number_input(key="instruction_tokens").value == instructions + own_input
    assert at.number_input(key="tokens_per_example").value == round(count_tokens(EXAMPLES, "gpt-4o") / 3)
    assert any("now uses these counts" in s.value for s in at.success)


def test_example_prompt_and_special_tokens():
    at = run_page(PAGE)
    button(at, "Load an example prompt").click().run()
    assert metrics(at)["Prompt tokens"] != "0"
    at.text_area(key="prompt_instructions").input("<|endoftext|> <|im_start|>system").run()
    assert not at.exception
    assert metrics(at)["Instruction tokens"] == str(count_tokens("<|endoftext|> <|im_start|>system", "gpt-4o"))


def test_too_large_paste_is_refused_with_a_message():
    at = run_page(PAGE)
    at.text_area(key="prompt_instructions").input("x" * (MAX_PROMPT_CHARS + 10)).run()
    assert not at.exception
    assert any("the limit is 2,000,000" in e.value for e in at.error)


def test_each_side_is_counted_in_its_own_tokens():
    at = run_page(PAGE, {"prompt_model": "anthropic:claude-haiku-5-5", "option": "selfhosted-llama-3.1-8b"})
    text = "Der Kunde möchte die Bestellung stornieren und das Geld zurück."
    at.text_area(key="prompt_instructions").input(text).run()
    assert not at.exception
    claude = count(text, "anthropic:claude-haiku-5-5")
    assert metrics(at)["Prompt tokens"] == f"{claude.low:,}-{claude.high:,}"  # an estimate: never a bare number
    assert any(f"estimate: {claude.low:,}-{claude.high:,} Claude tokens" in plain(c.value) for c in at.caption)
    sides = at.table[0].value
    llama = count(text, "groq:llama-3.1-8b-instant")
    assert sides["Prompt tokens"].tolist()[1] == f"{llama.tokens:,} Llama 3 tokens (exact)"
    at.selectbox(key="prompt_provider").set_value("OpenAI").run()
    at.selectbox(key="prompt_model").set_value("openai:gpt-4o").run()
    assert not any("estimate:" in plain(c.value) for c in at.caption)
    assert any("exact (OpenAI o200k_base)" in plain(c.value) for c in at.caption)


def test_a_pasted_chat_request_is_counted_as_chat():
    body = {
        "system": "You classify support tickets.",
        "messages": [
            {"role": "user", "content": "I was charged twice"},
            {"role": "assistant", "content": "billing"},
            {"role": "user", "content": [{"type": "text", "text": "Where is my parcel?"}, {"type": "image"}]},
        ],
    }
    at = run_page(PAGE)
    at.radio(key="prompt_mode").set_value("Chat request (JSON)").run()
    at.text_area(key="prompt_json").input(json.dumps(body)).run()
    assert not at.exception
    assert any("1 examples found" in c.value for c in at.caption)
    assert any("Not counted: 1 image block(s)" in plain(c.value) for c in at.caption)
    rows = read_chat_body(body).rows(True)
    expected = prompt.count_pasted(prompt.PastedPrompt("chat", rows=tuple(rows), holds_input=True), "gpt-4o-mini", Scenario())
    shown = metrics(at)
    assert shown["Prompt tokens"] == f"{expected.total_tokens:,}" and shown["Example tokens"] == str(expected.example_tokens)
    assert at.table[1].value["Input tokens (cached)"].iloc[0].startswith(f"{expected.total_tokens:,} ")  # own input inside
    at.text_area(key="prompt_json").input("[{").run()
    assert not at.exception and any("Could not read the prompt" in e.value for e in at.error)


def test_an_em_dash_delimiter_counts_three_examples():
    at = run_page(PAGE)
    at.text_area(key="prompt_examples").input("Q: a\nA: 1\n—\nQ: b\nA: 2\n—\nQ: c\nA: 3").run()
    at.text_input(key="example_delimiter").input("\\n—\\n").run()
    assert not at.exception
    assert any("3 examples found" in c.value for c in at.caption)


def test_a_huge_blank_run_is_reported_not_a_crash():
    at = run_page(PAGE)
    at.text_area(key="prompt_instructions").input("x" + " " * 1_100_000 + "y").run()
    assert not at.exception
    assert any("in a row" in e.value for e in at.error)


@pytest.mark.parametrize(
    ("option", "requests_per_day"),
    [
        ("vertex-gemini-3.1-flash-lite", 10),  # serverless
        ("azure-gpt-4.1-mini", 10_000),  # deployment by the hour
        ("bedrock-nova-micro", 1_000_000),  # per token + storage
        ("fireworks-up-to-16b", 1_000_000),  # dedicated GPUs sized for the prompt and the volume: 3 at 1,000 output
        ("together-lora-17-69b", 10_000),  # dedicated: two GPUs at least
        ("bedrock-claude-3-haiku", 10),  # provisioned, rate not published
    ],
)
def test_token_cost_page_prices_fine_tuning_as_the_home_page(option, requests_per_day):
    """The audit case: the Token cost page and the home page show one fine-tuned monthly cost for one workload (the
    link's, nothing pasted: each route converts its o200k_base counts to its own tokens the same way)."""
    link = {"option": option, "requests_per_day": str(requests_per_day), "output_tokens": "1000", "request_input_tokens": "100"}
    page, home = run_default(PAGE, link), run_default("streamlit_app.py", link)
    assert not page.exception and not home.exception
    table = page.table[0].value
    tuned = table[table["Approach"].str.startswith("Fine-tuned")]["Per month"].iloc[0]
    assert metrics(home)["Fine-tuned per month"] == tuned + "/mo"


def test_a_long_blank_run_in_the_examples_gets_a_message_and_stays():
    blank = " " * 100_001
    at = run_page(PAGE)
    at.text_area(key="prompt_examples").input(blank).run()
    assert not at.exception
    assert any("cannot count" in e.value for e in at.error)
    assert at.text_area(key="prompt_examples").value == blank


def test_a_blank_run_made_by_joining_both_areas_leaves_the_counts():
    half = " " * 60_000
    at = run_page(PAGE)
    at.text_area(key="prompt_instructions").input("Classify." + half).run()
    at.text_area(key="prompt_examples").input(half + "Q: a\nA: b").run()
    assert not at.exception
    assert any("token view cannot show" in c.value for c in at.caption)
    assert metrics(at)["Prompt tokens"] != "0"


def test_rare_traffic_says_caching_costs_more_and_shows_the_estimate():
    # gpt-6-luna bills cache writes at 1.25x input; at 10 requests/day its 30-minute cache hits 18.8% of requests
    long_examples = "\n\n---\n".join(f"Q: review number {i} " + "word " * 120 + "\nA: positive" for i in range(10))
    at = run_default(PAGE, {"caching": "true", "requests_per_day": "10"})
    at.text_area(key="prompt_instructions").input("Classify the review as positive or negative. " * 20).run()
    at.text_area(key="prompt_examples").input(long_examples).run()
    assert not at.exception
    warnings = [w.value.replace(JOINER, "") for w in at.warning]  # joiners keep outside text inert
    assert any("Prompt caching costs more on OpenAI GPT-6 Luna: at a 18.8% hit rate" in w for w in warnings)
    assert any("estimated 18.8% = 1 - exp(-0.00694 requests/min x 30 min" in c.value for c in at.caption)
    at.number_input(key="cache_hit_pct").set_value(95).run()  # an entered rate overrides the estimate
    assert not any("Prompt caching costs more" in w.value for w in at.warning)
    assert any("95% (entered in the sidebar)" in c.value for c in at.caption)


def test_the_token_cost_page_says_what_reasoning_adds():
    # The default pair prompts GPT-6 Luna, which reasons at its default effort (76 tokens a request, issue 29): the
    # prompting row bills them as output, and the page says what they add a request and a month.
    at = run_default(PAGE)
    at.text_area(key="prompt_instructions").input("Classify the review as positive or negative.").run()
    at.text_area(key="prompt_examples").input(EXAMPLES).run()
    assert not at.exception
    table = next(t.value for t in at.table if "Output tokens" in t.value.columns)  # the costs table
    assert table["Output tokens"].iloc[0] == "126"  # 50 answer + 76 reasoning tokens
    note = next(c.value for c in at.caption if "reasons before it answers" in c.value).replace(JOINER, "").replace("\\", "")
    assert "76 reasoning tokens billed as output (its default effort, medium" in note
    assert note.endswith("it adds $0.000038 a request, $11.40/mo at 10,000 requests/day.")
    at.selectbox(key="reasoning_effort").set_value("none").run()
    assert not any("reasons before it answers" in c.value for c in at.caption)


def test_a_server_that_opts_in_counts_claude_with_anthropics_endpoint(monkeypatch):
    """EXPLORER_ANTHROPIC_COUNT_KEY on: the prompting side is priced with the vendor's count (a loopback fake here)."""
    from calc.tokenizers import online
    from tests.count_server import CountServer

    online._post.cache_clear()
    with CountServer(tokens=4321) as server:
        monkeypatch.setenv("EXPLORER_ANTHROPIC_COUNT_KEY", "sk-test")
        monkeypatch.setenv("EXPLORER_ANTHROPIC_COUNT_URL", server.url + "/v1/messages/count_tokens")
        at = run_page(PAGE, {"prompt_model": "anthropic:claude-sonnet-5"})
        at.text_area(key="prompt_instructions").input("Classify the review as positive or negative.").run()
    assert not at.exception
    assert metrics(at)["Prompt tokens"] == "4,321"
    assert any("Anthropic count_tokens (opted in on this server): 4,321 input tokens" in plain(c.value) for c in at.caption)
    assert server.requests and server.requests[-1]["body"]["model"] == "claude-sonnet-5"
