"""The statistics a reviewer would accept for an eval: intervals for one route's accuracy, the difference of two
routes on shared examples with its exact test, and how many examples tell a given gap.

Plain functions of counts (or score arrays), each with hand-checkable tests:

- `wilson_interval`: the Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, method 3);
- `mean_interval`: a percentile bootstrap interval for the mean of graded scores (0..1), seeded;
- `paired_difference`: the difference of two proportions on the same examples with Newcombe's (1998) hybrid score
  interval for paired data (method 10), and `unpaired_difference` for independent samples (method 10 there too);
- `mcnemar_exact`: the exact two-sided McNemar p-value on the discordant pairs, 2 x P(X <= min(b, c)) for
  X ~ Binomial(b + c, 1/2), capped at 1;
- `paired_sample_size`: examples needed to detect a gap with a paired design (Connor 1987).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

#: Above this many graded scores the bootstrap's resampling is replaced by the normal interval it converges to
#: (the difference is within the bootstrap's own Monte Carlo error there), so a 100,000-row eval stays fast.
BOOTSTRAP_MAX_N = 5_000
BOOTSTRAP_ROUNDS = 2_000


@dataclass(frozen=True)
class Interval:
    """An estimate with its lower and upper limits (proportions or differences, as fractions) and how it was made."""

    estimate: float
    low: float
    high: float
    method: str

    def points(self) -> tuple[float, float, float]:
        """(low, estimate, high) in percentage points."""
        return self.low * 100, self.estimate * 100, self.high * 100


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}.")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def _check_counts(**counts: int) -> None:
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name} must be a whole number >= 0, not {value!r}.")


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Interval:
    """The Wilson score interval for `successes` out of `n`.

    >>> interval = wilson_interval(81, 263)
    >>> round(interval.low, 4), round(interval.high, 4)
    (0.2553, 0.3662)
    """
    _check_counts(successes=successes, n=n)
    if n == 0:
        raise ValueError("n must be at least 1 for an interval.")
    if successes > n:
        raise ValueError(f"successes ({successes}) cannot exceed n ({n}).")
    z = _z(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half), "Wilson score")


def mean_interval(scores: np.ndarray, confidence: float = 0.95, seed: int = 0) -> Interval:
    """The mean of graded scores (each 0..1) with a percentile bootstrap interval (2,000 resamples, seeded); the
    normal interval above BOOTSTRAP_MAX_N scores, where the bootstrap converges to it."""
    values = np.asarray(scores, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("scores must be a non-empty 1-D array.")
    if not np.all(np.isfinite(values)) or values.min() < 0 or values.max() > 1:
        raise ValueError("scores must be finite numbers between 0 and 1.")
    mean = float(values.mean())
    if values.size > BOOTSTRAP_MAX_N:
        half = _z(confidence) * float(values.std(ddof=1)) / math.sqrt(values.size)
        return Interval(mean, max(0.0, mean - half), min(1.0, mean + half), "normal (large n)")
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, values.size, size=(BOOTSTRAP_ROUNDS, values.size))].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(mean, float(low), float(high), f"bootstrap ({BOOTSTRAP_ROUNDS:,} resamples)")


def paired_mean_difference(first: np.ndarray, second: np.ndarray, confidence: float = 0.95, seed: int = 0) -> Interval:
    """Mean of `first - second` on the same examples (graded scores), with the bootstrap interval of `mean_interval`."""
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError("paired scores must be two non-empty 1-D arrays of the same length.")
    shifted = (a - b + 1) / 2  # into 0..1 for mean_interval, then back
    inner = mean_interval(shifted, confidence, seed)
    return Interval(2 * inner.estimate - 1, 2 * inner.low - 1, 2 * inner.high - 1, inner.method)


def mcnemar_exact(b: int, c: int) -> float:
    """Exact two-sided McNemar p-value from the discordant counts: `b` examples only the first route got right, `c`
    only the second; 1.0 when there are none.

    >>> round(mcnemar_exact(3, 10), 5)  # 2 x (1 + 13 + 78 + 286) / 2**13
    0.09229
    """
    _check_counts(b=b, c=c)
    trials = b + c
    if trials == 0:
        return 1.0
    k = min(b, c)
    log_half = trials * math.log(0.5)
    terms = [math.lgamma(trials + 1) - math.lgamma(i + 1) - math.lgamma(trials - i + 1) + log_half for i in range(k + 1)]
    top = max(terms)
    tail = math.exp(top) * sum(math.exp(t - top) for t in terms)
    return min(1.0, 2 * tail)


def _phi(a: int, b: int, c: int, d: int) -> float:
    """Newcombe's continuity-corrected correlation of the paired 2x2 table (0 where a margin is empty)."""
    n = a + b + c + d
    denominator = math.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    if denominator == 0:
        return 0.0
    cross = a * d - b * c
    if cross > 0:
        cross = max(cross - n / 2, 0.0)
    return cross / denominator


