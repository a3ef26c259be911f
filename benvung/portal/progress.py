"""The public figures of the plan: approved data only, per indicator and per district.

Everything here reads through one `IndicatorInputs(approved_only=True)` per request, so the
progress page costs a fixed number of queries whatever the number of units, and a value that
is not in an approved report never reaches the public site.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from benvung.core import published
from benvung.indicators.domain import ct07, formulas
from benvung.indicators.domain.progress import Status
from benvung.indicators.drilldown import DistrictRow, UnitStanding, share_drilldown
from benvung.indicators.presentation import Projection, indicator_chart, next_projection
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import Evaluation, indicator_series, plan_indicators
from benvung.plans.models import FormulaKind, Indicator, Plan
from benvung.reporting.selectors import last_approved_value_year
from benvung.scpmodels.models import ScpModel

# Plain text (also written into open-data files); pages show gettext(PUBLIC_SOURCE).
PUBLIC_SOURCE = gettext_noop("Số liệu đã được Sở Công Thương duyệt")
OUTSIDE_DISTRICT = gettext_noop("Không thuộc huyện nào")
# The order of the status summary: from best to worst, then "no data".
STATUS_ORDER = [
    Status.DAT,
    Status.DUNG_TIEN_DO,
    Status.CAN_DAY_NHANH,
    Status.CHAM_TIEN_DO,
    Status.THUT_LUI,
    Status.KHONG_DAT,
    Status.CHUA_CO_DU_LIEU,
]


def public_inputs(plan: Plan) -> IndicatorInputs:
    return IndicatorInputs(plan=plan, approved_only=True)


@published.cached
def public_default_year(*, plan: Plan) -> int:
    """The last year with an approved value or a registered model, else last calendar year;
    within the plan's years."""
    last_value = last_approved_value_year(plan.end_year)
    last_model = ScpModel.objects.filter(year__lte=plan.end_year).aggregate(last=Max("year"))[
        "last"
    ]
    found = [y for y in (last_value, last_model) if y is not None]
    year = max(found) if found else timezone.localdate().year - 1
    return min(max(year, plan.base_year), plan.end_year)


def public_year(plan: Plan, raw: str | None) -> int:
    """The year asked for in `?nam=`, clamped to the plan; the default year otherwise."""
    text = (raw or "").strip()
    if not text.isdigit():
        return public_default_year(plan=plan)
    return min(max(int(text), plan.base_year), plan.end_year)


@dataclass(frozen=True)
class IndicatorCard:
    """One indicator for the selected year, with its series and chart."""

    current: Evaluation
    series: list[Evaluation]
    projection: Projection | None
    chart: str

    @property
    def indicator(self) -> Indicator:
        return self.current.indicator


@dataclass(frozen=True)
class ObjectiveGroup:
    code: str
    name: str
    cards: list[IndicatorCard]


