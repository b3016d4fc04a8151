"""Token cost: paste a prompt, see how many tokens it is in each model's own tokens and what it costs at your volume."""

import json
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from calc.catalogue.price_fetch import SourceError
from calc.catalogue.provider_rules import rule_for
from calc.costs.caching import scenario_cache_estimate
from calc.costs.latency import source_list
from calc.costs.pair import Pair
from calc.costs.requests import caching_raises_cost, reasoning_note
from calc.inputs.chat_body import read_chat_body
from calc.inputs.prompt import (
    MAX_PROMPT_CHARS,
    PastedPrompt,
    PromptCount,
    PromptTooLargeError,
    count_pasted,
    pasted_messages,
    prompt_cost_table,
    prompt_latency,
    prompt_latency_text,
    prompt_savings,
    prompt_workload,
    with_vendor_count,
)
from calc.inputs.querystring import INT_PARAMS
from calc.inputs.tokens import (
    DEFAULT_DELIMITER,
    UncountableTextError,
    count_tokens,
    delimiter_as_typed,
    parse_delimiter,
    token_pieces,
)
from calc.scenario import Scenario
from calc.text.safe_text import plain_cells, plain_markdown
from calc.tokenizers import tokenizer_for
from calc.tokenizers.convert import ratio_text
from calc.tokenizers.online import online_count, online_settings
from calc.tokenizers.ratios import CONTENT_KIND_LABELS, REFERENCE_ENCODING
from ui.binding import IN_SESSION
from ui.chat_editor import chat_messages_editor
from ui.clock import app_today
from ui.format import count, usd, usd_per_month
from ui.pair_view import page_pair, show_pair
from ui.price_status import prices_for_run, show_prices_in_force
from ui.sidebar import scenario_sidebar
from ui.token_view import VIEW_CHARS, VIEW_TOKENS, token_view_html

st.set_page_config(page_title="Token cost", page_icon="🔢", layout="wide")

SAMPLE = json.loads((Path(__file__).resolve().parent.parent / "data" / "sample_prompt.json").read_text())
COUNTS_KEY = "_prompt_counts"
MODES = ["Plain text", "Chat messages", "Chat request (JSON)"]
#: The model whose tokens are the scenario's reference (o200k_base): "Use these counts" copies its counts.
REFERENCE_MODEL = "openai:gpt-4o"


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
    added = 0 if counts.own_input_tokens is not None else own_input
    for key, value in (
        ("instruction_tokens", counts.instruction_tokens + added),
        ("examples", counts.examples),
        ("tokens_per_example", max(counts.tokens_per_example, 1)),
    ):
        spec = INT_PARAMS[key]
        st.session_state[key] = min(max(value, spec.minimum), spec.maximum)
        if st.session_state[key] != value:
            clipped.append(f"{key} {value:,} -> {st.session_state[key]:,}")
    st.session_state["_use_counts_note"] = clipped


def show_intro(scenario: Scenario, pair: Pair) -> None:
    """What to paste, and which volume, output length and models the counts use."""
    st.markdown(
        "Paste the prompt you use today. The few-shot examples are what fine-tuning removes; the instructions stay. "
        f"Costs use the scenario's volume (**{scenario.requests_per_day:,.0f}/day**) and output length "
        f"(**{scenario.output_tokens:,} o200k_base tokens**). The text is counted in each side's own tokens: the "
        f"prompting model's (**{plain_markdown(pair.prompt.label)}**) and the fine-tuned model's base "
        f"(**{plain_markdown(pair.fine_tuning.token_model)}**)."
    )


