"""Reads that feed the indicator engine.

`IndicatorInputs` loads each kind of input once per request (units, parent links, the values
of one data element, the models) and answers every indicator and year from memory, so a plan
page costs a handful of queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from benvung.datavalues.models import DataValue
from benvung.indicators.domain.hierarchy import ParentLink as Link
from benvung.indicators.domain.hierarchy import (
    is_active,
    subtree_intervals,
    subtree_members,
    year_window,
)
from benvung.orgunits.domain import AreaRoot, territory_after
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.plans.models import Plan
from benvung.reporting.selectors import approved_values
from benvung.scpmodels.models import ScpModel


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    type: str
    sector: str
    valid_from: dt.date
    valid_to: dt.date | None


class IndicatorInputs:
    """Inputs of one plan's indicators, restricted to the subtree of `root` (the plan's
    territory when None)."""

    def __init__(
        self,
        *,
        plan: Plan,
        root: OrgUnit | None = None,
        approved_only: bool = False,
        area: Sequence[AreaRoot] | None = None,
    ) -> None:
        self.plan = plan
        # An area (a former district's territory, a new commune back in time) replaces the
        # plan's territory: its roots' subtrees make up the scope.
        self.area = area
        # Published figures use only approved reports; the working view uses every value.
        self.approved_only = approved_only
        self.root = root if root is not None else plan.scope_root
        self._scope_cache: dict[int, frozenset[str] | None] = {}
        self._values_cache: dict[str, dict[str, dict[int, Decimal]]] = {}
        self._parents_cache: dict[int, dict[str, str]] = {}
        self._active_cache: dict[tuple[tuple[str, ...], int, str | None], list[str]] = {}
        # Base-year values by indicator id, filled by the engine (`services._base_value`).
        self.base_values: dict[int, Decimal | None] = {}

    @cached_property
    def units(self) -> dict[str, UnitRow]:
        """Every unit by code (one query)."""
        rows = OrgUnit.objects.values_list(
            "code", "name", "type", "sector", "valid_from", "valid_to"
        )
        return {r[0]: UnitRow(*r) for r in rows}

    @cached_property
    def links(self) -> list[Link]:
        """Every dated parent link (one query)."""
        rows = ParentLink.objects.values_list(
            "unit__code", "parent__code", "valid_from", "valid_to"
        )
        return [Link(child=c, parent=p, valid_from=f, valid_to=t) for c, p, f, t in rows]

    @cached_property
    def territory(self) -> list[AreaRoot]:
        """The roots whose subtrees make up the territory: an `area` when given; else the root
        and, after a reform, the communes that descend from the communes ever under it
        (docs/reform.md: a plan covers its issuing province as it was)."""
        if self.area is not None:
            return list(self.area)
        if self.root is None:
            return []
        from benvung.orgunits.reform import commune_steps

        ever = subtree_members(self.links, self.root.code, dt.date(1900, 1, 1), dt.date.max)
        communes = {code for code in ever if self._type(code) == "XA"}
        steps = commune_steps({code for code, u in self.units.items() if u.type == "XA"})
        after = territory_after(communes, steps) - communes
        return [AreaRoot(code, Decimal(1)) for code in sorted({self.root.code} | after)]

    def _type(self, code: str) -> str:
        unit = self.units.get(code)
        return unit.type if unit else ""

    def scope(self, year: int) -> frozenset[str] | None:
        """Codes of the units in the territory's subtrees during the year (None = no
        restriction)."""
        if self.root is None and self.area is None:
            return None
        if year not in self._scope_cache:
            start, end = year_window(year)
            self._scope_cache[year] = frozenset(
                code
                for code, spans in self._spans.items()
                if any(first <= end and last >= start for first, last in spans)
            )
        return self._scope_cache[year]

    @cached_property
    def _spans(self) -> dict[str, list[tuple[dt.date, dt.date]]]:
        """The days on which each unit is in the territory's subtrees, walked once for every
        year (`subtree_intervals`): a unit is in scope in a year its spans touch."""
        roots = [root.code for root in self.territory]
        return subtree_intervals(self.links, roots, dt.date(1900, 1, 1), dt.date.max)

    @cached_property
    def _members(self) -> frozenset[str] | None:
        """Codes of the units ever in the territory (None: no territory, every unit)."""
        if self.root is None and self.area is None:
            return None
        return frozenset(self._spans)

    @cached_property
    def _units_by_kind(self) -> dict[tuple[str, str], list[UnitRow]]:
        """The units by (type, sector), so that a question about enterprises of one sector
        does not go through every unit."""
        kinds: dict[tuple[str, str], list[UnitRow]] = defaultdict(list)
        for unit in self.units.values():
            kinds[(unit.type, unit.sector)].append(unit)
        return dict(kinds)

    def _units_of(self, types: Sequence[str], sector: str | None) -> list[UnitRow]:
        return [
            unit
            for (unit_type, unit_sector), units in self._units_by_kind.items()
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
        year (a definition that held only part of the year counts the units of that part)."""
        scope = self.scope(year)
        return sorted(
            u.code
            for u in self._units_of(types, sector)
            if is_active(u.valid_from, u.valid_to, start, end)
            and (scope is None or u.code in scope)
        )

    def in_scope(self, code: str, year: int) -> bool:
        scope = self.scope(year)
        return scope is None or code in scope

    def active_units(self, *, types: list[str], year: int, sector: str | None = None) -> list[str]:
        """Codes of the units of the given types active in the year and in scope (cached: CT07
        asks for every year up to the one shown, for materials and for energy)."""
        key = (tuple(types), year, sector)
        if key not in self._active_cache:
            start, end = year_window(year)
            self._active_cache[key] = self.active_units_between(
                types=types, start=start, end=end, year=year, sector=sector
            )
        return list(self._active_cache[key])

    def element_values(self, element_code: str) -> dict[str, dict[int, Decimal]]:
        """{unit code: {year: canonical value}} of a yearly element (one query, cached).

        With a territory, only the units ever in it: no formula reads the others, and a
        province's page then reads its province's values, not the country's."""
        if element_code not in self._values_cache:
            by_unit: dict[str, dict[int, Decimal]] = defaultdict(dict)
            values = DataValue.objects.filter(data_element__code=element_code)
            if self.approved_only:
                values = approved_values(values)
            members = self._members
            if members is not None and len(members) <= _FILTER_LIMIT:
                values = values.filter(org_unit__code__in=sorted(members))
            rows = _raw_rows(
                values.values_list("org_unit__code", "year", "canonical_value"), keep=members
            )
            for unit, year, value in rows:
                by_unit[unit][year] = value
            self._values_cache[element_code] = dict(by_unit)
        return self._values_cache[element_code]

    @cached_property
    def models(self) -> list[tuple[str, str, str, int]]:
        """Every SCP model as (code, kind, unit code, year) (one query)."""
        return list(ScpModel.objects.values_list("code", "kind", "org_unit__code", "year"))

    def models_of_kind(self, *, kind: str, first_year: int, last_year: int) -> list[str]:
        """Codes of the models of a kind dated within the years, whose unit was in scope in
        the model's year."""
        return sorted(
            code
            for code, k, unit, year in self.models
            if k == kind and first_year <= year <= last_year and self.in_scope(unit, year)
        )

    def unit_name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit.name if unit else code

    def _parent_map(self, year: int) -> dict[str, str]:
        if year not in self._parents_cache:
            start, end = year_window(year)
            parents: dict[str, str] = {}
            # Links are loaded oldest first, so a unit moved during the year keeps the parent
            # it started the year with.
            for link in sorted(self.links, key=lambda item: item.valid_from):
                if link.valid_from <= end and (link.valid_to is None or link.valid_to >= start):
                    parents.setdefault(link.child, link.parent)
            self._parents_cache[year] = parents
        return self._parents_cache[year]

    def district_of(self, code: str, year: int) -> str | None:
        """The district-level (HUYEN) ancestor of a unit at the start of the year."""
        parents = self._parent_map(year)
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            seen.add(current)
            unit = self.units.get(current)
            if unit is not None and unit.type == "HUYEN":
                return current
            current = parents.get(current)
        return None


