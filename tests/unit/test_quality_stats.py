"""The eval statistics against hand-computed and published values (calc/quality/stats.py)."""

import math

import numpy as np
import pytest

from calc.quality.stats import (
    independent_discordance,
    mcnemar_exact,
    mean_interval,
    paired_difference,
    paired_mean_difference,
    paired_sample_size,
    unpaired_difference,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (score)
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_newcombes_table(successes, n, low, high):
    interval = wilson_interval(successes, n)
    assert interval.estimate == pytest.approx(successes / n)
    assert (round(interval.low, 4), round(interval.high, 4)) == (low, high)


def test_wilson_by_hand():
    # 9 of 10 at z = 1.959964: centre (0.9 + z^2/20) / (1 + z^2/10), half-width z sqrt(0.09/10 + z^2/400) / (1 + z^2/10)
    z = 1.959963984540054
    centre = (0.9 + z * z / 20) / (1 + z * z / 10)
    half = z * math.sqrt(0.09 / 10 + z * z / 400) / (1 + z * z / 10)
    interval = wilson_interval(9, 10)
    assert interval.low == pytest.approx(centre - half) and interval.high == pytest.approx(centre + half)
    assert round(interval.low, 4) == 0.5958 and round(interval.high, 4) == 0.9821


@pytest.mark.parametrize("bad", [(5, 4), (-1, 4), (1, 0), (1.5, 4)])
def test_wilson_refuses_impossible_counts(bad):
    with pytest.raises(ValueError):
        wilson_interval(*bad)


@pytest.mark.parametrize(
    ("b", "c", "p"),
    [
        (3, 10, 2 * (1 + 13 + 78 + 286) / 2**13),  # 2 x P(X <= 3), X ~ Binomial(13, 1/2)
        (0, 5, 2 / 32),  # 2 x P(X = 0), X ~ Binomial(5, 1/2)
        (10, 0, 2 / 1024),
        (4, 4, 1.0),  # capped at 1
        (0, 0, 1.0),  # no discordant pairs
        (1, 2, 1.0),  # 2 x (1 + 3) / 8 = 1
    ],
)
def test_exact_mcnemar_by_hand(b, c, p):
    assert mcnemar_exact(b, c) == pytest.approx(p)


def test_exact_mcnemar_stays_finite_for_large_counts():
    p = mcnemar_exact(20_000, 21_000)
    assert 0 < p < 1e-3 and math.isfinite(p)
    assert mcnemar_exact(50_000, 50_000) == 1.0


def test_unpaired_difference_matches_newcombes_example():
    # Newcombe (1998), "Interval estimation for the difference between independent proportions", example (a):
    # 56/70 - 48/80, method 10: 0.0524 to 0.3339
    interval = unpaired_difference(56, 70, 48, 80)
    assert interval.estimate == pytest.approx(0.2)
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.0524, 0.3339)


def test_paired_difference_by_hand():
    # a = 30 both right, b = 10 only the first, c = 3 only the second, d = 57 neither (n = 100): theta = 0.07.
    # Newcombe's corrected phi = (30 x 57 - 10 x 3 - 100/2) / sqrt(40 x 60 x 33 x 67) = 1,630 / 2,303.56 = 0.70760;
    # with the Wilson limits of 40/100 and 33/100, delta and epsilon give -0.0019 to 0.1409.
    interval = paired_difference(30, 10, 3, 57)
    assert interval.estimate == pytest.approx(0.07)
    assert (round(interval.low, 4), round(interval.high, 4)) == (-0.0019, 0.1409)
    first, second = wilson_interval(40, 100), wilson_interval(33, 100)
    phi = 1_630 / math.sqrt(40 * 60 * 33 * 67)
    delta = math.sqrt((0.40 - first.low) ** 2 - 2 * phi * (0.40 - first.low) * (second.high - 0.33) + (second.high - 0.33) ** 2)
    assert interval.low == pytest.approx(0.07 - delta)


def test_paired_difference_is_antisymmetric_and_without_correlation_is_the_unpaired_one():
    forward, backward = paired_difference(30, 10, 3, 57), paired_difference(30, 3, 10, 57)
    assert backward.low == pytest.approx(-forward.high) and backward.high == pytest.approx(-forward.low)
    # a x d = b x c: no correlation, so the limits combine the two Wilson intervals as for independent samples
    independent = paired_difference(20, 20, 20, 20)
    unpaired = unpaired_difference(40, 80, 40, 80)
    assert independent.low == pytest.approx(unpaired.low) and independent.high == pytest.approx(unpaired.high)


def test_paired_sample_size_by_hand():
    # Connor (1987): (1.959964 x sqrt(0.10) + 0.841621 x sqrt(0.10 - 0.0025))^2 / 0.0025 = 311.6 -> 312
    assert paired_sample_size(0.05, 0.10) == 312
    assert paired_sample_size(0.03, 0.10) > paired_sample_size(0.05, 0.10)
    assert paired_sample_size(0.05, 0.20) > paired_sample_size(0.05, 0.10)
    with pytest.raises(ValueError):
        paired_sample_size(0.05, 0.01)  # fewer disagreements than the gap itself
    assert independent_discordance(0.9, 0.85) == pytest.approx(0.9 * 0.15 + 0.85 * 0.1)


def test_graded_scores_get_a_seeded_bootstrap_and_a_normal_interval_for_large_n():
    scores = np.array([0.2, 0.5, 0.9, 1.0, 0.7, 0.4, 0.8, 0.6])
    first, again = mean_interval(scores), mean_interval(scores)
    assert first == again and first.method.startswith("bootstrap")
    assert first.low < scores.mean() < first.high
    large = np.tile(scores, 1_000)
    normal = mean_interval(large)
    assert normal.method == "normal (large n)"
    half = 1.959963984540054 * large.std(ddof=1) / math.sqrt(large.size)
    assert normal.low == pytest.approx(large.mean() - half)
    diff = paired_mean_difference(scores, scores * 0.5)
    assert diff.estimate == pytest.approx(float((scores * 0.5).mean())) and diff.low > 0
    with pytest.raises(ValueError):
        mean_interval(np.array([0.5, 1.5]))
