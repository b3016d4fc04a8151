"""Chart builders in Altair: pure functions from data (or named data sources) to charts, testable without a page.

The home page's two charts (volume, cumulative) are compiled from here ahead of time into templates with named
data sources (see `ui/chart_specs.py` and `scripts/build_chart_templates.py`), so the home page never imports
Altair and a rerun only attaches new data. The other pages' charts are built here when drawn.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from calc.inputs.querystring import INT_PARAMS
from ui.chart_layout import (
    CHART_HEIGHT,
    PLACEHOLDER_TICKS,
    TITLE,
    cumulative_key,
    label_position,
    log_ticks,
    volume_key,
)

APPROACH_COLORS = alt.Scale(domain=["Prompting", "Fine-tuned"], range=["#1f77b4", "#e4572e"])
BAND_COLORS = ["#9e9e9e", "#b0bec5", "#ffe082", "#a5d6a7", "#66bb6a"]
FONT_SIZE = 13
MONEY_LABEL = "datum.value >= 1 ? format(datum.value, '$,.0f') : format(datum.value, '$,.2~f')"


def _finish(chart: alt.LayerChart, title: alt.Title, height: int) -> alt.LayerChart:
    return (
        chart.properties(title=title, height=height)
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
        .configure_legend(labelFontSize=FONT_SIZE)
    )


def volume_chart(title: str, x_domain: tuple[float, float], y_ticks: tuple[float, ...], with_crossover: bool) -> alt.LayerChart:
    """Monthly cost of each approach vs requests/day (log axes), bands shaded and labelled, current
    volume and crossover marked. Data comes from named datasets (see `volume_datasets`)."""
    x_scale = alt.Scale(type="log", domain=list(x_domain), nice=False)
    y_scale = alt.Scale(type="log")
    x = alt.X(
        "requests_per_day:Q",
        scale=x_scale,
        title="Requests per day (log scale)",
        axis=alt.Axis(values=list(log_ticks(pd.Series(x_domain))), format=",.0f"),
    )
    y = alt.Y(
        "monthly_cost_usd:Q",
        scale=y_scale,
        title="Monthly cost (USD, log scale)",
        axis=alt.Axis(values=list(y_ticks), labelExpr=MONEY_LABEL),
    )
    color = alt.Color("approach:N", scale=APPROACH_COLORS, title=None, legend=alt.Legend(orient="bottom"))
    spans = alt.Chart(alt.NamedData("spans"))
    text = {"fontSize": 11, "lineBreak": "\n", "color": "#37474f"}
    band_x = alt.X("middle:Q", scale=x_scale)
    curves = alt.Chart(alt.NamedData("curves"))
    hover = alt.selection_point(on="pointerover", nearest=True, fields=["requests_per_day"], empty=False, clear="pointerout")
    marker = alt.Chart(alt.NamedData("current"))
    layers = [
        spans.mark_rect(opacity=0.18).encode(
            x=alt.X("start:Q", scale=x_scale),
            x2="end:Q",
            fill=alt.Fill("band:O", scale=alt.Scale(range=BAND_COLORS), legend=None),
            tooltip=[
                alt.Tooltip("volume_label:N", title="Requests/day"),
                alt.Tooltip("recommendation:N", title="Article recommends"),
                alt.Tooltip("why:N", title="Why"),
            ],
        ),
        spans.transform_filter("datum.at_top")
        .mark_text(baseline="top", dy=6, **text)
        .encode(x=band_x, y=alt.value(0), text="label:N"),
        spans.transform_filter("!datum.at_top")
        .mark_text(baseline="bottom", dy=-6, **text)
        .encode(x=band_x, y=alt.datum(y_ticks[0], type="quantitative"), text="label:N"),
        curves.mark_line(strokeWidth=3).encode(x=x, y=y, color=color),
        curves.transform_pivot("approach", value="monthly_cost_usd", groupby=["requests_per_day"])
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
        .add_params(hover),
        curves.transform_filter(hover)
        .mark_point(filled=True, size=50)
        .encode(x=x, y=y, color=alt.Color("approach:N", scale=APPROACH_COLORS, legend=None)),
        marker.mark_rule(color="black", strokeDash=[6, 4], strokeWidth=2).encode(x=alt.X("requests_per_day:Q", scale=x_scale)),
        marker.mark_text(align="left", dx=5, dy=-8, fontSize=FONT_SIZE, fontWeight="bold").encode(
            x=alt.X("requests_per_day:Q", scale=x_scale),
            y=alt.datum(label_position(y_ticks), type="quantitative"),
            text="label:N",
        ),
    ]
    if with_crossover:
        cross = alt.Chart(alt.NamedData("crossover"))
        position = {"x": alt.X("requests_per_day:Q", scale=x_scale), "y": alt.Y("monthly_cost_usd:Q", scale=y_scale)}
        layers.append(cross.mark_point(shape="diamond", size=180, filled=True, color="black").encode(**position))
        layers.append(
            cross.mark_text(align="right", dx=-10, dy=-10, fontSize=FONT_SIZE, fontWeight="bold").encode(
                **position, text="label:N"
            )
        )
    return _finish(alt.layer(*layers), alt.Title(title, subtitle=" ", fontSize=18, subtitleFontSize=FONT_SIZE), CHART_HEIGHT)


def cumulative_chart(title: str, with_breakeven: bool) -> alt.LayerChart:
    """Cumulative spend per approach by month (dataset "cumulative"), breakeven marked (dataset "breakeven")."""
    x = alt.X("month:Q", title="Months from now", axis=alt.Axis(tickMinStep=1))
    y = alt.Y("cumulative_usd:Q", title="Cumulative cost (USD)", axis=alt.Axis(labelExpr=MONEY_LABEL))
    color = alt.Color("approach:N", scale=APPROACH_COLORS, title=None, legend=alt.Legend(orient="bottom"))
    layers = [
        alt.Chart(alt.NamedData("cumulative"))
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
    ]
    if with_breakeven:
        marker = alt.Chart(alt.NamedData("breakeven"))
        layers.append(marker.mark_rule(color="black", strokeDash=[6, 4], strokeWidth=2).encode(x="month:Q"))
        layers.append(
            marker.mark_text(align="left", dx=6, y=12, fontSize=FONT_SIZE, fontWeight="bold").encode(x="month:Q", text="label:N")
        )
    return _finish(alt.layer(*layers), alt.Title(title, fontSize=16), 320)


def compile_template(key: str) -> dict:
    """The chart `key` names (see `ui.chart_specs`) compiled with placeholder title and y-axis ticks."""
    chart, *fields = key.split("|")
    if chart == "volume":
        low, high, with_crossover = float(fields[0]), float(fields[1]), fields[2] == "True"
        return volume_chart(TITLE, (low, high), PLACEHOLDER_TICKS, with_crossover).to_dict(validate=False)
    if chart == "cumulative":
        return cumulative_chart(TITLE, fields[0] == "True").to_dict(validate=False)
    raise ValueError(f"Unknown chart template {key!r}")


def shipped_template_keys() -> list[str]:
    """The structures the home page draws over the app's volume range, as shipped in ui/chart_templates.json."""
    x_domain = (float(INT_PARAMS["requests_per_day"].minimum), float(INT_PARAMS["requests_per_day"].maximum))
    return [volume_key(x_domain, True), volume_key(x_domain, False), cumulative_key(True), cumulative_key(False)]


