"""Reads that feed the indicator engine.

`IndicatorInputs` loads each kind of input once per request (units, parent links, the values
of one data element, the models) and answers every indicator and year from memory, so a plan
page costs a handful of queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from benvung.datavalues.models import DataElement, DataValue
from benvung.indicators.domain.ct07 import LinkSums
from benvung.indicators.domain.hierarchy import ParentLink as Link
from benvung.indicators.domain.hierarchy import (
    is_active,
    subtree_intervals,
    year_window,
)
from benvung.orgunits.domain import AreaRoot, territory_after
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.plans.models import FormulaKind, Plan
from benvung.reporting.selectors import approved_values
from benvung.scpmodels.models import ScpModel

# The beginning of every unit's history, for walks over all time.
_EVER = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    type: str
    sector: str
    valid_from: dt.date
    valid_to: dt.date | None
    id: int


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
        # CT07 sums by output element: (last year read, {consumption: {sector: {year: sums}}}).
        self._sums_cache: dict[str, tuple[int, dict[str, dict[str, dict[int, LinkSums]]]]] = {}
        # The last year a caller will ask for (`reach`): reads that span years go that far
        # at once instead of once per year of a series.
        self.last_year = 0
        # Base-year values by indicator id, filled by the engine (`services._base_value`).
        self.base_values: dict[int, Decimal | None] = {}

    @cached_property
    def units(self) -> dict[str, UnitRow]:
        """Every unit by code (one query)."""
        rows = OrgUnit.objects.values_list(
            "code", "name", "type", "sector", "valid_from", "valid_to", "pk"
        )
        return {r[0]: UnitRow(*r) for r in rows}

    @cached_property
    def links(self) -> list[Link]:
        """Every dated parent link (one query; codes from `units`, read anyway)."""
        code_of = {unit.id: code for code, unit in self.units.items()}
        rows = ParentLink.objects.values_list("unit_id", "parent_id", "valid_from", "valid_to")
        return [
            Link(child=code_of[c], parent=code_of[p], valid_from=f, valid_to=t)
            for c, p, f, t in rows
        ]

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

        all_communes = {unit.code for unit in self._units_of(["XA"], None)}
        communes = all_communes.intersection(self._root_spans)
        steps = commune_steps(all_communes)
        after = territory_after(communes, steps) - communes
        return [AreaRoot(code, Decimal(1)) for code in sorted({self.root.code} | after)]

    def scope(self, year: int) -> frozenset[str] | None:
        """Codes of the units in the territory's subtrees during the year (None = no
        restriction)."""
        if self.root is None and self.area is None:
            return None
        if year not in self._scope_cache:
            self._scope_cache.update(self._scopes_around(year))
        return self._scope_cache[year]

    def _scopes_around(self, year: int) -> dict[int, frozenset[str]]:
        """The scopes of the plan's years (and of `year`) in one pass over the spans: a page
        asks for every year of a series, and a national territory has 100,000 units."""
        first = min(year, self.plan.base_year, self.plan.start_year)
        last = max(year, self.plan.end_year)
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
        roots = [root.code for root in self.territory]
        if self.area is not None or self.root is None:
            return subtree_intervals(self.links, roots, _EVER, dt.date.max)
        # The root's own walk (made for the territory) plus the subtrees of the communes that
        # descend from it after a reform: one walk of the country, not two.
        spans = {code: list(found) for code, found in self._root_spans.items()}
        extra = [code for code in roots if code != self.root.code]
        for code, found in subtree_intervals(self.links, extra, _EVER, dt.date.max).items():
            spans.setdefault(code, []).extend(found)
        return spans

    @cached_property
    def _root_spans(self) -> dict[str, list[tuple[dt.date, dt.date]]]:
        """Every unit ever under the root, with the days on which it is."""
        roots = [] if self.root is None else [self.root.code]
        return subtree_intervals(self.links, roots, _EVER, dt.date.max)

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
        return _by_kind(self.units.values())

    @cached_property
    def _members_by_kind(self) -> dict[tuple[str, str], list[UnitRow]]:
        """`_units_by_kind` of the units ever in the territory: a province's question does not
        go through the whole country's enterprises."""
        members = self._members
        if members is None:
            return self._units_by_kind
        return _by_kind(self.units[code] for code in members if code in self.units)

    def _units_of(
        self, types: Sequence[str], sector: str | None, *, in_territory: bool = False
    ) -> list[UnitRow]:
        kinds = self._members_by_kind if in_territory else self._units_by_kind
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
        year (a definition that held only part of the year counts the units of that part)."""
        scope = self.scope(year)
        return sorted(
            u.code
            for u in self._units_of(types, sector, in_territory=True)
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

    def reach(self, year: int) -> None:
        """Say that the years up to `year` will be asked for (a series is being drawn)."""
        self.last_year = max(self.last_year, year)

    def intensity_sums(
        self, *, consumption: str, output: str, sector: str, last_year: int
    ) -> dict[int, LinkSums] | None:
        """CT07's link sums of a sector's enterprises from the base year to `last_year`, added
        up by PostgreSQL (`ct07.chain_from_sums` turns them into the index); None on a
        database without exact decimal arithmetic (SQLite), where the caller reads the
        enterprises' records instead.

        One query per (consumption element, output element) serves every sector: the
        enterprises' values are joined with their previous year in the database, restricted
        to the years each enterprise was active and in scope, exactly as the records are."""
        if connection.vendor != "postgresql":
            return None
        known = self._sums_cache.get(output)
        if known is None or known[0] < last_year or consumption not in known[1]:
            # A second, later year is a series that did not say how far it goes: read to the
            # plan's end at once.
            last = max(last_year, self.last_year)
            if known is not None:
                last = max(last, self.plan.end_year)
            consumptions = self._consumptions_of(output, consumption)
            known = (last, self._link_sums(consumptions, output, last))
            self._sums_cache[output] = known
        return known[1].get(consumption, {}).get(sector, {})

    def _consumptions_of(self, output: str, consumption: str) -> list[str]:
        """The consumption elements that the plan's CT07 indicators pair with `output`."""
        found = {consumption}
        for parameters in self.plan.indicators.filter(
            formula=FormulaKind.INTENSITY_INDEX
        ).values_list("parameters", flat=True):
            if parameters.get("output_element") == output:
                found.add(parameters.get("consumption_element"))
        return sorted(code for code in found if code)

    def _link_sums(
        self, consumptions: list[str], output: str, last_year: int
    ) -> dict[str, dict[str, dict[int, LinkSums]]]:
        first = self.plan.base_year
        ids = dict(
            DataElement.objects.filter(code__in=[*consumptions, output]).values_list("code", "pk")
        )
        # Every consumption asked for is answered, if only with no link, so that it is not
        # asked for again.
        sums: dict[str, dict[str, dict[int, LinkSums]]] = {code: {} for code in consumptions}
        if output not in ids:
            return sums
        values = DataValue.objects.filter(
            data_element_id__in=list(ids.values()), year__gte=first, year__lte=last_year
        )
        if self.approved_only:
            values = approved_values(values)
        values_sql, values_params = values.values_list(
            "org_unit_id", "year", "data_element_id", "canonical_value"
        ).query.sql_with_params()
        units, lows, highs = self._enterprise_years(first, last_year)
        elements = [ids[code] for code in consumptions if code in ids]
        # One row per enterprise and year with the output and each consumption (a pivot, so
        # that the values are read once), then for each consumption the previous year that
        # qualified (LAG within the rows that qualify), then the sums by sector and year.
        # ROUND(…, 30) gives the product 30 decimals, so that PostgreSQL divides to at least
        # 30 decimals: each term is then closer to exact than Python's 28 significant digits.
        pivot = ", ".join(
            f"MAX(v.amount) FILTER (WHERE v.element_id = {pk}) AS c{n}"
            for n, pk in enumerate(elements)
        )
        flags = ", ".join(
            f"COALESCE(c{n} IS NOT NULL AND q > 0, false) AS ok{n}" for n in range(len(elements))
        )
        lags = ", ".join(
            f"LAG(year) OVER w{n} AS y{n}, LAG(c{n}) OVER w{n} AS pc{n}, LAG(q) OVER w{n} AS pq{n}"
            for n in range(len(elements))
        )
        windows = ", ".join(
            f"w{n} AS (PARTITION BY unit_id, COALESCE(c{n} IS NOT NULL AND q > 0, false) "
            "ORDER BY year)"
            for n in range(len(elements))
        )
        sums_sql = ", ".join(
            f"COUNT(*) FILTER (WHERE ok{n} AND y{n} = year - 1), "
            f"SUM(c{n}) FILTER (WHERE ok{n} AND y{n} = year - 1), "
            f"SUM(ROUND(pc{n} * q, 30) / pq{n}) FILTER (WHERE ok{n} AND y{n} = year - 1)"
            for n in range(len(elements))
        )
        sql = f"""
            WITH s AS (
                SELECT * FROM unnest(%s::bigint[], %s::int[], %s::int[]) AS s(unit_id, lo, hi)
            ),
            vals (unit_id, year, element_id, amount) AS ({values_sql}),
            p AS (
                SELECT v.unit_id, v.year,
                       MAX(v.amount) FILTER (WHERE v.element_id = %s) AS q, {pivot}
                FROM vals v JOIN s ON s.unit_id = v.unit_id AND v.year BETWEEN s.lo AND s.hi
                GROUP BY v.unit_id, v.year
            ),
            w AS (SELECT p.*, {flags}, {lags} FROM p WINDOW {windows})
            SELECT u.sector, w.year, {sums_sql}
            FROM w JOIN {OrgUnit._meta.db_table} u ON u.id = w.unit_id
            GROUP BY u.sector, w.year
        """  # noqa: S608 - inserted: Django's own SQL, element ids, a table name
        params = [units, lows, highs, *values_params, ids[output]]
        codes = [code for code in consumptions if code in ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for sector, year, *figures in cursor.fetchall():
                for n, code in enumerate(codes):
                    count, actual, expected = figures[3 * n : 3 * n + 3]
                    if count:
                        sums[code].setdefault(sector, {})[year] = LinkSums(
                            enterprises=count, actual=actual, expected=expected
                        )
        return sums

    def _enterprise_years(self, first: int, last: int) -> tuple[list[int], list[int], list[int]]:
        """The enterprises as (id, first year, last year) runs of the years in [first, last]
        in which each was active and in scope (parallel lists, for unnest)."""
        years: dict[str, list[int]] = defaultdict(list)
        for year in range(first, last + 1):
            for code in self.active_units(types=["DOANH_NGHIEP"], year=year):
                years[code].append(year)
        units: list[int] = []
        lows: list[int] = []
        highs: list[int] = []
        for code, active in years.items():
            unit_id = self.units[code].id
            low = high = active[0]
            for year in active[1:]:
                if year != high + 1:
                    units.append(unit_id)
                    lows.append(low)
                    highs.append(high)
                    low = year
                high = year
            units.append(unit_id)
            lows.append(low)
            highs.append(high)
        return units, lows, highs

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


def _by_kind(units: Iterable[UnitRow]) -> dict[tuple[str, str], list[UnitRow]]:
    kinds: dict[tuple[str, str], list[UnitRow]] = defaultdict(list)
    for unit in units:
        kinds[(unit.type, unit.sector)].append(unit)
    return dict(kinds)


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
