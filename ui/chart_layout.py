"""What the home page's chart builders (ui/charts.py) and their compiled templates (ui/chart_specs.py) share:
the chart height, the placeholders a template carries, the axis ticks and the template keys."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

CHART_HEIGHT = 460
TITLE = "@@title@@"
# Placeholder y-axis ticks: no monthly cost is this small, so they cannot collide with a real value.
TICK_LOW, TICK_HIGH = 3.3333333333e-120, 7.7777777777e-80
PLACEHOLDER_TICKS = (TICK_LOW, TICK_HIGH)


def label_position(ticks: tuple[float, ...]) -> float:
    """Where the current-volume label sits on the log y axis: halfway between the outer ticks."""
    return math.sqrt(ticks[0] * ticks[-1])


PLACEHOLDER_LABEL_Y = label_position(PLACEHOLDER_TICKS)


def log_ticks(values: pd.Series) -> tuple[float, ...]:
    """Powers of ten spanning `values`, so a log axis gets one labelled gridline per decade.

    With nothing positive to draw (every cost zero) the axis spans $0.01-$1; across more than 24 decades (absurd
    edited prices) every other decade is labelled.
    """
    positive = values[(values > 0) & np.isfinite(values)]
    if positive.empty:
        return (0.01, 0.1, 1.0)
    low, high = math.floor(math.log10(positive.min())), math.ceil(math.log10(positive.max()))
    step = 1 if high - low <= 24 else math.ceil((high - low) / 24)
    return tuple(10.0**e for e in range(low, high + 1, step))


def volume_key(x_domain: tuple[float, float], with_crossover: bool) -> str:
    return f"volume|{x_domain[0]!r}|{x_domain[1]!r}|{with_crossover}"


def cumulative_key(with_breakeven: bool) -> str:
    return f"cumulative|{with_breakeven}"
