"""The unit hierarchy as the indicator engine reads it, kept by each process between requests.

Values change all day near a deadline; units, parent links and successions change a few
times a year. Reading a national hierarchy (100,000 units and their links) and walking it
for a territory (the dated subtree, the scope of every plan year, the active units of each
kind) costs seconds, and it gave the same answer on every request. So each process keeps
that work for the hierarchy's current token (`orgunits.HierarchyState`), which database
triggers change on every write to units, parent links or successions, in any process and by
any path, bulk imports and hand-written SQL included. Values are not kept here; answers
computed from them are, each with the write counts of the values it read (`changes`), and
used only while those counts stand, so a value stored is in the next answer.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from benvung.core.sql import array_literal
from benvung.indicators.changes import Stamps
from benvung.indicators.domain.hierarchy import ParentLink as Link
from benvung.indicators.domain.hierarchy import (
    district_of,
    is_active,
    parents_at_start,
    subtree_intervals,
    year_window,
)
from benvung.orgunits.domain import AreaRoot, territory_after
from benvung.orgunits.models import HierarchyState, OrgUnit, ParentLink
from benvung.orgunits.selectors import UnitSummary

# The beginning of every unit's history, for walks over all time.
_EVER = dt.date(1900, 1, 1)
# Territories kept per hierarchy: the plan's own, a few provinces or districts looked at.
_MAX_TERRITORIES = 32
# Answers kept per territory.
_MAX_KEPT = 5000


@dataclass(frozen=True)
class UnitRow(UnitSummary):
    """A unit as the engine keeps it: what the tree shows, and its id for queries."""

    id: int


# Enterprise runs as PostgreSQL array literals: ids, first years, last years, sectors.
Runs = tuple[str, str, str, str]

_lock = threading.Lock()
_current: Hierarchy | None = None


def current() -> Hierarchy:
    """The hierarchy as of now: the one this process keeps if its token is still the
    database's, else a new one (read lazily). One query."""
    token = HierarchyState.objects.filter(pk=1).values_list("token", flat=True).first()
    with _lock:
        kept = _current
        if kept is None or kept.token != token:
            # The token is read before the rows, so rows written after it can only make the
            # kept hierarchy newer than its token, never older: the next request then sees
            # another token and reads again.
            kept = Hierarchy(token)
            _replace(kept)
        elif not _frozen and kept._territories:
            _freeze()
        return kept


def forget() -> None:
    """Drop the kept hierarchy (tests that compare a cold and a warm read)."""
    with _lock:
        _replace(None)


# Python's full garbage collections walk every object the process holds: with a national
# hierarchy kept (millions of objects), each took about 0.17 s, every few requests. Once a
# hierarchy has been walked, the objects then alive are moved out of the collector's sight
# (`gc.freeze`); they are given back to it when the hierarchy is replaced, so that the old
# one can be freed.
_frozen = False


def _freeze() -> None:
    global _frozen
    gc.freeze()
    _frozen = True


def _replace(hierarchy: Hierarchy | None) -> None:
    global _current, _frozen
    if _frozen:
        gc.unfreeze()
        _frozen = False
    _current = hierarchy


class Hierarchy:
    """Every unit and dated parent link, and the territories walked from them."""

    def __init__(self, token: int | None) -> None:
        self.token = token
        self._territories: dict[tuple[str | None, int, int], Territory] = {}
        self._parents: dict[int, dict[str, str]] = {}

    @cached_property
    def units(self) -> dict[str, UnitRow]:
        """Every unit by code (one query)."""
        rows = OrgUnit.objects.values_list(
            "code", "name", "type", "sector", "valid_from", "valid_to", "pk"
        )
        return {r[0]: UnitRow(*r) for r in rows}

    @cached_property
    def code_of(self) -> dict[int, str]:
        """Unit codes by id."""
        return {unit.id: code for code, unit in self.units.items()}

    @cached_property
    def links(self) -> list[Link]:
        """Every dated parent link (one query; codes from `units`, read anyway)."""
        code_of = self.code_of
        rows = ParentLink.objects.values_list("unit_id", "parent_id", "valid_from", "valid_to")
        return [
            Link(child=code_of[c], parent=code_of[p], valid_from=f, valid_to=t)
            for c, p, f, t in rows
        ]

    @cached_property
    def units_by_kind(self) -> dict[tuple[str, str], list[UnitRow]]:
        """The units by (type, sector), so that a question about enterprises of one sector
        does not go through every unit."""
        return by_kind(self.units.values())

    def territory(
        self, root: str | None, years: tuple[int, int], area: Sequence[AreaRoot] | None = None
    ) -> Territory:
        """The territory of a root (None: the whole hierarchy) over the plan's years, kept;
        or of an `area`, walked afresh (a comparable series asks for it once)."""
        if area is not None:
            return Territory(self, root=None, area=area, years=years)
        key = (root, *years)
        # Threads of one process (the embedded server) share the kept territories.
        with _lock:
            found = self._territories.get(key)
            if found is None:
                found = Territory(self, root=root, area=None, years=years)
                if len(self._territories) >= _MAX_TERRITORIES:
                    self._territories.pop(next(iter(self._territories)))
                self._territories[key] = found
        return found

    @cached_property
    def unit_types(self) -> dict[str, str]:
        """Each unit's type by code."""
        return {code: unit.type for code, unit in self.units.items()}

    def parent_map(self, year: int) -> dict[str, str]:
        """Each unit's parent at the start of the year (or when it entered the year)."""
        if year not in self._parents:
            self._parents[year] = parents_at_start(self.links, year)
        return self._parents[year]

    def district_of(self, code: str, year: int) -> str | None:
        """The district-level (HUYEN) ancestor of a unit at the start of the year."""
        return district_of(code, self.parent_map(year), self.unit_types)