@dataclass
class Overview:
    plan: Plan
    year: int
    groups: list[ObjectiveGroup] = field(default_factory=list)

    @property
    def cards(self) -> list[IndicatorCard]:
        return [card for group in self.groups for card in group.cards]

    @property
    def headline_cards(self) -> list[IndicatorCard]:
        """The indicators of the whole plan (not the per-sector CT07 ones, not qualitative)."""
        return [
            c
            for c in self.cards
            if c.indicator.formula not in {FormulaKind.INTENSITY_INDEX, FormulaKind.QUALITATIVE}
        ]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) of the indicators with targets, in `STATUS_ORDER`."""
        counts = Counter(c.current.status for c in self.cards if c.current.status)
        return [(s.value, s.label, counts[s.value]) for s in STATUS_ORDER if counts[s.value]]


def indicator_card(
    inputs: IndicatorInputs, indicator: Indicator, year: int, *, small: bool = True
) -> IndicatorCard:
    series = indicator_series(
        indicator=indicator, years=range(inputs.plan.base_year, year + 1), inputs=inputs
    )
    current = series[-1]
    if indicator.is_qualitative:
        return IndicatorCard(current, series, None, "")
    projection = next_projection(series)
    layout = {"width": 360, "height": 220, "max_x_labels": 6} if small else {}
    return IndicatorCard(
        current, series, projection, indicator_chart(indicator, series, projection, **layout)
    )


@published.cached
def progress_overview(*, plan: Plan, year: int) -> Overview:
    """Every indicator of the plan for the year, from approved data, grouped by objective."""
    inputs = public_inputs(plan)
    overview = Overview(plan=plan, year=year)
    groups: dict[int, ObjectiveGroup] = {}
    for indicator in plan_indicators(plan):
        objective = indicator.objective
        group = groups.get(objective.pk)
        if group is None:
            group = groups[objective.pk] = ObjectiveGroup(objective.code, objective.name, [])
            overview.groups.append(group)
        group.cards.append(indicator_card(inputs, indicator, year))
    return overview


@published.cached
def progress_summary(*, plan: Plan, year: int) -> Overview:
    """The overview without charts (the home page's summary)."""
    inputs = public_inputs(plan)
    overview = Overview(plan=plan, year=year)
    group = ObjectiveGroup("", "", [])
    overview.groups.append(group)
    for indicator in plan_indicators(plan):
        current = indicator_series(indicator=indicator, years=[year], inputs=inputs)[0]
        group.cards.append(IndicatorCard(current, [current], None, ""))
    return overview


# --- Breakdown by district ----------------------------------------------------------------


@dataclass(frozen=True)
class DistrictFigure:
    """An indicator's part in one district: a share (met / units) or a count or sum."""

    code: str | None
    name: str
    value: Decimal | None
    met: int | None = None
    units: int | None = None


@dataclass
class Breakdown:
    """What the public sees below an indicator: `kind` is share, count, sum, confidential
    (enterprise-level inputs are never published) or none."""

    kind: str
    districts: list[DistrictFigure] = field(default_factory=list)
    units: list[tuple[str, UnitStanding]] = field(default_factory=list)  # (district, unit)


def _district_name(inputs: IndicatorInputs, code: str | None) -> str:
    return inputs.unit_name(code) if code else gettext(OUTSIDE_DISTRICT)


def _sorted(rows: dict[str | None, DistrictFigure]) -> list[DistrictFigure]:
    return sorted(rows.values(), key=lambda r: (r.code is None, (r.code or "").zfill(12)))


def district_breakdown(inputs: IndicatorInputs, evaluation: Evaluation) -> Breakdown:
    detail = evaluation.detail
    year = evaluation.year
    if isinstance(detail, formulas.ShareResult):
        rows: list[DistrictRow] = share_drilldown(inputs, year, detail)
        return Breakdown(
            kind="share",
            districts=[DistrictFigure(r.code, r.name, r.share, r.met, len(r.units)) for r in rows],
            units=[(r.name, u) for r in rows for u in r.units],
        )
    if isinstance(detail, formulas.CountResult):
        wanted = set(detail.items)
        counts: dict[str | None, int] = defaultdict(int)
        for code, _kind, unit, model_year in inputs.models:
            if code in wanted:
                counts[inputs.district_of(unit, model_year)] += 1
        return Breakdown(
            kind="count",
            districts=_sorted(
                {
                    d: DistrictFigure(d, _district_name(inputs, d), Decimal(n), units=n)
                    for d, n in counts.items()
                }
            ),
        )
    if isinstance(detail, formulas.SumResult):
        values = inputs.element_values(evaluation.indicator.parameters["data_element"])
        sums: dict[str | None, Decimal] = defaultdict(Decimal)
        reporting: dict[str | None, int] = defaultdict(int)
        for unit in detail.reported:
            district = inputs.district_of(unit, year)
            sums[district] += values.get(unit, {}).get(year, Decimal(0))
            reporting[district] += 1
        return Breakdown(
            kind="sum",
            districts=_sorted(
                {
                    d: DistrictFigure(d, _district_name(inputs, d), total, units=reporting[d])
                    for d, total in sums.items()
                }
            ),
        )
    if isinstance(detail, ct07.IntensityResult):
        return Breakdown(kind="confidential")
    return Breakdown(kind="none")


@published.cached
def public_indicator(
    *, plan: Plan, indicator: Indicator, year: int
) -> tuple[IndicatorCard, Breakdown | None]:
    """An indicator's page figures: its card (series, chart) and, unless it is qualitative,
    its breakdown by district."""
    inputs = public_inputs(plan)
    card = indicator_card(inputs, indicator, year, small=False)
    if indicator.is_qualitative:
        return card, None
    return card, district_breakdown(inputs, card.current)
