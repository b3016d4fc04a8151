"""The scenario controls every page shares, bound to the URL and kept across page switches."""

from __future__ import annotations

import contextlib
import datetime as dt
from functools import lru_cache

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitAPIException

from calc.article.quality import quality_table
from calc.catalogue.options import FineTuneOption, records_for
from calc.catalogue.prompt_models import (
    RECOMMENDED,
    base_prompt_ref,
    catalogue_refs,
    recommended_refs,
    resolve_prompt_model,
    shut_down_refs,
    shutdown_date,
)
from calc.catalogue.status import option_status
from calc.costs.caching import cache_estimate
from calc.costs.reasoning import reasoning_tokens
from calc.costs.upfront import rates_guidance
from calc.inputs.querystring import (
    EVAL_COUNTS,
    FLOAT_PARAMS,
    INT_PARAMS,
    PAGE_PARAMS,
    SCENARIO_PARAMS,
    STATUS_SEPARATOR,
    eval_counts_text,
    page_param_text,
    parse_eval_counts,
    parse_page_params,
    parse_scenario_params,
    scenario_from_values,
    volume_steps,
)
from calc.scenario import CONTENT_KINDS, LABELLING_MODES, REASONING_EFFORTS, Scenario
from calc.text.safe_text import plain_markdown
from ui.assumptions import current_options, edited_options
from ui.binding import IN_LINK
from ui.clock import app_today
from ui.pair_view import show_status
from ui.present import apply_presentation, presentation_toggle, presenting, share_link

DEFAULTS = Scenario()
#: The work before training, the distillation teacher and the latency target (issue 22), in the sidebar's order.
WORK_KEYS = (
    "data_cost_per_example",
    "label_hours_per_100",
    "eval_examples",
    "engineering_hours",
    "hourly_rate",
    "maintenance_usd_per_month",
    "labelling",
    "teacher_model",
    "ttft_target_ms",
)
SHARED = IN_LINK
SNAPSHOT_KEY = "_scenario_snapshot"
TODAY_KEY = "_today"
LINK_PROBLEMS_KEY = "_link_problems"
#: Always written into a share link, so it never reads as an old single-option link.
PAIR_KEYS = ("prompt_model", "option")
PAGES = (
    ("streamlit_app.py", "Volume decision", ":material/show_chart:"),
    ("pages/1_All_routes.py", "All routes", ":material/route:"),
    ("pages/2_Token_cost.py", "Token cost", ":material/token:"),
    ("pages/3_Quality_and_decision.py", "Quality & decision", ":material/alt_route:"),
    ("pages/4_Training_data.py", "Training data", ":material/dataset:"),
    ("pages/5_Cost_over_time.py", "Cost over time", ":material/timeline:"),
    ("pages/6_Self_hosted.py", "Self-hosted", ":material/dns:"),
    ("pages/7_Assumptions.py", "Assumptions", ":material/menu_book:"),
)
WIDGET_DEFAULTS: dict[str, object] = {
    **{key: getattr(DEFAULTS, key) for key in ("examples", "tokens_per_example", "instruction_tokens", "output_tokens")},
    **{key: getattr(DEFAULTS, key) for key in ("option", "prompt_model", "pricing", "caching", "training_examples")},
    "reasoning_effort": DEFAULTS.reasoning_effort,
    "training_price": None,
    "training_hours": None,
    **{key: getattr(DEFAULTS, key) for key in ("request_input_tokens", "cache_hit_pct", "batch_pct", "peak_factor")},
    "requests_per_day": int(DEFAULTS.requests_per_day),
    "tokens_per_training_example": DEFAULTS.tokens_per_training_example,
    "epochs": 0,
    "horizon_months": DEFAULTS.horizon_months,
    "task": DEFAULTS.task,
    "error_cost": DEFAULTS.error_cost,
    "target_accuracy": DEFAULTS.target_accuracy,
    "eval_counts": DEFAULTS.eval_counts,
    # Hosting that scales (issue 21)
    "active_hours": DEFAULTS.active_hours,
    "finetunes_per_deployment": DEFAULTS.finetunes_per_deployment,
    "content_kind": DEFAULTS.content_kind,
    # --- the work before training, distillation, latency target (issue 22) ---
    **{key: getattr(DEFAULTS, key) for key in WORK_KEYS},
}


@st.cache_data(show_spinner=False)
def task_labels() -> dict[str, str]:
    """Task id -> the article's task name."""
    table = quality_table()
    return dict(zip(table.index, table["task"], strict=True))