class Territory:
    """The units of a root's subtree (or an area's) over time: who is in scope in each year
    and which are active, answered from memory."""

    def __init__(
        self,
        hierarchy: Hierarchy,
        *,
        root: str | None,
        area: Sequence[AreaRoot] | None,
        years: tuple[int, int],
    ) -> None:
        self.hierarchy = hierarchy
        self.root = root
        self.area = area
        self.years = years
        self._scopes: dict[int, frozenset[str]] = {}
        self._active: dict[tuple[tuple[str, ...], dt.date, dt.date, int, str | None], list[str]]
        self._active = {}
        self._runs: dict[tuple[int, int, frozenset[str] | None], tuple[Runs, int]] = {}
        self._run_lists: dict[tuple[int, int], list[tuple[int, int, int, str]]] = {}
        # Answers computed over the territory, with the elements they read and those
        # elements' write stamps (`selectors.IndicatorInputs.kept`).
        self.kept: dict[Any, tuple[tuple[int, ...], Stamps, Any]] = {}

    def keep(self, key: Any, elements: tuple[int, ...], stamps: Stamps, answer: Any) -> None:
        """Keep an answer with the elements it read and their stamps; past `_MAX_KEPT`
        answers (indicators × years × definitions seen), the older ones are dropped."""
        if len(self.kept) >= _MAX_KEPT:
            self.kept.clear()
        self.kept[key] = (elements, stamps, answer)

    @property
    def restricted(self) -> bool:
        """Whether the territory is less than the whole hierarchy."""
        return self.root is not None or self.area is not None

    @cached_property
    def roots(self) -> list[AreaRoot]:
        """The roots whose subtrees make up the territory: the `area` when given; else the
        root and, after a reform, the communes that descend from the communes ever under it
        (docs/reform.md: a plan covers its issuing province as it was)."""
        if self.area is not None:
            return list(self.area)
        if self.root is None:
            return []
        from benvung.orgunits.reform import commune_steps

        all_communes = {unit.code for unit in self._units_of(["XA"], None)}
        communes = all_communes.intersection(self._root_spans)
        steps = commune_steps(all_communes)
        after = territory_after(communes, steps) - communes
        return [AreaRoot(code, Decimal(1)) for code in sorted({self.root} | after)]

    def scope(self, year: int) -> frozenset[str] | None:
        """Codes of the units in the territory's subtrees during the year (None = no
        restriction)."""
        if not self.restricted:
            return None
        if year not in self._scopes:
            self._scopes.update(self._scopes_around(year))
        return self._scopes[year]

    def _scopes_around(self, year: int) -> dict[int, frozenset[str]]:
        """The scopes of the plan's years (and of `year`) in one pass over the spans: a page
        asks for every year of a series, and a national territory has 100,000 units."""
        first, last = min(year, self.years[0]), max(year, self.years[1])
        members: dict[int, set[str]] = {y: set() for y in range(first, last + 1)}
        for code, spans in self._spans.items():
            for low, high in spans:
                for y in range(max(low.year, first), min(high.year, last) + 1):
                    members[y].add(code)
        return {y: frozenset(codes) for y, codes in members.items()}

    @cached_property
    def _spans(self) -> dict[str, list[tuple[dt.date, dt.date]]]:
        """The days on which each unit is in the territory's subtrees, walked once for every
        year (`subtree_intervals`): a unit is in scope in a year its spans touch."""
        roots = [root.code for root in self.roots]
        links = self.hierarchy.links
        if self.area is not None or self.root is None:
            return subtree_intervals(links, roots, _EVER, dt.date.max)
        # The root's own walk (made for the territory) plus the subtrees of the communes that
        # descend from it after a reform: one walk of the country, not two.
        spans = {code: list(found) for code, found in self._root_spans.items()}
        extra = [code for code in roots if code != self.root]
        for code, found in subtree_intervals(links, extra, _EVER, dt.date.max).items():
            spans.setdefault(code, []).extend(found)
        return spans

    @cached_property
    def _root_spans(self) -> dict[str, list[tuple[dt.date, dt.date]]]:
        """Every unit ever under the root, with the days on which it is."""
        roots = [] if self.root is None else [self.root]
        return subtree_intervals(self.hierarchy.links, roots, _EVER, dt.date.max)

    @cached_property
    def members(self) -> frozenset[str] | None:
        """Codes of the units ever in the territory (None: no territory, every unit)."""
        if not self.restricted:
            return None
        return frozenset(self._spans)

    @cached_property
    def member_ids_literal(self) -> str:
        """The ids of the units ever in the territory as an array literal ("{}" when the
        territory is the whole hierarchy: the caller does not filter then)."""
        units = self.hierarchy.units
        return array_literal(units[code].id for code in sorted(self.members or ()) if code in units)

    @cached_property
    def _members_by_kind(self) -> dict[tuple[str, str], list[UnitRow]]:
        """`units_by_kind` of the units ever in the territory: a province's question does not
        go through the whole country's enterprises."""
        members = self.members
        units = self.hierarchy.units
        if members is None:
            return self.hierarchy.units_by_kind
        return by_kind(units[code] for code in members if code in units)

    def _units_of(
        self, types: Sequence[str], sector: str | None, *, in_territory: bool = False
    ) -> list[UnitRow]:
        kinds = self._members_by_kind if in_territory else self.hierarchy.units_by_kind
        return [
            unit
            for (unit_type, unit_sector), units in kinds.items()
            if unit_type in types and (sector is None or unit_sector == sector)
            for unit in units
        ]

    def active_units_between(
        self,
        *,
        types: Sequence[str],
        start: dt.date,
        end: dt.date,
        year: int,
        sector: str | None = None,
    ) -> list[str]:
        """Codes of the units of the given types active in [start, end] and in scope in the
        year (a definition that held only part of the year counts the units of that part),
        sorted; the list is kept, so callers must not change it."""
        key = (tuple(types), start, end, year, sector)
        found = self._active.get(key)
        if found is None:
            scope = self.scope(year)
            found = sorted(
                u.code
                for u in self._units_of(types, sector, in_territory=True)
                if is_active(u.valid_from, u.valid_to, start, end)
                and (scope is None or u.code in scope)
            )
            self._active[key] = found
        return found

    def in_scope(self, code: str, year: int) -> bool:
        """Whether the unit is in the territory during the year."""
        scope = self.scope(year)
        return scope is None or code in scope

    def enterprise_runs(self, first: int, last: int, sectors: frozenset[str] | None = None) -> Runs:
        """The enterprises (of the given sectors, else all) as (id, first year, last year,
        sector) runs of the years in [first, last] in which each was active and in scope, as
        four parallel array literals for `unnest` (kept as text: quoting 90,000 numbers for
        each query costs more than the query's own reading of them)."""
        return self._kept_runs(first, last, sectors)[0]

    def run_count(self, first: int, last: int, sectors: frozenset[str] | None = None) -> int:
        """How many runs `enterprise_runs` gives for the same arguments."""
        return self._kept_runs(first, last, sectors)[1]

    def _kept_runs(self, first: int, last: int, sectors: frozenset[str] | None) -> tuple[Runs, int]:
        key = (first, last, sectors)
        if key not in self._runs:
            rows = [r for r in self.run_rows(first, last) if sectors is None or r[3] in sectors]
            runs = (
                array_literal(r[0] for r in rows),
                array_literal(r[1] for r in rows),
                array_literal(r[2] for r in rows),
                # Sector codes are letters and underscores (`Sector`); quoted, "" stays a value.
                array_literal(f'"{r[3]}"' for r in rows),
            )
            self._runs[key] = (runs, len(rows))
        return self._runs[key]

    def run_sectors(self, first: int, last: int) -> list[str]:
        """The sectors of the enterprises with a run in [first, last]."""
        return sorted({r[3] for r in self.run_rows(first, last)})

    def run_rows(self, first: int, last: int) -> list[tuple[int, int, int, str]]:
        """The enterprises' runs in [first, last] as (id, first year, last year, sector)."""
        if (first, last) not in self._run_lists:
            self._run_lists[(first, last)] = self._enterprise_runs(first, last)
        return self._run_lists[(first, last)]

    def _enterprise_runs(self, first: int, last: int) -> list[tuple[int, int, int, str]]:
        years: dict[str, list[int]] = defaultdict(list)
        for year in range(first, last + 1):
            start, end = year_window(year)
            for code in self.active_units_between(
                types=("DOANH_NGHIEP",), start=start, end=end, year=year
            ):
                years[code].append(year)
        runs: list[tuple[int, int, int, str]] = []
        for code, active in years.items():
            unit = self.hierarchy.units[code]
            # Consecutive years make one run; a gap starts the next.
            starts = [y for n, y in enumerate(active) if n == 0 or active[n - 1] != y - 1]
            ends = [
                y for n, y in enumerate(active) if n == len(active) - 1 or active[n + 1] != y + 1
            ]
            runs.extend(
                (unit.id, low, high, unit.sector) for low, high in zip(starts, ends, strict=True)
            )
        return runs


def by_kind(units: Iterable[UnitRow]) -> dict[tuple[str, str], list[UnitRow]]:
    """The units grouped by (type, sector)."""
    kinds: dict[tuple[str, str], list[UnitRow]] = defaultdict(list)
    for unit in units:
        kinds[(unit.type, unit.sector)].append(unit)
    return dict(kinds)
