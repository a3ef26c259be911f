"""Shares (CT01, CT03, CT04), counts (CT02, CT08) and sums (CT09)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from benvung.indicators.domain.formulas import (
    CountResult,
    ShareResult,
    SumResult,
    boolean_share,
    count_items,
    coverage_share,
    sum_values,
)

D = Decimal


@pytest.mark.parametrize(
    ("active", "totals", "expected"),
    [
        # 7 of 10 zones held at least one activity over s..y: exactly the 2025 target of 70.
        (
            [f"KCN{i}" for i in range(10)],
            {f"KCN{i}": D(1) for i in range(7)},
            ShareResult(
                value=D(70),
                numerator=7,
                denominator=10,
                counted=tuple(f"KCN{i}" for i in range(7)),
                missing=("KCN7", "KCN8", "KCN9"),
                silent=("KCN7", "KCN8", "KCN9"),
            ),
        ),
        # Below 1 does not count (A reported, short of 1); absent counts as 0 and is silent
        # (C); inactive units are ignored.
        (
            ["B", "A", "C"],
            {"A": D("0.5"), "B": D(3), "Z": D(9)},
            ShareResult(D(100) / 3, 1, 3, ("B",), ("A", "C"), ("C",)),
        ),
        (["A", "B"], {"A": D(1), "B": D(1)}, ShareResult(D(100), 2, 2, ("A", "B"), ())),
        (["A", "B"], {}, ShareResult(D(0), 0, 2, (), ("A", "B"), ("A", "B"))),
        # No active unit: the percentage has no data.
        ([], {"A": D(5)}, ShareResult(None, 0, 0, (), ())),
        # A unit listed twice is one unit.
        (["A", "A", "B"], {"A": D(2)}, ShareResult(D(50), 1, 2, ("A",), ("B",), ("B",))),
    ],
)
def test_coverage_share(
    active: list[str], totals: dict[str, Decimal], expected: ShareResult
) -> None:
    assert coverage_share(active, totals) == expected


@pytest.mark.parametrize(
    ("total", "counted"),
    [(D("0.999"), False), (D(1), True), (D("1.0"), True), (D(0), False), (D(40), True)],
)
def test_coverage_share_threshold_is_one(total: Decimal, counted: bool) -> None:
    result = coverage_share(["U"], {"U": total})
    assert result.counted == (("U",) if counted else ())


def test_share_value_is_not_rounded() -> None:
    result = coverage_share(["A", "B", "C"], {"A": D(1), "B": D(1)})
    assert result.value == D(200) / D(3)
    assert result.value is not None
    assert result.value > D("66.66666666666")


@pytest.mark.parametrize(
    ("active", "flags", "expected"),
    [
        (
            ["ST1", "ST2", "TTTM1", "ST3"],
            {"ST1": True, "ST2": False, "TTTM1": True},
            ShareResult(D(50), 2, 4, ("ST1", "TTTM1"), ("ST2", "ST3"), ("ST3",)),
        ),
        # No report counts as False and is silent; flags of inactive units are ignored.
        (["ST1"], {"ST9": True}, ShareResult(D(0), 0, 1, (), ("ST1",), ("ST1",))),
        (["ST1", "ST2"], {"ST1": True, "ST2": True}, ShareResult(D(100), 2, 2, ("ST1", "ST2"), ())),
        ([], {}, ShareResult(None, 0, 0, (), ())),
    ],
)
def test_boolean_share(active: list[str], flags: dict[str, bool], expected: ShareResult) -> None:
    assert boolean_share(active, flags) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], CountResult(D(0), ())),
        (["M2", "M1", "M3"], CountResult(D(3), ("M1", "M2", "M3"))),
        # A model reached twice (its unit moved during the year) is counted once.
        (["M1", "M1", "M2"], CountResult(D(2), ("M1", "M2"))),
        (iter(["M5"]), CountResult(D(1), ("M5",))),
    ],
)
def test_count_items(items: list[str], expected: CountResult) -> None:
    result = count_items(items)
    assert result == expected
    assert isinstance(result.value, Decimal)


@pytest.mark.parametrize(
    ("active", "values", "expected"),
    [
        (
            ["ST1", "ST2", "TTTM1"],
            {"ST1": D(120), "TTTM1": D(35), "ST9": D(1000)},
            SumResult(D(155), ("ST1", "TTTM1"), ("ST2",)),
        ),
        # Active units but none reported: no data (not zero), every unit listed as missing.
        (["ST1", "ST2"], {}, SumResult(None, (), ("ST1", "ST2"))),
        # A reported 0 is a report.
        (["ST1"], {"ST1": D(0)}, SumResult(D(0), ("ST1",), ())),
        # No active unit: nothing the indicator could be about.
        ([], {"ST1": D(5)}, SumResult(None, (), ())),
        (["A", "A"], {"A": D(7)}, SumResult(D(7), ("A",), ())),
    ],
)
def test_sum_values(active: list[str], values: dict[str, Decimal], expected: SumResult) -> None:
    assert sum_values(active, values) == expected


def test_results_are_frozen() -> None:
    result = count_items(["M1"])
    with pytest.raises(AttributeError):
        result.value = D(2)  # type: ignore[misc]
