"""The scenario controls every page shares, bound to the URL and kept across page switches."""

from __future__ import annotations

import contextlib
import datetime as dt

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from calc.costs import get_option
from calc.quality import quality_table
from calc.querystring import INT_PARAMS, parse_scenario_params, scenario_from_values, volume_steps
from calc.scenario import Scenario
from calc.status import lifecycle
from ui.assumptions import current_options, edited_options
from ui.present import apply_presentation, presentation_toggle, share_link

DEFAULTS = Scenario()
SHARED = {"bind": "query-params", "persist_state": "session"}
SNAPSHOT_KEY = "_scenario_snapshot"
PAGES = (
    ("streamlit_app.py", "Volume decision", ":material/show_chart:"),
    ("pages/2_Token_cost.py", "Token cost", ":material/token:"),
    ("pages/3_Quality_and_decision.py", "Quality & decision", ":material/alt_route:"),
    ("pages/4_Training_data.py", "Training data", ":material/dataset:"),
    ("pages/5_Cost_over_time.py", "Cost over time", ":material/timeline:"),
    ("pages/6_Self_hosted.py", "Self-hosted", ":material/dns:"),
    ("pages/7_Assumptions.py", "Assumptions", ":material/menu_book:"),
)
WIDGET_DEFAULTS: dict[str, object] = {
    **{key: getattr(DEFAULTS, key) for key in ("examples", "tokens_per_example", "instruction_tokens", "output_tokens")},
    **{key: getattr(DEFAULTS, key) for key in ("option", "pricing", "caching", "training_examples")},
    "requests_per_day": int(DEFAULTS.requests_per_day),
    "tokens_per_training_example": DEFAULTS.tokens_per_training_example,
    "epochs": 0,
    "horizon_months": DEFAULTS.horizon_months,
    "task": DEFAULTS.task,
    "error_cost": DEFAULTS.error_cost,
}


@st.cache_data(show_spinner=False)
def task_labels() -> dict[str, str]:
    """Task id -> the article's task name."""
    table = quality_table()
    return dict(zip(table.index, table["task"], strict=True))


def option_labels(options: pd.DataFrame) -> dict[str, str]:
    """Option id -> label, for the option picker."""
    return dict(zip(options.index, options["label"], strict=True))


def _number(label: str, key: str, default: int, step: int, help_text: str) -> int:
    spec = INT_PARAMS[key]
    return st.number_input(label, spec.minimum, spec.maximum, default, step, key=key, help=help_text, **SHARED)


def _report_bad_params(options: pd.DataFrame) -> dict[str, object]:
    """Warn once about unusable URL parameters and return the usable ones."""
    values, problems = parse_scenario_params(st.query_params.to_dict(), options)
    if problems:
        st.warning(
            "Some link parameters could not be used and were replaced by defaults: " + "; ".join(problems) + ".",
            icon=":material/warning:",
        )
    return values


def _url_text(key: str, value: object, options: pd.DataFrame) -> str:
    """How the widget for `key` writes `value` into the URL."""
    if key == "option":
        return str(options.loc[value, "label"])
    if key == "task":
        return str(task_labels()[value])
    if key == "caching":
        return "true" if value else "false"
    return str(value)


def _restore(values: dict[str, object], options: pd.DataFrame) -> None:
    """Put values into the URL and session state before their widgets are created."""
    for key, value in values.items():
        with contextlib.suppress(StreamlitAPIException):
            st.query_params[key] = _url_text(key, value, options)
        st.session_state[key] = value


