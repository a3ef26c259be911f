"""Comparable series across the 2025 reform: a plan's indicators over one area, 2021–2030.

The area of a former district is the district until the reform and the communes that descend
from its communes after it; the area of a new commune reaches back through its predecessors.
Where a unit belongs to the area only in part (a split), counts use the whole unit and sums
of additive quantities use share × value: those values are marked as estimates. The rules are
in `orgunits.domain` (plain Python); this module loads the inputs and calls the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from benvung.datavalues.models import DataElement
from benvung.indicators.domain.hierarchy import is_active, year_window
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import evaluate, indicator_versions, plan_indicators
from benvung.orgunits.domain import AreaRoot, apportion, area_of_former, area_of_successor
from benvung.orgunits.models import OrgUnit, ParentLink, UnitType
from benvung.orgunits.reform import commune_steps
from benvung.plans.models import Plan

# Additive quantities reported by the area units themselves, shown apportioned.
AREA_ELEMENTS = ("TT_SU_KIEN", "TT_NGUOI")


@dataclass(frozen=True)
class SeriesCell:
    year: int
    value: Decimal | None
    estimated: bool


@dataclass(frozen=True)
class SeriesRow:
    code: str
    name: str
    unit: str
    cells: list[SeriesCell]
    break_year: int | None = None
    break_note: str = ""


@dataclass(frozen=True)
class AreaSeries:
    unit: OrgUnit
    roots: list[AreaRoot]
    years: list[int]
    indicators: list[SeriesRow]
    elements: list[SeriesRow]


def area_roots(unit: OrgUnit) -> list[AreaRoot]:
    """The roots of the unit's comparable area (see the module docstring)."""
    steps = commune_steps(
        set(OrgUnit.objects.filter(type=UnitType.XA).values_list("code", flat=True))
    )
    if unit.type == UnitType.HUYEN:
        communes = set(
            ParentLink.objects.filter(parent=unit, unit__type=UnitType.XA).values_list(
                "unit__code", flat=True
            )
        )
        return [AreaRoot(unit.code, Decimal(1)), *area_of_former(communes, steps)]
    return area_of_successor(unit.code, steps)


def area_series(*, unit: OrgUnit, plan: Plan, years: list[int]) -> AreaSeries:
    """Every quantitative indicator of the plan, and the area units' additive elements, over
    the unit's comparable area for each year, with estimates marked."""
    roots = area_roots(unit)
    inputs = IndicatorInputs(plan=plan, area=roots)
    validity = {code: (u.valid_from, u.valid_to) for code, u in inputs.units.items()}

    def estimated(year: int) -> bool:
        start, end = year_window(year)
        return any(
            root.estimated and is_active(*validity[root.code], start, end)
            for root in roots
            if root.code in validity
        )

    rows = []
    for indicator in plan_indicators(plan):
        if indicator.is_qualitative:
            continue
        versions = indicator_versions(indicator)
        first_break = next((v for v in versions if v.valid_from is not None), None)
        rows.append(
            SeriesRow(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                cells=[
                    SeriesCell(y, evaluate(inputs, indicator, y).value, estimated(y)) for y in years
                ],
                break_year=first_break.valid_from.year
                if first_break and first_break.valid_from
                else None,
                break_note=first_break.note if first_break else "",
            )
        )
    weights = {root.code: root.weight for root in roots}
    names = dict(DataElement.objects.filter(code__in=AREA_ELEMENTS).values_list("code", "name"))
    element_rows = []
    for code in AREA_ELEMENTS:
        values = inputs.element_values(code)
        cells = []
        for year in years:
            reported = {
                unit_code: by_year[year]
                for unit_code, by_year in values.items()
                if year in by_year and unit_code in weights
            }
            total, apportioned = apportion(reported, weights)
            cells.append(SeriesCell(year, total, apportioned))
        element_rows.append(SeriesRow(code=code, name=names.get(code, code), unit="", cells=cells))
    return AreaSeries(unit=unit, roots=roots, years=years, indicators=rows, elements=element_rows)


def series_years(plan: Plan, today: dt.date) -> list[int]:
    """The plan's years from its start to the current year (at most its end)."""
    return list(range(plan.start_year, min(plan.end_year, max(today.year, plan.start_year)) + 1))
