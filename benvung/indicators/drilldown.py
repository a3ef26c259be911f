"""What an indicator's value is made of: counted and missing units, by district.

Read from the `Evaluation.detail` the engine returns and from the same `IndicatorInputs`, so
showing the components costs no query per unit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from benvung.indicators.domain import ct07, formulas
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import Evaluation
from benvung.scpmodels.models import ScpModel

# The standing of one unit in a share indicator, with the word users read.
MET, NOT_MET, NO_REPORT = "dat", "chua_dat", "chua_bao_cao"
STANDING_LABELS = {
    MET: gettext_noop("Đạt"),
    NOT_MET: gettext_noop("Chưa đạt"),
    NO_REPORT: gettext_noop("Chưa báo cáo"),
}
# From approved reports only, a unit without one may well have reported: say what is known.
NO_APPROVED_REPORT = gettext_noop("Chưa có báo cáo được duyệt")

# A share indicator's units are listed one by one up to this many; past it (a province's or
# the country's thousands), the page shows the districts, each a link to its own units: a
# list of thousands of rows is read by no one and costs the page most of its time.
UNITS_LISTED_UPTO = 500


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
    approved_only: bool = False

    @property
    def label(self) -> str:
        if self.approved_only and self.standing == NO_REPORT:
            return _(NO_APPROVED_REPORT)
        return _(STANDING_LABELS[self.standing])


@dataclass
class DistrictRow:
    """A district's part of a share indicator: its units, and its own share."""

    code: str | None
    name: str
    units: list[UnitStanding] = field(default_factory=list)
    # The page's query for this district's own units (set by the view when units are not
    # listed).
    drill_query: str = ""

    @cached_property
    def counts(self) -> Counter[str]:
        """Units by standing, counted once (read when every unit is in): a page of hundreds
        of districts reads three counts per row."""
        return Counter(unit.standing for unit in self.units)

    @property
    def met(self) -> int:
        return self.counts[MET]

    @property
    def not_met(self) -> int:
        return self.counts[NOT_MET]

    @property
    def no_report(self) -> int:
        return self.counts[NO_REPORT]

    @property
    def share(self) -> Decimal | None:
        return Decimal(100) * self.met / len(self.units) if self.units else None


def share_drilldown(
    inputs: IndicatorInputs, year: int, share: formulas.ShareResult
) -> list[DistrictRow]:
    """The units of a share indicator grouped by their district (HUYEN) at the start of the
    year, each Đạt / Chưa đạt / Chưa báo cáo; districts by code, units outside any last."""
    silent = frozenset(share.silent)
    rows: dict[str | None, DistrictRow] = {}
    standings = [(code, MET) for code in share.counted] + [
        (code, NO_REPORT if code in silent else NOT_MET) for code in share.missing
    ]
    for code, standing in standings:
        district = inputs.district_of(code, year)
        row = rows.get(district)
        if row is None:
            name = inputs.unit_name(district) if district else _("Không thuộc huyện nào")
            row = rows[district] = DistrictRow(code=district, name=name)
        row.units.append(
            UnitStanding(code, inputs.unit_name(code), standing, approved_only=inputs.approved_only)
        )
    for row in rows.values():
        row.units.sort(key=lambda u: (u.standing != NO_REPORT, u.standing, u.code))
    return sorted(rows.values(), key=lambda r: (r.code is None, (r.code or "").zfill(12)))


def components(inputs: IndicatorInputs, evaluation: Evaluation) -> dict[str, Any]:
    """What the selected year's value is made of, ready for the template."""
    detail = evaluation.detail
    name = inputs.unit_name
    if isinstance(detail, formulas.ShareResult):
        return {
            "kind": "share",
            "approved_only": inputs.approved_only,
            "units_listed": len(detail.counted) + len(detail.missing) <= UNITS_LISTED_UPTO,
            "share": detail,
            "counted": [UnitRef(c, name(c)) for c in detail.counted],
            "missing": [UnitRef(c, name(c)) for c in detail.missing],
            "districts": share_drilldown(inputs, evaluation.year, detail),
        }
    if isinstance(detail, formulas.CountResult):
        models = ScpModel.objects.filter(code__in=detail.items).select_related("org_unit")
        return {"kind": "count", "count": detail, "models": list(models.order_by("year", "code"))}
    if isinstance(detail, formulas.SumResult):
        values = inputs.element_values(evaluation.indicator.parameters["data_element"])
        return {
            "kind": "sum",
            "approved_only": inputs.approved_only,
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
