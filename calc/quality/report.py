"""What an eval says: each route's accuracy (or mean score) with its interval, each pair of routes compared on the
examples they share (difference, interval, exact p-value), and how many examples would tell a 3- or 5-point gap."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from calc.quality.evals import EvalResults, RouteScores
from calc.quality.stats import (
    Interval,
    independent_discordance,
    mcnemar_exact,
    mean_interval,
    paired_difference,
    paired_mean_difference,
    paired_sample_size,
    unpaired_difference,
    wilson_interval,
)

#: Gaps (percentage points) the sample-size advice is given for.
ADVICE_GAPS = (3.0, 5.0)
#: All pairs are compared up to this many routes; above it, each route against the most accurate one.
ALL_PAIRS_UP_TO = 8


@dataclass(frozen=True)
class RouteAccuracy:
    """One route's measured accuracy (share right, or mean graded score) with its 95% interval."""

    route_id: str
    n: int
    accuracy: Interval
    binary: bool
    source: str

    def text(self) -> str:
        """'89.0% (95% CI 84.0-92.6%, n = 200)'."""
        low, mid, high = self.accuracy.points()
        what = "" if self.binary else "mean score "
        return f"{what}{mid:.1f}% (95% CI {low:.1f}-{high:.1f}%, n = {self.n:,})"


@dataclass(frozen=True)
class PairComparison:
    """`first` minus `second`: on shared examples (paired, with an exact test) or on different ones (unpaired)."""

    first: str
    second: str
    n: int
    paired: bool
    difference: Interval
    p_value: float | None
    first_only: int  # shared examples only the first got right (graded: scored higher)
    second_only: int
    test: str

    @property
    def discordant_share(self) -> float | None:
        """The share of shared examples the two routes disagree on (None when unpaired)."""
        return (self.first_only + self.second_only) / self.n if self.paired and self.n else None

    def flipped(self) -> PairComparison:
        """The same comparison as `second` minus `first`."""
        diff = self.difference
        return PairComparison(self.second, self.first, self.n, self.paired,
                              Interval(-diff.estimate, -diff.high, -diff.low, diff.method), self.p_value,
                              self.second_only, self.first_only, self.test)  # fmt: skip

    def text(self) -> str:
        """'+3.0 points (95% CI -1.2 to +7.1), exact McNemar p = 0.21 on 400 shared examples'."""
        low, mid, high = self.difference.points()
        if not self.paired:
            return f"{mid:+.1f} points (95% CI {low:+.1f} to {high:+.1f}) on different examples, no paired test"
        interval = f"{mid:+.1f} points (95% CI {low:+.1f} to {high:+.1f})"
        return f"{interval}, {self.test} {_p_text(self.p_value)} on {self.n:,} shared examples"


def _p_text(p: float | None) -> str:
    if p is None:
        return "—"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


@dataclass(frozen=True)
class SampleSize:
    """Shared examples a paired eval needs to tell a gap at 80% power (5% two-sided), and what it assumed."""

    gap_points: float
    n: int
    discordant: float
    basis: str


@dataclass(frozen=True)
class EvalReport:
    """Every route's accuracy, the pairs compared, and sample-size advice (from the most accurate pair measured)."""

    routes: dict[str, RouteAccuracy]
    pairs: tuple[PairComparison, ...]
    sample_sizes: tuple[SampleSize, ...]
    source: str
    digest: str

    def comparison(self, first: str, second: str, results: EvalResults | None = None) -> PairComparison | None:
        """`first` minus `second`, from the report's pairs (or computed from `results`); None when either is unmeasured."""
        for pair in self.pairs:
            if (pair.first, pair.second) == (first, second):
                return pair
            if (pair.second, pair.first) == (first, second):
                return pair.flipped()
        if results is not None and first in results.routes and second in results.routes:
            return compare_scores(results.routes[first], results.routes[second])
        return None

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (fractions as numbers, texts as the CLI prints them)."""
        return {
            "source": self.source,
            "routes": [
                {"route": r.route_id, "n": r.n, "accuracy": r.accuracy.estimate, "low": r.accuracy.low,
                 "high": r.accuracy.high, "method": r.accuracy.method, "binary": r.binary, "source": r.source,
                 "text": r.text()}
                for r in self.routes.values()
            ],
            "pairs": [
                {"first": p.first, "second": p.second, "n": p.n, "paired": p.paired, "difference": p.difference.estimate,
                 "low": p.difference.low, "high": p.difference.high, "method": p.difference.method,
                 "p_value": p.p_value, "test": p.test, "first_only": p.first_only, "second_only": p.second_only,
                 "text": p.text()}
                for p in self.pairs
            ],
            "sample_sizes": [vars(s) for s in self.sample_sizes],
        }


def route_accuracy(scores: RouteScores) -> RouteAccuracy:
    """A route's accuracy: Wilson interval for right/wrong scores, bootstrap (normal for large n) for graded ones."""
    if scores.n == 0:
        raise ValueError(f"{scores.route_id} has no scores.")
    interval = wilson_interval(int(scores.scores.sum()), scores.n) if scores.binary else mean_interval(scores.scores)
    return RouteAccuracy(scores.route_id, scores.n, interval, scores.binary, scores.source)


