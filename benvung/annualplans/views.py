"""Pages of the annual cycle: the years, a year's plan (activities, budget, workflow, history),
an activity with its progress reports, the summary, and the budget table as .xlsx.

Every signed-in user reads; the services check who may change what (the co-ordinator drafts
and submits, a leader approves, the responsible agency's reporter reports progress). Views
only parse, call a selector or a service, and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from benvung.accounts.selectors import access_for
from benvung.annualplans import selectors, services
from benvung.annualplans.excel import budget_xlsx
from benvung.annualplans.forms import ActivityForm, NewPlanForm, ReportForm, VersionForm
from benvung.annualplans.models import (
    Activity,
    ActivityStatus,
    FundingSource,
    ImplementationPlan,
    PlanStatus,
)
from benvung.plans.models import Plan

PLAN_CODE = "KH-2627"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan_for(year: int) -> ImplementationPlan:
    impl = (
        ImplementationPlan.objects.select_related("plan", "approved_by")
        .filter(plan__code=PLAN_CODE, year=year)
        .first()
    )
    if impl is None:
        raise Http404(_("Chưa có kế hoạch triển khai năm %(year)s.") % {"year": year})
    return impl


def _activity_for(impl: ImplementationPlan, code: str) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("task__group", "responsible", "carried_from"),
        implementation_plan=impl,
        code=code,
    )


def _rights(request: HttpRequest, impl: ImplementationPlan) -> dict[str, bool]:
    access = access_for(request.user)
    editor = services.can_edit_plans(access)
    return {
        "can_edit": editor and impl.status == PlanStatus.DRAFT,
        "can_submit": editor and impl.status == PlanStatus.DRAFT,
        "can_approve": services.can_approve_plans(access) and impl.status == PlanStatus.SUBMITTED,
        "can_carry": editor,
    }


class YearListView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach-trien-khai/`: one line per year with its status and totals."""

    template_name = "annualplans/years.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        years = [
            (impl, selectors.budget_summary(impl))
            for impl in selectors.implementation_plans(PLAN_CODE)
        ]
        context.update(
            years=years,
            can_create=services.can_edit_plans(access_for(self.request.user)),
            form=NewPlanForm(),
        )
        return context


class PlanCreateView(LoginRequiredMixin, View):
    """POST `/ke-hoach-trien-khai/lap-moi/`: a new draft plan for a year."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NewPlanForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Năm không hợp lệ."))
            return redirect("annualplans:years")
        plan = get_object_or_404(Plan, code=PLAN_CODE)
        try:
            impl = services.implementation_plan_create(
                plan=plan, year=form.cleaned_data["year"], user=request.user
            )
        except services.AnnualPlanError as exc:
            messages.error(request, exc.message)
            return redirect("annualplans:years")
        messages.success(request, _("Đã lập dự thảo kế hoạch năm %(year)s.") % {"year": impl.year})
        return redirect("annualplans:plan", year=impl.year)


class PlanDetailView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach-trien-khai/<year>/`: activities with budget by source, workflow, history."""

    template_name = "annualplans/plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        impl = _plan_for(kwargs["year"])
        summary = selectors.budget_summary(impl)
        next_plan = ImplementationPlan.objects.filter(plan=impl.plan, year=impl.year + 1).first()
        context.update(
            impl=impl,
            summary=summary,
            sources=FundingSource.choices,
            headings=selectors.source_headings(),
            history=selectors.plan_history(impl),
            next_plan=next_plan,
            unfinished=sum(1 for r in summary.rows if r.status != ActivityStatus.DONE),
            **_rights(self.request, impl),
        )
        if next_plan is not None and next_plan.status != PlanStatus.DRAFT:
            context["can_carry"] = False
        return context


