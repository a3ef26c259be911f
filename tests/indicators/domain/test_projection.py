"""Recency-weighted trend projection to a milestone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from benvung.indicators.domain.progress import Milestone, Status
from benvung.indicators.domain.projection import project, projected_status

D = Decimal


@pytest.mark.parametrize(
    ("series", "to_year", "expected"),
    [
        # Points on a straight line are projected along it whatever the weights:
        # 10 + 5 × (y − 2020).
        ({2021: D(15), 2022: D(20), 2023: D(25)}, 2025, D(35)),
        ({2021: D(15), 2022: D(20), 2023: D(25)}, 2030, D(60)),
        ({2021: D(15), 2022: D(20)}, 2025, D(35)),
        # Evaluating inside the observed range gives back the line.
        ({2021: D(15), 2022: D(20), 2023: D(25)}, 2022, D(20)),
        # A flat series stays flat.
        ({2021: D(7), 2022: D(7), 2023: D(7), 2024: D(7)}, 2030, D(7)),
        # Falling values project downwards (CT07 going the wrong way).
        ({2021: D(2), 2022: D(1), 2023: D(0)}, 2025, D(-2)),
        # Gaps between years are fine: 2 per year through (2021, 2) and (2024, 8).
        ({2021: D(2), 2024: D(8)}, 2025, D(10)),
        # Decimal points: 0.5 per year from 1.5 in 2021.
        ({2021: D("1.5"), 2022: D("2.0"), 2023: D("2.5")}, 2030, D(6)),
    ],
)
def test_project_straight_lines(
    series: dict[int, Decimal], to_year: int, expected: Decimal
) -> None:
    result = project(series, to_year)
    assert isinstance(result, Decimal)
    assert result == expected


def test_recent_years_weigh_more() -> None:
    # Points (2021, 0), (2022, 10), (2023, 10), weights 1, 2, 3. With u = year − 2025:
    #   Σw = 6, Σwu = −4 − 6 − 6 = −16, Σwu² = 16 + 18 + 12 = 46,
    #   Σwy = 0 + 20 + 30 = 50, Σwuy = 0 − 60 − 60 = −120.
    #   value at 2025 = (Σwy·Σwu² − Σwu·Σwuy) / (Σw·Σwu² − (Σwu)²)
    #                 = (2300 − 1920) / (276 − 256) = 380 / 20 = 19.
    # Unweighted least squares would give 20/3 + 5 × 3 = 21.67: the early jump counts less.
    assert project({2021: D(0), 2022: D(10), 2023: D(10)}, 2025) == D(19)


def test_order_of_the_mapping_does_not_matter() -> None:
    forwards = {2021: D(0), 2022: D(10), 2023: D(10)}
    backwards = {2023: D(10), 2022: D(10), 2021: D(0)}
    assert project(forwards, 2025) == project(backwards, 2025) == D(19)


@pytest.mark.parametrize("series", [{}, {2023: D(40)}])
def test_project_needs_two_points(series: dict[int, Decimal]) -> None:
    assert project(series, 2025) is None


def test_project_is_not_clamped() -> None:
    # 40 points a year from 20 in 2021: 180 in 2025, beyond 100 %; the caller decides.
    assert project({2021: D(20), 2022: D(60)}, 2025) == D(180)


@pytest.mark.parametrize(
    ("projected", "milestone", "expected"),
    [
        (D(70), Milestone(2025, D(70), None), "dat"),
        (D("69.99"), Milestone(2025, D(70), None), "khong_dat"),
        (D(12), Milestone(2025, D(5), D(10)), "dat"),
        (None, Milestone(2025, D(70), None), None),
        (D(70), Milestone(2025, None, D(10)), None),
    ],
)
def test_projected_status(
    projected: Decimal | None, milestone: Milestone, expected: str | None
) -> None:
    assert projected_status(projected, milestone) == expected


def test_projected_status_is_a_status_code() -> None:
    result = projected_status(D(1), Milestone(2025, D(0), None))
    assert result == Status.DAT
    assert isinstance(result, str)
