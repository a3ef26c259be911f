"""The indicator engine: values, components and progress of a plan's indicators.

This module only wires inputs (from `selectors.IndicatorInputs`) to the plain-Python formulas
of `domain/`; every number is computed there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext

from benvung.indicators.domain import ct07, definitions, formulas, progress, projection
from benvung.indicators.domain.progress import Assessment, Milestone, Status
from benvung.indicators.selectors import IndicatorInputs
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import FormulaKind, Indicator, Plan, QualitativeAssessment

Detail = (
    formulas.ShareResult | formulas.CountResult | formulas.SumResult | ct07.IntensityResult | None
)


@dataclass(frozen=True)
class Evaluation:
    """One indicator in one year: its value, how it was made, and how it stands."""

    indicator: Indicator
    year: int
    value: Decimal | None
    detail: Detail
    milestones: tuple[Milestone, ...]
    target: Milestone | None
    expected: Decimal | None
    assessment: Assessment | None
    qualitative: QualitativeAssessment | None = None

    @property
    def status(self) -> str | None:
        if self.qualitative is not None:
            return self.qualitative.status
        if self.indicator.is_qualitative:
            return Status.CHUA_CO_DU_LIEU.value if self.target is not None else None
        return self.assessment.status.value if self.assessment else None

    @property
    def status_label(self) -> str:
        status = self.status
        if status is None:
            return gettext("Không đặt chỉ tiêu")
        try:
            return Status(status).label
        except ValueError:
            return status


def milestones_of(indicator: Indicator) -> tuple[Milestone, ...]:
    """The indicator's milestones as domain objects, sorted by year (uses prefetched rows)."""
    rows = [m for t in indicator.targets.all() for m in t.milestones.all()]
    return tuple(
        sorted(
            (Milestone(year=m.year, minimum=m.minimum, maximum=m.maximum) for m in rows),
            key=lambda m: m.year,
        )
    )


def target_for_year(milestones: Sequence[Milestone], year: int) -> Milestone | None:
    """The milestone that governs a year: the first at or after it, else the last."""
    for milestone in milestones:
        if milestone.year >= year:
            return milestone
    return milestones[-1] if milestones else None


def indicator_value(
    inputs: IndicatorInputs, indicator: Indicator, year: int
) -> tuple[Decimal | None, Detail]:
    """An indicator's value for a year, with the components behind it: the one the
    territory keeps while no value it was computed from has been written, else computed."""
    return inputs.kept(
        _value_key(inputs.plan, indicator, year),
        lambda: _computed_value(inputs, indicator, year),
    )


def _value_key(plan: Plan, indicator: Indicator, year: int) -> tuple[Any, ...]:
    """What an indicator's value depends on besides the values and the territory."""
    return (
        "value",
        plan.pk,
        plan.start_year,
        plan.base_year,
        indicator.pk,
        indicator.formula,
        json.dumps(indicator.parameters, sort_keys=True, default=str),
        tuple(repr(version) for version in indicator_versions(indicator)),
        year,
    )


