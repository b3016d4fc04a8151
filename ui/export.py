"""Exports for the planning meeting: chart images rendered offline and the decision brief."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

from calc.brief import Brief
from calc.decision import walk
from calc.quality import task_quality
from calc.safe_text import csv_bytes
from calc.scenario import Scenario
from calc.status import lifecycle
from calc.tables import Option, load_article_table
from ui.analysis import VolumeAnalysis
from ui.chart_specs import json_spec
from ui.format import count, months, per_day, usd, usd_per_month


@lru_cache(maxsize=32)
def _render(spec_json: str, kind: str) -> bytes:
    import vl_convert  # imported on first export only: it is large

    spec = json.loads(spec_json)
    if kind == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def chart_image(spec: dict, kind: str = "png") -> bytes:
    """A chart spec (datasets as DataFrames or records) as PNG or SVG, rendered without a browser or network."""
    if kind not in ("png", "svg"):
        raise ValueError(f"kind must be png or svg, not {kind!r}.")
    plain = json_spec(spec)
    plain.setdefault("width", 900)
    plain["autosize"] = {"type": "pad"}
    return _render(json.dumps(plain, default=str, sort_keys=True), kind)


def _assumptions(option: Option, scenario: Scenario) -> pd.DataFrame:
    prices = [
        (
            "Training price",
            f"{usd(option['training_price_usd'])} per {'GPU-hour' if option['training_unit'] == 'per_gpu_hour' else '1M tokens'}",
        ),
        ("Base input / output (per 1M)", f"{usd(option['base_input_per_mtok'])} / {usd(option['base_output_per_mtok'])}"),
        ("Fine-tuned input / output (per 1M)", f"{usd(option['tuned_input_per_mtok'])} / {usd(option['tuned_output_per_mtok'])}"),
    ]
    rows = [
        {
            "item": f"{option['label']}: {name}",
            "value": value,
            "source": option["source"],
            "as_of": option["as_of"],
            "confidence": option["confidence"],
        }
        for name, value in prices
    ]
    rows.append(
        {
            "item": "Volume bands, task quality, decision tree",
            "value": "the article's tables",
            "source": "seed article",
            "as_of": "undated (read 2026-11-28)",
            "confidence": "as published",
        }
    )
    rows.append(
        {
            "item": "Month length",
            "value": f"{scenario.days_per_month} days",
            "source": "convention",
            "as_of": "",
            "confidence": "",
        }
    )
    return pd.DataFrame(rows)


def build_brief(
    scenario: Scenario,
    result: VolumeAnalysis,
    option: Option,
    charts: list[tuple[str, bytes]],
    today: dt.date,
    link: str = "",
    edited: bool = False,
    eval_result: str = "not yet measured",
) -> Brief:
    """The brief for the home page's scenario."""
    summary = result.summary
    decision = walk(scenario, eval_result)
    status = lifecycle(option, today)
    cross = result.crossover
    reasons = [
        f"Volume: {per_day(scenario.requests_per_day)} is in the article's {result.band['volume_label']} band, "
        f"where it recommends {result.band['recommendation'].lower()} ({result.band['why']}).",
        f"Decision tree: {decision.recommendation.lower()} — {decision.reason}",
        f"Cost ({scenario.pricing} pricing): fine-tuning {'saves' if summary.monthly_savings_usd >= 0 else 'costs'} "
        f"{usd_per_month(abs(summary.monthly_savings_usd))}; breakeven {months(summary.breakeven_months)}.",
        "No volume makes fine-tuning cheaper per request."
        if cross is None
        else f"Fine-tuning is cheaper above about {per_day(cross.requests_per_day)} "
        f"(training spread over {scenario.horizon_months} months).",
    ]
    if decision.disagreement:
        reasons.append(decision.disagreement)
    if status.severity != "ok":
        reasons.append(status.sentence)
    numbers = [
        ("Prompting per month", usd_per_month(summary.monthly_prompting_usd)),
        ("Fine-tuned per month", usd_per_month(summary.monthly_fine_tuned_usd)),
        ("Monthly savings", usd_per_month(summary.monthly_savings_usd)),
        (
            f"Monthly savings, {'article convention' if scenario.pricing == 'full' else 'full pricing'}",
            usd_per_month(result.other_mode.monthly_savings_usd),
        ),
        ("Training cost (one run)", usd(summary.training.cost_usd)),
        ("Breakeven", months(summary.breakeven_months)),
    ]
    scenario_rows = [
        ("Fine-tuning option", option["label"]),
        ("Requests per day", count(scenario.requests_per_day)),
        ("Few-shot examples x tokens", f"{scenario.examples} x {count(scenario.tokens_per_example)}"),
        ("Instruction + input tokens", count(scenario.instruction_tokens)),
        ("Output tokens", count(scenario.output_tokens)),
        ("Training examples x tokens", f"{count(scenario.training_examples)} x {count(scenario.tokens_per_training_example)}"),
        ("Pricing", scenario.pricing + (" with prompt caching" if scenario.caching else "")),
        ("Task type", task_quality(scenario.task)["task"]),
    ]
    caveats = [*load_article_table("limitations")["limitation"], f"Lifecycle: {status.sentence}"]
    if option["confidence"] != "confirmed":
        caveats.append(f"{option['label']} prices are {option['confidence']}: {option['notes']}")
    return Brief(
        title=f"Prompt or fine-tune: {option['label']} at {per_day(scenario.requests_per_day)}",
        generated=today,
        scenario=scenario_rows,
        recommendation=f"{decision.recommendation} (the article's volume band: {result.band['recommendation']})",
        reasons=reasons,
        numbers=numbers,
        assumptions=_assumptions(option, scenario),
        caveats=caveats,
        charts=charts,
        edited=edited,
        link=link,
    )


def chart_downloads(chart, data: Callable[[], pd.DataFrame], stem: str, key: str) -> None:
    """PNG, SVG and CSV (the numbers behind it) for one chart, each built only when clicked.

    `chart` is an Altair chart or a Vega-Lite spec; `data` returns the DataFrame the chart draws.
    """
    import streamlit as st

    def spec() -> dict:
        return chart if isinstance(chart, dict) else chart.to_dict()

    png, svg, csv = st.columns(3)
    png.download_button(
        "Chart as PNG", lambda: chart_image(spec(), "png"), f"{stem}.png", "image/png", key=f"{key}_png", on_click="ignore"
    )
    svg.download_button(
        "Chart as SVG", lambda: chart_image(spec(), "svg"), f"{stem}.svg", "image/svg+xml", key=f"{key}_svg", on_click="ignore"
    )
    csv.download_button(
        "Chart data as CSV",
        lambda: csv_bytes(data()),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
