"""Quality per route, from three sources and always labelled with which: measured (the user's eval), a cited prior,
or unknown; and the quality gap of a pair (fine-tuned minus prompted), from the same three."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from calc.catalogue.options import records_for
from calc.catalogue.prompt_models import base_prompt_ref, canonical_ref
from calc.quality.evals import EvalResults, Resolver
from calc.quality.priors import (
    GapPrior,
    prompted_accuracy_prior,
    same_model_prior,
    small_model_prior,
    tuned_accuracy_prior,
)
from calc.quality.report import EvalReport, PairComparison

SOURCES = ("measured", "prior", "unknown")


@dataclass(frozen=True)
class RouteQuality:
    """A route's accuracy (%) as low / mid / high, where it comes from, and a label saying so."""

    route_id: str
    source: str  # "measured", "prior" or "unknown"
    low: float | None
    mid: float | None
    high: float | None
    label: str
    n: int | None = None

    @property
    def known(self) -> bool:
        return self.mid is not None

    def meets(self, target: float) -> bool | None:
        """True when even the low end reaches `target` %, False when even the high end misses it, None otherwise."""
        if not self.known or target <= 0:
            return None
        assert self.low is not None and self.high is not None
        if self.low >= target:
            return True
        return False if self.high < target else None

    def short(self) -> str:
        """'89.0% measured', '88-92% prior', 'unknown'."""
        if not self.known:
            return "unknown"
        if self.source == "measured":
            return f"{self.mid:.1f}% measured"
        return f"{self.low:.0f}-{self.high:.0f}% prior"


def unknown_quality(route_id: str, why: str) -> RouteQuality:
    return RouteQuality(route_id, "unknown", None, None, None, f"unknown: {why}")


def measured_quality(route_id: str, report: EvalReport) -> RouteQuality | None:
    """The route's measured accuracy from the report, or None when it has none."""
    found = report.routes.get(route_id)
    if found is None:
        return None
    low, mid, high = found.accuracy.points()
    return RouteQuality(route_id, "measured", low, mid, high, f"measured: {found.text()} ({found.source})", found.n)


def prior_quality(route_id: str, task: str, labels: int, pair_prompt_ref: str) -> RouteQuality:
    """A route's prior accuracy: the article's prompting range for a prompted route; its fine-tuned range for a fine-tune
    of the pair's own prompting model; the prompting range plus the literature gap for any other fine-tune."""
    kind, _, ref = route_id.partition(":")
    p_low, p_high = prompted_accuracy_prior(task)
    if kind == "prompt":
        return RouteQuality(route_id, "prior", p_low, (p_low + p_high) / 2, p_high,
                            f"prior: {p_low:g}-{p_high:g}% (the article's range for an optimised few-shot prompt, "
                            "any model; not your task)")  # fmt: skip
    option = records_for(None).get(ref)
    if option is not None and base_prompt_ref(option) == pair_prompt_ref:
        t_low, t_high = tuned_accuracy_prior(task)
        return RouteQuality(route_id, "prior", t_low, (t_low + t_high) / 2, t_high,
                            f"prior: {t_low:g}-{t_high:g}% (the article's range for the same model fine-tuned on "
                            "500-2,000 examples; not your task)")  # fmt: skip
    gap = small_model_prior(task, labels)
    if gap is None:
        return unknown_quality(route_id, f"no prior covers this task with {labels:,} training labels; measure it")
    low, high = min(max(p_low + gap.low, 0.0), 100.0), min(max(p_high + gap.high, 0.0), 100.0)
    return RouteQuality(route_id, "prior", low, (low + high) / 2, high,
                        f"prior: {low:g}-{high:g}% (the prompted range {p_low:g}-{p_high:g}% {gap.low:+g} to "
                        f"{gap.high:+g} points: {gap.label})")  # fmt: skip


def route_quality(route_id: str, task: str, labels: int, pair_prompt_ref: str, report: EvalReport | None) -> RouteQuality:
    """Measured where the user's eval has the route, else its prior (or unknown)."""
    measured = measured_quality(route_id, report) if report is not None else None
    return measured or prior_quality(route_id, task, labels, pair_prompt_ref)


@dataclass(frozen=True)
class QualityGap:
    """Fine-tuned minus prompted accuracy of a pair, in points: measured (with its comparison), a prior, or unknown."""

    source: str
    low: float | None
    mid: float | None
    high: float | None
    label: str
    comparison: PairComparison | None = None
    prior: GapPrior | None = None

    @property
    def known(self) -> bool:
        return self.mid is not None

    def text(self) -> str:
        """'+3.0 points measured (...)', '+3 to +6 points (prior ...)', 'unknown (...)'."""
        return self.label


def pair_gap(
    prompt_route: str, tuned_route: str, same_base: bool, task: str, labels: int,
    report: EvalReport | None, results: EvalResults | None,
) -> QualityGap:  # fmt: skip
    """The pair's quality gap: measured when the eval has both routes, else the article's same-model range (same
    base model) or the literature range for a fine-tuned small model (or unknown)."""
    comparison = report.comparison(tuned_route, prompt_route, results) if report is not None else None
    if comparison is not None:
        low, mid, high = comparison.difference.points()
        return QualityGap("measured", low, mid, high, f"measured: {comparison.text()}", comparison=comparison)
    prior = same_model_prior(task) if same_base else small_model_prior(task, labels)
    if prior is None:
        return QualityGap("unknown", None, None, None,
                          f"unknown: no prior covers this task with {labels:,} training labels")  # fmt: skip
    return QualityGap("prior", prior.low, prior.mid, prior.high, prior.text(), prior=prior)


def route_resolver(options: pd.DataFrame | None = None) -> Resolver:
    """Resolves a route name — a prompting model (provider:model or an unambiguous id), a fine-tuning option id, or
    a route id as `routes --json` prints it — to its route id; None for a name no route has."""
    records = records_for(options)

    def resolve(name: str) -> str | None:
        kind, _, rest = name.strip().partition(":")
        if kind == "fine_tune":
            return name.strip() if rest in records else None
        text = rest if kind == "prompt" else name.strip()
        if text in records:
            return f"fine_tune:{text}"
        try:
            return f"prompt:{canonical_ref(text)}"
        except ValueError:
            return None

    return resolve
