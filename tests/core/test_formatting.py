"""Vietnamese number and date formats as users read them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from benvung.core.formatting import date_line, format_date, format_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("75"), 2, "75,00"),
        (Decimal("66.665"), 2, "66,67"),
        (1234567, None, "1.234.567"),
        (Decimal("0.1543"), None, "0,1543"),
        (Decimal("12.500"), None, "12,5"),
        (Decimal("-3.2"), 1, "-3,2"),
        (Decimal("-0.001"), 2, "0,00"),
        (None, 2, ""),
    ],
)
def test_format_number(value, decimals, expected) -> None:
    assert format_number(value, decimals) == expected


def test_dates() -> None:
    assert format_date(dt.date(2021, 1, 16)) == "16/01/2021"
    assert date_line(dt.date(2021, 1, 16)) == "Thứ Bảy, ngày 16/01/2021"
    assert date_line(dt.date(2026, 11, 29)) == "Chủ Nhật, ngày 29/11/2026"
