"""The home page's chart specs at run time, without Altair: compiled templates, filled in, data attached.

The volume and cumulative charts are composed in Altair (`ui/charts.py`) and compiled ahead of time into
`ui/chart_templates.json` by `scripts/build_chart_templates.py`; a unit test keeps that file equal to what the
builders produce. A template carries placeholders for what varies by scenario (the title, the y-axis ticks);
a rerun fills them in and attaches the data as DataFrames. Importing Altair and compiling costs a cold server
~0.7 s and each new chart structure ~100 ms; filling a template takes well under a millisecond. A structure the
file lacks (another volume range) is compiled with Altair on first use. Templates skip Altair's schema
validation; the unit tests validate them against the Vega-Lite schema instead.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from calc.costs.pair import Crossover
from ui.chart_layout import (
    PLACEHOLDER_LABEL_Y,
    PLACEHOLDER_TICKS,
    TICK_LOW,
    TITLE,
    cumulative_key,
    label_position,
    log_ticks,
    volume_key,
)
from ui.format import per_day, wrap
from ui.object_memo import ObjectMemo

TEMPLATES = Path(__file__).with_name("chart_templates.json")


def json_spec(spec: dict) -> dict:
    """A copy of `spec` with DataFrame datasets turned into JSON records (for files and validation)."""
    datasets = {
        name: data.to_dict(orient="records") if isinstance(data, pd.DataFrame) else data
        for name, data in spec.get("datasets", {}).items()
    }
    return {**spec, "datasets": datasets}


def label_bands(spans: pd.DataFrame) -> pd.DataFrame:
    """Band spans with the text drawn in each band and where it goes (bands 1-3 on top, 4-5 below)."""
    return spans.assign(
        label=[wrap(f"{v}/day: {r}", 18) for v, r in zip(spans["volume_label"], spans["recommendation"], strict=True)],
        middle=(spans["start"] * spans["end"]) ** 0.5,
        at_top=spans["band"] <= 3,
    )


def _positive(curves: pd.DataFrame) -> pd.DataFrame:
    return curves[curves["monthly_cost_usd"] > 0]


#: The points a log axis can draw (cost above zero), and the y-axis ticks they need, once per stored curves frame.
positive_curves = ObjectMemo(_positive)
curve_ticks = ObjectMemo(lambda curves: log_ticks(positive_curves(curves)["monthly_cost_usd"]))
curve_domain = ObjectMemo(lambda curves: (float(curves["requests_per_day"].min()), float(curves["requests_per_day"].max())))


@lru_cache(maxsize=512)
def current_marker(volume: float) -> pd.DataFrame:
    """The "You: N/day" marker's one row (one frame per volume, so its Arrow form is made once)."""
    return pd.DataFrame({"requests_per_day": [float(volume)], "label": [f"You: {per_day(volume)}"]})


@lru_cache(maxsize=512)
def crossover_marker(crossover: Crossover) -> pd.DataFrame:
    """The crossover diamond's one row."""
    return pd.DataFrame(
        {
            "requests_per_day": [crossover.requests_per_day],
            "monthly_cost_usd": [crossover.monthly_cost_usd],
            "label": [f"Crossover ≈ {per_day(crossover.requests_per_day)}"],
        }
    )


@lru_cache(maxsize=512)
def breakeven_marker(month: float) -> pd.DataFrame:
    """The breakeven rule's one row."""
    return pd.DataFrame({"month": [month], "label": [f"Breakeven: month {month:.1f}"]})


def volume_datasets(
    curves: pd.DataFrame, spans: pd.DataFrame, current_volume: float, crossover: Crossover | None
) -> dict[str, pd.DataFrame]:
    """The named datasets `volume_chart` draws: curves, bands, the current volume and the crossover.

    Kept as DataFrames (Streamlit turns them into Arrow directly, much faster than from records), the same frame
    objects for the same inputs, so `page_spec` converts each once.
    """
    datasets = {
        "curves": positive_curves(curves),
        "spans": spans if "label" in spans else label_bands(spans),
        "current": current_marker(float(current_volume)),
    }
    if crossover is not None:
        datasets["crossover"] = crossover_marker(crossover)
    return datasets


@lru_cache(maxsize=1)
def shipped_templates() -> dict[str, dict]:
    """The compiled templates in `ui/chart_templates.json`, by key (read once per process)."""
    return json.loads(TEMPLATES.read_text(encoding="utf-8"))


def _template(key: str) -> dict:
    """The compiled template for `key`: shipped, or compiled now with Altair for a structure the file lacks."""
    template = shipped_templates().get(key)
    if template is None:
        from ui.charts import compile_template  # Altair: only for structures not shipped

        template = compile_template(key)
    return template


def fill(node: Any, title: str, ticks: tuple[float, ...]) -> Any:
    """A copy of a template (or part of one) with the title and y-axis tick placeholders replaced."""
    if isinstance(node, dict):
        return {key: fill(value, title, ticks) for key, value in node.items()}
    if isinstance(node, list):
        return list(ticks) if node == list(PLACEHOLDER_TICKS) else [fill(value, title, ticks) for value in node]
    if node == TITLE:
        return title
    if isinstance(node, float) and node == TICK_LOW:
        return ticks[0]
    if isinstance(node, float) and node == PLACEHOLDER_LABEL_Y:
        return label_position(ticks)
    return node


@lru_cache(maxsize=256)
def _volume_text(title: str, x_domain: tuple[float, float], y_ticks: tuple[float, ...], with_crossover: bool) -> str:
    """The filled-in spec as JSON text: parsing it gives each rerun a fresh copy Streamlit may modify."""
    return json.dumps(fill(_template(volume_key(x_domain, with_crossover)), title, y_ticks))


def volume_chart_spec(
    curves: pd.DataFrame,
    spans: pd.DataFrame,
    current_volume: float,
    crossover: Crossover | None,
    title: str,
    subtitle: str,
) -> dict:
    """The Vega-Lite spec of the volume chart for this data (datasets as DataFrames; see `json_spec`)."""
    x_domain = curve_domain(curves)
    visible = (
        crossover is not None and x_domain[0] <= crossover.requests_per_day <= x_domain[1] and crossover.monthly_cost_usd > 0
    )
    spec = json.loads(_volume_text(title, x_domain, curve_ticks(curves), visible))
    spec["title"]["subtitle"] = subtitle
    spec["datasets"] = volume_datasets(curves, spans, current_volume, crossover if visible else None)
    return spec


@lru_cache(maxsize=64)
def _cumulative_text(title: str, with_breakeven: bool) -> str:
    return json.dumps(fill(_template(cumulative_key(with_breakeven)), title, PLACEHOLDER_TICKS))


def cumulative_chart_spec(frame: pd.DataFrame, breakeven_month: float | None, title: str) -> dict:
    """The Vega-Lite spec of the cumulative-cost chart (datasets as DataFrames); breakeven shown when in range."""
    visible = breakeven_month is not None and breakeven_month <= float(frame["month"].max())
    spec = json.loads(_cumulative_text(title, visible))
    spec["datasets"] = {"cumulative": frame}
    if visible:
        spec["datasets"]["breakeven"] = breakeven_marker(float(breakeven_month))
    return spec