_SQLITE_DIGITS = Context(prec=15)
_CANONICAL_FIELD = DataValue._meta.get_field("canonical_value")
_CANONICAL_QUANTUM = Decimal(1).scaleb(-(_CANONICAL_FIELD.decimal_places or 0))
_CANONICAL_CONTEXT = Context(prec=_CANONICAL_FIELD.max_digits)


# Above this many units a territory is read whole and filtered in Python (an SQL list that
# long costs more than it saves).
_FILTER_LIMIT = 5000


def _raw_rows(
    rows: QuerySet[Any, tuple[Any, ...]], *, keep: frozenset[str] | None = None
) -> list[tuple[Any, ...]]:
    """The rows of a (unit code, year, canonical value) query, read by the database driver
    without Django's per-value converters (a national element has a million values, and the
    converters cost more than the query). The values are the Decimals Django would give:
    PostgreSQL returns them as such; SQLite keeps 15 significant digits, restored as Django's
    own decimal converter does."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched: list[tuple[Any, ...]] = cursor.fetchall()
    if keep is not None:
        fetched = [row for row in fetched if row[0] in keep]
    if connection.vendor != "sqlite":
        return fetched
    create = _SQLITE_DIGITS.create_decimal_from_float
    return [
        (
            code,
            year,
            None
            if v is None
            else create(v).quantize(_CANONICAL_QUANTUM, context=_CANONICAL_CONTEXT),
        )
        for code, year, v in fetched
    ]
