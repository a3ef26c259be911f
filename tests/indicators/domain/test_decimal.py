"""`tidy`: 20 significant digits, no trailing zeros, whole numbers without an exponent."""

from __future__ import annotations

from decimal import Context, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benvung.indicators.domain._decimal import tidy


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1000", "1000"),
        ("1000.000", "1000"),
        ("1E+3", "1000"),
        ("12.3400", "12.34"),
        ("0.000", "0"),
        ("-0.0", "0"),
        ("0.0000001", "1E-7"),
        ("-2500.50", "-2500.5"),
        ("0.99999999999999999999999999", "1"),
        ("123456789012345678901234", "123456789012345678900000"),
    ],
)
def test_tidy_text(value: str, text: str) -> None:
    assert str(tidy(Decimal(value))) == text


_SIGNIFICANT = Context(prec=20)


@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**30), max_value=10**30),
    st.sampled_from(["1", "0.001", "1000", "41.868", "0.0238845896627", "1E-12", "1E+15"]),
)
def test_tidy_is_the_rounded_value_without_exponent_for_whole_numbers(
    value: Decimal, factor: str
) -> None:
    product = value * Decimal(factor)
    result = tidy(product)
    assert result == _SIGNIFICANT.plus(product)
    _sign, digits, exponent = result.as_tuple()
    assert isinstance(exponent, int) and exponent <= 0
    # Trailing zeros only in a whole number's digits (1000).
    assert exponent == 0 or digits[-1] != 0