def _computed_value(
    inputs: IndicatorInputs, indicator: Indicator, year: int
) -> tuple[Decimal | None, Detail]:
    plan = inputs.plan
    params: dict[str, Any] = indicator.parameters
    kind = indicator.formula
    if kind == FormulaKind.COVERAGE_CUMULATIVE:
        active = _active_units(inputs, indicator, year)
        values = inputs.element_values(params["data_element"])
        reports = {
            unit: [v for y, v in values.get(unit, {}).items() if plan.start_year <= y <= year]
            for unit in active
        }
        # Only the units that reported in s..y: the others are silent, not just short of 1.
        totals = {unit: sum(found, Decimal(0)) for unit, found in reports.items() if found}
        share = formulas.coverage_share(active, totals)
        return share.value, share
    if kind == FormulaKind.COVERAGE_BOOLEAN:
        active = _active_units(inputs, indicator, year)
        values = inputs.element_values(params["data_element"])
        flags = {
            unit: values[unit][year] != 0
            for unit in active
            if unit in values and year in values[unit]
        }
        share = formulas.boolean_share(active, flags)
        return share.value, share
    if kind == FormulaKind.MODEL_COUNT:
        codes = inputs.models_of_kind(
            kind=params["model_kind"], first_year=plan.start_year, last_year=year
        )
        count = formulas.count_items(codes)
        return count.value, count
    if kind == FormulaKind.SUM:
        active = _active_units(inputs, indicator, year)
        values = inputs.element_values(params["data_element"])
        reported = {
            unit: values[unit][year] for unit in active if unit in values and year in values[unit]
        }
        total = formulas.sum_values(active, reported)
        return total.value, total
    if kind == FormulaKind.INTENSITY_INDEX:
        sums = inputs.intensity_sums(
            consumption=params["consumption_element"],
            output=params["output_element"],
            sector=params["sector"],
            last_year=max(year, plan.base_year),
        )
        result = (
            intensity_by_records(inputs, params, year)
            if sums is None
            else ct07.chain_from_sums(sums, plan.base_year, year)
        )
        return result.value, result
    return None, None


def indicator_versions(indicator: Indicator) -> list[definitions.Version]:
    """The later definitions of the indicator (prefetched rows, else one query, kept on the
    indicator for the rest of the request)."""
    cached: list[definitions.Version] | None = indicator.__dict__.get("_definition_versions")
    if cached is None:
        cached = [
            definitions.Version(v.valid_from, v.parameters, v.decision, v.note)
            for v in indicator.versions.all()
        ]
        indicator.__dict__["_definition_versions"] = cached
    return cached


def _active_units(inputs: IndicatorInputs, indicator: Indicator, year: int) -> list[str]:
    """The units an indicator counts in a year: for each definition that held during the
    year, the units of its types active while it held (2025 counts CT03's districts of
    January–June and the new communes of July–December)."""
    windows = definitions.windows_in_year(indicator.parameters, indicator_versions(indicator), year)
    if len(windows) == 1 and windows[0].version.valid_from is None:
        return inputs.active_units(types=indicator.parameters["unit_types"], year=year)
    found: set[str] = set()
    for window in windows:
        found.update(
            inputs.area_view.active_units_between(
                types=window.version.parameters["unit_types"],
                start=window.start,
                end=window.end,
                year=year,
            )
        )
    return sorted(found)


def intensity_by_records(
    inputs: IndicatorInputs, params: dict[str, Any], year: int
) -> ct07.IntensityResult:
    """CT07 from every enterprise's records by the domain formula (SQLite's path, and the
    bench's check of PostgreSQL's sums)."""
    return ct07.chain_linked_reduction(
        _intensity_records(inputs, params, year), inputs.plan.base_year, year
    )


def _intensity_records(
    inputs: IndicatorInputs, params: dict[str, Any], year: int
) -> dict[str, dict[int, ct07.EnterpriseYear]]:
    """Each enterprise of the sector with its consumption and output, for the years in which
    it was active and in scope (an enterprise outside the subtree in a year has no data
    that year, so it cannot qualify for that year's link)."""
    consumption = inputs.element_values(params["consumption_element"])
    output = inputs.element_values(params["output_element"])
    records: dict[str, dict[int, ct07.EnterpriseYear]] = {}
    for y in range(inputs.plan.base_year, year + 1):
        for unit in inputs.active_units(types=["DOANH_NGHIEP"], year=y, sector=params["sector"]):
            c = consumption.get(unit, {}).get(y)
            q = output.get(unit, {}).get(y)
            if c is None and q is None:
                continue
            records.setdefault(unit, {})[y] = ct07.EnterpriseYear(consumption=c, output=q)
    return records


