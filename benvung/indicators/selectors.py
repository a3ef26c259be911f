"""Reads that feed the indicator engine.

`IndicatorInputs` reads each kind of input once per request (the values of one data element,
CT07's sums, the models) and answers every indicator and year from memory, so a plan page
costs a handful of queries whatever the number of units. The hierarchy and the territory's
walk come from `structure`, which each process keeps while the hierarchy is unchanged; the
territory also keeps answers (`kept`) while no value they were computed from is written
(`changes`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Context, Decimal
from functools import cached_property
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from benvung.datavalues.models import DataElement, DataValue
from benvung.indicators import changes, structure, terms
from benvung.indicators.domain import ct07
from benvung.indicators.domain.ct07 import LinkSums
from benvung.indicators.domain.hierarchy import year_window
from benvung.indicators.structure import Runs, UnitRow
from benvung.orgunits.domain import AreaRoot
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Plan
from benvung.reporting.selectors import approved_values
from benvung.scpmodels.models import ScpModel

__all__ = ["IndicatorInputs", "UnitRow"]

T = TypeVar("T")


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
        self._values_cache: dict[str, dict[str, dict[int, Decimal]]] = {}
        # The hierarchy and the territory's walk are kept by the process between requests
        # while no unit, link or succession changes (`structure`); values are read afresh,
        # and answers computed from them are kept while those values are unchanged (`kept`).
        self.hierarchy = structure.current()
        self.area_view = self.hierarchy.territory(
            None if self.root is None else self.root.code,
            (min(plan.base_year, plan.start_year), plan.end_year),
            area,
        )
        # CT07 sums by output element: (last year read, {consumption: {sector: {year: sums}}}).
        self._sums_cache: dict[str, tuple[int, dict[str, dict[str, dict[int, LinkSums]]]]] = {}
        # The last year a caller will ask for (`reach`): reads that span years go that far
        # at once instead of once per year of a series.
        self.last_year = 0
        # Base-year values by indicator id, filled by the engine (`services._base_value`).
        self.base_values: dict[int, Decimal | None] = {}
        # The write stamps, read once, before the first answer that may be kept.
        self._changes: changes.Changes | None = None
        # The elements read by the answer being computed for `kept` (None: none is), and
        # whether it read something that no count covers.
        self._reads: set[int] | None = None
        self._keepable = True

    @property
    def changes(self) -> changes.Changes:
        """The write stamps as of this request's first answer that may be kept."""
        if self._changes is None:
            self._changes = changes.read()
        return self._changes

    def kept(self, key: Any, compute: Callable[[], T]) -> T:
        """The answer that the territory keeps for `key` while no value of the elements it was
        computed from has been written since, else `compute()`, kept in turn. The key says
        everything else the answer depends on (the indicator's definition, the plan, the
        year); the territory itself stands for the hierarchy. Published figures are not kept
        here: an approval changes them without writing a value."""
        if self.approved_only or self._reads is not None:
            return compute()
        found = self.area_view.kept.get(key)
        if found is not None and self.changes.of_elements(found[0]) == found[1]:
            answer: T = found[2]
            return answer
        counts = self.changes
        self._reads, self._keepable = set(), True
        try:
            answer = compute()
            elements = tuple(sorted(self._reads))
            keepable = self._keepable
        finally:
            self._reads = None
        if keepable:
            self.area_view.keep(key, elements, counts.of_elements(elements), answer)
        return answer

    def _note(self, element: int | None) -> None:
        """Record that the answer being computed reads the element's values."""
        if self._reads is not None:
            if element is None:
                # No such element yet: once created, its values would change the answer.
                self._keepable = False
            else:
                self._reads.add(element)

    def _note_unkept(self) -> None:
        """Record that the answer being computed reads something that no count covers."""
        self._keepable = False

    @property
    def units(self) -> dict[str, UnitRow]:
        """Every unit by code (kept by the process while the hierarchy is unchanged)."""
        return self.hierarchy.units

    def scope(self, year: int) -> frozenset[str] | None:
        """Codes of the units in the territory's subtrees during the year (None = no
        restriction)."""
        return self.area_view.scope(year)

    def active_units(self, *, types: list[str], year: int, sector: str | None = None) -> list[str]:
        """Codes of the units of the given types active in the year and in scope (a copy:
        the territory keeps its own)."""
        start, end = year_window(year)
        return list(
            self.area_view.active_units_between(
                types=types, start=start, end=end, year=year, sector=sector
            )
        )

    @cached_property
    def element_ids(self) -> dict[str, int]:
        """Data element ids by code (one query)."""
        return dict(DataElement.objects.values_list("code", "pk"))

    def element_values(self, element_code: str) -> dict[str, dict[int, Decimal]]:
        """{unit code: {year: canonical value}} of a yearly element (one query, cached).

        With a territory, only the units ever in it: no formula reads the others, and a
        province's page then reads its province's values, not the country's."""
        self._note(self.element_ids.get(element_code))
        if element_code not in self._values_cache:
            by_unit: dict[str, dict[int, Decimal]] = defaultdict(dict)
            # By the element's id, so that PostgreSQL reads a territory's values through the
            # (element, unit, period) key instead of every value of its units.
            values = DataValue.objects.filter(data_element_id=self.element_ids.get(element_code))
            if self.approved_only:
                values = approved_values(values)
            members = self.area_view.members
            units = self.hierarchy.units
            if members is not None and len(members) <= _FILTER_LIMIT:
                if connection.vendor == "postgresql":
                    # One array literal, kept with the territory, instead of thousands of
                    # parameters to quote and parse on every read.
                    ids: Any = RawSQL(
                        "SELECT unnest(%s::bigint[])", [self.area_view.member_ids_literal]
                    )
                else:
                    ids = sorted(units[code].id for code in members if code in units)
                values = values.filter(org_unit_id__in=ids)
            # Units by id from the kept hierarchy: no join with the units table.
            code_of = self.hierarchy.code_of
            for unit_id, year, value in _raw_rows(
                values.values_list("org_unit_id", "year", "canonical_value")
            ):
                code = code_of.get(unit_id)
                if code is not None and (members is None or code in members):
                    by_unit[code][year] = value
            self._values_cache[element_code] = dict(by_unit)
        return self._values_cache[element_code]

    def reach(self, year: int) -> None:
        """Say that the years up to `year` will be asked for (a series is being drawn)."""
        self.last_year = max(self.last_year, year)

    def intensity_sums(
        self, *, consumption: str, output: str, sector: str, last_year: int
    ) -> dict[int, LinkSums] | None:
        """CT07's link sums of a sector's enterprises from the base year to `last_year`
        (`ct07.chain_from_sums` turns them into the index); None for published figures on a
        database without exact decimal arithmetic (SQLite), where the caller reads the
        enterprises' records instead.

        One query per output element serves every sector and consumption: on PostgreSQL, the
        terms that the database keeps (`terms`; the approved values themselves for published
        figures) of the enterprises active and in scope in both years of a link, exactly as
        the records are; on SQLite, the records of the years and sectors not kept, added up
        by `ct07.link_sums` as `ct07.chain_linked_reduction` adds them."""
        if connection.vendor != "postgresql" and self.approved_only:
            return None
        self._note(self.element_ids.get(consumption))
        self._note(self.element_ids.get(output))
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
        found = {consumption} | {c for c, o in terms.plan_code_pairs(self.plan) if o == output}
        return sorted(code for code in found if code)

    def _link_sums(
        self, consumptions: list[str], output: str, last_year: int
    ) -> dict[str, dict[str, dict[int, LinkSums]]]:
        first = self.plan.base_year
        ids = {
            code: self.element_ids[code]
            for code in [*consumptions, output]
            if code in self.element_ids
        }
        # Every consumption asked for is answered, if only with no link, so that it is not
        # asked for again.
        sums: dict[str, dict[str, dict[int, LinkSums]]] = {code: {} for code in consumptions}
        if output not in ids:
            return sums
        elements = [ids[code] for code in consumptions if code in ids]
        pairs = {(element, ids[output]) for element in elements}
        # SQLite adds up the records (its published figures do not come here); PostgreSQL the
        # kept terms, which published figures cannot use.
        sqlite = connection.vendor != "postgresql"
        if sqlite or (
            not self.approved_only and (pairs <= terms.kept_pairs() or terms.register(pairs))
        ):
            rows = self._kept_link_sums(elements, ids[output], first, last_year)
        else:
            runs = self.area_view.enterprise_runs(first, last_year)
            sql, params = self._sums_of_values(elements, ids[output], runs, first, last_year)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        codes = [code for code in consumptions if code in ids]
        for sector, year, *figures in rows:
            for n, code in enumerate(codes):
                count, actual, expected = figures[3 * n : 3 * n + 3]
                if count:
                    sums[code].setdefault(sector, {})[year] = LinkSums(
                        enterprises=count, actual=actual, expected=expected
                    )
        return sums

    def _kept_link_sums(
        self, elements: list[int], output: int, first: int, last_year: int
    ) -> list[tuple[Any, ...]]:
        """The (sector, year, sums…) rows of the links of first + 1 to `last_year`, from the
        kept terms (PostgreSQL) or the records (SQLite). The territory keeps each year's rows
        of each sector while no value of the pair's elements, of that year or the year
        before, of an enterprise of that sector is written: a value stored near a deadline
        makes one sector's sums of one or two years be added up again, not the whole
        country's chain."""
        kept = self.area_view.kept
        watched = (*elements, output)
        counts = self.changes
        sectors = self.area_view.run_sectors(first, last_year)
        rows: list[tuple[Any, ...]] = []
        missing: set[tuple[int, str]] = set()
        for year in range(first + 1, last_year + 1):
            for sector in sectors:
                found = kept.get(("link sums", watched, year, sector))
                if found is not None and found[1] == counts.of_slice(
                    watched, (year - 1, year), sector
                ):
                    rows.extend(found[2])
                else:
                    missing.add((year, sector))
        if not missing:
            return rows
        # One query for the years and sectors missing (and, in the same rectangle, the few
        # slices still kept: added up again, they are as fresh as the rest).
        years = sorted({year for year, _ in missing})
        wanted = frozenset(sector for _, sector in missing)
        if connection.vendor == "postgresql":
            runs = self.area_view.enterprise_runs(first, last_year, wanted)
            if terms.fresh(years):
                by_unit = self.area_view.run_count(first, last_year, wanted) <= BY_UNIT_RUNS
                sql, params = _sums_of_terms(elements, output, runs, years, by_unit=by_unit)
            else:
                # Terms waiting for a rebuild that could not be done now: the same sums from
                # the values of those years.
                sql, params = self._sums_of_values(
                    elements, output, runs, min(years) - 1, max(years)
                )
            with transaction.atomic(), connection.cursor() as cursor:
                # A plan by unit looks dear to the planner (a probe per run), which would
                # spend longer compiling it than running it.
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(sql, params)
                fetched = cursor.fetchall()
        else:
            fetched = self._sums_of_records(elements, output, first, last_year, years, wanted)
        by_slice: dict[tuple[int, str], list[tuple[Any, ...]]] = defaultdict(list)
        for row in fetched:
            by_slice[(row[1], row[0])].append(row)
        for year in years:
            for sector in wanted:
                found_rows = by_slice[(year, sector)]
                stamps = counts.of_slice(watched, (year - 1, year), sector)
                key = ("link sums", watched, year, sector)
                self.area_view.keep(key, watched, stamps, found_rows)
                if (year, sector) in missing:
                    rows.extend(found_rows)
        return rows

    def _sums_of_records(
        self,
        elements: list[int],
        output: int,
        first: int,
        last_year: int,
        years: list[int],
        sectors: frozenset[str],
    ) -> list[tuple[Any, ...]]:
        """The rows of `_sums_of_terms` for the years and sectors, from the records of the
        enterprises active and in scope in both years of each link (SQLite's path: the same
        records and additions as `ct07.chain_linked_reduction`)."""
        # The enterprises of each link: those whose run holds both of its years.
        linked: dict[int, dict[str, list[int]]] = {t: defaultdict(list) for t in years}
        for unit_id, low, high, sector in self.area_view.run_rows(first, last_year):
            if sector in sectors:
                for t in years:
                    if low <= t - 1 and t <= high:
                        linked[t][sector].append(unit_id)
        ids = sorted({u for by_sector in linked.values() for us in by_sector.values() for u in us})
        values = DataValue.objects.filter(
            data_element_id__in=[*elements, output],
            year__in=sorted({y for t in years for y in (t - 1, t)}),
            # One parameter for thousands of ids (SQLite allows 32,766).
            org_unit_id__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]),
        )
        # Each element's values of a year by unit: a link asks four of them per enterprise.
        found: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
        for unit_id, year, element, value in _raw_rows(
            values.values_list("org_unit_id", "year", "data_element_id", "canonical_value")
        ):
            found[(element, year)][unit_id] = value
        code_of = self.hierarchy.code_of
        rows: list[tuple[Any, ...]] = []
        for t in years:
            q_prev_of, q_cur_of = found[(output, t - 1)], found[(output, t)]
            for sector, units in sorted(linked[t].items()):
                # Only an enterprise with all four figures can qualify; the others would be
                # passed over by the formula.
                with_output = [
                    (u, q_prev_of[u], q_cur_of[u])
                    for u in units
                    if u in q_prev_of and u in q_cur_of
                ]
                figures: list[Any] = []
                for element in elements:
                    c_prev_of, c_cur_of = found[(element, t - 1)], found[(element, t)]
                    records: dict[str, dict[int, ct07.EnterpriseYear]] = {
                        code_of[u]: {
                            t - 1: ct07.EnterpriseYear(consumption=c_prev_of[u], output=q_prev),
                            t: ct07.EnterpriseYear(consumption=c_cur_of[u], output=q_cur),
                        }
                        for u, q_prev, q_cur in with_output
                        if u in c_prev_of and u in c_cur_of
                    }
                    sums, _ = ct07.link_sums(records, t)
                    figures += [sums.enterprises, sums.actual, sums.expected]
                rows.append((sector, t, *figures))
        return rows

    def _sums_of_values(
        self, elements: list[int], output: int, runs: Runs, first: int, last_year: int
    ) -> tuple[str, list[Any]]:
        """CT07's link sums computed from the values (approved ones only for published
        figures): the query whose terms `terms` keeps for the working figures."""
        values = DataValue.objects.filter(
            data_element_id__in=[*elements, output], year__gte=first, year__lte=last_year
        )
        if self.approved_only:
            values = approved_values(values)
        values_sql, values_params = values.values_list(
            "org_unit_id", "year", "data_element_id", "canonical_value"
        ).query.sql_with_params()
        units, lows, highs, sectors = runs
        # One row per enterprise and year with the output and each consumption (a pivot, so
        # that the values are read once, in unit order), the row before it (one window for
        # every consumption: a link counts when that row is the year before and both
        # qualify, which is the same as the previous qualifying year being the year before,
        # since a year with no values cannot qualify), then the sums by sector and year.
        # ROUND(…, 30) gives the product 30 decimals, so that PostgreSQL divides to at least
        # 30 decimals: each term is then closer to exact than Python's 28 significant digits.
        pivot = ", ".join(
            f"MAX(v.amount) FILTER (WHERE v.element_id = {pk}) AS c{n}"
            for n, pk in enumerate(elements)
        )
        lags = ", ".join(f"LAG(c{n}) OVER w AS pc{n}" for n in range(len(elements)))
        flags = ", ".join(
            f"(py = year - 1 AND q > 0 AND pq > 0 AND c{n} IS NOT NULL AND pc{n} IS NOT NULL)"
            f" AS ok{n}"
            for n in range(len(elements))
        )
        pairs = ", ".join(f"c{n}, pc{n}" for n in range(len(elements)))
        sums_sql = ", ".join(
            f"COUNT(*) FILTER (WHERE ok{n}), SUM(c{n}) FILTER (WHERE ok{n}), "
            f"SUM(ROUND(pc{n} * q, 30) / pq) FILTER (WHERE ok{n})"
            for n in range(len(elements))
        )
        sql = f"""
            WITH s AS (
                SELECT * FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::text[])
                    AS s(unit_id, lo, hi, sector)
            ),
            vals (unit_id, year, element_id, amount) AS ({values_sql}),
            p AS (
                SELECT v.unit_id, v.year, s.sector,
                       MAX(v.amount) FILTER (WHERE v.element_id = %s) AS q, {pivot}
                FROM vals v JOIN s ON s.unit_id = v.unit_id AND v.year BETWEEN s.lo AND s.hi
                GROUP BY v.unit_id, v.year, s.sector
            ),
            w AS (
                SELECT p.*, LAG(year) OVER w AS py, LAG(q) OVER w AS pq, {lags}
                FROM p WINDOW w AS (PARTITION BY unit_id ORDER BY year)
            ),
            k AS (SELECT sector, year, q, pq, {pairs}, {flags} FROM w)
            SELECT sector, year, {sums_sql}
            FROM k
            GROUP BY sector, year
        """  # noqa: S608 - inserted: Django's own SQL, element ids
        return sql, [units, lows, highs, sectors, *values_params, output]

    @cached_property
    def models(self) -> list[tuple[str, str, str, int]]:
        """Every SCP model as (code, kind, unit code, year) (one query)."""
        return list(ScpModel.objects.values_list("code", "kind", "org_unit__code", "year"))

    def models_of_kind(self, *, kind: str, first_year: int, last_year: int) -> list[str]:
        """Codes of the models of a kind dated within the years, whose unit was in scope in
        the model's year."""
        self._note_unkept()
        return sorted(
            code
            for code, k, unit, year in self.models
            if k == kind and first_year <= year <= last_year and self.area_view.in_scope(unit, year)
        )

    def unit_name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit.name if unit else code

    def district_of(self, code: str, year: int) -> str | None:
        """The district-level (HUYEN) ancestor of a unit at the start of the year."""
        return self.hierarchy.district_of(code, year)


