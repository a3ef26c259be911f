"""The indicator page: one indicator over the years, what its value is made of, and where.

The view asks the engine (`indicators.services`) for the series and reads the components of
the selected year from the `Evaluation.detail` it returns; the drill-down by district and the
names of units come from one `IndicatorInputs`, so the page costs a fixed number of queries
whatever the number of units.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from benvung.core.templatetags.progress_tags import target_text
from benvung.indicators.charts import Marker, Series, line_chart
from benvung.indicators.domain import ct07, formulas
from benvung.indicators.domain.progress import Milestone, Status
from benvung.indicators.domain.projection import projected_status
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import Evaluation, indicator_series, projection_to
from benvung.plans.forms import PlanFilterForm
from benvung.plans.models import FormulaKind, Indicator, Plan, QualitativeAssessment
from benvung.scpmodels.models import ScpModel

SHARE_FORMULAS = frozenset({FormulaKind.COVERAGE_CUMULATIVE, FormulaKind.COVERAGE_BOOLEAN})

# The standing of one unit in a share indicator, with the word users read.
MET, NOT_MET, NO_REPORT = "dat", "chua_dat", "chua_bao_cao"
STANDING_LABELS = {MET: "Đạt", NOT_MET: "Chưa đạt", NO_REPORT: "Chưa báo cáo"}


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str


@dataclass(frozen=True)
class UnitStanding:
    code: str
    name: str
    standing: str
    value: Decimal | None = None

    @property
    def label(self) -> str:
        return _(STANDING_LABELS[self.standing])


@dataclass
class DistrictRow:
    """A district's part of a share indicator: its units, and its own share."""

    code: str | None
    name: str
    units: list[UnitStanding] = field(default_factory=list)

    def _count(self, standing: str) -> int:
        return sum(1 for u in self.units if u.standing == standing)

    @property
    def met(self) -> int:
        return self._count(MET)

    @property
    def not_met(self) -> int:
        return self._count(NOT_MET)

    @property
    def no_report(self) -> int:
        return self._count(NO_REPORT)

    @property
    def share(self) -> Decimal | None:
        return Decimal(100) * self.met / len(self.units) if self.units else None


@dataclass(frozen=True)
class Projection:
    """The trend's value at the next milestone; `capped` when a percentage's trend ran past
    100 and the value shown is 100."""

    milestone: Milestone
    value: Decimal | None
    status: str | None
    capped: bool = False

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""


def _reported_test(
    inputs: IndicatorInputs, indicator: Indicator, year: int
) -> Callable[[str], bool]:
    """Whether a unit reported the indicator's element: in any year since the plan's start
    for a cumulative share, in the year itself for a yearly one."""
    values = inputs.element_values(indicator.parameters["data_element"])
    if indicator.formula == FormulaKind.COVERAGE_CUMULATIVE:
        first = inputs.plan.start_year
        return lambda code: any(first <= y <= year for y in values.get(code, {}))
    return lambda code: year in values.get(code, {})


def share_drilldown(
    inputs: IndicatorInputs, indicator: Indicator, year: int, share: formulas.ShareResult
) -> list[DistrictRow]:
    """The units of a share indicator grouped by their district (HUYEN) at the start of the
    year, each Đạt / Chưa đạt / Chưa báo cáo; districts by code, units outside any last."""
    reported = _reported_test(inputs, indicator, year)
    rows: dict[str | None, DistrictRow] = {}
    standings = [(code, MET) for code in share.counted] + [
        (code, NOT_MET if reported(code) else NO_REPORT) for code in share.missing
    ]
    for code, standing in standings:
        district = inputs.district_of(code, year)
        row = rows.get(district)
        if row is None:
            name = inputs.unit_name(district) if district else _("Không thuộc huyện nào")
            row = rows[district] = DistrictRow(code=district, name=name)
        row.units.append(UnitStanding(code, inputs.unit_name(code), standing))
    for row in rows.values():
        row.units.sort(key=lambda u: (u.standing != NO_REPORT, u.standing, u.code))
    return sorted(rows.values(), key=lambda r: (r.code is None, (r.code or "").zfill(12)))


def components(
    inputs: IndicatorInputs, evaluation: Evaluation
) -> dict[str, Any]:
    """What the selected year's value is made of, ready for the template."""
    detail = evaluation.detail
    name = inputs.unit_name
    if isinstance(detail, formulas.ShareResult):
        return {
            "kind": "share",
            "share": detail,
            "counted": [UnitRef(c, name(c)) for c in detail.counted],
            "missing": [UnitRef(c, name(c)) for c in detail.missing],
            "districts": share_drilldown(inputs, evaluation.indicator, evaluation.year, detail),
        }
    if isinstance(detail, formulas.CountResult):
        models = ScpModel.objects.filter(code__in=detail.items).select_related("org_unit")
        return {"kind": "count", "count": detail, "models": list(models.order_by("year", "code"))}
    if isinstance(detail, formulas.SumResult):
        values = inputs.element_values(evaluation.indicator.parameters["data_element"])
        return {
            "kind": "sum",
            "sum": detail,
            "reported": [
                UnitStanding(c, name(c), MET, values.get(c, {}).get(evaluation.year))
                for c in detail.reported
            ],
            "missing": [UnitRef(c, name(c)) for c in detail.missing],
        }
    if isinstance(detail, ct07.IntensityResult):
        return {"kind": "intensity", "intensity": detail}
    return {"kind": None}