def _base_value(inputs: IndicatorInputs, indicator: Indicator) -> Decimal | None:
    """The indicator's value in the base year, computed once per request: every year of a
    series is assessed against it."""
    cache = inputs.base_values
    if indicator.pk not in cache:
        cache[indicator.pk] = indicator_value(inputs, indicator, inputs.plan.base_year)[0]
    return cache[indicator.pk]


def evaluate(inputs: IndicatorInputs, indicator: Indicator, year: int) -> Evaluation:
    """An indicator's value, target, expected value and progress status for a year."""
    plan = inputs.plan
    milestones = milestones_of(indicator)
    target = target_for_year(milestones, year)
    if indicator.is_qualitative:
        qualitative = next((a for a in indicator.assessments.all() if a.year == year), None)
        return Evaluation(
            indicator=indicator,
            year=year,
            value=None,
            detail=None,
            milestones=milestones,
            target=target,
            expected=None,
            assessment=None,
            qualitative=qualitative,
        )
    value, detail = indicator_value(inputs, indicator, year)
    with_minimum = [m for m in milestones if m.minimum is not None]
    if not with_minimum:
        return Evaluation(
            indicator=indicator,
            year=year,
            value=value,
            detail=detail,
            milestones=milestones,
            target=target,
            expected=None,
            assessment=None,
        )
    base_value = _base_value(inputs, indicator)
    assessment = progress.assess(
        value,
        year=year,
        base_year=plan.base_year,
        base_value=base_value,
        milestones=with_minimum,
    )
    return Evaluation(
        indicator=indicator,
        year=year,
        value=value,
        detail=detail,
        milestones=milestones,
        target=target,
        expected=assessment.expected,
        assessment=assessment,
    )


def plan_indicators(plan: Plan) -> list[Indicator]:
    """The plan's indicators with targets, milestones and assessments prefetched."""
    return list(
        plan.indicators.select_related("objective")
        .prefetch_related(
            "targets__milestones", "targets__serves__indicator__plan", "assessments", "versions"
        )
        .order_by("order")
    )


def plan_progress(
    *, plan: Plan, year: int, root: OrgUnit | None = None, approved_only: bool = False
) -> list[Evaluation]:
    """Every indicator of the plan evaluated for a year over the root's subtree, from every
    value or (`approved_only`) from approved reports only."""
    inputs = IndicatorInputs(plan=plan, root=root, approved_only=approved_only)
    return [evaluate(inputs, indicator, year) for indicator in plan_indicators(plan)]


def indicator_series(
    *, indicator: Indicator, years: Sequence[int], inputs: IndicatorInputs
) -> list[Evaluation]:
    """An indicator evaluated for each of the years (one set of queries for all)."""
    if years:
        inputs.reach(max(years))
    return [evaluate(inputs, indicator, year) for year in years]


def projection_to(series: Sequence[Evaluation], milestone_year: int) -> Decimal | None:
    """Weighted-trend projection of the observed values to a milestone year."""
    points = {e.year: e.value for e in series if e.value is not None}
    return projection.project(points, milestone_year)


def round2(value: Decimal | None) -> float | None:
    """A value rounded half-up to 2 decimals, as JSON wants it."""
    if value is None:
        return None
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def progress_json(*, plan: Plan, year: int, evaluations: Sequence[Evaluation]) -> dict[str, Any]:
    """The stable JSON of `benvung progress --json` and the API."""
    return {
        "plan": plan.code,
        "year": year,
        "indicators": [
            {
                "code": e.indicator.code,
                "name": e.indicator.name,
                "value": round2(e.value),
                "unit": e.indicator.unit,
                "target": (
                    {
                        "year": e.target.year,
                        "min": None if e.target.minimum is None else float(e.target.minimum),
                        "max": None if e.target.maximum is None else float(e.target.maximum),
                    }
                    if e.target is not None
                    else None
                ),
                "expected": round2(e.expected),
                "status": e.status,
            }
            for e in evaluations
        ],
    }
