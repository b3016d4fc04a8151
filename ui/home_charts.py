"""The home page's two chart specs for a scenario, shared by the page and the server's start-up warm-up."""

from __future__ import annotations

import pandas as pd
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from calc.scenario import Scenario
from ui.analysis import VolumeAnalysis
from ui.chart_specs import cumulative_chart_spec, volume_chart_spec
from ui.format import count, usd
from ui.object_memo import ObjectMemo

#: Each drawn frame's Arrow IPC form, made once per frame object (Streamlit's own conversion, so the bytes are what it
#: would have sent). Streamlit passes a named dataset given as bytes straight through.
arrow_payload = ObjectMemo(convert_anything_to_arrow_bytes)


def volume_spec(scenario: Scenario, result: VolumeAnalysis) -> dict:
    """Chart 1: monthly cost of both approaches across daily volume, bands and crossover marked."""
    training = result.summary.training
    included = f"training ({usd(training.cost_usd)})" if training.price_known else "no training (price not published)"
    subtitle = (
        f"{scenario.pricing.capitalize()} pricing · fine-tuned line includes {included} "
        f"spread over {scenario.horizon_months} months · "
        f"{scenario.examples} examples x {count(scenario.tokens_per_example)} tokens"
    )
    return volume_chart_spec(
        result.curves,
        result.spans,
        scenario.requests_per_day,
        result.crossover,
        f"Monthly cost by daily volume: {result.pair.title}",
        subtitle,
    )


def cumulative_spec(scenario: Scenario, result: VolumeAnalysis) -> dict:
    """Chart 2: cumulative spend per approach by month, breakeven marked."""
    return cumulative_chart_spec(
        result.cumulative, result.summary.breakeven_months, f"Cumulative cost over {scenario.horizon_months} months"
    )


def page_spec(spec: dict) -> dict:
    """`spec` as the page hands it to `st.vega_lite_chart`: its DataFrame datasets as Arrow bytes converted once."""
    datasets = {name: arrow_payload(data) if isinstance(data, pd.DataFrame) else data for name, data in spec["datasets"].items()}
    return {**spec, "datasets": datasets}


_volume_page = ObjectMemo(lambda result, scenario: page_spec(volume_spec(scenario, result)))
_cumulative_page = ObjectMemo(lambda result, scenario: page_spec(cumulative_spec(scenario, result)))


def volume_page_spec(scenario: Scenario, result: VolumeAnalysis) -> dict:
    """Chart 1 as the page draws it, built once per stored analysis: a move back to a volume seen before reuses it.

    A shallow copy each time: Streamlit replaces top-level keys of what it is given (the datasets), never nested ones.
    """
    return dict(_volume_page(result, scenario))


def cumulative_page_spec(scenario: Scenario, result: VolumeAnalysis) -> dict:
    """Chart 2 as the page draws it, built once per stored analysis (a shallow copy, as `volume_page_spec`)."""
    return dict(_cumulative_page(result, scenario))