def template_file_text() -> str:
    """The text of ui/chart_templates.json: every shipped template by key, formatted for reviewable diffs."""
    templates = {key: compile_template(key) for key in shipped_template_keys()}
    return json.dumps(templates, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def quality_range_chart(table: pd.DataFrame, selected_task: str) -> alt.LayerChart:
    """Quality ranges by task: prompting vs fine-tuned as bars from low to high, the selected task highlighted."""
    long = pd.concat(
        [
            table.assign(approach="Prompting", low=table["prompting_low"], high=table["prompting_high"]),
            table.assign(approach="Fine-tuned", low=table["fine_tuned_low"], high=table["fine_tuned_high"]),
        ]
    )[["task_id", "task", "approach", "low", "high", "delta_low", "delta_high", "justified"]]
    long = long.assign(selected=long["task_id"] == selected_task)
    order = table.sort_values("delta_high", ascending=False)["task"].tolist()
    y = alt.Y("task:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelFontSize=FONT_SIZE))
    base = alt.Chart(long)
    bars = base.mark_bar(height=9, cornerRadius=3).encode(
        x=alt.X("low:Q", scale=alt.Scale(domain=[65, 100]), title="Agreement with human judgment (%)"),
        x2="high:Q",
        y=y,
        yOffset=alt.YOffset("approach:N", sort=["Prompting", "Fine-tuned"]),
        color=alt.Color("approach:N", scale=APPROACH_COLORS, title=None, legend=alt.Legend(orient="bottom")),
        opacity=alt.condition("datum.selected", alt.value(1.0), alt.value(0.35)),
        tooltip=[
            alt.Tooltip("task:N", title="Task"),
            alt.Tooltip("approach:N", title="Approach"),
            alt.Tooltip("low:Q", title="Low (%)"),
            alt.Tooltip("high:Q", title="High (%)"),
            alt.Tooltip("justified:N", title="Fine-tuning justified?"),
        ],
    )
    highlight = (
        base.transform_filter("datum.selected && datum.approach == 'Fine-tuned'")
        .mark_text(align="left", dx=6, fontWeight="bold", fontSize=FONT_SIZE)
        .encode(
            x="high:Q",
            y=y,
            text=alt.Text("label:N"),
        )
        .transform_calculate(
            label="(datum.delta_low >= 0 ? '+' : '') + datum.delta_low + ' to ' "
            "+ (datum.delta_high >= 0 ? '+' : '') + datum.delta_high + ' pts'"
        )
    )
    return _finish(
        alt.layer(bars, highlight), alt.Title("Expected quality by task type (the article's ranges)", fontSize=16), 420
    )


def token_histogram(bins: pd.DataFrame, limit: int) -> alt.LayerChart:
    """Histogram of tokens per training example from its bins (calc.inputs.dataset.token_bins: a few dozen rows, whatever
    the file's size), with the per-example limit marked."""
    bars = (
        alt.Chart(bins)
        .mark_bar(color="#1f77b4")
        .encode(
            x=alt.X("bin_start:Q", bin="binned", title="Tokens per example (chat rule)"),
            x2="bin_end:Q",
            y=alt.Y("examples:Q", title="Examples"),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="From", format=","),
                alt.Tooltip("bin_end:Q", title="Below", format=","),
                alt.Tooltip("examples:Q", title="Examples", format=","),
            ],
        )
    )
    layers = [bars]
    if len(bins) and bins["bin_end"].max() >= limit * 0.8:
        rule = pd.DataFrame({"bin_start": [limit], "label": [f"limit {limit:,}"]})
        layers.append(alt.Chart(rule).mark_rule(color="#e4572e", strokeDash=[6, 4]).encode(x="bin_start:Q"))
    return _finish(alt.layer(*layers), alt.Title("Tokens per training example", fontSize=16), 260)


