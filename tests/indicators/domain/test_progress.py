"""Progress status: governing milestone, expected path, and the status rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from benvung.indicators.domain.progress import (
    Assessment,
    Milestone,
    Status,
    assess,
    expected_value,
    governing_milestone,
)

D = Decimal
B = 2020

CT01 = (Milestone(2025, D(70), None), Milestone(2030, D(100), None))
CT02 = (Milestone(2025, D(5), D(10)),)
CT07 = (Milestone(2030, D(7), D(10)),)


@pytest.mark.parametrize(
    ("status", "value", "label"),
    [
        (Status.CHUA_CO_DU_LIEU, "chua_co_du_lieu", "Chưa có dữ liệu"),
        (Status.DAT, "dat", "Đạt"),
        (Status.KHONG_DAT, "khong_dat", "Không đạt"),
        (Status.DUNG_TIEN_DO, "dung_tien_do", "Đúng tiến độ"),
        (Status.CAN_DAY_NHANH, "can_day_nhanh", "Cần đẩy nhanh"),
        (Status.CHAM_TIEN_DO, "cham_tien_do", "Chậm tiến độ"),
        (Status.THUT_LUI, "thut_lui", "Thụt lùi"),
    ],
)
def test_status_codes_and_labels(status: Status, value: str, label: str) -> None:
    assert status == value
    assert str(status) == value
    assert Status(value) is status
    assert status.label == label


def test_every_status_has_a_label() -> None:
    assert len({status.label for status in Status}) == len(Status) == 7


@pytest.mark.parametrize(
    ("milestones", "year", "expected"),
    [
        (CT01, 2021, CT01[0]),
        (CT01, 2025, CT01[0]),
        (CT01, 2026, CT01[1]),
        (CT01, 2030, CT01[1]),
        (CT01, 2031, CT01[1]),
        (CT01, 2040, CT01[1]),
        # Order of the input does not matter.
        (tuple(reversed(CT01)), 2023, CT01[0]),
        (CT02, 2030, CT02[0]),
        # Milestones without a minimum cannot govern.
        (
            (Milestone(2025, None, D(10)), Milestone(2030, D(7), None)),
            2024,
            Milestone(2030, D(7), None),
        ),
        ((Milestone(2025, None, None),), 2024, None),
        ((), 2024, None),
    ],
)
def test_governing_milestone(
    milestones: tuple[Milestone, ...], year: int, expected: Milestone | None
) -> None:
    assert governing_milestone(milestones, year) == expected


@pytest.mark.parametrize(
    ("base_value", "milestones", "year", "expected"),
    [
        # CT01, base 0: 70 × (y − 2020) / 5 up to 2025, then 70 + 30 × (y − 2025) / 5.
        (D(0), CT01, 2020, D(0)),
        (D(0), CT01, 2021, D(14)),
        (D(0), CT01, 2023, D(42)),
        (D(0), CT01, 2025, D(70)),
        (D(0), CT01, 2026, D(76)),
        (D(0), CT01, 2027, D(82)),
        (D(0), CT01, 2030, D(100)),
        (D(0), CT01, 2031, D(100)),
        (D(0), CT01, 2019, D(0)),
        # A null base counts as 0.
        (None, CT01, 2023, D(42)),
        # A base of 20: 20 + 50 × 3 / 5 = 50.
        (D(20), CT01, 2023, D(50)),
        (D(20), CT01, 2015, D(20)),
        # CT07: base 0, 7 % in 2030: 7 × 4 / 10 = 2.8 in 2024.
        (D(0), CT07, 2024, D("2.8")),
        # No minimum anywhere: no path.
        (D(0), (Milestone(2030, None, D(5)),), 2024, None),
    ],
)
def test_expected_value(
    base_value: Decimal | None,
    milestones: tuple[Milestone, ...],
    year: int,
    expected: Decimal | None,
) -> None:
    assert expected_value(B, base_value, milestones, year) == expected


def test_expected_value_is_exact_decimal() -> None:
    result = expected_value(B, D(0), CT01, 2023)
    assert isinstance(result, Decimal)
    assert str(result) == "42"


@pytest.mark.parametrize(
    ("value", "year", "status", "expected", "ratio"),
    [
        # The worked examples. E(2023) = 42, P = 0.
        (D(40), 2023, Status.DUNG_TIEN_DO, D(42), D(40) / D(42)),  # r = 0.952…
        (D(25), 2023, Status.CHAM_TIEN_DO, D(42), D(25) / D(42)),  # r = 0.595…
        # 2026: governed by 2030 (min 100), E = 76, P = 70: r = (65 − 70)/(76 − 70) < 0.
        (D(65), 2026, Status.THUT_LUI, D(76), D(-5) / D(6)),
        # 2025: the milestone year itself.
        (D("69.99"), 2025, Status.KHONG_DAT, D(70), None),
        (D(70), 2025, Status.DAT, D(70), None),
        (D(100), 2023, Status.DAT, D(42), None),
        # Exact boundaries of r in 2021: E = 14, P = 0, so r = V / 14.
        (D("13.3"), 2021, Status.DUNG_TIEN_DO, D(14), D("0.95")),
        (D("13.29"), 2021, Status.CAN_DAY_NHANH, D(14), D("13.29") / D(14)),
        (D("8.4"), 2021, Status.CAN_DAY_NHANH, D(14), D("0.6")),
        (D("8.39"), 2021, Status.CHAM_TIEN_DO, D(14), D("8.39") / D(14)),
        (D(0), 2021, Status.CHAM_TIEN_DO, D(14), D(0)),
        # 2027: E = 82, P = 70 (the 2025 anchor).
        (D("81.4"), 2027, Status.DUNG_TIEN_DO, D(82), D("0.95")),
        (D("77.2"), 2027, Status.CAN_DAY_NHANH, D(82), D("0.6")),
        (D(70), 2027, Status.CHAM_TIEN_DO, D(82), D(0)),
        (D("69.9"), 2027, Status.THUT_LUI, D(82), D("-0.1") / D(12)),
        # After the last milestone: met or not.
        (D(99), 2031, Status.KHONG_DAT, D(100), None),
        (D(100), 2031, Status.DAT, D(100), None),
        (D(99), 2030, Status.KHONG_DAT, D(100), None),
        # No value.
        (None, 2023, Status.CHUA_CO_DU_LIEU, D(42), None),
        (None, 2031, Status.CHUA_CO_DU_LIEU, D(100), None),
    ],
)
def test_assess_ct01(
    value: Decimal | None,
    year: int,
    status: Status,
    expected: Decimal,
    ratio: Decimal | None,
) -> None:
    result = assess(value, year=year, base_year=B, base_value=D(0), milestones=CT01)
    assert result.status == status
    assert result.expected == expected
    assert result.ratio == ratio
    assert result.above_maximum is None
    assert result.governing == governing_milestone(CT01, year)


def test_worked_example_ratios() -> None:
    on_track = assess(D(40), year=2023, base_year=B, base_value=D(0), milestones=CT01)
    assert on_track.ratio is not None and on_track.ratio > D("0.95")
    slow = assess(D(25), year=2023, base_year=B, base_value=D(0), milestones=CT01)
    assert slow.ratio is not None and D(0) < slow.ratio < D("0.60")


@pytest.mark.parametrize(
    ("value", "year", "status", "above_maximum"),
    [
        (D(12), 2025, Status.DAT, True),
        (D(10), 2025, Status.DAT, True),
        (D("9.5"), 2025, Status.DAT, False),
        (D(5), 2025, Status.DAT, False),
        (D(4), 2025, Status.KHONG_DAT, False),
        # CT02 in 2023: E = 5 × 3 / 5 = 3, P = 0; 3 models r = 1, 2 models r = 0.666…
        (D(3), 2023, Status.DUNG_TIEN_DO, False),
        (D(2), 2023, Status.CAN_DAY_NHANH, False),
        (D(1), 2023, Status.CHAM_TIEN_DO, False),
        (D(6), 2023, Status.DAT, False),
        (D(11), 2023, Status.DAT, True),
        (None, 2025, Status.CHUA_CO_DU_LIEU, None),
    ],
)
def test_assess_ct02_range(
    value: Decimal | None, year: int, status: Status, above_maximum: bool | None
) -> None:
    result = assess(value, year=year, base_year=B, base_value=None, milestones=CT02)
    assert result.status == status
    assert result.above_maximum is above_maximum
    assert result.governing == CT02[0]


def test_assess_full_assessment_for_ct02_above_range() -> None:
    assert assess(D(12), year=2025, base_year=B, base_value=None, milestones=CT02) == Assessment(
        status=Status.DAT,
        expected=D(5),
        governing=CT02[0],
        ratio=None,
        above_maximum=True,
    )


@pytest.mark.parametrize(
    ("value", "year", "status"),
    [
        # At or before the base year E = P = B: the ratio is undefined.
        (D(0), B, Status.DUNG_TIEN_DO),
        (D(5), B, Status.DUNG_TIEN_DO),
        (D("-1"), B, Status.THUT_LUI),
        (D(0), 2019, Status.DUNG_TIEN_DO),
    ],
)
def test_assess_degenerate_path_at_base_year(value: Decimal, year: int, status: Status) -> None:
    result = assess(value, year=year, base_year=B, base_value=D(0), milestones=CT07)
    assert result.status == status
    assert result.ratio is None
    assert result.expected == D(0)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        # Base 90 above the 2025 minimum 70 would make E − P negative: E(2023) = 90 − 20 × 3/5 = 78.
        (D(60), Status.THUT_LUI),
        (D(69), Status.THUT_LUI),
        (D(70), Status.DAT),
    ],
)
def test_assess_falling_path_does_not_invert_ratio(value: Decimal, status: Status) -> None:
    result = assess(value, year=2023, base_year=B, base_value=D(90), milestones=CT01)
    assert result.expected == D(78)
    assert result.status == status
    assert result.ratio is None


def test_assess_uses_base_value_as_first_anchor() -> None:
    # Base 40: E(2023) = 40 + 30 × 3/5 = 58, P = 40; V = 57.1 → r = 17.1/18 = 0.95.
    result = assess(D("57.1"), year=2023, base_year=B, base_value=D(40), milestones=CT01)
    assert result.expected == D(58)
    assert result.ratio == D("0.95")
    assert result.status == Status.DUNG_TIEN_DO
    # Below the base value: going backwards.
    backwards = assess(D(39), year=2023, base_year=B, base_value=D(40), milestones=CT01)
    assert backwards.status == Status.THUT_LUI


def test_assess_ct07_negative_reduction_is_backwards() -> None:
    # CT07 2024: E = 2.8, P = 0; intensity rose (value −3) → r < 0.
    result = assess(D(-3), year=2024, base_year=B, base_value=D(0), milestones=CT07)
    assert result.status == Status.THUT_LUI
    assert result.above_maximum is False


@pytest.mark.parametrize(
    "milestones",
    [(), (Milestone(2030, None, None),), (Milestone(2030, None, D(10)),)],
)
def test_assess_requires_a_milestone_with_minimum(milestones: tuple[Milestone, ...]) -> None:
    with pytest.raises(ValueError, match="milestone"):
        assess(D(1), year=2025, base_year=B, base_value=D(0), milestones=milestones)
