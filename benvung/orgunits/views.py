"""The unit tree as of a day, and a unit's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from benvung.accounts.models import DataKind
from benvung.accounts.selectors import Access, access_for, readable_unpublished_units
from benvung.accounts.services import record_access
from benvung.datavalues.models import DataValue
from benvung.orgunits import reform, selectors, series
from benvung.orgunits.forms import TreeFilterForm
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Plan
from benvung.reporting.selectors import approved_values

DEFAULT_PLAN = "KH-2627"


class OrgUnitTreeView(LoginRequiredMixin, TemplateView):
    """`/don-vi/?ngay=YYYY-MM-DD&loai=TYPE&q=text`."""

    template_name = "orgunits/tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = TreeFilterForm(self.request.GET)
        day, types, query = form.day, form.types, form.query
        context.update(
            form=form,
            day=day,
            query=query,
            tree=selectors.orgunit_tree_as_of(day, types=types, query=query),
            results=selectors.orgunit_search(query, day=day, types=types) if query else [],
        )
        return context


@dataclass(frozen=True)
class ReadableValues:
    """The unit's values a user may read: `filtered` when another unit's unapproved values
    were left out for some years; `own` when the user may read some of the unit's
    unpublished data (then also its history of changes)."""

    values: QuerySet[DataValue]
    filtered: bool
    own: bool


def readable_values(unit: OrgUnit, access: Access, today: dt.date) -> ReadableValues:
    """All the unit's values for those who read every unit's unapproved data; otherwise, for
    the years in which the unit is one of the user's (`readable_unpublished_units`), all of
    them, and for the other years only those of approved reports. (A reporter costs one
    query per year with values.)"""
    values = selectors.orgunit_data_values(unit)
    if access.reads_everything:
        return ReadableValues(values, filtered=False, own=True)
    value_years = set(values.values_list("year", flat=True))
    own_years = {
        year
        for year in value_years | {today.year}
        if (readable := readable_unpublished_units(access, year)) is None or unit.code in readable
    }
    if value_years <= own_years:
        return ReadableValues(values, filtered=False, own=bool(own_years))
    published = approved_values(values).values("pk")
    return ReadableValues(
        values.filter(Q(year__in=own_years) | Q(pk__in=published)),
        filtered=True,
        own=bool(own_years),
    )


class OrgUnitView(LoginRequiredMixin, TemplateView):
    """`/don-vi/<code>/`: the unit, its dated parents and children, its data and models.

    A reporter sees the unapproved values of their own units only (see `readable_values`);
    each value says whether its report is approved."""

    template_name = "orgunits/unit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = selectors.orgunit_get(kwargs["code"])
        if unit is None:
            raise Http404(_("Không có đơn vị mã %(code)s.") % {"code": kwargs["code"]})
        today = timezone.localdate()
        # A unit that no longer exists is shown in the place it had on its last day.
        day = min(today, unit.valid_to) if unit.valid_to else today
        readable = readable_values(unit, access_for(self.request.user), today)
        approved = set(
            approved_values(DataValue.objects.filter(org_unit=unit)).values_list("pk", flat=True)
        )
        data_values = [(v, v.pk in approved) for v in readable.values]
        if any(not is_approved for _, is_approved in data_values):
            record_access(self.request, unit, DataKind.UNIT)
        context.update(
            unit=unit,
            day=day,
            is_active=unit.is_active_between(today, today),
            ancestors=selectors.orgunit_ancestors(unit, day),
            parent_links=selectors.orgunit_parent_history(unit),
            child_links=selectors.orgunit_child_links(unit),
            data_values=data_values,
            unpublished_hidden=readable.filtered,
            can_read_history=readable.own,
            models=selectors.orgunit_models(unit),
        )
        predecessors, successors = reform.unit_lineage(unit)
        context.update(
            predecessors=predecessors,
            successors=successors,
            lineage_tables=[
                (_("Đơn vị tiền thân"), predecessors, "before"),
                (_("Đơn vị kế thừa"), successors, "after"),
            ],
            # A former district's area, or a commune with a lineage, has a comparable series.
            has_series=unit.type == "HUYEN" or (unit.type == "XA" and bool(predecessors)),
        )
        return context


class AreaSeriesView(LoginRequiredMixin, TemplateView):
    """`/don-vi/<code>/chuoi-so-sanh/?ke_hoach=KH-2627`: a plan's indicators over the unit's
    comparable area across the 2025 reform (a former district, or a new commune back in
    time), estimates marked."""

    template_name = "orgunits/series.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = selectors.orgunit_get(kwargs["code"])
        if unit is None:
            raise Http404(_("Không có đơn vị mã %(code)s.") % {"code": kwargs["code"]})
        plan = Plan.objects.filter(code=self.request.GET.get("ke_hoach", DEFAULT_PLAN)).first()
        if plan is None:
            raise Http404(_("Không có kế hoạch này."))
        years = series.series_years(plan, timezone.localdate())
        # The series reads every value of the area, approved or not.
        record_access(self.request, unit, DataKind.SERIES)
        context.update(
            unit=unit, plan=plan, data=series.area_series(unit=unit, plan=plan, years=years)
        )
        return context


class ParentProposalsView(LoginRequiredMixin, TemplateView):
    """`/don-vi/sap-xep/de-xuat-cap-tren/`: where the units whose commune or district ceased
    on 1/7/2025 should hang, from the lineage; `?tai=csv` gives the parents file to review
    and import (`benvung import parents`)."""

    template_name = "orgunits/proposals.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("tai") == "csv":
            proposals = reform.parent_proposals()
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="de-xuat-cap-tren-2025.csv"'
            reform.write_proposals_csv(response, proposals)
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        proposals = reform.parent_proposals()
        names = dict(
            OrgUnit.objects.filter(
                code__in={
                    code
                    for p in proposals
                    for code in (p.unit, p.old_parent, p.new_parent, *p.candidates)
                    if code
                }
            ).values_list("code", "name")
        )
        rows = [
            {
                "unit": p.unit,
                "old_parent": p.old_parent,
                "new_parent": p.new_parent,
                "manual": p.manual,
                "reason": p.reason,
                "candidates": p.candidates,
                "unit_name": names.get(p.unit, p.unit),
                "old_name": names.get(p.old_parent, p.old_parent),
                "new_name": names.get(p.new_parent, p.new_parent),
                "candidate_names": [f"{names.get(c, c)} ({c})" for c in p.candidates],
            }
            for p in proposals
        ]
        context.update(
            proposals=rows,
            manual=sum(1 for p in proposals if p.manual),
            day=reform.REFORM_DAY,
        )
        return context
