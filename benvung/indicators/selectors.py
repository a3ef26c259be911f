"""Reads that feed the indicator engine.

`IndicatorInputs` loads each kind of input once per request (units, parent links, the values
of one data element, the models) and answers every indicator and year from memory, so a plan
page costs a handful of queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from benvung.datavalues.models import DataValue
from benvung.indicators.domain.hierarchy import ParentLink as Link
from benvung.indicators.domain.hierarchy import is_active, subtree_members, year_window
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
        self, *, plan: Plan, root: OrgUnit | None = None, approved_only: bool = False
    ) -> None:
        self.plan = plan
        # Published figures use only approved reports; the working view uses every value.
        self.approved_only = approved_only
        self.root = root if root is not None else plan.scope_root
        self._scope_cache: dict[int, frozenset[str] | None] = {}
        self._values_cache: dict[str, dict[str, dict[int, Decimal]]] = {}
        self._parents_cache: dict[int, dict[str, str]] = {}
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

    def scope(self, year: int) -> frozenset[str] | None:
        """Codes of the units in the root's subtree during the year (None = no restriction)."""
        if self.root is None:
            return None
        if year not in self._scope_cache:
            start, end = year_window(year)
            self._scope_cache[year] = frozenset(
                subtree_members(self.links, self.root.code, start, end)
            )
        return self._scope_cache[year]

    def in_scope(self, code: str, year: int) -> bool:
        scope = self.scope(year)
        return scope is None or code in scope

    def active_units(self, *, types: list[str], year: int, sector: str | None = None) -> list[str]:
        """Codes of the units of the given types active in the year and in scope."""
        start, end = year_window(year)
        return sorted(
            u.code
            for u in self.units.values()
            if u.type in types
            and (sector is None or u.sector == sector)
            and is_active(u.valid_from, u.valid_to, start, end)
            and self.in_scope(u.code, year)
        )

    def element_values(self, element_code: str) -> dict[str, dict[int, Decimal]]:
        """{unit code: {year: canonical value}} of a yearly element (one query, cached)."""
        if element_code not in self._values_cache:
            by_unit: dict[str, dict[int, Decimal]] = defaultdict(dict)
            values = DataValue.objects.filter(data_element__code=element_code)
            if self.approved_only:
                values = approved_values(values)
            rows = values.values_list("org_unit__code", "year", "canonical_value")
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