PATH_COLORS = alt.Scale(domain=["Prompting", "Fine-tuned", "Hybrid"], range=["#1f77b4", "#e4572e", "#6a4c93"])


def lifecycle_chart(frame: pd.DataFrame, markers: pd.DataFrame, title: str) -> alt.LayerChart:
    """Cumulative cost by month for each path; `markers` (month, label, kind) draws retraining, migration
    and breakeven as labelled rules."""
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=3, point=True)
        .encode(
            x=alt.X("month:Q", title="Month", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("cumulative_usd:Q", title="Cumulative cost (USD)", axis=alt.Axis(labelExpr=MONEY_LABEL)),
            color=alt.Color("path:N", scale=PATH_COLORS, title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("path:N", title="Path"),
                alt.Tooltip("month:Q", title="Month"),
                alt.Tooltip("monthly_usd:Q", title="This month (USD)", format="$,.2f"),
                alt.Tooltip("cumulative_usd:Q", title="Cumulative (USD)", format="$,.2f"),
                alt.Tooltip("event:N", title="Events"),
                alt.Tooltip("option:N", title="Option"),
            ],
        )
    )
    layers = [lines]
    if not markers.empty:
        markers = markers.sort_values("month").assign(offset=[12 + 15 * (i % 3) for i in range(len(markers))])
        kinds = alt.Scale(domain=["retraining", "migration", "breakeven"], range=["#9e9e9e", "#b71c1c", "#2e7d32"])
        rules = (
            alt.Chart(markers)
            .mark_rule(strokeDash=[5, 4], strokeWidth=2)
            .encode(x="month:Q", color=alt.Color("kind:N", scale=kinds, title=None, legend=alt.Legend(orient="bottom")))
        )
        labels = (
            alt.Chart(markers)
            .mark_text(align="left", dx=4, angle=0, fontSize=11, fontWeight="bold")
            .encode(
                x="month:Q", y=alt.Y("offset:Q", scale=None), text="label:N", color=alt.Color("kind:N", scale=kinds, legend=None)
            )
        )
        layers += [rules, labels]
    return _finish(alt.layer(*layers).resolve_scale(color="independent"), alt.Title(title, fontSize=16), 380)


