"""Baseline page for bench/rerun.py: the shared sidebar and one metric, no model and no charts."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from ui.format import per_day
from ui.sidebar import scenario_sidebar

scenario = scenario_sidebar("bare", nav=False)
st.metric("Requests per day", per_day(scenario.requests_per_day))
