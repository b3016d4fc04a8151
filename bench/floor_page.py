"""Floor page for bench/capacity.py: one select_slider bound to the URL and one metric, the least a slider move costs."""

import streamlit as st

STEPS = [int(m * 10**e) for e in range(1, 7) for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5) if m * 10**e <= 1_000_000]

volume = st.select_slider("Requests per day", options=STEPS, value=10_000, key="requests_per_day", bind="query-params")
st.metric("Prompting per month", f"${volume * 30 * 0.00075:,.2f}")
