"""Versions of an indicator's definition: which parameters hold on which days.

An indicator can change its definition from a date by a recorded decision (CT03's districts
become the communes of the plan's territory from 1/7/2025, when the district level was
abolished). A year that spans two definitions counts, for each, the units active while that
definition held, so that 2025 counts the districts of January–June and the new communes of
July–December. Plain Python; the versions come from `plans.IndicatorVersion`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Version", "VersionWindow", "breaks_in", "windows_in_year"]

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Version:
    """From `valid_from` on (None: the original definition), the indicator uses `parameters`."""

    valid_from: dt.date | None
    parameters: Mapping[str, Any]
    decision: str = ""
    note: str = ""


@dataclass(frozen=True)
class VersionWindow:
    """The part [start, end] of a year in which `version` held."""

    start: dt.date
    end: dt.date
    version: Version


def _ordered(base: Mapping[str, Any], versions: Iterable[Version]) -> list[Version]:
    later = sorted((v for v in versions if v.valid_from is not None), key=lambda v: v.valid_from)  # type: ignore[arg-type, return-value]
    return [Version(None, base), *later]


def windows_in_year(
    base: Mapping[str, Any], versions: Iterable[Version], year: int
) -> list[VersionWindow]:
    """The definitions that held during `year`, each with the days it held (oldest first)."""
    ordered = _ordered(base, versions)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    windows = []
    for index, version in enumerate(ordered):
        start = version.valid_from or dt.date.min
        following = ordered[index + 1].valid_from if index + 1 < len(ordered) else None
        end = following - _ONE_DAY if following is not None else dt.date.max
        if start <= last and end >= first:
            windows.append(VersionWindow(max(start, first), min(end, last), version))
    return windows


def breaks_in(versions: Iterable[Version], years: Iterable[int]) -> dict[int, Version]:
    """The years among `years` in which a new definition starts, with that version: where a
    series must be marked as broken, and why."""
    wanted = set(years)
    return {
        v.valid_from.year: v
        for v in versions
        if v.valid_from is not None and v.valid_from.year in wanted
    }
