"""The time-versioned unit hierarchy: who belongs to whose subtree in a period.

Vietnam's 2025 reform abolished the district level on 1/7/2025, so a unit can change parent in
the middle of a year. The spec counts a unit in a subtree for a year when, on some day of that
year, the parent links valid on that day lead from the unit to the subtree's root: a zone moved
from a district to a commune on 1/7/2025 counts in both subtrees for 2025.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ParentLink",
    "is_active",
    "subtree_intervals",
    "subtree_members",
    "subtrees_members",
    "year_window",
]


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


def parents_at_start(links: Iterable[ParentLink], year: int) -> dict[str, str]:
    """Each unit's parent at the start of the year: among the links that hold on some day of
    it, the one that began first."""
    start, end = year_window(year)
    parents: dict[str, str] = {}
    for link in sorted(links, key=lambda item: item.valid_from):
        if is_active(link.valid_from, link.valid_to, start, end):
            parents.setdefault(link.child, link.parent)
    return parents


def district_of(code: str, parents: Mapping[str, str], types: Mapping[str, str]) -> str | None:
    """The district-level (HUYEN) unit above `code` (itself if it is one) following `parents`;
    None when there is none (a province-level unit, or a year after the districts went)."""
    seen: set[str] = set()
    current: str | None = code
    while current is not None and current not in seen:
        seen.add(current)
        if types.get(current) == "HUYEN":
            return current
        current = parents.get(current)
    return None


def subtree_intervals(
    links: Iterable[ParentLink], roots: Iterable[str], start: date, end: date
) -> dict[str, list[tuple[date, date]]]:
    """For every unit that on some day of [start, end] reaches one of the `roots` by the links
    valid on that day: the spans of days on which it does, one per path (the days on which
    all the path's links hold), the roots themselves with [start, end].

    One walk down from the roots, each path carrying the days its links share, finds the same
    units as evaluating the hierarchy day by day, in time proportional to the links instead
    of links × change points. A span already covered by an earlier one of the same unit is
    not walked again, which also stops bad data with a cycle.
    """
    children: defaultdict[str, list[ParentLink]] = defaultdict(list)
    for link in links:
        if is_active(link.valid_from, link.valid_to, start, end):
            children[link.parent].append(link)
    spans: dict[str, list[tuple[date, date]]] = {root: [(start, end)] for root in roots}
    queue = deque((root, start, end) for root in spans)
    while queue:
        parent, low, high = queue.popleft()
        for link in children.get(parent, ()):
            first = max(low, link.valid_from)
            last = high if link.valid_to is None else min(high, link.valid_to)
            if first > last:
                continue
            known = spans.setdefault(link.child, [])
            if any(a <= first and last <= b for a, b in known):
                continue
            known.append((first, last))
            queue.append((link.child, first, last))
    return spans


def subtree_members(links: Iterable[ParentLink], root: str, start: date, end: date) -> set[str]:
    """Every unit, `root` included, that on some day of [start, end] reaches `root` by
    following the parent links valid on that day.

    Units are not checked for their own validity: the caller filters the active ones.
    """
    return set(subtree_intervals(links, [root], start, end))


def subtrees_members(
    links: Iterable[ParentLink], roots: Iterable[str], start: date, end: date
) -> set[str]:
    """`subtree_members` of several roots at once (a plan's territory after a reform is the
    old province and the new communes that descend from it): every unit that on some day
    of [start, end] reaches one of the roots."""
    return set(subtree_intervals(links, roots, start, end))
