"""Progress status of an indicator against its milestones (spec: "Progress status").

The expected path is linear from the base-year value to each milestone minimum, rather than the
compound growth Open SDG uses, because several indicators start from 0 where a growth rate does
not exist. The thresholds on r are Open SDG's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

__all__ = [
    "Assessment",
    "Milestone",
    "Status",
    "assess",
    "expected_value",
    "governing_milestone",
]

ON_TRACK_RATIO = Decimal("0.95")
SPEED_UP_RATIO = Decimal("0.60")
_ZERO = Decimal(0)


class Status(StrEnum):
    """Progress status codes, stable identifiers used in JSON and the database."""

    CHUA_CO_DU_LIEU = "chua_co_du_lieu"
    DAT = "dat"
    KHONG_DAT = "khong_dat"
    DUNG_TIEN_DO = "dung_tien_do"
    CAN_DAY_NHANH = "can_day_nhanh"
    CHAM_TIEN_DO = "cham_tien_do"
    THUT_LUI = "thut_lui"

    @property
    def label(self) -> str:
        """The name shown to users: Vietnamese, or its translation in the active language."""
        return _translate(_LABELS[self])


def gettext_noop(message: str) -> str:
    """Mark `message` for the translation catalogue (makemessages finds this name) and return
    it unchanged; this module stays free of Django, the translation is applied by `label`."""
    return message


def _no_translation(message: str) -> str:
    return message


# Replaced by Django's gettext when the indicators app starts (IndicatorsConfig.ready), so that
# labels follow the language the user chose; plain Vietnamese when used without Django.
_translate: Callable[[str], str] = _no_translation


def set_label_translator(translate: Callable[[str], str]) -> None:
    """Make `Status.label` pass its Vietnamese name through `translate` (e.g. Django's gettext)."""
    global _translate
    _translate = translate


_LABELS: dict[Status, str] = {
    Status.CHUA_CO_DU_LIEU: gettext_noop("Chưa có dữ liệu"),
    Status.DAT: gettext_noop("Đạt"),
    Status.KHONG_DAT: gettext_noop("Không đạt"),
    Status.DUNG_TIEN_DO: gettext_noop("Đúng tiến độ"),
    Status.CAN_DAY_NHANH: gettext_noop("Cần đẩy nhanh"),
    Status.CHAM_TIEN_DO: gettext_noop("Chậm tiến độ"),
    Status.THUT_LUI: gettext_noop("Thụt lùi"),
}


@dataclass(frozen=True)
class Milestone:
    """A target of an indicator: at least `minimum` (and, for a range, at most `maximum`) by
    the end of `year`. Either bound may be None ("encouraged", or an upper bound only)."""

    year: int
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass(frozen=True)
class Assessment:
    """The status of a value for a year, with what it was judged against.

    `expected` is E(y), `governing` the milestone compared with, `ratio` r = (V − P)/(E − P)
    when it decided the status (else None), and `above_maximum` whether V ≥ the governing
    maximum, None when there is no value or no maximum.
    """

    status: Status
    expected: Decimal | None
    governing: Milestone | None
    ratio: Decimal | None
    above_maximum: bool | None


def _with_minimum(milestones: Sequence[Milestone]) -> list[Milestone]:
    """The milestones that have a minimum, by year: the only ones a status can be judged on."""
    return sorted((m for m in milestones if m.minimum is not None), key=lambda m: m.year)


def governing_milestone(milestones: Sequence[Milestone], year: int) -> Milestone | None:
    """The milestone a value of `year` is compared with: the first (by year) whose year is
    ≥ `year`, the last one after all have passed, None if no milestone has a minimum."""
    candidates = _with_minimum(milestones)
    if not candidates:
        return None
    return next((m for m in candidates if m.year >= year), candidates[-1])


def _anchors(
    base_year: int, base_value: Decimal | None, milestones: Sequence[Milestone]
) -> list[tuple[int, Decimal]]:
    """The points of the expected path: (base year, base value or 0), then each milestone
    (year, minimum). Milestones at or before the base year are left out: the path runs forward
    from the base."""
    anchors = [(base_year, base_value if base_value is not None else _ZERO)]
    for milestone in _with_minimum(milestones):
        if milestone.year > base_year and milestone.minimum is not None:
            anchors.append((milestone.year, milestone.minimum))
    return anchors


def _path(anchors: list[tuple[int, Decimal]], year: int) -> tuple[Decimal, Decimal]:
    """(E(year), P): the expected value and the value of the anchor before `year`.

    At or before the first anchor both are its value; after the last one both are the last
    value (the target stays where the last milestone put it).
    """
    first_year, first_value = anchors[0]
    if year <= first_year:
        return first_value, first_value
    for (before_year, before_value), (after_year, after_value) in pairwise(anchors):
        if before_year < year <= after_year:
            # Multiply before dividing so that whole-number paths stay exact (70 × 3 / 5 = 42).
            step = (after_value - before_value) * (year - before_year) / (after_year - before_year)
            return before_value + step, before_value
    last_value = anchors[-1][1]
    return last_value, last_value


def expected_value(
    base_year: int,
    base_value: Decimal | None,
    milestones: Sequence[Milestone],
    year: int,
) -> Decimal | None:
    """E(year): the value on the linear path from the base-year value (0 when unknown) through
    each milestone minimum; the base value at or before the base year, the last minimum after
    the last milestone, None when no milestone has a minimum."""
    if not _with_minimum(milestones):
        return None
    expected, _ = _path(_anchors(base_year, base_value, milestones), year)
    return expected


def assess(
    value: Decimal | None,
    *,
    year: int,
    base_year: int,
    base_value: Decimal | None,
    milestones: Sequence[Milestone],
) -> Assessment:
    """The progress status of `value` (the indicator's value for `year`).

    In order: no value → chua_co_du_lieu; V ≥ governing minimum → dat; the governing year
    reached and V below its minimum → khong_dat; otherwise r = (V − P)/(E − P) decides:
    r ≥ 0.95 dung_tien_do, 0.60 ≤ r < 0.95 can_day_nhanh, 0 ≤ r < 0.60 cham_tien_do, r < 0
    thut_lui. When the path does not rise at `year` (E ≤ P, e.g. at or before the base year,
    or a base value above the next minimum) r means nothing, so the status is dung_tien_do if
    V ≥ E and thut_lui otherwise, with ratio None.

    Only for indicators with targets: raises ValueError when no milestone has a minimum
    (CT08, CT09 and the qualitative indicators have no status).
    """
    governing = governing_milestone(milestones, year)
    if governing is None or governing.minimum is None:
        raise ValueError("assess() needs at least one milestone with a minimum")
    expected, previous = _path(_anchors(base_year, base_value, milestones), year)
    if value is None:
        return Assessment(Status.CHUA_CO_DU_LIEU, expected, governing, None, None)
    above_maximum = None if governing.maximum is None else value >= governing.maximum
    if value >= governing.minimum:
        return Assessment(Status.DAT, expected, governing, None, above_maximum)
    if year >= governing.year:
        return Assessment(Status.KHONG_DAT, expected, governing, None, above_maximum)
    if expected <= previous:
        status = Status.DUNG_TIEN_DO if value >= expected else Status.THUT_LUI
        return Assessment(status, expected, governing, None, above_maximum)
    ratio = (value - previous) / (expected - previous)
    if ratio >= ON_TRACK_RATIO:
        status = Status.DUNG_TIEN_DO
    elif ratio >= SPEED_UP_RATIO:
        status = Status.CAN_DAY_NHANH
    elif ratio >= _ZERO:
        status = Status.CHAM_TIEN_DO
    else:
        status = Status.THUT_LUI
    return Assessment(status, expected, governing, ratio, above_maximum)
