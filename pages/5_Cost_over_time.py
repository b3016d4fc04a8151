"""Cost over time: retraining, price declines, volume growth and retiring models, month by month."""

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from calc.catalogue.options import records_for
from calc.catalogue.price_sources import current_version
from calc.costs.lifecycle import (
    DECLINE_PRESETS,
    Assumptions,
    breakeven_month,
    cumulative_at,
    lifecycle_events,
    path_costs,
    sensitivity,
)
from calc.costs.pair import Pair
from calc.inputs.querystring import PAGE_PARAMS
from calc.scenario import Scenario
from calc.text.safe_text import plain_markdown
from ui.assumptions import edited_options
from ui.binding import IN_LINK
from ui.charts import lifecycle_chart, tornado_chart
from ui.clock import app_today
from ui.export import chart_downloads
from ui.format import usd
from ui.pair_view import page_pair, show_pair, show_status
from ui.present import presenting
from ui.price_status import prices_for_run, show_prices_in_force
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="Cost over time", page_icon="📈", layout="wide")


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs={Pair: lambda pair: (pair.prompt.ref, pair.option, pair.on)})
def cached_sensitivity(
    scenario: Scenario, pair: Pair, edited, assumptions: Assumptions, months: int, version: str
) -> pd.DataFrame:
    """The tornado's 16+ simulations, once per scenario, pair, assumptions and prices (`version`: the price data in
    force, calc/catalogue/price_sources.py; the last 64 kept)."""
    return sensitivity(scenario, pair, records_for(edited), assumptions, months)


def show_intro(months: int, today: dt.date) -> None:
    """The horizon and what the page adds up over it."""
    st.markdown(
        f"Over **{months} months** from {today.isoformat()} (the horizon is *Amortise training over* in the sidebar's "
        "Training section). A fine-tune is retrained, its base model retires, prices fall and volume grows; this page adds "
        "them up."
    )


def show_option_status(pair: Pair) -> None:
    """Whether the fine-tuning option is closing or retired, and so whether its path is history."""
    show_status(pair.option_status())
    if not pair.option_status().usable_by_new_customer:
        st.error(
            plain_markdown(
                f"{pair.option.label} cannot be fine-tuned by a new customer today: the fine-tuned path below trains on its "
                "live successor instead, or prompts where it has none (see the moves listed under the totals)."
            ),
            icon=":material/block:",
        )


def read_assumptions() -> Assumptions:
    """The lifecycle controls: retraining, growth, hybrid examples and the price decline."""
    cols = st.columns(3)
    retrains = cols[0].slider(
        "Retraining cycles a year",
        *PAGE_PARAMS["retrains_per_year"].widget_args,
        key="retrains_per_year",
        **IN_LINK,
        help="The article: plan for 2-4 retraining cycles a year.",
    )
    growth = (
        cols[1].slider("Volume growth per month (%)", *PAGE_PARAMS["monthly_growth"].widget_args, key="monthly_growth", **IN_LINK)
        / 100
    )
    hybrid_examples = cols[2].slider(
        "Hybrid: dynamic examples per request", *PAGE_PARAMS["hybrid_examples"].widget_args, key="hybrid_examples", **IN_LINK
    )
    st.caption(
        "The work before each training (labels, engineering; the evaluation set on the first) and the monthly upkeep "
        "are the scenario's: set them under *Work before training* in the sidebar. Each retraining repeats the labels "
        "and the engineering."
    )
    preset = st.selectbox(
        "Annual price decline", PAGE_PARAMS["decline_preset"].options(), index=1, key="decline_preset", **IN_LINK
    )
    decline = DECLINE_PRESETS.get(preset)
    if decline is None:
        custom = PAGE_PARAMS["decline_custom"].widget_args
        decline = st.slider("Custom annual decline (%)", *custom, key="decline_custom", **IN_LINK) / 100
    st.caption(
        "The decline applies to per-token prices of both paths and to retraining, modelling a move to cheaper models of the "
        "same capability each year (the article: 50-80% a year; a16z's LLMflation: ~10x a year at constant capability). "
        "A named model's list price usually stays flat: pick 'None' to model staying on it. GPU hosting is not discounted."
    )
    return Assumptions(
        retrains_per_year=retrains,
        annual_price_decline=decline,
        monthly_growth=growth,
        hybrid_examples=hybrid_examples,
    )


