"""Token cost: paste a prompt, see exactly how many tokens it is and what it costs at your volume."""

import json
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import streamlit as st

from calc.catalogue.provider_rules import rule_for
from calc.costs.caching import scenario_cache_estimate
from calc.costs.latency import source_list
from calc.costs.pair import Pair
from calc.costs.requests import caching_raises_cost, reasoning_note
from calc.inputs.prompt import (
    MAX_PROMPT_CHARS,
    PromptCount,
    PromptTooLargeError,
    count_chat_prompt,
    count_text_prompt,
    prompt_cost_table,
    prompt_latency,
    prompt_latency_text,
    prompt_savings,
    prompt_workload,
)
from calc.inputs.querystring import INT_PARAMS
from calc.inputs.tokens import (
    DEFAULT_DELIMITER,
    ESTIMATE_ENCODING,
    UncountableTextError,
    count_tokens,
    delimiter_as_typed,
    parse_delimiter,
    token_spans,
)
from calc.scenario import Scenario
from calc.text.safe_text import plain_cells, plain_markdown
from ui.binding import IN_SESSION
from ui.chat_editor import chat_messages_editor
from ui.clock import app_today
from ui.format import count, usd, usd_per_month
from ui.pair_view import page_pair, show_pair
from ui.price_status import prices_for_run, show_prices_in_force
from ui.sidebar import scenario_sidebar
from ui.token_view import VIEW_CHARS, VIEW_TOKENS, token_view_html

st.set_page_config(page_title="Token cost", page_icon="🔢", layout="wide")
TIKTOKEN_VERSION = version("tiktoken")

SAMPLE = json.loads((Path(__file__).resolve().parent.parent / "data" / "sample_prompt.json").read_text())
COUNTS_KEY = "_prompt_counts"


def load_sample() -> None:
    """Fill the plain-text fields with the sample prompt (a button callback)."""
    st.session_state["prompt_mode"] = "Plain text"
    st.session_state["prompt_instructions"] = SAMPLE["instructions"]
    st.session_state["prompt_examples"] = SAMPLE["examples"]
    st.session_state["example_delimiter"] = delimiter_as_typed(DEFAULT_DELIMITER)


def use_counts() -> None:
    """Copy the last counts into the shared scenario (and so into the URL)."""
    counts: PromptCount | None = st.session_state.get(COUNTS_KEY)
    if counts is None:
        return
    clipped = []
    own_input = int(st.session_state.get("request_input_tokens") or Scenario().request_input_tokens)
    for key, value in (
        ("instruction_tokens", counts.instruction_tokens + own_input),
        ("examples", counts.examples),
        ("tokens_per_example", max(counts.tokens_per_example, 1)),
    ):
        spec = INT_PARAMS[key]
        st.session_state[key] = min(max(value, spec.minimum), spec.maximum)
        if st.session_state[key] != value:
            clipped.append(f"{key} {value:,} -> {st.session_state[key]:,}")
    st.session_state["_use_counts_note"] = clipped


def show_intro(scenario: Scenario, model_label: str) -> None:
    """What to paste, and which volume, output length and model the counts use."""
    st.markdown(
        "Paste the prompt you use today. The few-shot examples are what fine-tuning removes; the instructions stay. "
        f"Counts and costs use the scenario's volume (**{scenario.requests_per_day:,.0f}/day**) and output length "
        f"(**{scenario.output_tokens:,} tokens**), and the prompting model chosen in the sidebar "
        f"(**{plain_markdown(model_label)}**)."
    )


