"""Chart builders and formatting are pure functions: test their output without a page."""

import datetime as dt
import json

import altair as alt
import pytest

import calc.costs.pair as costs
from calc.article.bands import band_spans
from calc.costs.pair import resolve_pair, volume_grid
from calc.scenario import Scenario as _Scenario
from ui import format as fmt
from ui.chart_layout import cumulative_key, volume_key
from ui.chart_specs import (
    TEMPLATES,
    cumulative_chart_spec,
    fill,
    json_spec,
    volume_chart_spec,
)
from ui.charts import compile_template, cumulative_chart, template_file_text, volume_chart
from ui.present import share_link

TODAY = dt.date(2026, 11, 29)


def Scenario(**fields) -> _Scenario:  # noqa: N802 - the article's pair, which has a crossover
    return _Scenario(**{"option": "openai-gpt-4o-mini", "prompt_model": "openai:gpt-4o-mini", **fields})


def volume_curves(scenario, volumes):
    return costs.volume_curves(scenario, volumes, resolve_pair(scenario, None, TODAY))


def crossover(scenario):
    return costs.crossover(scenario, resolve_pair(scenario, None, TODAY))


def cumulative_costs(scenario, months):
    return costs.cumulative_costs(scenario, months, resolve_pair(scenario, None, TODAY))


def _volume_spec(scenario: _Scenario, volume: float) -> dict:
    curves = volume_curves(scenario, volume_grid())
    return json_spec(volume_chart_spec(curves, band_spans(10, 1e6), volume, crossover(scenario), "Title", "Sub"))


def _mark(layer: dict) -> str:
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


def test_volume_spec_has_bands_both_lines_current_volume_and_crossover():
    spec = _volume_spec(Scenario(), 10_000)
    text = json.dumps(spec, ensure_ascii=False)
    assert {"rect", "line", "rule", "text", "point"} <= {_mark(layer) for layer in spec["layer"]}
    for label in ("<100/day", "Evaluate both", "Fine-tune (usually)", "prompt\\noptimization", "You: 10,000/day"):
        assert label in text
    assert spec["datasets"]["crossover"][0]["label"] == "Crossover ≈ 208/day"
    assert {row["approach"] for row in spec["datasets"]["curves"]} == {"Prompting", "Fine-tuned"}
    assert len(spec["datasets"]["curves"]) == 482
    assert spec["title"] == {"text": "Title", "subtitle": "Sub", "fontSize": 18, "subtitleFontSize": 13}
    named = {layer["data"]["name"] for layer in spec["layer"]}
    assert named == set(spec["datasets"])  # every layer draws a dataset that is attached


def test_volume_spec_is_valid_vega_lite():
    alt.LayerChart.from_dict(_volume_spec(Scenario(), 10_000))  # raises on an invalid spec


def test_volume_spec_without_crossover():
    spec = _volume_spec(Scenario(output_tokens=2_000), 500)
    assert "crossover" not in spec["datasets"]
    assert all(layer["data"]["name"] != "crossover" for layer in spec["layer"])


def test_reruns_reuse_the_compiled_template_but_not_its_data():
    first = _volume_spec(Scenario(), 10_000)
    second = _volume_spec(Scenario(requests_per_day=20_000), 20_000)
    assert second["datasets"]["current"][0]["label"] == "You: 20,000/day"
    assert first["datasets"]["current"][0]["label"] == "You: 10,000/day"
    assert first["layer"] == second["layer"]


def test_shipped_templates_are_what_the_builders_compile():
    assert TEMPLATES.read_text(encoding="utf-8") == template_file_text(), "run scripts/build_chart_templates.py"


@pytest.mark.parametrize(
    ("title", "ticks", "with_crossover"),
    [
        ("Monthly cost by daily volume: OpenAI gpt-4o-mini", (1.0, 10.0, 100.0, 1_000.0), True),
        ('Vertex AI <Gemini> & "quotes"', (0.01, 0.1), False),
        ("One decade", (100.0,), True),
    ],
)
def test_filled_volume_template_equals_compiling_the_chart_directly(title, ticks, with_crossover):
    domain = (10.0, 1_000_000.0)
    direct = volume_chart(title, domain, ticks, with_crossover).to_dict(validate=False)
    assert fill(compile_template(volume_key(domain, with_crossover)), title, ticks) == direct


@pytest.mark.parametrize("with_breakeven", [True, False])
def test_filled_cumulative_template_equals_compiling_the_chart_directly(with_breakeven):
    direct = cumulative_chart("Cumulative cost over 18 months", with_breakeven).to_dict(validate=False)
    filled = fill(compile_template(cumulative_key(with_breakeven)), "Cumulative cost over 18 months", (1.0,))
    assert filled == direct


def test_a_structure_not_shipped_is_compiled_on_first_use():
    scenario = Scenario()
    curves = volume_curves(scenario, volume_grid(100, 50_000))
    spec = volume_chart_spec(curves, band_spans(100, 50_000), 1_000, crossover(scenario), "Narrow", "Sub")
    assert volume_key((100.0, 50_000.0), True) not in json.loads(TEMPLATES.read_text(encoding="utf-8"))
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [100.0, 50_000.0]
    assert spec["title"]["text"] == "Narrow"
    alt.LayerChart.from_dict(json_spec(spec))


def test_builders_return_altair_charts():
    assert isinstance(volume_chart("T", (10, 1e6), (0.01, 1.0, 100.0), True), alt.LayerChart)
    assert isinstance(cumulative_chart("T", False), alt.LayerChart)


def test_cumulative_spec_marks_breakeven_within_range():
    frame = cumulative_costs(Scenario(), 12)
    spec = json_spec(cumulative_chart_spec(frame, 0.25, "T"))
    assert spec["datasets"]["breakeven"] == [{"month": 0.25, "label": "Breakeven: month 0.2"}]
    assert len(spec["datasets"]["cumulative"]) == 26
    assert "breakeven" not in cumulative_chart_spec(frame, 40, "T")["datasets"]
    assert "breakeven" not in cumulative_chart_spec(frame, None, "T")["datasets"]
    alt.LayerChart.from_dict(spec)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "$0"), (0.00015, "$0.00015"), (45, "$45.00"), (1_350, "$1,350"), (-18, "-$18.00"), (float("nan"), "—")],
)
def test_usd(value, text):
    assert fmt.usd(value) == text


def test_months_and_wrap():
    assert fmt.months(None) == "never"
    assert fmt.months(0.25) == "~8 days"
    assert fmt.months(1 / 30) == "~1 day"
    assert fmt.months(14.04) == "14.0 months"
    assert fmt.wrap("Fine-tune + prompt optimization", 12) == "Fine-tune +\nprompt\noptimization"


@pytest.mark.parametrize(
    ("base", "params", "link"),
    [
        ("http://localhost:8501", {"examples": "8"}, "http://localhost:8501/?examples=8"),
        (
            "http://localhost:8501/Token_cost",
            {"examples": "8", "option": "OpenAI gpt-4o"},
            "http://localhost:8501/Token_cost?examples=8&option=OpenAI+gpt-4o",
        ),
        ("https://host/app/", {}, "https://host/app/"),
        ("http://localhost:8501", {"note": "<b>&x=1"}, "http://localhost:8501/?note=%3Cb%3E%26x%3D1"),
        (None, {"examples": "8"}, "?examples=8"),
    ],
)
def test_share_link(base, params, link):
    assert share_link(base, params) == link
