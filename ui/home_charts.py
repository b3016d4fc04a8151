"""The home page's two chart specs for a scenario, shared by the page and the server's start-up warm-up."""

from __future__ import annotations

from calc.scenario import Scenario
from ui.analysis import VolumeAnalysis
from ui.chart_specs import cumulative_chart_spec, volume_chart_spec
from ui.format import count, usd


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
