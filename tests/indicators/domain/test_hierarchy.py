"""The dated hierarchy: year windows, activity, and subtrees that change mid-year."""

from __future__ import annotations

from datetime import date

import pytest

from benvung.indicators.domain.hierarchy import (
    ParentLink,
    is_active,
    subtree_members,
    year_window,
)

START = date(2021, 1, 1)
REFORM = date(2025, 7, 1)
EVE = date(2025, 6, 30)

# Province P with districts D and D2; commune C under D2 throughout. Zone Z sits in D until
# 30/6/2025 and in commune C from 1/7/2025.
MOVE = (
    ParentLink("D", "P", START, None),
    ParentLink("D2", "P", START, None),
    ParentLink("C", "D2", START, None),
    ParentLink("Z", "D", START, EVE),
    ParentLink("Z", "C", REFORM, None),
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2020, (date(2020, 1, 1), date(2020, 12, 31))),
        (2024, (date(2024, 1, 1), date(2024, 12, 31))),
        (2025, (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_year_window(year: int, expected: tuple[date, date]) -> None:
    assert year_window(year) == expected


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "year", "active"),
    [
        (date(2021, 1, 1), None, 2025, True),
        (date(2021, 1, 1), None, 2020, False),
        (date(2025, 12, 31), None, 2025, True),
        (date(2026, 1, 1), None, 2025, False),
        (date(2020, 1, 1), date(2025, 1, 1), 2025, True),
        (date(2020, 1, 1), date(2024, 12, 31), 2025, False),
        (date(2025, 6, 30), date(2025, 6, 30), 2025, True),
        (date(2020, 1, 1), date(2030, 1, 1), 2025, True),
    ],
)
def test_is_active(valid_from: date, valid_to: date | None, year: int, active: bool) -> None:
    assert is_active(valid_from, valid_to, *year_window(year)) is active


@pytest.mark.parametrize(
    ("root", "year", "expected"),
    [
        ("D", 2024, {"D", "Z"}),
        ("D2", 2024, {"D2", "C"}),
        # The year of the move: Z is in both subtrees.
        ("D", 2025, {"D", "Z"}),
        ("D2", 2025, {"D2", "C", "Z"}),
        ("C", 2025, {"C", "Z"}),
        ("D", 2026, {"D"}),
        ("D2", 2026, {"D2", "C", "Z"}),
        ("P", 2025, {"P", "D", "D2", "C", "Z"}),
        ("Z", 2025, {"Z"}),
    ],
)
def test_zone_moved_mid_year(root: str, year: int, expected: set[str]) -> None:
    assert subtree_members(MOVE, root, *year_window(year)) == expected


def test_reaching_the_root_must_happen_on_one_day() -> None:
    # C leaves D2 on 30/6/2025 (districts abolished) and Z joins C on 1/7/2025: on no single
    # day does Z reach D2, so Z is not in D2's subtree in 2025, though C is.
    links = (
        ParentLink("D2", "P", START, EVE),
        ParentLink("C", "D2", START, EVE),
        ParentLink("C", "P", REFORM, None),
        ParentLink("Z", "D", START, EVE),
        ParentLink("Z", "C", REFORM, None),
        ParentLink("D", "P", START, EVE),
    )
    window = year_window(2025)
    assert subtree_members(links, "D2", *window) == {"D2", "C"}
    assert subtree_members(links, "C", *window) == {"C", "Z"}
    assert subtree_members(links, "P", *window) == {"P", "D", "D2", "C", "Z"}
    assert subtree_members(links, "P", *year_window(2026)) == {"P", "C", "Z"}


@pytest.mark.parametrize(
    ("link", "in_2025"),
    [
        # Valid for a single day inside the window.
        (ParentLink("X", "R", date(2025, 3, 15), date(2025, 3, 15)), True),
        # Starting on the last day of the year.
        (ParentLink("X", "R", date(2025, 12, 31), None), True),
        # Ending on the first day.
        (ParentLink("X", "R", date(2020, 1, 1), date(2025, 1, 1)), True),
        # Ending the day before the window.
        (ParentLink("X", "R", date(2020, 1, 1), date(2024, 12, 31)), False),
        # Starting the day after.
        (ParentLink("X", "R", date(2026, 1, 1), None), False),
        # Open to the end of time: no overflow computing the day after.
        (ParentLink("X", "R", date(2020, 1, 1), date.max), True),
    ],
)
def test_link_boundaries(link: ParentLink, in_2025: bool) -> None:
    members = subtree_members([link], "R", *year_window(2025))
    assert ("X" in members) is in_2025


def test_short_link_between_change_points_of_other_units() -> None:
    # X is under R in March only. Y is under X from 20 March, so on 20–31 March it reaches R;
    # W is under X only in April, when X no longer reaches R, so W never does.
    links = [
        ParentLink("X", "R", date(2025, 3, 1), date(2025, 3, 31)),
        ParentLink("Y", "X", date(2025, 3, 20), date(2025, 4, 10)),
        ParentLink("W", "X", date(2025, 4, 1), date(2025, 4, 30)),
    ]
    assert subtree_members(links, "R", *year_window(2025)) == {"R", "X", "Y"}


def test_root_is_always_a_member() -> None:
    assert subtree_members([], "R", *year_window(2025)) == {"R"}


def test_cycle_terminates() -> None:
    # Bad data: A under B and B under A. The walk must stop, and still find C under A.
    links = [
        ParentLink("A", "B", START, None),
        ParentLink("B", "A", START, None),
        ParentLink("C", "A", START, None),
    ]
    assert subtree_members(links, "A", *year_window(2025)) == {"A", "B", "C"}
    assert subtree_members(links, "C", *year_window(2025)) == {"C"}


def test_self_loop_terminates() -> None:
    links = [ParentLink("A", "A", START, None), ParentLink("B", "A", START, None)]
    assert subtree_members(links, "A", *year_window(2025)) == {"A", "B"}


def test_deep_chain() -> None:
    # 2000 levels: the walk is iterative, so no recursion limit.
    links = [ParentLink(f"U{i + 1}", f"U{i}", START, None) for i in range(2000)]
    members = subtree_members(links, "U0", *year_window(2025))
    assert len(members) == 2001


def test_accepts_any_iterable_once() -> None:
    # A generator is consumed once; the result must not depend on reading it again.
    links = (link for link in MOVE)
    assert subtree_members(links, "D2", *year_window(2025)) == {"D2", "C", "Z"}
