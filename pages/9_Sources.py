"""Sources: every curated number the explorer uses, with where it came from and when."""

import datetime as dt

import streamlit as st

from calc.status import lifecycle
from calc.tables import load_inference_scenarios, load_volume_bands
from ui.sidebar import options_table, scenario_sidebar

st.set_page_config(page_title="Sources", page_icon="📚", layout="wide")

today = dt.date.today()
scenario = scenario_sidebar("sources", today)
options = options_table()

st.title("Sources and dates")
st.markdown(
    "Every default in the explorer comes from one of these tables. Prices are USD per 1M tokens unless the unit says "
    "GPU-hour. *Confidence*: **confirmed** = read on a first-party page or two agreeing copies; **secondary** = one "
    "secondary copy; **unverified** = not found in a source."
)

selected = options.loc[scenario.option]
st.subheader(f"Selected option: {selected['label']}")
status = lifecycle(selected, today)
{"error": st.error, "warning": st.warning, "ok": st.success}[status.severity](status.sentence)
st.markdown(f"**Source:** {selected['source']} · **as of** {selected['as_of']} · **confidence** {selected['confidence']}")
if selected["notes"]:
    st.caption(selected["notes"])

st.subheader("Fine-tuning options")
shown = options.assign(lifecycle=[lifecycle(row, today).state for _, row in options.iterrows()])
age_days = shown["as_of"].map(lambda d: (today - d).days)
stale = shown.loc[age_days > 183, "label"].tolist()
if stale:
    st.warning("Prices older than 6 months: " + ", ".join(stale) + ". Check them before relying on the numbers.")
st.dataframe(
    shown.drop(columns=["option_id"]),
    hide_index=True,
    width="stretch",
    column_config={
        "source": st.column_config.TextColumn("source", width="medium"),
        "notes": st.column_config.TextColumn("notes", width="large"),
    },
)

st.subheader("The article's volume bands")
st.caption("A band holds volumes from its minimum (inclusive) up to its maximum (exclusive).")
st.dataframe(load_volume_bands(), hide_index=True, width="stretch")

st.subheader("The article's inference scenarios")
st.dataframe(load_inference_scenarios(), hide_index=True, width="stretch")
