"""The plan page: every indicator of a plan for a year, grouped by objective, with its status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import RedirectView, TemplateView

from benvung.indicators.domain.progress import Status
from benvung.indicators.services import Evaluation, plan_progress
from benvung.plans.forms import PlanFilterForm
from benvung.plans.models import Objective, Plan

DEFAULT_PLAN_CODE = "KH-2627"

# The order of the summary strip: best to worst, then no data.
STATUS_ORDER = (
    Status.DAT,
    Status.DUNG_TIEN_DO,
    Status.CAN_DAY_NHANH,
    Status.CHAM_TIEN_DO,
    Status.THUT_LUI,
    Status.KHONG_DAT,
    Status.CHUA_CO_DU_LIEU,
)


@dataclass(frozen=True)
class ObjectiveSection:
    objective: Objective
    evaluations: list[Evaluation]


@dataclass(frozen=True)
class StatusCount:
    status: str | None
    label: str
    count: int


def status_counts(evaluations: list[Evaluation]) -> list[StatusCount]:
    """How many indicators are in each status (every status listed, in `STATUS_ORDER`)."""
    counts = Counter(e.status for e in evaluations)
    labels = {e.status: e.status_label for e in evaluations}
    rows = [StatusCount(s.value, s.label, counts.pop(s.value, 0)) for s in STATUS_ORDER]
    rows += [StatusCount(status, labels[status], n) for status, n in counts.items()]
    return rows


def objective_sections(plan: Plan, evaluations: list[Evaluation]) -> list[ObjectiveSection]:
    """The evaluations grouped under their objectives, in the plan's order."""
    by_objective: dict[int, list[Evaluation]] = {}
    for evaluation in evaluations:
        by_objective.setdefault(evaluation.indicator.objective_id, []).append(evaluation)
    return [
        ObjectiveSection(objective, by_objective[objective.pk])
        for objective in plan.objectives.order_by("order")
        if objective.pk in by_objective
    ]


class PlanDefaultView(RedirectView):
    """`/ke-hoach/` → the plan the system was set up for, keeping the query string."""

    query_string = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str | None:
        url = reverse("plans:plan", kwargs={"plan_code": DEFAULT_PLAN_CODE})
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url


class PlanView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach/<plan_code>/?nam=YYYY&don-vi=CODE`."""

    template_name = "plans/plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(
            Plan.objects.select_related("scope_root"), code=kwargs["plan_code"]
        )
        form = PlanFilterForm(self.request.GET, plan=plan)
        evaluations = plan_progress(plan=plan, year=form.year, root=form.root)
        context.update(
            plan=plan,
            form=form,
            year=form.year,
            root=form.root or plan.scope_root,
            query=form.query_string(),
            sections=objective_sections(plan, evaluations),
            summary=status_counts(evaluations),
            indicator_count=len(evaluations),
        )
        return context