def option_text(option: FineTuneOption, today: dt.date) -> str:
    """How the picker (and so the URL) names an option: its label, plus its status when a new customer cannot use it."""
    status = option_status(option, today)
    marks = [] if status.usable_by_new_customer else [status.headline]
    if option.confidence == "unverified":
        marks.append("unverified prices")
    if not option.training_price_published:
        marks.append("training price not published")
    return STATUS_SEPARATOR.join([option.label, *marks])


def prompt_model_text(ref: str, today: dt.date) -> str:
    """How the picker (and so the URL) names a prompting model: `provider:model`, marked when shut down on `today`."""
    if ref not in shut_down_refs(today):
        return ref
    return f"{ref}{STATUS_SEPARATOR}shut down {shutdown_date(ref).isoformat()}"


def _slider(label: str, key: str, default: int, help_text: str, step: int = 1) -> int:
    """A bound whole-number slider over the input's one accepted range (calc/inputs/querystring.py INT_PARAMS)."""
    spec = INT_PARAMS[key]
    return st.slider(label, spec.minimum, spec.maximum, default, step, key=key, help=help_text, **SHARED)


def _number(label: str, key: str, default: int, step: int, help_text: str) -> int:
    spec = INT_PARAMS[key]
    return st.number_input(label, spec.minimum, spec.maximum, default, step, key=key, help=help_text, **SHARED)


def _cache_hit_input(values: dict[str, object]) -> int | None:
    """The cache hit rate: empty = estimated from the request rate and the provider's cache lifetime (shown)."""
    spec = INT_PARAMS["cache_hit_pct"]
    entered = st.number_input(
        "Cache hit rate (%, empty = estimated)",
        spec.minimum,
        spec.maximum,
        value=None,
        step=5,
        key="cache_hit_pct",
        placeholder="estimated from traffic",
        help="Share of requests that find the prefix still cached. Caches expire after minutes idle, so by default "
        "the rate is 1 - exp(-requests per minute x the idle lifetime of each route's own provider and model "
        "(data/cache_lifetimes.csv, on the Assumptions page: OpenAI 5 minutes, 30 from GPT-5.6 on; Azure, Anthropic "
        "and Bedrock 5; Google's implicit cache publishes none, 5 assumed). Enter a rate to override it for every route.",
        **SHARED,
    )
    if entered is None:
        active = float(st.session_state.get("active_hours") or DEFAULTS.active_hours)
        provider, _, model = str(values.get("prompt_model") or DEFAULTS.prompt_model).partition(":")
        estimate = cache_estimate(float(values.get("requests_per_day") or 0), provider, active, model)
        st.caption(f"Estimated: {plain_markdown(estimate.text)}.")
    return None if entered is None else int(entered)


def _reasoning_help(prompt_ref: str) -> str:
    """The reasoning effort's help: what it does, and what the pair's prompting model writes at its own default."""
    provider, _, model = prompt_ref.partition(":")
    own = reasoning_tokens(provider, model)
    pair = (
        f"{prompt_ref} reasons by default ({own.effort}: {own.tokens:,} tokens a request)"
        if own.tokens
        else f"{prompt_ref} does not reason here"
    )
    return (
        "How hard a reasoning prompting model thinks before it answers; its reasoning tokens bill as output "
        f"(data/reasoning_tokens.csv, on the Assumptions page). default = each model's own: {pair}. none = no reasoning. "
        "Models without reasoning and fine-tuned models are unaffected."
    )


def _scaling_hosting_inputs(values: dict[str, object]) -> None:
    """Hosting that scales (issue 21): active hours for scale-to-zero deployments, fine-tunes sharing one."""
    values["active_hours"] = st.number_input(
        "Active hours a day (scale to zero)",
        *FLOAT_PARAMS["active_hours"],
        DEFAULTS.active_hours,
        1.0,
        key="active_hours",
        help="Deployments billed by the minute or second that scale to zero (Together dedicated endpoints, Fireworks "
        "on-demand) pay these hours plus the idle window the provider waits before scaling to zero (Fireworks: 1 hour "
        "by default; Together: none when stopped on a schedule); the day's traffic arrives within them, and the first "
        "request after a stop waits for a cold start (minutes). 24 = always on. Hourly-billed hosting (Azure) stays on "
        "all day.",
        **SHARED,
    )
    values["finetunes_per_deployment"] = _number(
        "Fine-tunes sharing one deployment",
        "finetunes_per_deployment",
        DEFAULTS.finetunes_per_deployment,
        1,
        "Multi-LoRA: one deployment serves several fine-tunes of the same base (Fireworks: up to 100); each carries "
        "this traffic and pays its share. Providers without multi-LoRA serve one.",
    )


