"""The indicator page: one indicator over the years, what its value is made of, and where.

The view asks the engine (`indicators.services`) for the series and reads the components of
the selected year from the `Evaluation.detail` it returns; the drill-down by district and the
names of units come from one `IndicatorInputs`, so the page costs a fixed number of queries
whatever the number of units.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from benvung.accounts.models import DataKind
from benvung.accounts.selectors import Access, access_for
from benvung.accounts.services import record_access
from benvung.indicators.drilldown import components
from benvung.indicators.presentation import indicator_chart, next_projection, qualitative_rows
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import indicator_series
from benvung.plans.forms import PlanFilterForm, QualitativeAssessmentForm
from benvung.plans.models import Indicator, Plan


class IndicatorView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach/<plan_code>/chi-tieu/<indicator_code>/?nam=YYYY&don-vi=CODE&du-lieu=…`.

    Figures (and the drill-down's unit standings) come from approved reports only when the
    user does not read every unit's unapproved data, or asks for it (`du-lieu=da-duyet`)."""

    template_name = "indicators/indicator.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(
            Plan.objects.select_related("scope_root"), code=kwargs["plan_code"]
        )
        indicator = get_object_or_404(
            plan.indicators.select_related("objective", "plan").prefetch_related(
                "targets__milestones", "assessments__updated_by", "assessments__files__uploaded_by"
            ),
            code=kwargs["indicator_code"],
        )
        access = access_for(self.request.user)
        form = PlanFilterForm(self.request.GET, plan=plan, access=access)
        year, root = form.year, form.root
        inputs = IndicatorInputs(plan=plan, root=root, approved_only=form.approved_only)
        if not form.approved_only:
            record_access(self.request, root or plan.scope_root, DataKind.INDICATOR)
        series = indicator_series(
            indicator=indicator, years=range(plan.base_year, year + 1), inputs=inputs
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
            context.update(
                assessments=qualitative_rows(indicator),
                **self.assessment_form(access, plan, indicator, year, current.qualitative),
            )
            return context
        projection = next_projection(series)
        context.update(
            chart=indicator_chart(indicator, series, projection),
            # A taller drawing with fewer year labels for phones (app.css picks one).
            chart_narrow=indicator_chart(
                indicator, series, projection, width=420, height=330, max_x_labels=6
            ),
            projection=projection,
            components=drilled(components(inputs, current), form),
        )
        return context

    @staticmethod
    def assessment_form(
        access: Access, plan: Plan, indicator: Indicator, year: int, assessment: Any
    ) -> dict[str, Any]:
        """The co-ordinator's form for the selected year (a year of the plan's period)."""
        if not access.is_coordinator or not plan.start_year <= year <= plan.end_year:
            return {}
        url = reverse(
            "plans:assessment",
            kwargs={"plan_code": plan.code, "indicator_code": indicator.code, "year": year},
        )
        return {
            "assessment_form": QualitativeAssessmentForm(assessment=assessment),
            "assessment_url": url,
        }


def drilled(found: dict[str, Any], form: PlanFilterForm) -> dict[str, Any]:
    """The components with, when their units are too many to list, each district's link to
    the same page over that district."""
    if found.get("kind") == "share" and not found["units_listed"]:
        for row in found["districts"]:
            if row.code:
                row.drill_query = form.query_string(root=row.code)
    return found
