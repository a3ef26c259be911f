"""The plan page: every indicator of a plan for a year, grouped by objective, with its status;
and the co-ordinator's form for a qualitative indicator's assessment of a year."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, RedirectView, TemplateView

from benvung.accounts.mixins import CoordinatorRequiredMixin
from benvung.accounts.models import DataKind
from benvung.accounts.selectors import access_for
from benvung.accounts.services import record_access
from benvung.indicators.presentation import STATUS_ORDER
from benvung.indicators.services import Evaluation, plan_progress
from benvung.orgunits.models import OrgUnit
from benvung.plans.forms import PlanFilterForm, QualitativeAssessmentForm
from benvung.plans.models import Indicator, Objective, Plan, QualitativeAssessment
from benvung.plans.services import qualitative_assessment_set

DEFAULT_PLAN_CODE = "KH-2627"


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


def _ceased_by(unit: OrgUnit | None, year: int) -> bool:
    """Whether the unit ceased before the end of the year (its territory then goes on in its
    successors, docs/reform.md)."""
    return unit is not None and unit.valid_to is not None and unit.valid_to.year <= year


class PlanDefaultView(RedirectView):
    """`/ke-hoach/` → the plan the system was set up for, keeping the query string."""

    query_string = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str | None:
        url = reverse("plans:plan", kwargs={"plan_code": DEFAULT_PLAN_CODE})
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url


class PlanView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach/<plan_code>/?nam=YYYY&don-vi=CODE&du-lieu=tat-ca|da-duyet`."""

    template_name = "plans/plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(
            Plan.objects.select_related("scope_root"), code=kwargs["plan_code"]
        )
        form = PlanFilterForm(self.request.GET, plan=plan, access=access_for(self.request.user))
        evaluations = plan_progress(
            plan=plan, year=form.year, root=form.root, approved_only=form.approved_only
        )
        if not form.approved_only:
            record_access(self.request, form.root or plan.scope_root, DataKind.PLAN)
        context.update(
            plan=plan,
            form=form,
            year=form.year,
            root=form.root or plan.scope_root,
            # A root that ceased before the year's end: its territory goes on in its successors.
            root_ceased=_ceased_by(form.root or plan.scope_root, form.year),
            query=form.query_string(),
            sections=objective_sections(plan, evaluations),
            summary=status_counts(evaluations),
            indicator_count=len(evaluations),
        )
        return context


class QualitativeAssessmentView(CoordinatorRequiredMixin, FormView):  # type: ignore[type-arg]
    """`/ke-hoach/<plan_code>/chi-tieu/<indicator_code>/danh-gia/<year>/` (co-ordinator): the
    status, narrative and evidence files of a qualitative indicator for a year. The indicator
    page shows the same form for its selected year; this page is where errors come back."""

    template_name = "plans/assessment_form.html"
    form_class = QualitativeAssessmentForm

    @cached_property
    def indicator(self) -> Indicator:
        indicator = get_object_or_404(
            Indicator.objects.select_related("plan", "objective"),
            plan__code=self.kwargs["plan_code"],
            code=self.kwargs["indicator_code"],
        )
        plan, year = indicator.plan, self.kwargs["year"]
        if not indicator.is_qualitative or not plan.start_year <= year <= plan.end_year:
            raise Http404(
                _("Chỉ tiêu này không có đánh giá định tính cho năm %(year)s.") % {"year": year}
            )
        return indicator

    @cached_property
    def assessment(self) -> QualitativeAssessment | None:
        return (
            self.indicator.assessments.filter(year=self.kwargs["year"])
            .prefetch_related("files__uploaded_by")
            .first()
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "assessment": self.assessment}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            indicator=self.indicator,
            plan=self.indicator.plan,
            year=self.kwargs["year"],
            assessment=self.assessment,
        )
        return context

    def form_valid(self, form: QualitativeAssessmentForm) -> HttpResponse:
        year = self.kwargs["year"]
        try:
            qualitative_assessment_set(
                indicator=self.indicator,
                year=year,
                status=form.cleaned_data["status"],
                narrative=form.cleaned_data["narrative"],
                files=form.cleaned_data["attachments"],
                remove_files=form.cleaned_data.get("remove_files") or [],
                user=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã lưu đánh giá %(code)s năm %(year)s.")
            % {"code": self.indicator.code, "year": year},
        )
        url = reverse(
            "plans:indicator",
            kwargs={"plan_code": self.indicator.plan.code, "indicator_code": self.indicator.code},
        )
        return redirect(f"{url}?nam={year}#danh-gia")


@dataclass(frozen=True)
class CompareRow:
    """A target of the parent programme, and each provincial plan's indicators serving it."""

    label: str
    code: str
    cells: list[tuple[Plan, list[Evaluation]]]


class PlanCompareView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach/so-sanh/?nam=YYYY`: the provincial plans side by side (KH-2627 on the former
    Hải Dương territory, Hải Phòng's own plan on the whole city), row by row along the targets
    of the national programme they serve."""

    template_name = "plans/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plans = list(
            Plan.objects.filter(scope_root__isnull=False)
            .select_related("scope_root", "parent")
            .order_by("is_sample", "code")
        )
        try:
            year = int(self.request.GET.get("nam", ""))
        except ValueError:
            year = timezone.localdate().year
        year = max(2020, min(year, 2030))
        progress = {plan.pk: plan_progress(plan=plan, year=year) for plan in plans}
        rows: dict[str, CompareRow] = {}
        for index, plan in enumerate(plans):
            for evaluation in progress[plan.pk]:
                served = next(
                    (t.serves for t in evaluation.indicator.targets.all() if t.serves), None
                )
                key = served.indicator.code if served else f"~{evaluation.indicator.code}"
                label = served.indicator.name if served else _("Không gắn chỉ tiêu quốc gia")
                row = rows.setdefault(key, CompareRow(label, key, [(p, []) for p in plans]))
                row.cells[index][1].append(evaluation)
        ordered = sorted(rows.values(), key=lambda r: (r.code.startswith("~"), r.code))
        context.update(plans=plans, year=year, rows=ordered, years=range(2021, 2031))
        return context