def show_prompt_input(model_id: str) -> tuple[PromptCount | None, str]:
    """The prompt editor (plain text or chat messages) and its counts; None, after an error shown, when it cannot be read."""
    mode = st.radio("Prompt format", ["Plain text", "Chat messages"], key="prompt_mode", horizontal=True, **IN_SESSION)
    st.button("Load an example prompt", on_click=load_sample, help="A five-example ticket classifier, to see the page at work.")
    error = None
    view_text = ""
    try:
        if mode == "Plain text":
            left, right = st.columns(2)
            instructions = left.text_area(
                "Instructions (and the request's own input)",
                key="prompt_instructions",
                height=260,
                **IN_SESSION,
                help=f"Everything that stays in the prompt after fine-tuning. Up to {MAX_PROMPT_CHARS:,} characters in all.",
            )
            examples_text = right.text_area("Few-shot examples", key="prompt_examples", height=260, **IN_SESSION)
            raw_delimiter = right.text_input(
                "Example delimiter (\\n = new line)",
                value=delimiter_as_typed(DEFAULT_DELIMITER),
                key="example_delimiter",
                **IN_SESSION,
            )
            delimiter = parse_delimiter(raw_delimiter) if raw_delimiter else DEFAULT_DELIMITER
            counts = count_text_prompt(instructions, examples_text, model_id, delimiter)
            view_text = instructions + ("\n" if instructions and examples_text else "") + examples_text
        else:
            messages = chat_messages_editor()
            rows = messages.to_dict(orient="records")
            counts = count_chat_prompt(rows, model_id)
            view_text = "\n\n".join(str(r["content"]) for r in rows if r["content"])
    except PromptTooLargeError as problem:
        error = str(problem)
    except (ValueError, UnicodeDecodeError) as problem:
        error = f"Could not read the prompt: {problem}"
    if error:
        st.error(plain_markdown(error))
        return None, view_text
    return counts, view_text


def show_counts(scenario: Scenario, counts: PromptCount, model_label: str) -> None:
    """The prompt's tokens: total, instructions, examples and the assumed output."""
    kind = f"exact ({counts.encoding})" if counts.exact else f"estimate ({ESTIMATE_ENCODING})"
    if not counts.exact:
        st.caption(
            f"**Estimate:** tiktoken {TIKTOKEN_VERSION} knows no tokenizer for {plain_markdown(model_label)} and its own is not "
            f"available offline, so its tokens are counted with {ESTIMATE_ENCODING} (the encoding of OpenAI's gpt-4o and newer "
            "models); real counts usually differ by a few percent to ~20%."
        )
    cols = st.columns(4)
    cols[0].metric("Prompt tokens", count(counts.total_tokens), help=f"Counting: {kind}.")
    cols[1].metric("Instruction tokens", count(counts.instruction_tokens), help="Stay in every request, fine-tuned or not.")
    cols[2].metric(
        "Example tokens",
        count(counts.example_tokens),
        help=f"The part fine-tuning removes: {counts.examples} examples, "
        f"{count(counts.tokens_per_example)} tokens each on average.",
    )
    cols[3].metric(
        "Output tokens (assumed)", count(scenario.output_tokens), help="From the scenario's output tokens in the sidebar."
    )
    st.caption(f"{counts.examples} examples found · counting: {kind}")

    if counts.total_tokens == 0:
        st.info("Paste your instructions and few-shot examples above (or load the example prompt) to see their tokens and cost.")


def _hit_rate_text(scenario: Scenario) -> str:
    """The hit rate in force and where it comes from: entered in the sidebar, or estimated from traffic."""
    if scenario.cache_hit_pct is not None:
        return f"{scenario.cache_hit_pct}% (entered in the sidebar)"
    return f"estimated {scenario_cache_estimate(scenario).text}; enter a rate in the sidebar (with caching on) to override it"