def expected_path(series: Sequence[Evaluation]) -> list[tuple[int, Decimal | None]]:
    """The anchors of the expected path: (base year, base value or 0), then each milestone
    minimum. Straight lines between them are E(y), as the engine computes it."""
    first = series[0]
    anchors: list[tuple[int, Decimal | None]] = [(first.year, first.value or Decimal(0))]
    anchors += [
        (m.year, m.minimum)
        for m in first.milestones
        if m.minimum is not None and m.year > first.year
    ]
    return anchors if len(anchors) > 1 else []


PERCENT_CEILING = Decimal(100)


def next_projection(series: Sequence[Evaluation]) -> Projection | None:
    """The projection of the observed values to the next milestone after the selected year
    (a share cannot exceed 100 %, so a percentage's projection is capped there)."""
    current = series[-1]
    upcoming = [m for m in current.milestones if m.year > current.year and m.minimum is not None]
    if not upcoming:
        return None
    milestone = upcoming[0]
    value = projection_to(series, milestone.year)
    capped = (
        value is not None
        and current.indicator.formula in SHARE_FORMULAS
        and value > PERCENT_CEILING
    )
    if capped:
        value = PERCENT_CEILING
    return Projection(milestone, value, projected_status(value, milestone), capped)


def indicator_chart(
    indicator: Indicator,
    series: Sequence[Evaluation],
    projection: Projection | None,
    **layout: Any,
) -> str:
    """The SVG of the values, the expected path, the milestones and the projection;
    `layout` goes to `line_chart` (width, height, max_x_labels)."""
    lines = [
        Series(_("Giá trị thực hiện"), [(e.year, e.value) for e in series]),
    ]
    path = expected_path(series)
    if path:
        lines.append(
            Series(_("Lộ trình kỳ vọng"), path, style="dashed", css_class="expected",
                   show_points=False, color="#5b6b67")
        )
    observed = [(e.year, e.value) for e in series if e.value is not None]
    if projection is not None and projection.value is not None and observed:
        lines.append(
            Series(_("Dự báo"), [observed[-1], (projection.milestone.year, projection.value)],
                   style="dotted", css_class="projection", color="#b45309")
        )
    milestones = series[-1].milestones
    markers = [
        Marker(m.year, m.minimum, target_text(m, indicator))
        for m in milestones
        if m.minimum is not None
    ]
    last_year = max([series[-1].year, *(m.year for m in milestones)])
    return line_chart(
        title=f"{indicator.code} — {indicator.name}",
        description=_("Giá trị theo năm so với lộ trình kỳ vọng và các mốc chỉ tiêu"),
        series=lines,
        markers=markers,
        unit=indicator.unit,
        x_range=(series[0].year, last_year),
        empty_text=_("Chưa có dữ liệu"),
        **layout,
    )


def qualitative_rows(indicator: Indicator) -> list[tuple[QualitativeAssessment, str]]:
    """The co-ordinator's assessments by year, each with the label of its status."""
    rows = []
    for assessment in sorted(indicator.assessments.all(), key=lambda a: a.year):
        try:
            label = Status(assessment.status).label
        except ValueError:
            label = assessment.status
        rows.append((assessment, label))
    return rows


class IndicatorView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach/<plan_code>/chi-tieu/<indicator_code>/?nam=YYYY&don-vi=CODE`."""

    template_name = "indicators/indicator.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(
            Plan.objects.select_related("scope_root"), code=kwargs["plan_code"]
        )
        indicator = get_object_or_404(
            plan.indicators.select_related("objective", "plan").prefetch_related(
                "targets__milestones", "assessments__updated_by"
            ),
            code=kwargs["indicator_code"],
        )
        form = PlanFilterForm(self.request.GET, plan=plan)
        year, root = form.year, form.root
        series = indicator_series(
            indicator=indicator, years=range(plan.base_year, year + 1), root=root
        )
        current = series[-1]
        context.update(
            plan=plan,
            indicator=indicator,
            form=form,
            year=year,
            root=root or plan.scope_root,
            query=form.query_string(),
            current=current,
            series=list(reversed(series)),
            targets=indicator.targets.all(),
        )
        if indicator.is_qualitative:
            context["assessments"] = qualitative_rows(indicator)
            return context
        projection = next_projection(series)
        inputs = IndicatorInputs(plan=plan, root=root)
        context.update(
            chart=indicator_chart(indicator, series, projection),
            # A taller drawing with fewer year labels for phones (app.css picks one).
            chart_narrow=indicator_chart(
                indicator, series, projection, width=420, height=330, max_x_labels=6
            ),
            projection=projection,
            components=components(inputs, current),
        )
        return context
