"""How indicator figures read: values with units, targets, the chart and the projection.

Shared by the pages, the template tags and the command line, so a figure reads the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from benvung.core.formatting import format_number
from benvung.indicators.charts import Marker, Series, line_chart
from benvung.indicators.domain.progress import Milestone, Status
from benvung.indicators.domain.projection import projected_status
from benvung.indicators.services import Evaluation, projection_to
from benvung.plans.models import FormulaKind, Indicator, QualitativeAssessment

EMPTY = "—"
# The progress statuses from best to worst, then no data: the order of the plan page's
# summary and of the co-ordinator's choices for a qualitative indicator.
STATUS_ORDER = (
    Status.DAT,
    Status.DUNG_TIEN_DO,
    Status.CAN_DAY_NHANH,
    Status.CHAM_TIEN_DO,
    Status.THUT_LUI,
    Status.KHONG_DAT,
    Status.CHUA_CO_DU_LIEU,
)
# Indicators that count things: their values are whole numbers and read best without decimals.
COUNTING_FORMULAS = frozenset({FormulaKind.MODEL_COUNT, FormulaKind.SUM})
SHARE_FORMULAS = frozenset({FormulaKind.COVERAGE_CUMULATIVE, FormulaKind.COVERAGE_BOOLEAN})


def with_unit(number: str, unit: str) -> str:
    """ "50,00" + "%" → "50,00 %" (a space before every unit, as Vietnamese usage has it)."""
    return f"{number} {unit}" if unit else number


def value_text(value: Decimal | None, indicator: Indicator, decimals: int = 2) -> str:
    """An indicator's value with its unit: 2 decimals, none for counts; "—" without value."""
    if value is None:
        return EMPTY
    if indicator.formula in COUNTING_FORMULAS and value == value.to_integral_value():
        return with_unit(format_number(value, 0), indicator.unit)
    return with_unit(format_number(value, decimals), indicator.unit)


def target_text(milestone: Any, indicator: Indicator) -> str:
    """A milestone as users read it: "≥ 70 % (2025)", "5–10 mô hình (2025)", or the
    milestone's own wording when it has no number ("Triển khai hiệu quả (2030)")."""
    if milestone is None:
        return EMPTY
    low, high = milestone.minimum, milestone.maximum
    if low is not None and high is not None:
        text = with_unit(f"{format_number(low)}–{format_number(high)}", indicator.unit)
    elif low is not None:
        text = "≥ " + with_unit(format_number(low), indicator.unit)
    elif high is not None:
        text = "≤ " + with_unit(format_number(high), indicator.unit)
    else:
        # Uses the prefetched targets: the domain milestone does not carry the wording.
        words = [
            m.text
            for t in indicator.targets.all()
            for m in t.milestones.all()
            if m.year == milestone.year and m.text
        ]
        text = words[0] if words else _("Mốc")
    return f"{text} ({milestone.year})"


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
            Series(
                _("Lộ trình kỳ vọng"),
                path,
                style="dashed",
                css_class="expected",
                show_points=False,
                color="#5b6b67",
            )
        )
    observed = [(e.year, e.value) for e in series if e.value is not None]
    if projection is not None and projection.value is not None and observed:
        lines.append(
            Series(
                _("Dự báo"),
                [observed[-1], (projection.milestone.year, projection.value)],
                style="dotted",
                css_class="projection",
                color="#b45309",
            )
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