def _check_link(options: pd.DataFrame) -> tuple[dict[str, object], list[str]]:
    """The usable scenario values in the link, and one message per unusable parameter of any page.

    Before any widget reads the link, in one pass over every bound key (the scenario's and each page's own, all
    declared in calc/querystring.py): an unusable value is taken out of the URL (Streamlit's own URL binding would
    otherwise seed the widget with it: `inf` in a whole-number field crashes inside Streamlit, a fractional one is
    silently truncated), a repeated key is written once, and an option or task named by id is written as the widget's
    own label (Streamlit drops a value it cannot match from the address bar, so the link would lose it). Then the page
    reruns once; the messages survive that rerun.
    """
    params = st.query_params.to_dict()
    values, problems = parse_scenario_params(params, options)
    page_values, page_problems = parse_page_params(params)
    problems = [*problems, *page_problems]
    if LINK_PROBLEMS_KEY not in st.session_state:
        usable = {
            **{key: _url_text(key, value, options) for key, value in values.items()},
            **{key: page_param_text(value) for key, value in page_values.items()},
        }
        unusable = [key for key in (*SCENARIO_PARAMS, *PAGE_PARAMS) if key in st.query_params and key not in usable]
        rewrite = {
            key: text for key, text in usable.items() if key not in st.session_state and st.query_params.get_all(key) != [text]
        }
        changed = False
        for key in unusable:
            with contextlib.suppress(StreamlitAPIException, KeyError):
                del st.query_params[key]
                changed = True
        for key, text in rewrite.items():
            with contextlib.suppress(StreamlitAPIException):
                st.query_params[key] = text
                changed = True
        if changed:
            st.session_state[LINK_PROBLEMS_KEY] = problems
            st.rerun()
    return values, st.session_state.pop(LINK_PROBLEMS_KEY, None) or problems


def _report_link_problems(problems: list[str]) -> None:
    """Say which link parameters were not used (they are already out of the URL)."""
    if problems:
        st.warning(
            plain_markdown("Some link parameters could not be used and were replaced by defaults: " + "; ".join(problems) + "."),
            icon=":material/warning:",
        )


def _url_text(key: str, value: object, options: pd.DataFrame) -> str:
    """How the widget for `key` writes `value` into the URL."""
    if key == "option":
        return option_text(records_for(edited_options())[str(value)], _today())
    if key == "task":
        return str(task_labels()[value])
    if key == "caching":
        return "true" if value else "false"
    if key == "prompt_model":
        return prompt_model_text(str(value), _today())
    if key == EVAL_COUNTS:
        return eval_counts_text(value)  # type: ignore[arg-type]
    return str(value)


def _widget_value(key: str, value: object) -> object:
    """What the widget for `key` holds for a scenario value (typed eval counts are text in their field)."""
    return eval_counts_text(value) if key == EVAL_COUNTS else value  # type: ignore[arg-type]


def _restore(values: dict[str, object], options: pd.DataFrame) -> None:
    """Put values into the URL and session state before their widgets are created."""
    for key, value in values.items():
        with contextlib.suppress(StreamlitAPIException):
            st.query_params[key] = _url_text(key, value, options)
        st.session_state[key] = _widget_value(key, value)


def _keep_scenario(url_values: dict[str, object], page: str, options: pd.DataFrame) -> None:
    """Make link values stick across page switches, and accept option ids in links.

    Streamlit keeps a bound widget's value across pages only once the user has moved it; a value
    that came from a link is dropped on the first page switch. The last rendered scenario is kept
    under a plain session key and restored, into the URL too, when the page changes. A link that
    names an option or a task by id has it relabelled by `_check_link`; one it could not
    relabel is applied through session state.
    """
    snapshot = st.session_state.get(SNAPSHOT_KEY)
    if snapshot and snapshot["page"] != page:
        _restore(
            {
                key: value
                for key, value in snapshot["values"].items()
                if key not in st.query_params and value != WIDGET_DEFAULTS[key]
            },
            options,
        )
    for key, value in url_values.items():
        if key not in st.session_state and str(st.query_params.get(key, "")).strip() != _url_text(key, value, options):
            st.session_state[key] = _widget_value(key, value)  # an id the link pass could not relabel (already bound)


