import math

import pytest

from calc.costs.lifecycle import retrain_months


@pytest.mark.parametrize("per_year", [1e-320, 5e-324, 1e-300, 0.0, -1.0, math.nan])
def test_retraining_at_a_vanishing_rate_falls_outside_the_horizon(per_year):
    assert retrain_months(per_year, 24) == []


def test_retraining_months_unchanged_for_ordinary_rates():
    assert retrain_months(3, 24) == [4, 8, 12, 16, 20, 24] and retrain_months(0.5, 24) == [24]
