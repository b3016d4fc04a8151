"""Floor for bench/startup.py: one tiny Vega-Lite chart, then the app's shared scenario sidebar, nothing else.

The home page must show the sidebar's controls and a chart; this page shows what those two cost to appear,
with no model, no data and the chart sent first (the most favourable order).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from ui.sidebar import scenario_sidebar

st.vega_lite_chart(
    {
        "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
        "mark": "line",
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}},
    }
)
scenario_sidebar("sidebar_chart", nav=False)