def paired_difference(a: int, b: int, c: int, d: int, confidence: float = 0.95) -> Interval:
    """Accuracy of the first route minus the second's on the same examples: `a` both right, `b` only the first,
    `c` only the second, `d` neither; Newcombe's hybrid score interval for paired proportions (method 10)."""
    _check_counts(a=a, b=b, c=c, d=d)
    n = a + b + c + d
    if n == 0:
        raise ValueError("a paired difference needs at least one shared example.")
    first, second = wilson_interval(a + b, n, confidence), wilson_interval(a + c, n, confidence)
    p1, p2 = first.estimate, second.estimate
    phi = _phi(a, b, c, d)
    low_part = (p1 - first.low) ** 2 - 2 * phi * (p1 - first.low) * (second.high - p2) + (second.high - p2) ** 2
    high_part = (first.high - p1) ** 2 - 2 * phi * (first.high - p1) * (p2 - second.low) + (p2 - second.low) ** 2
    theta = (b - c) / n
    low = max(-1.0, theta - math.sqrt(max(low_part, 0.0)))
    high = min(1.0, theta + math.sqrt(max(high_part, 0.0)))
    return Interval(theta, low, high, "Newcombe hybrid score, paired")


def unpaired_difference(successes_1: int, n_1: int, successes_2: int, n_2: int, confidence: float = 0.95) -> Interval:
    """Accuracy of one route minus another's measured on different examples: Newcombe's hybrid score interval for
    independent proportions (method 10)."""
    first, second = wilson_interval(successes_1, n_1, confidence), wilson_interval(successes_2, n_2, confidence)
    p1, p2 = first.estimate, second.estimate
    theta = p1 - p2
    low = theta - math.sqrt((p1 - first.low) ** 2 + (second.high - p2) ** 2)
    high = theta + math.sqrt((first.high - p1) ** 2 + (p2 - second.low) ** 2)
    return Interval(theta, max(-1.0, low), min(1.0, high), "Newcombe hybrid score, unpaired")


def paired_sample_size(gap: float, discordant: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Shared examples needed for a two-sided McNemar test at `alpha` to detect an accuracy gap `gap` (a fraction)
    with `power`, when a share `discordant` of examples get different verdicts from the two routes (Connor 1987):

        n = (z(1 - alpha/2) sqrt(discordant) + z(power) sqrt(discordant - gap^2))^2 / gap^2

    >>> paired_sample_size(0.05, 0.10)
    312
    """
    if not 0 < gap < 1:
        raise ValueError(f"gap must be a fraction between 0 and 1, not {gap!r}.")
    if not gap <= discordant <= 1:
        raise ValueError(f"the discordant share ({discordant!r}) must lie between the gap ({gap!r}) and 1.")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError("alpha and power must be between 0 and 1.")
    normal = NormalDist()
    z_alpha, z_power = normal.inv_cdf(1 - alpha / 2), normal.inv_cdf(power)
    root = z_alpha * math.sqrt(discordant) + z_power * math.sqrt(discordant - gap * gap)
    return math.ceil(root * root / (gap * gap))


def independent_discordance(accuracy_1: float, accuracy_2: float) -> float:
    """The share of examples two routes disagree on when their errors are independent: an upper bound in practice
    (routes tend to fail on the same hard examples), so sample sizes from it are on the safe side."""
    for value in (accuracy_1, accuracy_2):
        if not 0 <= value <= 1:
            raise ValueError(f"accuracies must be fractions between 0 and 1, not {value!r}.")
    return accuracy_1 * (1 - accuracy_2) + accuracy_2 * (1 - accuracy_1)
