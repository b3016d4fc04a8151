"""Chart builders: pure functions from DataFrames to alt.Chart, so they are testable without a page."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from calc.costs import Crossover
from ui.format import per_day, wrap

APPROACH_COLORS = alt.Scale(domain=["Prompting", "Fine-tuned"], range=["#1f77b4", "#e4572e"])
BAND_COLORS = ["#9e9e9e", "#b0bec5", "#ffe082", "#a5d6a7", "#66bb6a"]
FONT_SIZE = 13
CHART_HEIGHT = 460
MONEY_LABEL = "datum.value >= 1 ? format(datum.value, '$,.0f') : format(datum.value, '$,.2~f')"


def _band_layers(spans: pd.DataFrame, x_scale: alt.Scale, y_bottom: float) -> list[alt.Chart]:
    """Shaded rectangles for the volume bands with their labels along the top."""
    spans = spans.assign(
        label=[wrap(f"{v}/day: {r}", 18) for v, r in zip(spans["volume_label"], spans["recommendation"], strict=True)],
        middle=(spans["start"] * spans["end"]) ** 0.5,
        at_top=spans["band"] <= 3,
    )
    base = alt.Chart(spans)
    shade = base.mark_rect(opacity=0.18).encode(
        x=alt.X("start:Q", scale=x_scale),
        x2="end:Q",
        fill=alt.Fill("band:O", scale=alt.Scale(range=BAND_COLORS), legend=None),
        tooltip=[
            alt.Tooltip("volume_label:N", title="Requests/day"),
            alt.Tooltip("recommendation:N", title="Article recommends"),
            alt.Tooltip("why:N", title="Why"),
        ],
    )
    text = {"fontSize": 11, "lineBreak": "\n", "color": "#37474f"}
    top = (
        base.transform_filter("datum.at_top")
        .mark_text(baseline="top", dy=6, **text)
        .encode(x=alt.X("middle:Q", scale=x_scale), y=alt.value(0), text="label:N")
    )
    bottom = (
        base.transform_filter("!datum.at_top")
        .mark_text(baseline="bottom", dy=-6, **text)
        .encode(x=alt.X("middle:Q", scale=x_scale), y=alt.datum(y_bottom, type="quantitative"), text="label:N")
    )
    return [shade, top, bottom]


def _log_ticks(values: pd.Series) -> list[float]:
    """Powers of ten spanning `values`, so a log axis gets one labelled gridline per decade."""
    low, high = math.floor(math.log10(values.min())), math.ceil(math.log10(values.max()))
    return [10.0**e for e in range(low, high + 1)]


def volume_chart(
    curves: pd.DataFrame,
    spans: pd.DataFrame,
    current_volume: float,
    crossover: Crossover | None,
    title: str,
    subtitle: str,
) -> alt.LayerChart:
    """Monthly cost of each approach vs requests/day (log axes), bands shaded, current volume marked."""
    low, high = float(curves["requests_per_day"].min()), float(curves["requests_per_day"].max())
    x_scale = alt.Scale(type="log", domain=[low, high], nice=False)
    positive = curves[curves["monthly_cost_usd"] > 0]
    x = alt.X(
        "requests_per_day:Q",
        scale=x_scale,
        title="Requests per day (log scale)",
        axis=alt.Axis(values=_log_ticks(curves["requests_per_day"]), format=",.0f"),
    )
    y = alt.Y(
        "monthly_cost_usd:Q",
        scale=alt.Scale(type="log"),
        title="Monthly cost (USD, log scale)",
        axis=alt.Axis(values=_log_ticks(positive["monthly_cost_usd"]), labelExpr=MONEY_LABEL),
    )
    color = alt.Color("approach:N", scale=APPROACH_COLORS, title=None, legend=alt.Legend(orient="bottom"))
    lines = alt.Chart(positive).mark_line(strokeWidth=3).encode(x=x, y=y, color=color)

    hover = alt.selection_point(on="pointerover", nearest=True, fields=["requests_per_day"], empty=False, clear="pointerout")
    tooltip_rule = (
        alt.Chart(positive)
        .transform_pivot("approach", value="monthly_cost_usd", groupby=["requests_per_day"])
        .mark_rule(color="#607d8b", strokeWidth=1)
        .encode(
            x=x,
            opacity=alt.condition(hover, alt.value(0.7), alt.value(0)),
            tooltip=[
                alt.Tooltip("requests_per_day:Q", title="Requests/day", format=",.0f"),
                alt.Tooltip("Prompting:Q", title="Prompting (USD/month)", format="$,.2f"),
                alt.Tooltip("Fine-tuned:Q", title="Fine-tuned incl. training (USD/month)", format="$,.2f"),
            ],
        )
        .add_params(hover)
    )
    points = (
        alt.Chart(positive)
        .mark_point(filled=True, size=50)
        .encode(
            x=x,
            y=y,
            color=alt.Color("approach:N", scale=APPROACH_COLORS, legend=None),
            opacity=alt.condition(hover, alt.value(1), alt.value(0)),
        )
    )

    y_ticks = _log_ticks(positive["monthly_cost_usd"])
    markers = pd.DataFrame({"requests_per_day": [current_volume], "label": [f"You: {per_day(current_volume)}"]})
    current = (
        alt.Chart(markers)
        .mark_rule(color="black", strokeDash=[6, 4], strokeWidth=2)
        .encode(x=alt.X("requests_per_day:Q", scale=x_scale))
    )
    current_label = (
        alt.Chart(markers)
        .mark_text(align="left", dx=5, dy=-8, fontSize=FONT_SIZE, fontWeight="bold")
        .encode(
            x=alt.X("requests_per_day:Q", scale=x_scale),
            y=alt.datum(math.sqrt(y_ticks[0] * y_ticks[-1]), type="quantitative"),
            text="label:N",
        )
    )
    layers = [*_band_layers(spans, x_scale, y_ticks[0]), lines, tooltip_rule, points, current, current_label]
    if crossover is not None and low <= crossover.requests_per_day <= high and crossover.monthly_cost_usd > 0:
        marker = pd.DataFrame(
            {
                "requests_per_day": [crossover.requests_per_day],
                "monthly_cost_usd": [crossover.monthly_cost_usd],
                "label": [f"Crossover ≈ {per_day(crossover.requests_per_day)}"],
            }
        )
        layers.append(
            alt.Chart(marker)
            .mark_point(shape="diamond", size=180, filled=True, color="black")
            .encode(x=alt.X("requests_per_day:Q", scale=x_scale), y=alt.Y("monthly_cost_usd:Q", scale=alt.Scale(type="log")))
        )
        layers.append(
            alt.Chart(marker)
            .mark_text(align="right", dx=-10, dy=-10, fontSize=FONT_SIZE, fontWeight="bold")
            .encode(
                x=alt.X("requests_per_day:Q", scale=x_scale),
                y=alt.Y("monthly_cost_usd:Q", scale=alt.Scale(type="log")),
                text="label:N",
            )
        )
    return (
        alt.layer(*layers)
        .properties(title=alt.Title(title, subtitle=subtitle, fontSize=18, subtitleFontSize=FONT_SIZE), height=CHART_HEIGHT)
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
        .configure_legend(labelFontSize=FONT_SIZE)
    )


def cumulative_chart(frame: pd.DataFrame, breakeven_month: float | None, title: str) -> alt.LayerChart:
    """Cumulative spend per approach by month, training paid at month 0, breakeven marked."""
    x = alt.X("month:Q", title="Months from now", axis=alt.Axis(tickMinStep=1))
    y = alt.Y("cumulative_usd:Q", title="Cumulative cost (USD)", axis=alt.Axis(labelExpr=MONEY_LABEL))
    color = alt.Color("approach:N", scale=APPROACH_COLORS, title=None, legend=alt.Legend(orient="bottom"))
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=3, point=True)
        .encode(
            x=x,
            y=y,
            color=color,
            tooltip=[
                alt.Tooltip("approach:N", title="Approach"),
                alt.Tooltip("month:Q", title="Month"),
                alt.Tooltip("cumulative_usd:Q", title="Cumulative (USD)", format="$,.2f"),
            ],
        )
    )
    layers: list[alt.Chart] = [lines]
    last_month = float(frame["month"].max())
    if breakeven_month is not None and breakeven_month <= last_month:
        marker = pd.DataFrame({"month": [breakeven_month], "label": [f"Breakeven: month {breakeven_month:.1f}"]})
        layers.append(alt.Chart(marker).mark_rule(color="black", strokeDash=[6, 4], strokeWidth=2).encode(x="month:Q"))
        layers.append(
            alt.Chart(marker)
            .mark_text(align="left", dx=6, y=12, fontSize=FONT_SIZE, fontWeight="bold")
            .encode(x="month:Q", text="label:N")
        )
    return (
        alt.layer(*layers)
        .properties(title=alt.Title(title, fontSize=16), height=320)
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
        .configure_legend(labelFontSize=FONT_SIZE)
    )
