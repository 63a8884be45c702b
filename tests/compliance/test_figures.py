"""Exact arithmetic of the board's figures (``compliance.figures``)."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from compliance.figures import exact_sum, to_fraction

NUMBERS = st.one_of(
    st.integers(-(10**40), 10**40),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**20), max_value=10**20),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e30"), max_value=Decimal("1e30")),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.fractions(max_denominator=1000),
)


@given(st.lists(NUMBERS, max_size=40))
def test_exact_sum_is_the_sum_of_the_exact_values(numbers):
    """Ints and Decimals added as they are give what a Fraction per value gives (the board's totals before)."""
    total = exact_sum(numbers)
    assert isinstance(total, Fraction)
    assert total == sum((to_fraction(number) for number in numbers), Fraction(0))


def test_a_decimal_sum_that_would_round_is_added_exactly_all_the_same(monkeypatch):
    """The fallback, with a context of 3 digits standing in for one whose precision a sum could exceed."""
    from decimal import Context, Inexact

    from compliance import figures

    monkeypatch.setattr(figures, "_EXACT", Context(prec=3, traps=[Inexact]))
    numbers = [Decimal("1.25"), Decimal("123.45"), 7, Decimal("0.001")]
    assert exact_sum(numbers) == Fraction("131.701")
