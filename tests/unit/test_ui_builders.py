"""Chart builders and formatting are pure functions: test their output without a page."""

import json

import pytest

from calc.bands import band_spans
from calc.costs import crossover, cumulative_costs, volume_curves, volume_grid
from calc.scenario import Scenario
from ui import format as fmt
from ui.charts import cumulative_chart, volume_chart


def _layers(chart):
    return chart.to_dict()["layer"]


def test_volume_chart_has_bands_both_lines_current_volume_and_crossover():
    scenario = Scenario()
    chart = volume_chart(
        volume_curves(scenario, volume_grid()), band_spans(10, 1e6), 10_000, crossover(scenario), "Title", "Sub"
    )
    spec = chart.to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert "rect" in marks and "line" in marks and "rule" in marks
    for label in ("Prompt engineering", "Evaluate both", "Fine-tune (usually)", "Fine-tune + prompt", "You: 10,000/day"):
        assert label in text
    assert "Crossover ≈ 208/day" in text
    line_data = next(layer for layer in spec["layer"] if layer["mark"] == {"type": "line", "strokeWidth": 3})
    rows = spec["datasets"][line_data["data"]["name"]]
    assert {row["approach"] for row in rows} == {"Prompting", "Fine-tuned"}


def test_volume_chart_without_crossover():
    scenario = Scenario(output_tokens=2_000)
    chart = volume_chart(volume_curves(scenario, volume_grid()), band_spans(10, 1e6), 500, crossover(scenario), "T", "S")
    assert "Crossover" not in json.dumps(chart.to_dict())


def test_cumulative_chart_marks_breakeven_within_range():
    frame = cumulative_costs(Scenario(), 12)
    assert "Breakeven: month 0.2" in json.dumps(cumulative_chart(frame, 0.25, "T").to_dict())
    assert "Breakeven" not in json.dumps(cumulative_chart(frame, 40, "T").to_dict())
    assert "Breakeven" not in json.dumps(cumulative_chart(frame, None, "T").to_dict())


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
