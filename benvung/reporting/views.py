"""Pages of data entry, review and history.

Each view parses the request, asks `entry`/`history` (reads) or `services` (writes), and
renders; the permission of every page is `entry.can_read_unit` (co-ordinators, leaders and
administrators read everything, reporters their subtrees), so a reporter never sees another
unit's unpublished data.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from benvung.accounts.models import DataKind
from benvung.accounts.selectors import Access, access_for, reportable_units
from benvung.accounts.services import record_access
from benvung.datavalues.models import DataElement
from benvung.orgunits.models import OrgUnit
from benvung.reporting import entry, history
from benvung.reporting.forms import DecisionForm, EntryForm, OverviewFilterForm
from benvung.reporting.models import DataSet, EventAction, Submission, SubmissionStatus
from benvung.reporting.selectors import data_set_of_element
from benvung.reporting.services import (
    SaveOutcome,
    WorkflowError,
    submission_approve,
    submission_for,
    submission_reopen,
    submission_return,
    submission_submit,
    values_save,
)

HISTORY_PAGE_SIZE = 50
DONE = {
    EventAction.SUBMIT: gettext_lazy("Đã gửi báo cáo của %(unit)s (%(data_set)s, kỳ %(period)s)."),
    EventAction.APPROVE: gettext_lazy(
        "Đã duyệt báo cáo của %(unit)s (%(data_set)s, kỳ %(period)s)."
    ),
    EventAction.RETURN: gettext_lazy(
        "Đã trả lại báo cáo của %(unit)s (%(data_set)s, kỳ %(period)s)."
    ),
    EventAction.REOPEN: gettext_lazy(
        "Đã mở lại báo cáo của %(unit)s (%(data_set)s, kỳ %(period)s)."
    ),
}
QUEUE_PAGE_SIZE = 50


class ReportingView(LoginRequiredMixin, View):
    """Signed-in users only; `load` then finds what the URL names and checks the right to
    read it, before any handler runs."""

    @property
    def access(self) -> Access:
        return access_for(self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs: Any) -> None:
        """Find the objects of the URL (404) and check the user may read them (403)."""

    def check_unit(self, unit: OrgUnit, year: int) -> None:
        if not entry.can_read_unit(self.access, unit.code, year):
            raise PermissionDenied(_("Bạn không có quyền xem số liệu của đơn vị này."))


def _unit_or_404(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise Http404(_("Không có đơn vị mã %(code)s.") % {"code": code})
    return unit


def _page(request: HttpRequest, items: Any, size: int) -> Any:
    return Paginator(items, size).get_page(request.GET.get("trang"))


# --- Overview -------------------------------------------------------------------------------------


class OverviewView(ReportingView, TemplateView):
    """`/bao-cao/?nam=YYYY&don-vi=CODE`: the user's forms of the year with their state; for
    the co-ordinator, the reports waiting for a decision."""

    template_name = "reporting/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = self.access
        year = entry.clamp_year(self.request.GET.get("nam"))
        browses = access.reads_everything
        form = OverviewFilterForm(
            self.request.GET, scope_units=entry.scope_choices(year) if browses else None
        )
        year = form.year
        if browses:
            scope = form.scope
            roots = [scope] if scope is not None else []
        else:
            scope = None
            roots = entry.reporter_roots(access)
        context.update(
            form=form,
            year=year,
            scope=scope,
            browses=browses,
            roots=roots,
            sections=entry.overview_sections(year=year, roots=roots, access=access),
        )
        params = self.request.GET.copy()
        params.pop("trang", None)
        context["query"] = params.urlencode()
        if access.can_approve:
            context["queue"] = _page(self.request, entry.review_queue(), QUEUE_PAGE_SIZE)
        return context


# --- Entry form -----------------------------------------------------------------------------------


class EntryView(ReportingView):
    """`/bao-cao/<data set>/<period>/<unit>/`: one form for the unit and every unit of the data
    set's types in its subtree. POST saves (`action=save`) or saves and sends (`submit`)."""

    template_name = "reporting/entry.html"

    def load(self, **kwargs: Any) -> None:
        data_set = DataSet.objects.filter(code=kwargs["data_set_code"].upper()).first()
        if data_set is None:
            raise Http404(_("Không có biểu mẫu mã %(code)s.") % {"code": kwargs["data_set_code"]})
        self.data_set: DataSet = data_set
        period = entry.valid_period(kwargs["period"], data_set)
        if period is None:
            raise Http404(_("Kỳ báo cáo %(period)s không hợp lệ.") % {"period": kwargs["period"]})
        self.period = period
        self.unit = _unit_or_404(kwargs["unit_code"])
        self.check_unit(self.unit, int(self.period[:4]))

    def grid(self) -> entry.EntryGrid:
        return entry.entry_grid(
            data_set=self.data_set, period=self.period, unit=self.unit, access=self.access
        )

    def render(self, form: EntryForm, **extra: Any) -> HttpResponse:
        context = {
            "grid": form.grid,
            "form": form,
            "data_set": self.data_set,
            "period": self.period,
            "unit": self.unit,
            "year": int(self.period[:4]),
            **extra,
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record_access(request, self.unit, DataKind.ENTRY)
        return self.render(EntryForm(grid=self.grid()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.access.can_enter_data:
            raise PermissionDenied(_("Tài khoản của bạn chỉ được xem, không nhập số liệu."))
        # Rows locked since the form was opened still go to the service, which refuses
        # their values with its reason; what was typed in them is shown beside them.
        grid = self.grid()
        form = EntryForm(request.POST, grid=grid)
        if not form.is_valid():
            return self.render(form)
        outcome = values_save(
            user=request.user,
            data_set=self.data_set,
            period=self.period,
            entries=form.entries(),
            versions=form.versions(),
            originals=form.originals(),
        )
        if outcome.conflicts:
            reloaded = EntryForm(grid=self.grid())
            reloaded.keep_typing(form)
            conflicts = entry.conflict_lines(outcome.conflicts, reloaded.grid)
            return self.render(reloaded, conflicts=conflicts)
        if not outcome.ok:
            form.add_problems(outcome.problems)
            return self.render(form)
        self.report_saved(outcome)
        if request.POST.get("action") == EventAction.SUBMIT:
            self.submit_rows(grid, form)
        return HttpResponseRedirect(request.get_full_path())

    def report_saved(self, outcome: SaveOutcome) -> None:
        result = outcome.result
        if result is None:
            return
        if result.created or result.updated:
            messages.success(
                self.request,
                _("Đã lưu số liệu: %(created)d mới, %(updated)d sửa, %(same)d không đổi.")
                % {"created": result.created, "updated": result.updated, "same": result.unchanged},
            )
        else:
            messages.info(self.request, _("Không có thay đổi nào để lưu."))

    def submit_rows(self, grid: entry.EntryGrid, form: EntryForm) -> None:
        """Send the report of every row of the form that has values and may be sent."""
        codes = [row.unit.code for row in grid.rows if row.editable]
        with_values = entry.units_with_values(
            data_set=self.data_set, period=self.period, unit_codes=codes
        )
        sent, failed = [], []
        for row in grid.rows:
            if row.unit.code not in with_values or not row.editable:
                continue
            submission = submission_for(
                data_set=self.data_set, org_unit=row.unit, period=self.period
            )
            if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
                continue  # already sent: the co-ordinator corrected it before deciding
            try:
                submission_submit(submission=submission, user=self.request.user, access=self.access)
            except WorkflowError as exc:
                failed.append(f"{row.unit.name}: {exc}")
            else:
                sent.append(row.unit.name)
        if sent:
            messages.success(
                self.request,
                _("Đã gửi %(count)d báo cáo để Sở Công Thương duyệt: %(units)s.")
                % {"count": len(sent), "units": ", ".join(sent)},
            )
        elif not failed:
            messages.info(self.request, _("Không có báo cáo nào cần gửi."))
        for line in failed:
            messages.error(self.request, line)


# --- A submission ---------------------------------------------------------------------------------


class SubmissionView(ReportingView):
    """`/bao-cao/nop/<id>/`: a report, its values and timeline, and the steps the user may
    take (POST, one step per request)."""

    template_name = "reporting/submission.html"

    def load(self, **kwargs: Any) -> None:
        submission = entry.submission_get(kwargs["submission_id"])
        if submission is None:
            raise Http404(_("Không có báo cáo này."))
        self.submission: Submission = submission
        self.check_unit(submission.org_unit, submission.year)

    def allowed_actions(self) -> set[str]:
        access, status = self.access, self.submission.status
        actions = set()
        if status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
            allowed = reportable_units(access, self.submission.year)
            if access.can_enter_data and (
                allowed is None or self.submission.org_unit.code in allowed
            ):
                actions.add(EventAction.SUBMIT.value)
        if access.can_approve and status == SubmissionStatus.SUBMITTED:
            actions |= {EventAction.APPROVE.value, EventAction.RETURN.value}
        if access.can_approve and status == SubmissionStatus.APPROVED:
            actions.add(EventAction.REOPEN.value)
        return actions

    def render(self, form: DecisionForm | None = None, status: int = 200) -> HttpResponse:
        submission = self.submission
        context = {
            "submission": submission,
            "detail": entry.submission_detail(submission),
            "actions": self.allowed_actions(),
            "form": form,
            "failed_action": form.data.get("action") if form is not None else "",
            "entry_url": reverse(
                "reporting:entry",
                args=[submission.data_set.code, submission.period, submission.org_unit.code],
            ),
            "next": self.request.GET.get("next", ""),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.submission.status != SubmissionStatus.APPROVED:
            record_access(request, self.submission.org_unit, DataKind.SUBMISSION)
        return self.render()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        action = form.cleaned_data["action"]
        comment = form.cleaned_data["comment"]
        step: dict[str, Any] = {
            "submission": self.submission,
            "user": request.user,
            "access": self.access,
        }
        try:
            if action == EventAction.APPROVE:
                done = submission_approve(**step)
            elif action == EventAction.RETURN:
                done = submission_return(**step, comment=comment)
            elif action == EventAction.REOPEN:
                done = submission_reopen(**step, reason=comment)
            else:
                done = submission_submit(**step)
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                DONE[EventAction(action)]
                % {
                    "unit": done.org_unit.name,
                    "data_set": done.data_set.name,
                    "period": done.period,
                },
            )
        target = form.cleaned_data.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        return HttpResponseRedirect(target or request.path)


# --- History --------------------------------------------------------------------------------------


class ValueHistoryView(ReportingView, TemplateView):
    """`/bao-cao/lich-su/<element>/<unit>/<period>/`: every change of one value."""

    template_name = "reporting/value_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        element = DataElement.objects.filter(code=kwargs["element_code"].upper()).first()
        if element is None:
            raise Http404(_("Không có chỉ số mã %(code)s.") % {"code": kwargs["element_code"]})
        unit = _unit_or_404(kwargs["unit_code"])
        period = kwargs["period"].upper()
        if not period[:4].isdigit():
            raise Http404(_("Kỳ báo cáo %(period)s không hợp lệ.") % {"period": period})
        self.check_unit(unit, int(period[:4]))
        changes = history.value_history(element=element, unit=unit, period=period)
        changes.reverse()
        record_access(self.request, unit, DataKind.HISTORY)
        data_set = data_set_of_element(element.code)
        context.update(
            element=element,
            unit=unit,
            period=period,
            changes=changes,
            data_set=data_set,
        )
        return context


class UnitHistoryView(ReportingView, TemplateView):
    """`/bao-cao/lich-su/<unit>/`: every change of the unit's values, newest first, by 50."""

    template_name = "reporting/unit_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = _unit_or_404(kwargs["unit_code"])
        access = self.access
        if access.reads_everything:
            years = None
        else:
            years = entry.readable_years(access, unit.code, history.unit_history_years(unit))
            current = entry.clamp_year(None)
            if not years and not entry.can_read_unit(access, unit.code, current):
                raise PermissionDenied(_("Bạn không có quyền xem số liệu của đơn vị này."))
        page = _page(
            self.request,
            history.unit_changes(unit=unit, years=years),
            HISTORY_PAGE_SIZE,
        )
        record_access(self.request, unit, DataKind.HISTORY)
        context.update(unit=unit, page=page, changes=page.object_list)
        return context
