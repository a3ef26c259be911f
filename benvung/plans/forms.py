"""The filter of the plan and indicator pages: `?nam=YYYY&don-vi=CODE`."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.db.models import Max
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit
from benvung.orgunits.selectors import orgunit_districts
from benvung.plans.models import Plan

YEAR_FIELD = "nam"
UNIT_FIELD = "don-vi"


def default_year(plan: Plan) -> int:
    """The last year with reported data, else last year; within the plan's years."""
    last = DataValue.objects.filter(year__lte=plan.end_year).aggregate(last=Max("year"))["last"]
    year = last if last is not None else timezone.localdate().year - 1
    return min(max(year, plan.base_year), plan.end_year)


class PlanFilterForm(forms.Form):
    """Which year, and which unit's subtree, the figures are for.

    The year never makes the form invalid: a year outside the plan is clamped to its first or
    last year, and a missing or unreadable one becomes `default_year`; the select then shows
    the year actually used. An unknown unit code is an error shown beside the select; the
    page then covers the plan's whole territory.
    """

    def __init__(self, data: QueryDict | None = None, *, plan: Plan, **kwargs: Any) -> None:
        data = data.copy() if data is not None else QueryDict(mutable=True)
        self.plan = plan
        self.default_year = default_year(plan)
        raw = (data.get(YEAR_FIELD) or "").strip()
        year = int(raw) if raw.isdigit() else self.default_year
        data[YEAR_FIELD] = str(min(max(year, plan.base_year), plan.end_year))
        super().__init__(data, **kwargs)
        self.fields[YEAR_FIELD] = forms.CharField(
            label=_("Năm"),
            required=False,
            widget=forms.Select(choices=[(str(y), str(y)) for y in plan.years]),
        )
        districts = list(orgunit_districts())
        choices: list[tuple[str, str]] = [("", str(_("Toàn tỉnh")))]
        choices += [(u.code, u.name) for u in districts]
        requested = data.get(UNIT_FIELD, "")
        if requested and requested not in {u.code for u in districts}:
            # Any unit's subtree can be asked for by URL: show it in the select too.
            unit = OrgUnit.objects.filter(code=requested).first()
            if unit is not None:
                choices.append((unit.code, unit.name))
        self.fields[UNIT_FIELD] = forms.ChoiceField(
            label=_("Phạm vi"), choices=choices, required=False
        )

    def clean_nam(self) -> int:
        return int(self.cleaned_data[YEAR_FIELD])

    @property
    def year(self) -> int:
        self.is_valid()
        return int(self.cleaned_data.get(YEAR_FIELD, self.default_year))

    @cached_property
    def root(self) -> OrgUnit | None:
        """The unit whose subtree is asked for; None for the plan's whole territory."""
        self.is_valid()
        code = self.cleaned_data.get(UNIT_FIELD)
        return OrgUnit.objects.filter(code=code).first() if code else None

    def query_string(self) -> str:
        """`nam=…&don-vi=…` for links that keep the same filter."""
        params = QueryDict(mutable=True)
        params[YEAR_FIELD] = str(self.year)
        root = self.cleaned_data.get(UNIT_FIELD) if self.is_valid() else ""
        if root:
            params[UNIT_FIELD] = root
        return params.urlencode()