def _eval_counts_input(options: pd.DataFrame) -> tuple[tuple[str, int, int], ...]:
    """Eval results typed per route (route=right/n, comma-separated), bound to the link; a line that cannot be read is
    kept as typed and reported, and counts nothing until it is fixed."""
    text = st.text_input(
        "Your eval, right out of n per route",
        key="eval_counts",
        placeholder="bedrock-nova-micro=186/200, openai:gpt-6-luna=180/200",
        help="Per route, how many of your eval's examples it got right: route=right/n, comma-separated. A route is a "
        "prompting model (provider:model), a fine-tuning option id or a route id. The Quality & decision page has a "
        "table for the pair and takes a results file (per-example scores, for paired tests).",
        **SHARED,
    )
    try:
        return parse_eval_counts(text or "", options)
    except ValueError as problem:
        st.warning(plain_markdown(f"Not used until fixed: {problem}."), icon=":material/warning:")
        return ()


def volume_slider(linked: object = None) -> int:
    """The volume slider (log-scale steps, plus a linked value that falls between them), bound to the URL."""
    steps = volume_steps()
    extra = {linked, st.session_state.get("requests_per_day")}
    spec = INT_PARAMS["requests_per_day"]
    steps = sorted(set(steps) | {v for v in extra if isinstance(v, int) and spec.minimum <= v <= spec.maximum})
    return st.select_slider(
        "Requests per day",
        options=steps,
        value=int(DEFAULTS.requests_per_day),
        key="requests_per_day",
        help="Daily request volume, on a log scale from 10 to 1,000,000. Arrow keys step through the scale.",
        **SHARED,
    )


def remember_volume(requests_per_day: int) -> None:
    """Keep a volume moved outside the sidebar in the scenario snapshot that page switches restore."""
    snapshot = st.session_state.get(SNAPSHOT_KEY)
    if snapshot:
        snapshot["values"]["requests_per_day"] = requests_per_day


def _today() -> dt.date:
    """The date this session's statuses and prices are computed for (set by scenario_sidebar)."""
    return st.session_state.get(TODAY_KEY) or app_today()


def _use_base_model(ref: str) -> None:
    st.session_state["prompt_model"] = ref


@lru_cache(maxsize=512)
def _group_refs(group: str, today: dt.date, show_shut_down: bool) -> tuple[tuple[str, ...], int]:
    """The group's models as offered on `today` (shut-down ones left out, or listed last), and how many are shut down.

    Cached per group, day and toggle: the picker's options are rebuilt on every rerun.
    """
    refs = recommended_refs() if group == RECOMMENDED else catalogue_refs().get(group, [])
    shut = shut_down_refs(today)
    live = [ref for ref in refs if ref not in shut]
    closed = [ref for ref in refs if ref in shut]
    return tuple([*live, *closed] if show_shut_down else live), len(closed)


def _prompt_choices(group: str, current: str, today: dt.date, show_shut_down: bool = False) -> list[str]:
    """The prompting models offered: the recommended short list or the chosen provider's models, the current one,
    and the app's default model. Models shut down on `today` are offered only when asked for (listed last).

    The default is always offered because the widget's default must be the app's: Streamlit keeps a bound value out
    of the URL when it equals the widget's default, so any other default would drop a chosen model from the link.
    A linked or current model is offered even when shut down, so the link still opens (and its status says so).
    """
    refs = list(_group_refs(group, today, show_shut_down)[0])
    offered = refs if current in refs else [current, *refs]
    return list(dict.fromkeys([*offered, DEFAULTS.prompt_model]))


def _live_slots(top: DeltaGenerator, volume: bool) -> tuple[DeltaGenerator, DeltaGenerator, DeltaGenerator]:
    """Where the pair and the volume go: the sidebar, or in presentation mode a row at the top of the page.

    A presenter answers "and at 100,000 a day?" without leaving presentation mode, so these three stay live there
    while every other control stays hidden with the sidebar.
    """
    if presenting():
        if not volume:  # the page draws the volume itself, just below
            prompt, option = top.columns(2, vertical_alignment="top")
            return prompt, option, option
        prompt, option, volume_slot = top.columns([3, 3, 4], vertical_alignment="top")
        return prompt, option, volume_slot
    return st.sidebar, st.sidebar, st.sidebar