def _keep_scenario(url_values: dict[str, object], page: str, options: pd.DataFrame) -> None:
    """Make link values stick across page switches, and accept option ids in links.

    Streamlit keeps a bound widget's value across pages only once the user has moved it; a value
    that came from a link is dropped on the first page switch. The last rendered scenario is kept
    under a plain session key and restored, into the URL too, when the page changes. A link that
    names an option by id (the widget writes labels) is applied through session state; the URL
    then shows the option again once it is changed.
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
            st.session_state[key] = value


def _volume_slider(url_values: dict[str, object]) -> int:
    steps = volume_steps()
    extra = {url_values.get("requests_per_day"), st.session_state.get("requests_per_day")}
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


def _reset_scenario() -> None:
    """Every scenario input back to its default (which also clears it from the URL)."""
    for key, value in WIDGET_DEFAULTS.items():
        st.session_state[key] = value
    st.session_state.pop(SNAPSHOT_KEY, None)


def _share_controls(values: dict[str, object], options: pd.DataFrame) -> None:
    """A copyable link that reopens this page with this scenario, and a reset to defaults."""
    box = st.expander("Share or reset", icon=":material/share:", key="share_open", on_change="rerun")
    with box:
        if box.open:  # st.code pulls a 1.5 MB highlighter into the browser: only load it when asked for
            scenario_params = {k: _url_text(k, v, options) for k, v in values.items() if v != WIDGET_DEFAULTS[k]}
            page_params = {k: str(v) for k, v in st.query_params.to_dict().items() if k not in WIDGET_DEFAULTS}
            st.caption("Copy this link (button at its right) to reopen this page with this scenario:")
            st.code(share_link(st.context.url, {**page_params, **scenario_params}), language=None, wrap_lines=True)
        st.button("Reset to defaults", on_click=_reset_scenario, key="reset_scenario", icon=":material/restart_alt:")


def scenario_sidebar(page: str, today: dt.date | None = None, *, nav: bool = True) -> Scenario:
    """Render the shared scenario controls in the sidebar and return the Scenario they describe.

    `page` names the calling page, so a page switch can be told apart from a rerun; `nav=False`
    leaves out the page links (for a script run on its own, outside this app's pages).
    """
    options = current_options()
    today = today or dt.date.today()
    with st.sidebar:
        if nav:
            for path, label, icon in PAGES:
                st.page_link(path, label=label, icon=icon)
            presentation_toggle()
            st.divider()
        if edited_options() is not None:
            st.warning("Edited assumptions in use (see *Assumptions*).", icon=":material/edit:")
        url_values = _report_bad_params(options)
        _keep_scenario(url_values, page, options)
        st.header("Scenario")
        values: dict[str, object] = {"requests_per_day": _volume_slider(url_values)}
        values["examples"] = st.slider(
            "Few-shot examples per prompt",
            0,
            50,
            DEFAULTS.examples,
            key="examples",
            help="Examples sent with every prompted request; a fine-tuned model needs none.",
            **SHARED,
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
        values["output_tokens"] = _number(
            "Output tokens", "output_tokens", DEFAULTS.output_tokens, 10, "Tokens the model writes per request."
        )
        values["option"] = st.selectbox(
            "Fine-tuning option",
            list(options.index),
            index=list(options.index).index(DEFAULTS.option),
            format_func=option_labels(options).get,
            key="option",
            help="Provider and model to fine-tune; prompting uses the same base model.",
            **SHARED,
        )
        status = lifecycle(get_option(values["option"], edited_options()), today)
        if status.severity != "ok":
            (st.error if status.severity == "error" else st.warning)(status.sentence)
        values["pricing"] = st.radio(
            "Pricing",
            ["full", "article"],
            key="pricing",
            horizontal=True,
            captions=["each side at its own prices", "as the article: saved tokens x tuned price"],
            help="Full pricing bills prompting at base prices and the fine-tuned model at its own, higher prices. "
            "The article convention prices only the removed example tokens, at the fine-tuned input price.",
            **SHARED,
        )
        values["caching"] = st.toggle(
            "Prompt caching",
            key="caching",
            help="Bill a static prefix of 1,024+ tokens at the cached-input price (full pricing only).",
            **SHARED,
        )
        with st.expander("Training", expanded=False):
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
                "Epochs (0 = OpenAI default rule)", "epochs", WIDGET_DEFAULTS["epochs"], 1, "Passes over the training data."
            )
            values["horizon_months"] = st.slider(
                "Amortise training over (months)",
                1,
                60,
                DEFAULTS.horizon_months,
                key="horizon_months",
                help="The volume chart spreads the training cost over this many months.",
                **SHARED,
            )
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
                0.0,
                1_000_000.0,
                DEFAULTS.error_cost,
                0.01,
                format="%.2f",
                key="error_cost",
                help="What an error costs you: rework, a refund, a lost customer.",
                **SHARED,
            )
        _share_controls(values, options)
    st.session_state[SNAPSHOT_KEY] = {"page": page, "values": values}
    apply_presentation()
    return scenario_from_values(values)
