"""Cost over time: retraining, price declines, volume growth and retiring models, month by month."""

import datetime as dt

import pandas as pd
import streamlit as st

from calc.costs import get_option
from calc.lifecycle import (
    DECLINE_PRESETS,
    Assumptions,
    breakeven_month,
    cumulative_costs,
    migration_month,
    retrain_months,
    sensitivity,
)
from calc.status import lifecycle
from ui.assumptions import edited_options
from ui.charts import lifecycle_chart, tornado_chart
from ui.export import chart_downloads
from ui.format import usd
from ui.present import presenting
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="Cost over time", page_icon="📈", layout="wide")
URL = {"bind": "query-params", "persist_state": "session"}


@st.cache_data(max_entries=64, show_spinner=False)
def cached_sensitivity(scenario, assumptions: Assumptions, months: int, edited) -> pd.DataFrame:
    """The tornado's 16+ simulations, once per scenario, assumptions and prices (the last 64 kept)."""
    return sensitivity(scenario, assumptions, months, edited)


today = dt.date.today()
scenario = scenario_sidebar("cost_over_time", today)
edited = edited_options()
option = get_option(scenario.option, edited)
months = scenario.horizon_months

st.title("Cost over time")
st.markdown(
    f"**{option['label']}** over **{months} months** (the horizon is *Amortise training over* in the sidebar's Training "
    "section). A fine-tune is retrained, its base model retires, prices fall and volume grows; this page adds them up."
)
status = lifecycle(option, today)
if status.state in ("retired", "closed"):
    st.error(status.sentence, icon=":material/block:")
elif status.severity == "warning":
    st.warning(status.sentence, icon=":material/schedule:")

cols = st.columns(3)
retrains = cols[0].slider(
    "Retraining cycles a year",
    0.0,
    6.0,
    3.0,
    0.5,
    key="retrains_per_year",
    **URL,
    help="The article: plan for 2-4 retraining cycles a year.",
)
growth = cols[1].slider("Volume growth per month (%)", -10.0, 20.0, 0.0, 0.5, key="monthly_growth", **URL) / 100
hybrid_examples = cols[2].slider("Hybrid: dynamic examples per request", 0, 20, 2, key="hybrid_examples", **URL)
cols = st.columns(3)
data_cost = cols[0].number_input(
    "Data cost per labelled example, each cycle (USD)", 0.0, 10_000.0, 0.0, 0.05, key="data_cost_per_example", **URL
)
hours = cols[1].number_input("Engineering hours per training cycle", 0.0, 10_000.0, 0.0, 1.0, key="engineering_hours", **URL)
rate = cols[2].number_input("Hourly rate (USD)", 0.0, 10_000.0, 0.0, 10.0, key="hourly_rate", **URL)
preset = st.selectbox("Annual price decline", [*DECLINE_PRESETS, "Custom"], index=1, key="decline_preset", **URL)
decline = DECLINE_PRESETS.get(preset)
if decline is None:
    decline = st.slider("Custom annual decline (%)", 0, 99, 65, key="decline_custom", **URL) / 100
st.caption(
    "The decline applies to per-token prices of both paths and to retraining, modelling a move to cheaper models of the "
    "same capability each year (the article: 50-80% a year; a16z's LLMflation: ~10x a year at constant capability). "
    "A named model's list price usually stays flat: pick 'None' to model staying on it. GPU hosting is not discounted."
)

assumptions = Assumptions(
    retrains_per_year=retrains,
    data_cost_per_example=data_cost,
    engineering_hours=hours,
    hourly_rate=rate,
    annual_price_decline=decline,
    monthly_growth=growth,
    hybrid_examples=hybrid_examples,
    start=today,
)
frame = cumulative_costs(scenario, months, assumptions, edited)
migrate = migration_month(scenario, assumptions, months, edited)
breakeven = {path: breakeven_month(frame, path) for path in ("Fine-tuned", "Hybrid")}
markers = [{"month": m, "label": "retrain", "kind": "retraining"} for m in retrain_months(retrains, months)]
if migrate is not None:
    markers.append(
        {
            "month": migrate,
            "label": f"shutdown: migrate to {frame.loc[frame['month'] == migrate, 'option'].iloc[0]}",
            "kind": "migration",
        }
    )
if breakeven["Fine-tuned"] is not None:
    markers.append({"month": breakeven["Fine-tuned"], "label": "fine-tuned breaks even", "kind": "breakeven"})

last = frame[frame["month"] == months].set_index("path")["cumulative_usd"]
cols = st.columns(4)
cols[0].metric(f"Prompting, {months} months", usd(last["Prompting"]))
cols[1].metric(
    f"Fine-tuned, {months} months", usd(last["Fine-tuned"]), help="Training, retraining, migration, inference and hosting."
)
cols[2].metric(
    f"Hybrid, {months} months", usd(last["Hybrid"]), help=f"Fine-tuned + {hybrid_examples} dynamic examples per request."
)
cols[3].metric(
    "Fine-tuned breaks even",
    "never" if breakeven["Fine-tuned"] is None else f"month {breakeven['Fine-tuned']}",
    help="First month from which the fine-tuned path has cost no more in total than prompting.",
)
if migrate is not None:
    st.warning(
        f"{option['label']} shuts down on {option['shutdown_date']}, in month {migrate} of this horizon: the chart re-trains on "
        f"{frame.loc[frame['month'] == migrate, 'option'].iloc[0]} then (our assumed successor) "
        "and both paths move to its prices.",
        icon=":material/swap_horiz:",
    )
cumulative = lifecycle_chart(frame, pd.DataFrame(markers), f"Cumulative cost: {option['label']}")
st.altair_chart(cumulative, width="stretch")
if presenting():
    st.stop()
chart_downloads(cumulative, lambda: frame, "cost-over-time", "lifecycle_chart")
with st.expander("Month-by-month table"):
    st.dataframe(frame, hide_index=True, width="stretch")

st.subheader(f"Sensitivity: net saving after {months} months")
table = cached_sensitivity(scenario, assumptions, months, edited)
tornado = tornado_chart(table, f"Net saving of fine-tuning after {months} months (USD)")
st.altair_chart(tornado, width="stretch")
chart_downloads(tornado, lambda: table, "sensitivity", "tornado_chart")
top = table.iloc[0]
st.markdown(
    f"Base case: fine-tuning saves **{usd(top['base'])}** over {months} months. The assumption that moves it most is "
    f"**{top['input'].lower()}** ({usd(top['saving_low'])} to {usd(top['saving_high'])} across {top['basis']})."
)