def tornado_chart(table: pd.DataFrame, metric: str) -> alt.LayerChart:
    """How far `metric` moves as each input swings from its low to its high value, widest first."""
    frame = table.assign(
        lower=table[["saving_low", "saving_high"]].min(axis=1),
        upper=table[["saving_low", "saving_high"]].max(axis=1),
        range_label=[f"{r.input}: {r.low_value:,.3g} to {r.high_value:,.3g} ({r.basis})" for r in table.itertuples()],
    )
    y = alt.Y("input:N", sort=frame["input"].tolist(), title=None, axis=alt.Axis(labelFontSize=FONT_SIZE, labelLimit=220))
    bars = (
        alt.Chart(frame)
        .mark_bar(height=18, color="#6a4c93")
        .encode(
            x=alt.X("lower:Q", title=metric, axis=alt.Axis(labelExpr=MONEY_LABEL.replace(">= 1", ">= 1 || datum.value <= -1"))),
            x2="upper:Q",
            y=y,
            tooltip=[
                alt.Tooltip("range_label:N", title="Swing"),
                alt.Tooltip("saving_low:Q", title="At the low value (USD)", format="$,.0f"),
                alt.Tooltip("saving_high:Q", title="At the high value (USD)", format="$,.0f"),
            ],
        )
    )
    base = alt.Chart(frame.head(1)).mark_rule(color="black", strokeWidth=2).encode(x="base:Q")
    return _finish(alt.layer(bars, base), alt.Title(f"Which assumption decides: {metric}", fontSize=16), 40 + 34 * len(frame))


def _volume_axis(volumes: pd.Series) -> tuple[float, float, alt.Scale, alt.X]:
    """The log requests/day axis over `volumes`' range: (low, high, its scale, the x encoding), one tick a decade."""
    low, high = float(volumes.min()), float(volumes.max())
    scale = alt.Scale(type="log", domain=[low, high], nice=False)
    axis = alt.Axis(values=list(log_ticks(pd.Series([low, high]))), format=",.0f")
    return low, high, scale, alt.X("requests_per_day:Q", scale=scale, title="Requests per day (log scale)", axis=axis)


SERVING_COLORS = ["#6a4c93", "#e4572e"]


def serving_cost_chart(
    frame: pd.DataFrame, cheaper: tuple[tuple[float, float | None], ...], current: float, title: str
) -> alt.LayerChart:
    """Monthly serving cost by daily volume (log x and y): self-hosted steps as GPUs are added beside the managed
    option's line; the scenario's volume and where self-hosting becomes (and stops being) cheaper marked.

    `cheaper` holds the volume ranges (start, end or None) where self-hosting costs no more."""
    low, high, x_scale, x = _volume_axis(frame["requests_per_day"])
    costs = frame["monthly_cost_usd"][frame["monthly_cost_usd"] > 0]
    decades = log_ticks(costs) if not costs.empty else (1.0,)
    ticks = [d * m for d in decades for m in (1, 2, 5) if costs.empty or costs.min() / 2 <= d * m <= costs.max() * 2]
    y = alt.Y(
        "monthly_cost_usd:Q",
        scale=alt.Scale(type="log"),
        title="Monthly serving cost (USD, log scale)",
        axis=alt.Axis(values=ticks, labelExpr=MONEY_LABEL),
    )
    lines = alt.Chart(frame).mark_line(strokeWidth=3, clip=True).encode(
        x=x,
        y=y,
        color=alt.Color(
            "line:N",
            scale=alt.Scale(domain=list(frame["line"].unique()), range=SERVING_COLORS),
            title=None,
            legend=alt.Legend(orient="bottom", labelLimit=420),
        ),
        tooltip=[
            alt.Tooltip("line:N", title="Line"),
            alt.Tooltip("requests_per_day:Q", title="Requests/day", format=",.0f"),
            alt.Tooltip("monthly_cost_usd:Q", title="Per month (USD)", format="$,.2f"),
            alt.Tooltip("gpus:Q", title="GPUs (0: billed per token)"),
        ],
    )
    markers = [{"requests_per_day": current, "label": "this scenario", "kind": "current"}]
    for start, end in cheaper:
        markers.append({"requests_per_day": start, "label": "self-hosting cheaper from here", "kind": "self-hosted"})
        if end is not None:
            markers.append({"requests_per_day": end, "label": "managed cheaper above", "kind": "managed"})
    shown = [m for m in markers if low < m["requests_per_day"] <= high][:12]
    marks = pd.DataFrame([{**m, "dy": 10 + 18 * (i % 3)} for i, m in enumerate(shown)])
    layers = [lines]
    if not marks.empty:
        kinds = alt.Scale(domain=["current", "self-hosted", "managed"], range=["#546e7a", "#2e7d32", "#b71c1c"])
        rules = alt.Chart(marks).mark_rule(strokeDash=[5, 4], strokeWidth=2).encode(
            x=alt.X("requests_per_day:Q", scale=x_scale), color=alt.Color("kind:N", scale=kinds, legend=None)
        )
        labels = alt.Chart(marks).mark_text(align="left", dx=4, fontSize=12, fontWeight="bold").encode(
            x=alt.X("requests_per_day:Q", scale=x_scale),
            y=alt.Y("dy:Q", scale=None),
            text="label:N",
            color=alt.Color("kind:N", scale=kinds, legend=None),
        )
        layers += [rules, labels]
    return _finish(alt.layer(*layers).resolve_scale(color="independent"), alt.Title(title, fontSize=16), 400)


