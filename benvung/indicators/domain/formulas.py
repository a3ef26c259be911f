"""The simple indicator formulas: shares of units (CT01, CT03, CT04), counts of models (CT02,
CT08) and sums over units (CT09).

Callers pass unit codes already filtered to the units that are active in the year and in the
subtree being reported on; these functions only do the counting, and keep the lists of units
behind each number so that a screen can show which units are missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "CountResult",
    "ShareResult",
    "SumResult",
    "boolean_share",
    "count_items",
    "coverage_share",
    "sum_values",
]

_HUNDRED = Decimal(100)
_ONE = Decimal(1)


@dataclass(frozen=True)
class ShareResult:
    """A percentage of units meeting a condition, with the units on each side.

    `value` is 100 × numerator / denominator, unrounded, and None when no unit is active
    (the spec: a percentage with a denominator of 0 has no data). `counted` are the units
    meeting the condition and `missing` the active units that do not, both sorted; `silent`
    are those of `missing` that reported nothing at all (Chưa báo cáo rather than Chưa đạt).
    """

    value: Decimal | None
    numerator: int
    denominator: int
    counted: tuple[str, ...]
    missing: tuple[str, ...]
    silent: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountResult:
    """A number of items (model codes) and the items counted, sorted."""

    value: Decimal
    items: tuple[str, ...]


@dataclass(frozen=True)
class SumResult:
    """A sum over active units, with the units that reported and those that did not.

    `value` is None only when there is no active unit at all; active units that did not
    report add nothing but are listed in `missing`.
    """

    value: Decimal | None
    reported: tuple[str, ...]
    missing: tuple[str, ...]


def _share(active: set[str], counted: set[str], reported: Iterable[str]) -> ShareResult:
    """The ShareResult of `counted` among `active` (counted must be a subset of active), the
    units outside `reported` being the silent ones."""
    denominator = len(active)
    numerator = len(counted)
    value = _HUNDRED * numerator / denominator if denominator else None
    return ShareResult(
        value=value,
        numerator=numerator,
        denominator=denominator,
        counted=tuple(sorted(counted)),
        missing=tuple(sorted(active - counted)),
        silent=tuple(sorted(active.difference(reported))),
    )


def coverage_share(active_units: Iterable[str], totals: Mapping[str, Decimal]) -> ShareResult:
    """CT01 / CT03: the percentage of active units whose cumulative total is at least 1.

    `totals` maps a unit code to its total over the years s..y (the caller sums them, since
    it knows the period), for the units that reported in those years. A unit without a
    total counts as 0 and is silent; totals of units that are not active are ignored,
    because a unit that has closed no longer belongs to the denominator.
    """
    active = set(active_units)
    counted = {code for code in active if totals.get(code, Decimal(0)) >= _ONE}
    return _share(active, counted, totals)


def boolean_share(active_units: Iterable[str], flags: Mapping[str, bool]) -> ShareResult:
    """CT04: the percentage of active units whose flag for the year is True.

    A unit without a report counts as False (the spec), so silence never improves the share;
    it is silent.
    """
    active = set(active_units)
    counted = {code for code in active if flags.get(code, False)}
    return _share(active, counted, flags)


def count_items(items: Iterable[str]) -> CountResult:
    """CT02 / CT08: the number of distinct model codes.

    Duplicates are counted once so that a model reached through two paths (e.g. a unit that
    moved between subtrees during the year) is not counted twice.
    """
    distinct = tuple(sorted(set(items)))
    return CountResult(value=Decimal(len(distinct)), items=distinct)


def sum_values(active_units: Iterable[str], values: Mapping[str, Decimal]) -> SumResult:
    """CT09: the sum of the values reported by active units.

    The value is None when no active unit reported (no data, not zero products); otherwise
    it is the sum over the active units that reported, and the silent ones are listed in
    `missing`. Values of inactive units are ignored.
    """
    active = set(active_units)
    reported = sorted(code for code in active if code in values)
    missing = sorted(active.difference(reported))
    total = sum((values[code] for code in reported), Decimal(0)) if reported else None
    return SumResult(value=total, reported=tuple(reported), missing=tuple(missing))