def _shared(first: RouteScores, second: RouteScores) -> tuple[np.ndarray, np.ndarray]:
    """Both routes' scores on the examples they share, aligned."""
    if first.example_ids is None or second.example_ids is None:
        return np.empty(0), np.empty(0)
    index = pd.Index(first.example_ids)
    where = index.get_indexer(pd.Index(second.example_ids))
    found = where >= 0
    return first.scores[where[found]], second.scores[found]


def compare_scores(first: RouteScores, second: RouteScores) -> PairComparison:
    """`first` minus `second`: paired on shared examples where there are any (exact McNemar for right/wrong scores,
    exact sign test for graded), otherwise unpaired on each route's own examples (no test)."""
    a_scores, b_scores = _shared(first, second)
    binary = first.binary and second.binary
    if a_scores.size:
        higher, lower = int(np.sum(a_scores > b_scores)), int(np.sum(a_scores < b_scores))
        if binary:
            both = int(np.sum((a_scores == 1) & (b_scores == 1)))
            neither = a_scores.size - both - higher - lower
            diff = paired_difference(both, higher, lower, neither)
            test = "exact McNemar"
        else:
            diff = paired_mean_difference(a_scores, b_scores)
            test = "exact sign test"
        return PairComparison(first.route_id, second.route_id, int(a_scores.size), True, diff,
                              mcnemar_exact(higher, lower), higher, lower, test)  # fmt: skip
    if binary:
        diff = unpaired_difference(int(first.scores.sum()), first.n, int(second.scores.sum()), second.n)
    else:
        diff = _unpaired_means(first.scores, second.scores)
    return PairComparison(first.route_id, second.route_id, first.n + second.n, False, diff, None, 0, 0,
                          "no paired test: the routes share no example ids")  # fmt: skip


def _unpaired_means(first: np.ndarray, second: np.ndarray) -> Interval:
    """Difference of two graded means on different examples, with the normal interval."""
    diff = float(first.mean() - second.mean())
    spread = math.sqrt(_variance(first) / first.size + _variance(second) / second.size)
    return Interval(diff, max(-1.0, diff - 1.96 * spread), min(1.0, diff + 1.96 * spread), "normal, unpaired")


def _variance(values: np.ndarray) -> float:
    return float(values.var(ddof=1)) if values.size > 1 else 0.25


def advice(discordant: float, basis: str) -> tuple[SampleSize, ...]:
    """Shared examples a paired eval needs for each ADVICE_GAPS gap, at `discordant` disagreement (at least the gap)."""
    sizes = []
    for gap in ADVICE_GAPS:
        share = min(max(discordant, gap / 100), 1.0)
        sizes.append(SampleSize(gap, paired_sample_size(gap / 100, share), share, basis))
    return tuple(sizes)


def advice_for_accuracy(accuracy: float, basis: str) -> tuple[SampleSize, ...]:
    """Sample-size advice where nothing is measured: two routes near `accuracy` (fraction) with independent errors."""
    return advice(independent_discordance(accuracy, max(accuracy - 0.05, 0.0)), basis)


def evaluate(results: EvalResults) -> EvalReport:
    """Per-route accuracy with intervals, pairs compared (every pair up to ALL_PAIRS_UP_TO routes, else each against
    the most accurate), and sample-size advice from the most discordant paired comparison measured.

    >>> from calc.quality.evals import typed_counts
    >>> report = evaluate(typed_counts([("prompt:openai:gpt-6-luna", 180, 200), ("fine_tune:bedrock-nova-micro", 186, 200)]))
    >>> report.routes["fine_tune:bedrock-nova-micro"].text()
    '93.0% (95% CI 88.6-95.8%, n = 200)'
    """
    routes = {route: route_accuracy(scores) for route, scores in results.routes.items()}
    ids = list(routes)
    if len(ids) <= ALL_PAIRS_UP_TO:
        pairs = list(itertools.combinations(ids, 2))
    else:
        best = max(ids, key=lambda r: routes[r].accuracy.estimate)
        pairs = [(best, other) for other in ids if other != best]
    compared = tuple(compare_scores(results.routes[a], results.routes[b]) for a, b in pairs)
    measured = [p.discordant_share for p in compared if p.discordant_share is not None]
    if measured:
        sizes = advice(max(measured), "the disagreement measured on your shared examples")
    elif routes:
        top = max(r.accuracy.estimate for r in routes.values())
        sizes = advice_for_accuracy(top, f"errors assumed independent at {top * 100:.0f}% accuracy")
    else:
        sizes = ()
    return EvalReport(routes, compared, sizes, results.source, results.digest)