_SQLITE_DIGITS = Context(prec=15)
_CANONICAL_FIELD = DataValue._meta.get_field("canonical_value")
_CANONICAL_QUANTUM = Decimal(1).scaleb(-(_CANONICAL_FIELD.decimal_places or 0))
_CANONICAL_CONTEXT = Context(prec=_CANONICAL_FIELD.max_digits)


# Above this many units a territory is read whole and filtered in Python (an SQL list that
# long costs more than it saves).
_FILTER_LIMIT = 5000


def _raw_rows(rows: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a (…, canonical value) query, read by the database driver
    without Django's per-value converters (a national element has a million values, and the
    converters cost more than the query). The values are the Decimals Django would give:
    PostgreSQL returns them as such; SQLite keeps 15 significant digits, restored as Django's
    own decimal converter does."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched: list[tuple[Any, ...]] = cursor.fetchall()
    if connection.vendor != "sqlite":
        return fetched
    create = _SQLITE_DIGITS.create_decimal_from_float
    return [
        (
            *head,
            None
            if v is None
            else create(v).quantize(_CANONICAL_QUANTUM, context=_CANONICAL_CONTEXT),
        )
        for *head, v in fetched
    ]


# Up to this many runs, `_sums_of_terms` looks up each run's terms (its terms of the years
# asked, of every consumption element, lie side by side under the terms' key,
# `indicators.0006`); beyond, as after a hierarchy change (every sector's 90,000 runs of the
# national bench), it reads the years' terms of every sector once and joins them. A write
# near a deadline makes one sector's year or two be added up again: the steel sector, about
# 12,600 runs, took 80 to 120 ms run by run for one year and 100 to 130 ms for two, and 160
# to 270 ms and 290 to 350 ms reading the years' terms of every sector.
BY_UNIT_RUNS = 30_000