def envelope_chart(curves: pd.DataFrame, spans: pd.DataFrame, current: float, title: str) -> alt.LayerChart:
    """Monthly cost by daily volume of the top routes (log axes; one-off costs spread over the horizon), the cheapest
    route at each volume drawn thick over the others, the article's volume bands shaded behind and the scenario's
    volume marked."""
    low, high, x_scale, x = _volume_axis(curves["requests_per_day"])
    drawn = curves[curves["monthly_cost_usd"] > 0]
    ticks = log_ticks(drawn["monthly_cost_usd"])
    y = alt.Y(
        "monthly_cost_usd:Q",
        scale=alt.Scale(type="log"),
        title="Monthly cost (USD, log scale)",
        axis=alt.Axis(values=list(ticks), labelExpr=MONEY_LABEL),
    )
    routes = alt.Scale(domain=list(dict.fromkeys(curves["label"])))
    color = alt.Color("label:N", scale=routes, title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=420))
    tooltip = [
        alt.Tooltip("label:N", title="Route"),
        alt.Tooltip("requests_per_day:Q", title="Requests/day", format=",.0f"),
        alt.Tooltip("monthly_cost_usd:Q", title="Per month incl. spread training (USD)", format="$,.2f"),
    ]
    bands = alt.Chart(spans).mark_rect(opacity=0.14).encode(
        x=alt.X("start:Q", scale=x_scale),
        x2="end:Q",
        fill=alt.Fill("band:O", scale=alt.Scale(range=BAND_COLORS), legend=None),
        tooltip=[
            alt.Tooltip("volume_label:N", title="Requests/day"),
            alt.Tooltip("recommendation:N", title="Article recommends"),
        ],
    )
    band_labels = (
        alt.Chart(spans)
        .mark_text(baseline="top", dy=6, fontSize=11, lineBreak="\n", color="#37474f")
        .encode(x=alt.X("middle:Q", scale=x_scale), y=alt.value(0), text="label:N")
    )
    lines = alt.Chart(drawn).mark_line(strokeWidth=1.5, opacity=0.55, clip=True).encode(x=x, y=y, color=color, tooltip=tooltip)
    cheapest = (
        alt.Chart(drawn[drawn["cheapest"]])
        .mark_circle(size=38, opacity=1, clip=True)
        .encode(x=x, y=y, color=alt.Color("label:N", scale=routes, legend=None), tooltip=tooltip)
    )
    marker = pd.DataFrame({"requests_per_day": [current], "label": [f"you: {current:,.0f}/day"]})
    side = "right" if current > (low * high**3) ** 0.25 else "left"  # near the right edge the label reads leftwards
    at_volume = alt.X("requests_per_day:Q", scale=x_scale)
    rule = alt.Chart(marker).mark_rule(color="black", strokeDash=[6, 4], strokeWidth=2).encode(x=at_volume)
    text = (
        alt.Chart(marker)
        .mark_text(align=side, dx=5 if side == "left" else -5, dy=44, fontSize=FONT_SIZE, fontWeight="bold", baseline="top")
        .encode(x=alt.X("requests_per_day:Q", scale=x_scale), y=alt.value(0), text="label:N")
    )
    subtitle = "Dots: the cheapest route at that volume (training spread over the horizon). Shaded: the article's bands."
    layers = alt.layer(bands, band_labels, lines, cheapest, rule, text)
    return _finish(layers, alt.Title(title, subtitle=subtitle, fontSize=18, subtitleFontSize=FONT_SIZE), CHART_HEIGHT + 200)