def _pair_controls(
    today: dt.date, url_values: dict[str, object], prompt_slot: DeltaGenerator, option_slot: DeltaGenerator
) -> dict[str, object]:
    """*Prompt with* (any catalogue model, by provider) and *Fine-tune* (the curated options), each with its status."""
    records = records_for(edited_options())
    ids = list(records)
    default_option = DEFAULTS.option if DEFAULTS.option in records else ids[0]
    if st.session_state.get("option") not in (None, *ids):
        st.session_state["option"] = default_option
    if default_option != DEFAULTS.option:
        st.info(
            plain_markdown(
                f"The prices in force have no '{DEFAULTS.option}' option (the default): {records[default_option].label} "
                "stands in for it. Reset the prices on the Assumptions page to get it back."
            ),
            icon=":material/info:",
        )
    with prompt_slot:
        prompt_ref = _prompt_controls(url_values, today)
    with option_slot:
        option_id = _option_controls(records, ids, default_option, prompt_ref, today)
    return {"prompt_model": prompt_ref, "option": option_id}


def _prompt_controls(url_values: dict[str, object], today: dt.date) -> str:
    """The provider (or the recommended list) and the prompting model, bound to the URL as provider:model.

    Models shut down on `today` are hidden unless asked for; then they are listed last and marked "shut down".
    """
    st.markdown("**Prompt with**")
    groups = [RECOMMENDED, *catalogue_refs()]
    current = str(st.session_state.get("prompt_model") or url_values.get("prompt_model") or DEFAULTS.prompt_model)
    group = st.selectbox(
        "Provider",
        groups,
        key="prompt_provider",
        help="Recommended: current models a team can prompt today. Or pick a provider to list all its models "
        "in the bundled genai-prices catalogue.",
        persist_state="session",
    )
    show_shut_down = False
    hidden = _group_refs(group, today, False)[1]
    if hidden:
        show_shut_down = st.toggle(
            "Show shut-down models",
            key="show_shut_down_models",
            help=f"{hidden} of this provider's models were shut down by {today.isoformat()}: shown last, marked "
            "'shut down', for comparison only.",
            persist_state="session",
        )
    choices = _prompt_choices(group, current, today, show_shut_down)
    prompt_ref = st.selectbox(
        "Prompting model",
        choices,
        index=choices.index(DEFAULTS.prompt_model),
        format_func=lambda ref: prompt_model_text(ref, today),
        key="prompt_model",
        help="Any model genai-prices knows, as provider:model (type to search). Its price per request comes from "
        "genai-prices' own calculation, at the price in force today.",
        **SHARED,
    )
    return prompt_ref


def _option_controls(
    records: dict[str, FineTuneOption], ids: list[str], default_option: str, prompt_ref: str, today: dt.date
) -> str:
    """The fine-tuning option, one click to prompt its own base model, and both sides' status."""
    st.markdown("**Fine-tune**")
    option_id = st.selectbox(
        "Fine-tuning option",
        ids,
        index=ids.index(default_option),
        format_func=lambda key: option_text(records[key], today),
        key="option",
        help="Provider and model to fine-tune, from the curated catalogue (see Assumptions for sources).",
        **SHARED,
    )
    option = records[option_id]
    base = base_prompt_ref(option)
    if base is not None and base != prompt_ref:
        st.button(
            "Same base model",
            on_click=_use_base_model,
            args=(base,),
            key="same_base_model",
            icon=":material/compare_arrows:",
            help=plain_markdown(f"Prompt {option.label}'s own base model ({base}) instead."),
        )
    _show_statuses(prompt_ref, option, today)
    return option_id


def _show_statuses(prompt_ref: str, option: FineTuneOption, today: dt.date) -> None:
    """Each side's status as of today, loud when a new customer cannot use it."""
    try:
        prompt_state = resolve_prompt_model(prompt_ref, today).status(today)
    except ValueError as problem:
        st.error(plain_markdown(str(problem)))
        return
    for status in (prompt_state, option_status(option, today)):
        show_status(status)


def _training_price_input(option: FineTuneOption) -> float | None:
    """The training price: the option's published one unless overridden; required where none is published."""
    unit = "GPU-hour" if option.per_gpu_hour else "training hour" if option.per_training_hour else "1M training tokens"
    if option.training_price_published:
        label = f"Training price, USD per {unit} (empty = published ${option.training_price_usd:,.2f})"
    else:
        label = f"Training price, USD per {unit} (not published: enter it)"
    spec_low, spec_high = FLOAT_PARAMS["training_price"]
    return st.number_input(
        label,
        spec_low,
        spec_high,
        value=None,
        step=0.5,
        format="%.2f",
        key="training_price",
        placeholder="not published: enter it" if not option.training_price_published else "published price",
        help="What one unit of training costs you. Enter a quote or a live price; it travels in the link.",
        **SHARED,
    )