class PlanActionView(LoginRequiredMixin, View):
    """POST `/ke-hoach-trien-khai/<year>/<action>/`: submit, approve, return, carry forward."""

    action = ""

    def post(self, request: HttpRequest, year: int) -> HttpResponse:
        impl = _plan_for(year)
        form = VersionForm(request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else None
        reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
        try:
            if self.action == "submit":
                services.implementation_plan_submit(
                    impl_plan=impl, user=request.user, version=version
                )
                messages.success(request, _("Đã trình kế hoạch để lãnh đạo phê duyệt."))
            elif self.action == "approve":
                services.implementation_plan_approve(
                    impl_plan=impl, user=request.user, version=version
                )
                messages.success(request, _("Đã phê duyệt kế hoạch."))
            elif self.action == "return":
                services.implementation_plan_return(
                    impl_plan=impl, user=request.user, version=version, reason=reason
                )
                messages.success(request, _("Đã trả lại kế hoạch để sửa."))
            elif self.action == "carry":
                target, copied = services.carry_forward(impl_plan=impl, user=request.user)
                messages.success(
                    request,
                    _(
                        "Đã chuyển %(count)s hoạt động chưa hoàn thành sang kế hoạch năm "
                        "%(year)s. Hãy nhập kinh phí cho từng hoạt động."
                    )
                    % {"count": copied, "year": target.year},
                )
                return redirect("annualplans:plan", year=target.year)
        except services.AnnualPlanError as exc:
            messages.error(request, exc.message)
        return redirect("annualplans:plan", year=year)


class ActivityFormView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach-trien-khai/<year>/hoat-dong/them/` and `…/<code>/sua/`."""

    template_name = "annualplans/activity_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not services.can_edit_plans(access_for(request.user)):
            raise PermissionDenied(_("Chỉ điều phối viên được sửa kế hoạch."))
        return super().dispatch(request, *args, **kwargs)

    def _objects(self) -> tuple[ImplementationPlan, Activity | None]:
        impl = _plan_for(self.kwargs["year"])
        code = self.kwargs.get("code")
        return impl, (_activity_for(impl, code) if code else None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        impl, activity = self._objects()
        if "form" not in context:
            if activity is not None:
                initial = ActivityForm.initial_for(activity, impl.version)
            else:
                initial = {"version": impl.version, "order": impl.activities.count() + 1}
            context["form"] = ActivityForm(initial=initial, plan_id=impl.plan_id, year=impl.year)
        context.update(
            impl=impl,
            activity=activity,
            remaining=services.remaining_budget(activity) if activity else {},
            sources=FundingSource.choices,
        )
        return context

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        impl, activity = self._objects()
        form = ActivityForm(request.POST, plan_id=impl.plan_id, year=impl.year)
        if form.is_valid():
            try:
                saved = services.activity_save(
                    impl_plan=impl,
                    user=request.user,
                    version=form.cleaned_data["version"],
                    data=form.data_fields(),
                    budget=form.budget(),
                    coordinating=form.cleaned_data["coordinating"],
                    activity=activity,
                )
            except services.AnnualPlanError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã lưu hoạt động %(code)s.") % {"code": saved.code})
                return redirect("annualplans:plan", year=impl.year)
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=400)


class ActivityDeleteView(LoginRequiredMixin, View):
    """POST `/ke-hoach-trien-khai/<year>/hoat-dong/<code>/xoa/`."""

    def post(self, request: HttpRequest, year: int, code: str) -> HttpResponse:
        impl = _plan_for(year)
        activity = _activity_for(impl, code)
        form = VersionForm(request.POST)
        try:
            services.activity_delete(
                activity=activity,
                user=request.user,
                version=form.cleaned_data["version"] if form.is_valid() else None,
            )
        except services.AnnualPlanError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã xóa hoạt động %(code)s.") % {"code": code})
        return redirect("annualplans:plan", year=year)


class ActivityDetailView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach-trien-khai/<year>/hoat-dong/<code>/`: the activity, its budget, its progress
    reports, and the report form for those who may report."""

    template_name = "annualplans/activity.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        impl = _plan_for(kwargs["year"])
        activity = _activity_for(impl, kwargs["code"])
        as_of = selectors.default_as_of(impl.year)
        state = selectors.activity_state(activity, as_of)
        can_report = services.can_report(access_for(self.request.user), activity)
        if "form" not in context and can_report:
            initial: dict[str, Any] = {
                "status": state.status,
                "percent_done": state.percent_done,
                "as_of": as_of,
            }
            initial.update({f"spent_{s}": a for s, a in state.spent.items() if a})
            context["form"] = ReportForm(initial=initial)
        context.update(
            impl=impl,
            activity=activity,
            state=state,
            as_of=as_of,
            detail=selectors.activity_detail(activity),
            can_report=can_report,
            remaining=services.remaining_budget(activity),
            sources=FundingSource.choices,
        )
        return context

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        impl = _plan_for(kwargs["year"])
        activity = _activity_for(impl, kwargs["code"])
        if not services.can_report(access_for(request.user), activity):
            raise PermissionDenied(
                _("Chỉ cơ quan chủ trì hoạt động hoặc điều phối viên được báo cáo tiến độ.")
            )
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.activity_report_create(
                    activity=activity,
                    user=request.user,
                    as_of=form.cleaned_data["as_of"],
                    status=form.cleaned_data["status"],
                    percent_done=form.cleaned_data["percent_done"],
                    spent=form.spent(),
                    outputs_achieved=form.cleaned_data["outputs_achieved"],
                    difficulties=form.cleaned_data["difficulties"],
                    proposals=form.cleaned_data["proposals"],
                )
            except services.AnnualPlanError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã ghi báo cáo tiến độ."))
                return redirect("annualplans:activity", year=impl.year, code=activity.code)
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=400)


class SummaryView(LoginRequiredMixin, TemplateView):
    """`/ke-hoach-trien-khai/<year>/tong-hop/`: planned vs spent by source, agency and group."""

    template_name = "annualplans/summary.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        impl = _plan_for(kwargs["year"])
        summary = selectors.budget_summary(impl)
        context.update(
            impl=impl,
            summary=summary,
            overdue=[r for r in summary.rows if r.overdue],
        )
        return context


class BudgetXlsxView(LoginRequiredMixin, View):
    """`/ke-hoach-trien-khai/<year>/du-toan.xlsx`."""

    def get(self, request: HttpRequest, year: int) -> HttpResponse:
        impl = _plan_for(year)
        response = HttpResponse(budget_xlsx(selectors.budget_summary(impl)), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="du-toan-{impl.year}.xlsx"'
        return response
