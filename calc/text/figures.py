"""A pair's figures in words (breakeven, training, the article's labels), as the home page, the brief and the command
line show them. Apart from calc/text/formatting.py (plain number formats, which calc/costs uses too), so the imports
run one way: costs -> formatting, figures -> costs."""

from __future__ import annotations

from calc.costs.pair import CostSummary
from calc.costs.training import TrainingCost
from calc.text.formatting import months, usd


def breakeven_text(summary: CostSummary) -> str:
    """Breakeven in words: "immediately" for free training, "never" without savings, or why it is unknown."""
    if summary.training.not_possible:
        return summary.training.not_possible
    if not summary.training.price_known:
        return f"unknown: enter {summary.training.missing_entry}"
    if summary.breakeven_months == 0:
        return "immediately"
    return months(summary.breakeven_months)


def training_text(training: TrainingCost) -> str:
    """One training run's cost, that it is not possible (too few examples), or that the provider publishes no price."""
    if training.not_possible:
        return training.not_possible
    if not training.price_known:
        return "hours of a run not published: enter them" if training.hours_missing else "not published: enter it"
    return usd(training.cost_usd) + (" (entered price)" if training.price_entered else "")


def article_suffix(pricing: str, misfit: str | None) -> str:
    """The label suffix of savings and breakeven: "" at full prices, " (article)" where the article's convention
    describes the pair, " (article's convention only)" where it does not (`misfit`: the real figure is shown beside)."""
    if pricing != "article":
        return ""
    return " (article)" if misfit is None else " (article's convention only)"


def real_beside(pricing: str, misfit: str | None, article_value: str, real_value: str) -> str:
    """`article_value`, with the real figure beside it where the article's convention does not describe the pair."""
    if pricing != "article" or misfit is None:
        return article_value
    return f"{article_value} (real: {real_value})"


def real_breakeven_text(summary: CostSummary) -> str:
    """Breakeven at real prices in words (the figure shown beside an article-convention breakeven)."""
    if summary.training.not_possible:
        return summary.training.not_possible
    if not summary.training.price_known:
        return f"unknown: enter {summary.training.missing_entry}"
    value = summary.real_breakeven_months
    return "immediately" if value == 0 else months(value)