def _training_hours_input(option: FineTuneOption) -> float | None:
    """The hours of one training run, asked only where the option bills training by the hour (none publishes them)."""
    if not option.per_training_hour:
        return None
    spec_low, spec_high = FLOAT_PARAMS["training_hours"]
    return st.number_input(
        f"Hours of one training run (billed ${option.training_price_usd or 0:,.2f}/hour: enter them)",
        spec_low,
        spec_high,
        value=None,
        step=1.0,
        format="%.1f",
        key="training_hours",
        placeholder="not published: enter them",
        help="This option bills training per hour of its job, and no provider publishes how long a run takes: enter your "
        "estimate (a past run's length, or the provider's quote). Training and breakeven stay unknown until you do.",
        **SHARED,
    )


def _money(label: str, key: str, step: float, help_text: str) -> float:
    """A bound dollar (or hours) input over the input's one accepted range (calc/inputs/querystring.py FLOAT_PARAMS)."""
    low, high = FLOAT_PARAMS[key]
    return st.number_input(label, low, high, float(getattr(DEFAULTS, key)), step, key=key, help=help_text, **SHARED)


def _work_controls(url_values: dict[str, object]) -> dict[str, object]:
    """The work before training (issue 22): labels by hand or by a teacher model, the evaluation set, engineering,
    the monthly upkeep, and a latency target. All zero by default, and the home page says so."""
    values: dict[str, object] = {}
    with st.expander("Work before training", icon=":material/engineering:"):
        st.caption(plain_markdown("Left at zero, breakeven counts the training run only. Published rates: " + rates_guidance()))
        values["labelling"] = st.radio(
            "Who labels the training set",
            list(LABELLING_MODES),
            key="labelling",
            horizontal=True,
            captions=["people label it", "a teacher model answers it"],
            help="A teacher model (distillation) answers every training input at its prompting price, through its "
            "batch API where it has one; check its terms on training other models with its outputs.",
            **SHARED,
        )
        values["data_cost_per_example"] = _money(
            "Cost per labelled example (USD)",
            "data_cost_per_example",
            0.5,
            "What one labelled example costs: the training set when people label it, and the evaluation set always.",
        )
        values["label_hours_per_100"] = _money(
            "… or hours to label 100 examples",
            "label_hours_per_100",
            0.5,
            "Your own people's time: hours per 100 examples x the hourly rate below, added to each example's cost.",
        )
        current = str(st.session_state.get("teacher_model") or url_values.get("teacher_model") or "")
        teachers = list(dict.fromkeys(["", current, *recommended_refs()]))
        values["teacher_model"] = st.selectbox(
            "Teacher model",
            teachers,
            key="teacher_model",
            format_func=lambda ref: ref or "the pair's prompting model",
            help="The prompting model whose answers become the training data when a teacher labels it.",
            disabled=values["labelling"] != "teacher",
            **SHARED,
        )
        values["eval_examples"] = _number(
            "Evaluation set (examples)", "eval_examples", DEFAULTS.eval_examples, 100, "Held-out examples labelled by hand."
        )
        values["engineering_hours"] = _money(
            "Engineering hours", "engineering_hours", 1.0, "Data preparation, training runs and evaluation before launch."
        )
        values["hourly_rate"] = _money("Hourly rate (USD)", "hourly_rate", 10.0, "What an engineering hour costs you.")
        values["maintenance_usd_per_month"] = _money(
            "Upkeep per month (USD)",
            "maintenance_usd_per_month",
            10.0,
            "Keeping the fine-tune evaluated and maintained; counted against the monthly savings.",
        )
        values["ttft_target_ms"] = _number(
            "Latency target: ms to first token (0 = none)",
            "ttft_target_ms",
            DEFAULTS.ttft_target_ms,
            50,
            "Routes whose uncached prompt tokens alone may take longer than this before the first token are marked.",
        )
    return values


def _reset_scenario() -> None:
    """Every scenario input back to its default (which also clears it from the URL)."""
    for key, value in WIDGET_DEFAULTS.items():
        st.session_state[key] = _widget_value(key, value)
    st.session_state.pop(SNAPSHOT_KEY, None)


