import math

import pytest

from ui import format as fmt


@pytest.mark.parametrize("value", [math.inf, -math.inf, 1e305, 1e15])
def test_money_that_cannot_be_shown_says_so(value):
    for shown in (fmt.usd(value), fmt.usd_per_month(value), fmt.usd_per_month_short(value)):
        assert "too large" in shown and "inf" not in shown and "$1,000,000,000,000,000" not in shown


@pytest.mark.parametrize(
    ("value", "short"),
    [(45.0, "$45/mo"), (36.4, "$36/mo"), (1234.5, "$1,234/mo"), (12_345, "$12.3k/mo"), (4_560_000, "$4.56M/mo"), (0, "$0/mo"),
     (1.25, "$1.25/mo"), (0.004, "$0.004/mo"), (-45, "-$45/mo"), (999_999, "$1M/mo")],
)  # fmt: skip
def test_short_monthly_dollars_for_the_projector(value, short):
    assert fmt.usd_per_month_short(value) == short


@pytest.mark.parametrize(
    ("value", "long", "short"),
    [(1e-318, "under $0.000001/mo", "under $0.001/mo"), (4e-7, "under $0.000001/mo", "under $0.001/mo"),
     (-1e-318, "minus under $0.000001/mo", "minus under $0.001/mo"), (1.4e-6, "$0.000001/mo", "under $0.001/mo"),
     (0.0042, "$0.0042/mo", "$0.0042/mo")],
)  # fmt: skip
def test_tiny_amounts_read_as_under_a_bound_never_as_a_bare_point_or_an_exponent(value, long, short):
    assert (fmt.usd_per_month(value), fmt.usd_per_month_short(value)) == (long, short)