def chart_markers(events: pd.DataFrame, breakeven: int | None) -> pd.DataFrame:
    """The events drawn on the chart: retraining cycles, each move between routes, and the fine-tuned breakeven."""
    markers = [{"month": row.month, "label": "retrain" if row.kind == "retraining" else row.event, "kind": row.kind}
               for row in events.itertuples(index=False)]  # fmt: skip
    if breakeven is not None:
        markers.append({"month": breakeven, "label": "fine-tuned breaks even", "kind": "breakeven"})
    return pd.DataFrame(markers, columns=["month", "label", "kind"])


def show_paths(frame: pd.DataFrame, pair: Pair, assumptions: Assumptions, months: int) -> alt.LayerChart:
    """Each path's total over the horizon, the shutdown ahead, and the cumulative chart (returned for its downloads)."""
    option = pair.option
    events = lifecycle_events(frame)
    breakeven = {path: breakeven_month(frame, path) for path in ("Fine-tuned", "Hybrid")}
    markers = chart_markers(events, breakeven["Fine-tuned"])
    last = cumulative_at(frame, months)
    cols = st.columns(4)
    cols[0].metric(f"Prompting, {months} months", usd(last["Prompting"]))
    cols[1].metric(
        f"Fine-tuned, {months} months", usd(last["Fine-tuned"]), help="Training, retraining, migration, inference and hosting."
    )
    cols[2].metric(
        f"Hybrid, {months} months",
        usd(last["Hybrid"]),
        help=f"Fine-tuned + {assumptions.hybrid_examples} dynamic examples per request.",
    )
    cols[3].metric(
        "Fine-tuned breaks even",
        "never" if breakeven["Fine-tuned"] is None else f"month {breakeven['Fine-tuned']}",
        help="First month from which the fine-tuned path has cost no more in total than prompting.",
    )
    moves = events[events["kind"] == "migration"]
    if not moves.empty:
        lines = [f"month {row.month} ({row.date}), {row.path.lower()}: {row.event}" for row in moves.itertuples(index=False)]
        st.warning(
            plain_markdown(
                "Routes change within this horizon (a fine-tune is never retrained where jobs are closed; successors "
                "are ours for options, the provider's for prompting models):"
            )
            + "\n"
            + "\n".join("- " + plain_markdown(line) for line in lines),
            icon=":material/swap_horiz:",
        )
    cumulative = lifecycle_chart(frame, markers, f"Cumulative cost: {pair.prompt.label} vs {option.label}")
    st.altair_chart(cumulative, width="stretch")
    return cumulative


def show_paths_data(cumulative: alt.LayerChart, frame: pd.DataFrame) -> None:
    """The chart's downloads and its month-by-month table."""
    chart_downloads(cumulative, lambda: frame, "cost-over-time", "lifecycle_chart")
    with st.expander("Month-by-month table"):
        st.dataframe(frame, hide_index=True, width="stretch")


def show_sensitivity(scenario: Scenario, pair: Pair, edited, assumptions: Assumptions, months: int) -> None:
    """The tornado: how far each assumption moves the net saving, and the one that moves it most."""
    st.subheader(f"Sensitivity: net saving after {months} months")
    table = cached_sensitivity(scenario, pair, edited, assumptions, months, current_version())
    tornado = tornado_chart(table, f"Net saving of fine-tuning after {months} months (USD)")
    st.altair_chart(tornado, width="stretch")
    chart_downloads(tornado, lambda: table, "sensitivity", "tornado_chart")
    top = table.iloc[0]
    st.markdown(
        f"Base case: fine-tuning saves **{usd(top['base'])}** over {months} months. The assumption that moves it most is "
        f"**{top['input'].lower()}** ({usd(top['saving_low'])} to {usd(top['saving_high'])} across {top['basis']})."
    )


today = app_today()
scenario, pair = page_pair(scenario_sidebar("cost_over_time", today), today)
edited = edited_options()
records = records_for(edited)
months = scenario.horizon_months

st.title("Cost over time")
show_prices_in_force(prices_for_run())
show_pair(pair)
show_intro(months, today)
show_option_status(pair)
assumptions = read_assumptions()
frame = path_costs(scenario, pair, records, months, assumptions)
cumulative = show_paths(frame, pair, assumptions, months)
if presenting():
    st.stop()
show_paths_data(cumulative, frame)
show_sensitivity(scenario, pair, edited, assumptions, months)