def _share_controls(values: dict[str, object], options: pd.DataFrame) -> None:
    """A copyable link that reopens this page with this scenario, and a reset to defaults."""
    box = st.expander("Share or reset", icon=":material/share:", key="share_open", on_change="rerun")
    with box:
        if box.open:  # st.code pulls a 1.5 MB highlighter into the browser: only load it when asked for
            scenario_params = {
                k: _url_text(k, v, options) for k, v in values.items() if v != WIDGET_DEFAULTS[k] or k in PAIR_KEYS
            }
            page_params = {k: str(v) for k, v in st.query_params.to_dict().items() if k not in WIDGET_DEFAULTS}
            st.caption("Copy this link (button at its right) to reopen this page with this scenario:")
            st.code(share_link(st.context.url, {**page_params, **scenario_params}), language=None, wrap_lines=True)
            st.caption(
                "Its token counts are o200k_base tokens (GPT-4o's encoding); each route converts them to its own "
                f"tokens for `content_kind={values.get('content_kind', DEFAULTS.content_kind)}` text."
            )
        st.button("Reset to defaults", on_click=_reset_scenario, key="reset_scenario", icon=":material/restart_alt:")


def scenario_sidebar(page: str, today: dt.date | None = None, *, nav: bool = True, volume: bool = True) -> Scenario:
    """Render the shared scenario controls in the sidebar and return the Scenario they describe.

    `page` names the calling page, so a page switch can be told apart from a rerun; `nav=False`
    leaves out the page links (for a script run on its own, outside this app's pages). `volume=False`
    leaves the volume slider to the page (the home page draws it in a fragment with what depends on it, so a
    move reruns only that); the Scenario then carries the volume from the session, the link or the default.
    """
    options = current_options()
    today = today or app_today()
    st.session_state[TODAY_KEY] = today
    url_values, link_problems = _check_link(options)
    top = st.container(key="presenter_controls")  # stays empty unless presenting
    with st.sidebar:
        if nav:
            for path, label, icon in PAGES:
                st.page_link(path, label=label, icon=icon)
            presentation_toggle()
            st.divider()
        if edited_options() is not None:
            st.warning("Edited assumptions in use (see *Assumptions*).", icon=":material/edit:")
        _report_link_problems(link_problems)
        _keep_scenario(url_values, page, options)
        st.header("Scenario")
        prompt_slot, option_slot, volume_slot = _live_slots(top, volume)
        values: dict[str, object] = _pair_controls(today, url_values, prompt_slot, option_slot)
        if volume:
            with volume_slot:
                values["requests_per_day"] = volume_slider(url_values.get("requests_per_day"))
        else:
            values["requests_per_day"] = int(
                st.session_state.get("requests_per_day") or url_values.get("requests_per_day") or DEFAULTS.requests_per_day
            )
        values["examples"] = _slider(
            "Few-shot examples per prompt",
            "examples",
            DEFAULTS.examples,
            "Examples sent with every prompted request; a fine-tuned model needs none.",
        )
        values["tokens_per_example"] = _number(
            "Tokens per example",
            "tokens_per_example",
            DEFAULTS.tokens_per_example,
            10,
            "Average tokens of one few-shot example (input + answer).",
        )
        values["instruction_tokens"] = _number(
            "Instruction + input tokens",
            "instruction_tokens",
            DEFAULTS.instruction_tokens,
            10,
            "Tokens every request keeps after fine-tuning: instructions plus the request's own input.",
        )
        values["request_input_tokens"] = _number(
            "… of which the request's own input",
            "request_input_tokens",
            DEFAULTS.request_input_tokens,
            10,
            "The part of the instruction + input tokens that differs per request (the user's question, the ticket): "
            "never cached. The rest is static instructions, cacheable with the examples.",
        )
        values["output_tokens"] = _number(
            "Output tokens", "output_tokens", DEFAULTS.output_tokens, 10, "Tokens the model writes per request."
        )
        values["reasoning_effort"] = st.selectbox(
            "Reasoning effort (reasoning models)",
            REASONING_EFFORTS,
            key="reasoning_effort",
            help=_reasoning_help(str(values.get("prompt_model") or DEFAULTS.prompt_model)),
            **SHARED,
        )
        values["content_kind"] = st.selectbox(
            "The text is mostly",
            list(CONTENT_KINDS),
            key="content_kind",
            help="Token counts here are o200k_base tokens (GPT-4o's encoding). Each route converts them to its own "
            "model's tokens by the ratio measured for this kind of text (german_french and cjk differ most: up to "
            "40%); the All routes table shows the ratio used.",
            **SHARED,
        )
        values["pricing"] = st.radio(
            "Pricing",
            ["full", "article"],
            key="pricing",
            horizontal=True,
            captions=["each side at its own prices", "as the article: saved tokens x tuned price"],
            help="Full pricing bills prompting at base prices and the fine-tuned model at its own, higher prices. "
            "The article convention prices only the removed example tokens, at the fine-tuned input price: it "
            "describes a pair only when both sides are the same base model billed per token. Elsewhere savings and "
            "breakeven read \"(article's convention only)\" with the real figure beside them.",
            **SHARED,
        )
        values["caching"] = st.toggle(
            "Prompt caching",
            key="caching",
            help="Bill the static prefix (instructions + examples, never the request's own input) at the cached-input "
            "price when it is long enough for the provider (OpenAI: 1,024+ tokens in 128-token steps); cache writes "
            "where the provider charges them. Full pricing only.",
            **SHARED,
        )
        if values["caching"]:
            values["cache_hit_pct"] = _cache_hit_input(values)
        values["batch_pct"] = _slider(
            "Traffic that can wait for a batch API (%)",
            "batch_pct",
            DEFAULTS.batch_pct,
            "Batch APIs bill about half price for results within 24 hours: a lever for latency-tolerant work.",
            step=5,
        )
        option = records_for(edited_options())[str(values["option"])]
        with st.expander("Training", expanded=not option.training_price_published or option.per_training_hour):
            values["training_price"] = _training_price_input(option)
            values["training_hours"] = _training_hours_input(option)
            values["training_examples"] = _number(
                "Training examples", "training_examples", DEFAULTS.training_examples, 100, "Labelled examples to fine-tune on."
            )
            values["tokens_per_training_example"] = _number(
                "Tokens per training example",
                "tokens_per_training_example",
                DEFAULTS.tokens_per_training_example,
                10,
                "Average tokens of one training example (prompt + completion).",
            )
            values["epochs"] = _number(
                "Epochs (0 = provider default or OpenAI rule)",
                "epochs",
                WIDGET_DEFAULTS["epochs"],
                1,
                "Passes over the training data; 0 uses the provider's default (Bedrock 2, Together 1) or OpenAI's rule.",
            )
            values["peak_factor"] = st.number_input(
                "Peak / average traffic (dedicated GPUs)",
                *FLOAT_PARAMS["peak_factor"],
                DEFAULTS.peak_factor,
                0.5,
                key="peak_factor",
                help="Dedicated GPUs are sized for the peak in whole replicas: replicas = peak requests per second / "
                "what one replica serves (the lower of its prefill and decode rates at your prompt and output lengths).",
                **SHARED,
            )
            _scaling_hosting_inputs(values)
            values["horizon_months"] = _slider(
                "Amortise training over (months)",
                "horizon_months",
                DEFAULTS.horizon_months,
                "The volume chart spreads the training cost over this many months.",
            )
        values.update(_work_controls(url_values))
        with st.expander("Quality", expanded=False):
            tasks = task_labels()
            values["task"] = st.selectbox(
                "Task type",
                list(tasks),
                index=list(tasks).index(DEFAULTS.task),
                format_func=tasks.get,
                key="task",
                help="The article's task types, with its quality ranges for prompting and fine-tuning.",
                **SHARED,
            )
            values["error_cost"] = st.number_input(
                "Cost of one wrong answer (USD)",
                *FLOAT_PARAMS["error_cost"],
                DEFAULTS.error_cost,
                0.01,
                format="%.2f",
                key="error_cost",
                help="What an error costs you: rework, a refund, a lost customer. The verdict weighs the quality gap "
                "with it, and All routes adds each route's wrong answers to its monthly cost.",
                **SHARED,
            )
            values["target_accuracy"] = st.number_input(
                "Target accuracy (%)",
                *FLOAT_PARAMS["target_accuracy"],
                DEFAULTS.target_accuracy,
                0.5,
                format="%.1f",
                key="target_accuracy",
                help="The accuracy a route must reach (0 = none): the decision tree's question 3 asks whether prompting "
                "is within 5 points of it, the verdict checks both routes against it, and All routes can show only the "
                "routes that may reach it.",
                **SHARED,
            )
            values[EVAL_COUNTS] = _eval_counts_input(options)
        _share_controls(values, options)
    st.session_state[SNAPSHOT_KEY] = {"page": page, "values": values}
    apply_presentation()
    return scenario_from_values(values)
