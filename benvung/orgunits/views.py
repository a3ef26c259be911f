"""The unit tree as of a day, and a unit's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from benvung.accounts.selectors import Access, access_for, readable_unpublished_units
from benvung.datavalues.models import DataValue
from benvung.orgunits import selectors
from benvung.orgunits.forms import TreeFilterForm
from benvung.orgunits.models import OrgUnit
from benvung.reporting.selectors import approved_values


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
        context.update(
            unit=unit,
            day=day,
            is_active=unit.is_active_between(today, today),
            ancestors=selectors.orgunit_ancestors(unit, day),
            parent_links=selectors.orgunit_parent_history(unit),
            child_links=selectors.orgunit_child_links(unit),
            data_values=[(v, v.pk in approved) for v in readable.values],
            unpublished_hidden=readable.filtered,
            can_read_history=readable.own,
            models=selectors.orgunit_models(unit),
        )
        return context
