"""The pure calculations: sums by source, execution rate, the overdue rule, what remains."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from benvung.annualplans import domain

SOURCES = ["NSTW", "NST", "NSH", "XHH", "LONG_GHEP"]


def test_by_source_keeps_every_source_in_order_and_adds_repeats() -> None:
    sums = domain.by_source(
        [("NST", Decimal(100)), ("XHH", Decimal(5)), ("NST", Decimal(20))], SOURCES
    )
    assert list(sums) == SOURCES
    assert sums == {
        "NSTW": 0,
        "NST": Decimal(120),
        "NSH": 0,
        "XHH": Decimal(5),
        "LONG_GHEP": 0,
    }
    assert domain.total(sums) == Decimal(125)


def test_add_by_source_accumulates_in_place() -> None:
    total = domain.by_source([], SOURCES)
    domain.add_by_source(total, {"NST": Decimal(3), "NSH": Decimal(4)})
    domain.add_by_source(total, {"NST": Decimal(7)})
    assert total["NST"] == 10 and total["NSH"] == 4 and domain.total(total) == 14


@pytest.mark.parametrize(
    ("planned", "spent", "rate"),
    [
        (Decimal(300), Decimal(100), Decimal("33.3")),
        (Decimal(200), Decimal(100), Decimal("50.0")),
        (Decimal(3), Decimal(2), Decimal("66.7")),
        (Decimal(100), Decimal(120), Decimal("120.0")),
        (Decimal(0), Decimal(50), None),
    ],
)
def test_execution_rate(planned: Decimal, spent: Decimal, rate: Decimal | None) -> None:
    assert domain.execution_rate(planned, spent) == rate


@pytest.mark.parametrize(
    ("end", "status", "as_of", "overdue"),
    [
        (dt.date(2026, 6, 30), "dang_thuc_hien", dt.date(2026, 7, 1), True),
        (dt.date(2026, 6, 30), None, dt.date(2026, 7, 1), True),
        (dt.date(2026, 6, 30), "hoan_thanh", dt.date(2026, 7, 1), False),
        (dt.date(2026, 6, 30), "dang_thuc_hien", dt.date(2026, 6, 30), False),
        (dt.date(2026, 6, 30), "tam_dung", dt.date(2026, 12, 31), True),
    ],
)
def test_overdue_rule(end: dt.date, status: str | None, as_of: dt.date, overdue: bool) -> None:
    assert domain.is_overdue(end, status, as_of) is overdue


def test_remaining_never_goes_below_zero() -> None:
    planned = {"NST": Decimal(100), "XHH": Decimal(50)}
    spent = {"NST": Decimal(30), "XHH": Decimal(80)}
    assert domain.remaining(planned, spent) == {"NST": Decimal(70), "XHH": Decimal(0)}


def test_amounts_in_dong_use_vietnamese_grouping() -> None:
    from benvung.core.formatting import format_vnd
    from benvung.core.templatetags.vn import vnd

    assert format_vnd(1234567) == "1.234.567 đồng"
    assert format_vnd(Decimal("5165436000"), unit=False) == "5.165.436.000"
    assert format_vnd(0) == "0 đồng"
    assert format_vnd(None) == ""
    assert vnd(Decimal(451234567)) == "451.234.567 đồng"
    assert vnd(Decimal(451234567), 1) == "451.234.567"
    assert vnd(None) == ""