def _json_rows(holds_default: bool = True) -> tuple[list[dict], str, bool]:
    """A pasted or dropped chat request (OpenAI messages or body, Anthropic body) as rows, what was left out, and
    whether it holds the request's own input."""
    uploaded = st.file_uploader("… or drop a request file (.json)", type=["json"], key="prompt_json_file")
    text = st.text_area(
        "Chat request: an OpenAI messages array or request body, or an Anthropic {system, messages} body",
        key="prompt_json",
        height=260,
        **IN_SESSION,
    )
    if uploaded is not None:
        if uploaded.size > MAX_PROMPT_CHARS * 4:
            raise PromptTooLargeError(f"The file is {uploaded.size:,} bytes; the limit is {MAX_PROMPT_CHARS * 4:,}.")
        text = uploaded.getvalue().decode("utf-8")
    examples = st.checkbox(
        "Earlier user/assistant turns are few-shot examples",
        value=True,
        key="json_turns_are_examples",
        help='Every user and assistant message before the last user message counts as an example (what fine-tuning '
        'removes), unless the JSON marks its examples with "example": true.',
        **IN_SESSION,
    )
    holds = st.checkbox(
        "The last user message is the request's own input",
        value=holds_default,
        key="json_holds_input",
        help="On: it is counted inside the text (never cached) and the sidebar's own input is not added on top.",
        **IN_SESSION,
    )
    if not text.strip():
        return [], "", holds
    body = read_chat_body(json.loads(text))
    return body.rows(examples), body.note(), holds


