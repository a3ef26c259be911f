"""The unit tree as of a day, and a unit's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from benvung.orgunits import selectors
from benvung.orgunits.forms import TreeFilterForm


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


class OrgUnitView(LoginRequiredMixin, TemplateView):
    """`/don-vi/<code>/`: the unit, its dated parents and children, its data and models."""

    template_name = "orgunits/unit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = selectors.orgunit_get(kwargs["code"])
        if unit is None:
            raise Http404(_("Không có đơn vị mã %(code)s.") % {"code": kwargs["code"]})
        today = timezone.localdate()
        # A unit that no longer exists is shown in the place it had on its last day.
        day = min(today, unit.valid_to) if unit.valid_to else today
        context.update(
            unit=unit,
            day=day,
            is_active=unit.is_active_between(today, today),
            ancestors=selectors.orgunit_ancestors(unit, day),
            parent_links=selectors.orgunit_parent_history(unit),
            child_links=selectors.orgunit_child_links(unit),
            data_values=selectors.orgunit_data_values(unit),
            models=selectors.orgunit_models(unit),
        )
        return context