def show_costs(scenario: Scenario, pair: Pair, counts: PromptCount) -> None:
    """The prompt's cost as pasted, with caching and fine-tuned, the two savings, and how caching splits the prompt."""
    option, prompting = pair.option, pair.prompt
    costs = prompt_cost_table(counts, scenario, pair)
    rule = rule_for(prompting.provider_id, prompting.model_id)
    savings = prompt_savings(costs)
    cached_prefix = savings.cached_prefix_tokens
    st.subheader(f"What it costs at {scenario.requests_per_day:,.0f} requests/day")
    st.table(
        plain_cells(
            pd.DataFrame(
                {
                    "Approach": costs["approach"],
                    "Input tokens (cached)": [
                        f"{count(i)} ({count(c)})" for i, c in zip(costs["input_tokens"], costs["cached_tokens"], strict=True)
                    ],
                    "Output tokens": costs["output_tokens"].map(count),
                    "Per request": costs["usd_per_request"].map(usd),
                    "Per day": costs["usd_per_day"].map(usd),
                    "Per month": costs["usd_per_month"].map(usd),
                }
            ),
            ["Approach"],
        ),
        hide_index=True,
    )
    reasoning = reasoning_note(prompt_workload(counts, scenario, False), prompting)
    if reasoning:
        st.caption(plain_markdown(reasoning))
    cols = st.columns(2)
    cols[0].metric(
        "Monthly saving from fine-tuning",
        usd_per_month(savings.fine_tuning_usd),
        help="Prompting as pasted minus the fine-tuned model without examples (its prices are higher per token).",
    )
    cols[1].metric(
        "Monthly saving from prompt caching",
        usd_per_month(savings.caching_usd),
        help=plain_markdown(f"{prompting.provider_name}: {rule.describe()}. Source: {rule.source}."),
    )
    st.caption(
        f"Split used: the pasted prompt is the static prefix ({count(counts.total_tokens)} tokens), of which "
        f"**{count(cached_prefix)}** can be read from cache by {plain_markdown(prompting.provider_name)}'s rule "
        f"({rule.describe()}); {count(counts.total_tokens - cached_prefix)} static tokens stay uncached, and each request "
        f"adds **{count(scenario.request_own_tokens)}** tokens of its own input (sidebar), never cached. "
        f"Hit rate: {_hit_rate_text(scenario)}."
    )
    dearer = caching_raises_cost(prompt_workload(counts, scenario, True), prompting)
    if dearer:
        st.warning(plain_markdown(dearer), icon=":material/trending_up:")
    if cached_prefix:
        st.caption(f"The static prefix is {count(counts.total_tokens)} tokens: long enough to be cached.")
    else:
        st.caption(
            f"The static prefix is {count(counts.total_tokens)} tokens: below the {count(rule.min_cache_prefix_tokens)} "
            "this provider needs for prompt caching."
        )
    latency = prompt_latency(counts, scenario, pair)
    st.markdown("**Latency.** " + plain_markdown(prompt_latency_text(counts, scenario, pair)))
    with st.expander("Where the latency figures come from", icon=":material/timer:"):
        st.markdown(plain_markdown(source_list(latency)))
    st.caption(
        plain_markdown(
            f"Prices: prompting — {prompting.label} from {prompting.catalogue} on {pair.on.isoformat()} ({prompting.source}); "
            f"fine-tuned — {option.source} (as of {option.as_of})."
        )
    )


def show_use_counts() -> None:
    """The button that copies the counts into the scenario, and what it did."""
    st.button(
        "Use these counts in the scenario",
        on_click=use_counts,
        type="primary",
        help="Sets instruction tokens (the pasted instructions plus each request's own input), examples and tokens per "
        "example in the sidebar (and the link).",
    )
    note = st.session_state.pop("_use_counts_note", None)
    if note is not None:
        clipped = f" Clipped to the sidebar's range: {'; '.join(note)}." if note else ""
        st.success("The scenario now uses these counts." + clipped)


def show_token_view(view_text: str, model_id: str) -> None:
    """The prompt's first tokens, coloured, with their ids on hover."""
    st.subheader("Token view")
    if not view_text:
        st.caption("Nothing to show yet.")
        return
    try:
        ids, spans = token_spans(view_text[:VIEW_CHARS], model_id)
        left_out = (count_tokens(view_text, model_id) if len(view_text) > VIEW_CHARS else len(ids)) - min(len(ids), VIEW_TOKENS)
    except UncountableTextError as problem:  # instructions and examples joined can make a run neither has alone
        st.caption(f"The token view cannot show this prompt: {problem}")
        return
    st.html(token_view_html(view_text[:VIEW_CHARS], ids, spans))
    shown = min(len(ids), VIEW_TOKENS)
    st.caption(
        f"Showing the first {shown:,} tokens; hover a token for its id."
        + (f" {left_out:,} more tokens are not shown." if left_out > 0 else "")
    )


today = app_today()
scenario, pair = page_pair(scenario_sidebar("token_cost", today), today)
st.title("Token cost")
show_prices_in_force(prices_for_run())
show_pair(pair)
show_intro(scenario, pair.prompt.label)
counts, view_text = show_prompt_input(pair.prompt.model_id)
if counts is None:
    st.stop()
st.session_state[COUNTS_KEY] = counts
show_counts(scenario, counts, pair.prompt.label)
show_costs(scenario, pair, counts)
show_use_counts()
show_token_view(view_text, pair.prompt.model_id)