def show_prompt_input() -> tuple[PastedPrompt | None, str]:
    """The prompt editor (plain text, chat messages, or a chat request as JSON) and what was pasted; None, after an
    error shown, when it cannot be read."""
    mode = st.radio("Prompt format", MODES, key="prompt_mode", horizontal=True, **IN_SESSION)
    st.button("Load an example prompt", on_click=load_sample, help="A five-example ticket classifier, to see the page at work.")
    error = None
    view_text = ""
    try:
        if mode == MODES[2]:
            rows, note, holds = _json_rows()
            if note:
                st.caption(plain_markdown(note))
            view_text = "\n\n".join(str(r["content"]) for r in rows if r["content"])
            pasted = PastedPrompt("chat", rows=tuple(rows), holds_input=holds)
        elif mode == MODES[0]:
            left, right = st.columns(2)
            instructions = left.text_area(
                "Instructions",
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
            holds = left.checkbox(
                "The instructions include the request's own input",
                key="prompt_holds_input",
                help="On: the sidebar's own input tokens are taken to be inside the instructions (never cached), not "
                "added on top. Off: each request adds them.",
                **IN_SESSION,
            )
            pasted = PastedPrompt("text", instructions, examples_text, delimiter, holds_input=holds)
            view_text = instructions + ("\n" if instructions and examples_text else "") + examples_text
        else:
            messages = chat_messages_editor()
            rows = messages.to_dict(orient="records")
            holds = st.checkbox(
                "The last user message is the request's own input",
                key="chat_holds_input",
                help="On: it is counted inside the text (never cached) and the sidebar's own input is not added on top.",
                **IN_SESSION,
            )
            pasted = PastedPrompt("chat", rows=tuple(rows), holds_input=holds)
            view_text = "\n\n".join(str(r["content"]) for r in rows if r["content"])
        check_size(pasted)
    except PromptTooLargeError as problem:
        error = str(problem)
    except (ValueError, UnicodeDecodeError) as problem:
        error = f"Could not read the prompt: {problem}"
    if error:
        st.error(plain_markdown(error))
        return None, view_text
    return pasted, view_text


def vendor_count(pasted: PastedPrompt, counts: PromptCount, pair: Pair) -> PromptCount:
    """The prompting side's count from its vendor's count-tokens endpoint where the server opted in (a key in its
    settings; see README), else the local count; a failed request keeps the local count and says why."""
    try:
        settings = online_settings(os.environ)
    except SourceError as problem:
        st.warning(plain_markdown(f"Online token counts are off: {problem}."))
        return counts
    found = online_count(pasted_messages(pasted), pair.prompt.provider_id, pair.prompt.model_id, settings)
    if found is None:
        return counts
    if found.tokens is None:
        st.warning(plain_markdown(f"{found.source} failed ({found.problem}); the local count is shown."))
        return counts
    st.caption(plain_markdown(f"{found.source} (opted in on this server): {found.tokens:,} input tokens; the local "
                              f"count was {counts.describe()}."))  # fmt: skip
    return with_vendor_count(counts, found.tokens, found.source)


def check_size(pasted: PastedPrompt) -> None:
    """Refuse an over-long paste (and an uncountable whitespace run) before any model counts it."""
    count_pasted(pasted, REFERENCE_MODEL, Scenario())


def _shown(n: int, exact: bool) -> str:
    """A part's tokens: exact, or an estimate's central figure marked as one."""
    return count(n) if exact else f"~{count(n)}"


def show_counts(scenario: Scenario, counts: PromptCount, tuned: PromptCount, pair: Pair, pasted: bool) -> None:
    """The prompt's tokens in the prompting model's own tokens (a range where estimated), the fine-tuned side's, and
    which the page prices: the pasted text, or (nothing pasted yet) the link's scenario."""
    if not pasted:
        st.info(
            plain_markdown(
                f"Nothing pasted yet: pricing the link's scenario — {scenario.examples} examples x "
                f"{scenario.tokens_per_example:,} tokens and {scenario.static_instruction_tokens:,} static instruction "
                f"tokens + {scenario.request_own_tokens:,} of each request's own input, in {REFERENCE_ENCODING} "
                f"tokens (the scenario's reference encoding), each route converting them to its own tokens for "
                f"{CONTENT_KIND_LABELS[scenario.content_kind]} ({ratio_text(pair.prompt.model_id, scenario.content_kind)} "
                f"prompting, {ratio_text(pair.fine_tuning.token_model, scenario.content_kind)} fine-tuned). "
                "Paste your instructions and few-shot examples above (or load the example prompt) to price them instead."
            ),
            icon=":material/info:",
        )
    total = count(counts.total_tokens) if counts.exact or counts.low is None else f"{count(counts.low)}-{count(counts.high)}"
    cols = st.columns(4)
    cols[0].metric("Prompt tokens", total, help=plain_markdown(counts.describe()))
    cols[1].metric(
        "Instruction tokens", _shown(counts.instruction_tokens, counts.exact), help="Stay in every request, fine-tuned or not."
    )
    cols[2].metric(
        "Example tokens",
        _shown(counts.example_tokens, counts.exact),
        help=f"The part fine-tuning removes: {counts.examples} examples, "
        f"{count(counts.tokens_per_example)} tokens each on average.",
    )
    output = prompt_workload(counts, scenario, False).output_tokens if pasted else scenario.output_tokens
    cols[3].metric(
        "Output tokens (assumed)",
        _shown(output, counts.exact),
        help=f"The sidebar's {scenario.output_tokens:,} o200k_base output tokens, in this model's tokens.",
    )
    if pasted:
        st.caption(f"{counts.examples} examples found · counting: {plain_markdown(_how(counts))}")
        st.table(
            plain_cells(
                pd.DataFrame(
                    {
                        "Side": ["Prompting", "Fine-tuned (its base model)"],
                        "Model": [pair.prompt.model_id, pair.fine_tuning.token_model],
                        "Tokenizer": [counts.tokenizer, tuned.tokenizer],
                        "Prompt tokens": [counts.describe(), tuned.describe()],
                        "Kept after fine-tuning": [
                            _shown(counts.instruction_tokens, counts.exact),
                            _shown(tuned.instruction_tokens, tuned.exact),
                        ],
                    }
                ),
                ["Model", "Tokenizer"],
            ),
            hide_index=True,
        )
    else:
        st.caption(f"The scenario's prompt in {REFERENCE_ENCODING} tokens · {counts.examples} examples")


def _how(counts: PromptCount) -> str:
    """How the prompting side was counted: exact with its vocabulary, or the estimate's ratio and source."""
    if counts.exact or counts.ratio is None:
        return f"exact ({counts.tokenizer})"
    ratio = counts.ratio
    return (
        f"{counts.describe()} — {counts.tokenizer}: {ratio.describe()} "
        f"({ratio.confidence}; {ratio.source}; as of {ratio.as_of})"
    )


def _hit_rate_text(scenario: Scenario) -> str:
    """The hit rate in force and where it comes from: entered in the sidebar, or estimated from traffic."""
    if scenario.cache_hit_pct is not None:
        return f"{scenario.cache_hit_pct}% (entered in the sidebar)"
    return f"estimated {scenario_cache_estimate(scenario).text}; enter a rate in the sidebar (with caching on) to override it"


def show_costs(scenario: Scenario, pair: Pair, counts: PromptCount, tuned: PromptCount) -> None:
    """The prompt's cost as pasted, with caching and fine-tuned (each side in its own tokens), the two savings, and how
    caching splits the prompt."""
    option, prompting = pair.option, pair.prompt
    costs = prompt_cost_table(counts, scenario, pair, tuned)
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
    work = prompt_workload(counts, scenario, True)
    own = (
        f"each request adds **{count(work.own_input_tokens)}** tokens of its own input (the sidebar's, in this model's "
        "tokens), never cached"
        if counts.own_input_tokens is None
        else f"**{count(work.own_input_tokens)}** of them are the request's own input, inside the text, never cached"
    )
    st.caption(
        f"Split used: the prompt is the static prefix ({count(work.static_prefix_tokens)} tokens), of which "
        f"**{count(cached_prefix)}** can be read from cache by {plain_markdown(prompting.provider_name)}'s rule "
        f"({rule.describe()}); {count(work.static_prefix_tokens - cached_prefix)} static tokens stay uncached; {own}. "
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
    st.markdown("**Latency.** " + plain_markdown(prompt_latency_text(counts, scenario, pair, tuned)))
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
    """The prompt's first tokens in the prompting model's vocabulary (the estimate's base encoding where it has none),
    coloured, with their ids on hover where they are the model's own."""
    st.subheader("Token view")
    if not view_text:
        st.caption("Nothing to show yet.")
        return
    try:
        pieces = token_pieces(view_text[:VIEW_CHARS], model_id)
        total = count_tokens(view_text, REFERENCE_MODEL) if len(view_text) > VIEW_CHARS else len(pieces)
        left_out = total - min(len(pieces), VIEW_TOKENS)
    except UncountableTextError as problem:  # instructions and examples joined can make a run neither has alone
        st.caption(f"The token view cannot show this prompt: {problem}")
        return
    st.html(token_view_html(pieces))
    shown = min(len(pieces), VIEW_TOKENS)
    tokenizer = tokenizer_for(model_id)
    whose = tokenizer.label if tokenizer.exact else f"{REFERENCE_ENCODING}, the estimate's base ({tokenizer.label})"
    st.caption(
        plain_markdown(f"Showing the first {shown:,} tokens in {whose}; hover a token for its id.")
        + (f" {left_out:,} more tokens are not shown." if left_out > 0 else "")
    )


today = app_today()
scenario, pair = page_pair(scenario_sidebar("token_cost", today), today)
st.title("Token cost")
show_prices_in_force(prices_for_run())
show_pair(pair)
show_intro(scenario, pair)
pasted, view_text = show_prompt_input()
if pasted is None:
    st.stop()
if pasted.empty:
    counts = tuned = PromptCount.from_scenario(scenario)
else:
    counts = vendor_count(pasted, count_pasted(pasted, pair.prompt.model_id, scenario), pair)
    tuned = count_pasted(pasted, pair.fine_tuning.token_model, scenario)
    st.session_state[COUNTS_KEY] = count_pasted(pasted, REFERENCE_MODEL, scenario)
show_counts(scenario, counts, tuned, pair, not pasted.empty)
show_costs(scenario, pair, counts, tuned)
if not pasted.empty:
    show_use_counts()
show_token_view(view_text, pair.prompt.model_id)
