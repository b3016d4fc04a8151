"""Floor for bench/startup.py: a page with nothing but one two-point Vega-Lite chart.

Shows what any page pays to draw its first chart (Streamlit loads its Vega bundle only when a chart arrives).
"""

import streamlit as st

st.vega_lite_chart(
    {
        "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
        "mark": "line",
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}},
    }
)