_ALL_UNITS = """
        FROM indicators_intensityterm t
        JOIN s ON s.unit_id = t.unit_id AND t.year - 1 >= s.lo AND t.year <= s.hi
        WHERE t.output_id = %s AND t.consumption_id = ANY(%s) AND t.year = ANY(%s)
"""
# OFFSET 0 keeps the subquery apart, so that it stays a lookup per run instead of being
# folded into the outer query. `+ 0` leaves the consumption elements and the list of years
# out of the lookup, which takes the years' range: named in it, each element and each year
# is a descent of the key of its own (PostgreSQL 15), where the run's terms lie side by side
# and one descent finds them all (national bench, two years: 88,100 pages touched → 47,800).
_BY_UNIT = """
        FROM s CROSS JOIN LATERAL (
            SELECT * FROM indicators_intensityterm t
            WHERE t.output_id = %s AND t.unit_id = s.unit_id
                AND t.year BETWEEN %s AND %s AND t.year - 1 >= s.lo AND t.year <= s.hi
                AND t.consumption_id + 0 = ANY(%s) AND t.year + 0 = ANY(%s)
            OFFSET 0
        ) t
"""


def _sums_of_terms(
    elements: list[int], output: int, runs: Runs, years: list[int], *, by_unit: bool = False
) -> tuple[str, list[Any]]:
    """CT07's link sums of the given years added up from the kept terms (`terms`): a link of
    year t counts for an enterprise active and in scope in both t − 1 and t, that is, within
    one run. `by_unit`: the terms looked up run by run (for few runs), else read for all
    units and joined."""
    units, lows, highs, sectors = runs
    sums_sql = ", ".join(
        f"COUNT(*) FILTER (WHERE t.consumption_id = {pk}), "
        f"SUM(t.actual) FILTER (WHERE t.consumption_id = {pk}), "
        f"SUM(t.expected) FILTER (WHERE t.consumption_id = {pk})"
        for pk in elements
    )
    sql = f"""
        WITH s AS (
            SELECT * FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::text[])
                AS s(unit_id, lo, hi, sector)
        )
        SELECT s.sector, t.year, {sums_sql}
        {_BY_UNIT if by_unit else _ALL_UNITS}
        GROUP BY s.sector, t.year
    """  # noqa: S608 - inserted: element ids and one of the two texts above
    if by_unit:
        return sql, [units, lows, highs, sectors, output, min(years), max(years), elements, years]
    return sql, [units, lows, highs, sectors, output, elements, years]
