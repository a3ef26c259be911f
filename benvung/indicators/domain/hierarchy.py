"""The time-versioned unit hierarchy: who belongs to whose subtree in a period.

Vietnam's 2025 reform abolished the district level on 1/7/2025, so a unit can change parent in
the middle of a year. The spec counts a unit in a subtree for a year when, on some day of that
year, the parent links valid on that day lead from the unit to the subtree's root: a zone moved
from a district to a commune on 1/7/2025 counts in both subtrees for 2025.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["ParentLink", "is_active", "subtree_members", "year_window"]

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ParentLink:
    """`child` has `parent` from `valid_from` to `valid_to` inclusive (None: still valid)."""

    child: str
    parent: str
    valid_from: date
    valid_to: date | None


def year_window(year: int) -> tuple[date, date]:
    """The first and last day of `year`, the window a yearly period covers."""
    return date(year, 1, 1), date(year, 12, 31)


def is_active(valid_from: date, valid_to: date | None, start: date, end: date) -> bool:
    """Whether the validity [valid_from, valid_to] (None: open-ended) overlaps [start, end]."""
    return valid_from <= end and (valid_to is None or valid_to >= start)


def _valid_on(link: ParentLink, day: date) -> bool:
    """Whether `link` holds on `day`."""
    return link.valid_from <= day and (link.valid_to is None or day <= link.valid_to)


def _change_points(links: list[ParentLink], start: date, end: date) -> list[date]:
    """The days in [start, end] on which the set of valid links can differ from the day before,
    plus `start`: between two of them the hierarchy is the same every day."""
    points = {start}
    for link in links:
        if start < link.valid_from <= end:
            points.add(link.valid_from)
        # The day after valid_to, tested as valid_to < end so that date.max cannot overflow.
        if link.valid_to is not None and start <= link.valid_to < end:
            points.add(link.valid_to + _ONE_DAY)
    return sorted(points)


def _descendants(links: list[ParentLink], root: str, day: date) -> set[str]:
    """`root` and every unit below it through the links valid on `day`."""
    children: defaultdict[str, list[str]] = defaultdict(list)
    for link in links:
        if _valid_on(link, day):
            children[link.parent].append(link.child)
    found = {root}
    queue = deque([root])
    while queue:
        for child in children.get(queue.popleft(), ()):
            # The visited check also stops bad data with a cycle from looping forever.
            if child not in found:
                found.add(child)
                queue.append(child)
    return found


def subtree_members(links: Iterable[ParentLink], root: str, start: date, end: date) -> set[str]:
    """Every unit, `root` included, that on some day of [start, end] reaches `root` by
    following the parent links valid on that day.

    The hierarchy is evaluated only at its change points inside the window (start, each
    valid_from after start, each day after a valid_to before end), since it is constant
    between them. Units are not checked for their own validity: the caller filters the
    active ones.
    """
    relevant = [link for link in links if is_active(link.valid_from, link.valid_to, start, end)]
    members = {root}
    for day in _change_points(relevant, start, end):
        members |= _descendants(relevant, root, day)
    return members
