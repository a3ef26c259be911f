"""Writes of the annual cycle: the plan and its activities (with optimistic locking), the
draft → submitted → approved workflow, progress reports, and carrying unfinished activities
forward into the next year's plan.

Every write checks the user's right here (views check it too, only to hide buttons) and
owns its transaction; plans, activities and budget lines keep their history
(django-simple-history), with the acting user recorded.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from benvung.accounts.models import Role
from benvung.accounts.selectors import Access, access_for
from benvung.annualplans import domain
from benvung.annualplans.models import (
    Activity,
    ActivityReport,
    ActivityStatus,
    BudgetLine,
    FundingSource,
    ImplementationPlan,
    PlanStatus,
    SpendingLine,
)
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Plan
from benvung.tasks.models import Task


class AnnualPlanError(Exception):
    """A refused change, with a Vietnamese message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleVersion(AnnualPlanError):
    """The plan changed since the user loaded it: saving would lose the other change."""


# --- rights ---------------------------------------------------------------------------------


def can_edit_plans(access: Access) -> bool:
    """The co-ordinator (Sở Công Thương) drafts, edits and submits the year's plan."""
    return access.is_coordinator


def can_approve_plans(access: Access) -> bool:
    """A leader approves the plan (or returns it for revision)."""
    return access.is_superuser or Role.LEADER in access.roles


def can_report(access: Access, activity: Activity) -> bool:
    """The co-ordinator, or a reporter of the activity's responsible agency."""
    if access.is_coordinator:
        return True
    return activity.responsible.code in access.reporter_roots


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise AnnualPlanError(message)


def _lock(impl_plan: ImplementationPlan, version: int | None) -> ImplementationPlan:
    """Re-read the plan under a row lock and refuse a change based on an older version."""
    current = ImplementationPlan.objects.select_for_update().get(pk=impl_plan.pk)
    if version is not None and current.version != version:
        raise StaleVersion(
            f"Kế hoạch năm {current.year} vừa được người khác thay đổi (phiên bản "
            f"{current.version}, bạn đang sửa phiên bản {version}). Thay đổi của bạn chưa "
            "được lưu: hãy tải lại trang để xem bản mới nhất rồi sửa lại."
        )
    return current


def _bump(current: ImplementationPlan, user: Any, reason: str) -> None:
    current.version += 1
    current._history_user = user  # type: ignore[attr-defined]
    current._change_reason = reason  # type: ignore[attr-defined]
    current.save()


def _require_draft(current: ImplementationPlan) -> None:
    if current.status == PlanStatus.APPROVED:
        raise AnnualPlanError(f"Kế hoạch năm {current.year} đã được phê duyệt nên không sửa được.")
    if current.status != PlanStatus.DRAFT:
        raise AnnualPlanError(
            f"Kế hoạch năm {current.year} đã trình lãnh đạo; chỉ sửa được sau khi được trả lại."
        )


# --- the plan -------------------------------------------------------------------------------


def implementation_plan_create(
    *, plan: Plan, year: int, user: Any, title: str = "", is_demo: bool = False
) -> ImplementationPlan:
    """A new draft plan for the year (one per plan and year)."""
    _require(can_edit_plans(access_for(user)), "Chỉ điều phối viên được lập kế hoạch triển khai.")
    if not plan.start_year <= year <= plan.end_year:
        raise AnnualPlanError(
            f"Năm {year} nằm ngoài thời gian của kế hoạch ({plan.start_year}–{plan.end_year})."
        )
    if ImplementationPlan.objects.filter(plan=plan, year=year).exists():
        raise AnnualPlanError(f"Đã có kế hoạch triển khai năm {year}.")
    impl = ImplementationPlan(
        plan=plan,
        year=year,
        title=title or f"Kế hoạch triển khai năm {year}",
        is_demo=is_demo,
    )
    impl._history_user = user  # type: ignore[attr-defined]
    impl._change_reason = "Lập kế hoạch"  # type: ignore[attr-defined]
    impl.save()
    return impl


def implementation_plan_submit(
    *, impl_plan: ImplementationPlan, user: Any, version: int | None
) -> ImplementationPlan:
    """Draft → submitted (co-ordinator). An empty plan cannot be submitted."""
    _require(can_edit_plans(access_for(user)), "Chỉ điều phối viên được trình kế hoạch.")
    with transaction.atomic():
        current = _lock(impl_plan, version)
        _require_draft(current)
        if not current.activities.exists():
            raise AnnualPlanError("Kế hoạch chưa có hoạt động nào nên chưa trình được.")
        current.status = PlanStatus.SUBMITTED
        current.submitted_at = timezone.now()
        _bump(current, user, "Trình phê duyệt")
    return current


def implementation_plan_approve(
    *, impl_plan: ImplementationPlan, user: Any, version: int | None
) -> ImplementationPlan:
    """Submitted → approved (leader); the plan is then locked."""
    _require(can_approve_plans(access_for(user)), "Chỉ lãnh đạo được phê duyệt kế hoạch.")
    with transaction.atomic():
        current = _lock(impl_plan, version)
        if current.status != PlanStatus.SUBMITTED:
            raise AnnualPlanError("Chỉ phê duyệt được kế hoạch đã trình.")
        current.status = PlanStatus.APPROVED
        current.approved_at = timezone.now()
        current.approved_by = user
        _bump(current, user, "Phê duyệt")
    return current


def implementation_plan_return(
    *, impl_plan: ImplementationPlan, user: Any, version: int | None, reason: str = ""
) -> ImplementationPlan:
    """Submitted → draft (leader), for the co-ordinator to revise."""
    _require(can_approve_plans(access_for(user)), "Chỉ lãnh đạo được trả lại kế hoạch.")
    with transaction.atomic():
        current = _lock(impl_plan, version)
        if current.status != PlanStatus.SUBMITTED:
            raise AnnualPlanError("Chỉ trả lại được kế hoạch đã trình.")
        current.status = PlanStatus.DRAFT
        current.submitted_at = None
        _bump(current, user, f"Trả lại: {reason}" if reason else "Trả lại")
    return current


# --- activities -----------------------------------------------------------------------------


def _set_budget(activity: Activity, budget: Mapping[str, Decimal | None], user: Any) -> None:
    """Budget lines as given: a source with an amount is created or updated, a source left
    empty is removed (0 is kept: a deliberate zero)."""
    existing = {line.source: line for line in activity.budget_lines.all()}
    for source in FundingSource.values:
        amount = budget.get(source)
        line = existing.get(source)
        if amount is None:
            if line is not None:
                line._history_user = user  # type: ignore[attr-defined]
                line.delete()
            continue
        if amount < 0:
            raise AnnualPlanError(f"Kinh phí nguồn {FundingSource(source).label} không được âm.")
        if line is None:
            line = BudgetLine(activity=activity, source=source, amount=amount)
        elif line.amount == amount:
            continue
        line.amount = amount
        line._history_user = user  # type: ignore[attr-defined]
        line.save()


ACTIVITY_FIELDS = (
    "task",
    "code",
    "title",
    "responsible",
    "start_date",
    "end_date",
    "expected_outputs",
    "order",
)


def _check_activity(current: ImplementationPlan, data: Mapping[str, Any], pk: int | None) -> None:
    task: Task = data["task"]
    if task.plan_id != current.plan_id:
        raise AnnualPlanError("Nhiệm vụ không thuộc kế hoạch này.")
    if data["end_date"] < data["start_date"]:
        raise AnnualPlanError("Ngày hoàn thành phải sau ngày bắt đầu.")
    if data["start_date"].year != current.year and data["end_date"].year != current.year:
        raise AnnualPlanError(f"Thời gian thực hiện phải nằm trong năm {current.year}.")
    clash = Activity.objects.filter(implementation_plan=current, code=data["code"])
    if pk is not None:
        clash = clash.exclude(pk=pk)
    if clash.exists():
        raise AnnualPlanError(f"Mã hoạt động {data['code']} đã có trong kế hoạch.")


def activity_save(
    *,
    impl_plan: ImplementationPlan,
    user: Any,
    version: int | None,
    data: Mapping[str, Any],
    budget: Mapping[str, Decimal | None],
    coordinating: Iterable[OrgUnit] = (),
    activity: Activity | None = None,
) -> Activity:
    """Create (`activity` None) or update an activity of a draft plan with its budget lines.

    `data` holds the fields of ACTIVITY_FIELDS; `budget` maps a funding source to an amount
    in đồng (None: no line). Refused when the plan changed since `version` was read."""
    _require(can_edit_plans(access_for(user)), "Chỉ điều phối viên được sửa kế hoạch.")
    with transaction.atomic():
        current = _lock(impl_plan, version)
        _require_draft(current)
        _check_activity(current, data, activity.pk if activity else None)
        if activity is None:
            activity = Activity(implementation_plan=current)
        elif activity.implementation_plan_id != current.pk:
            raise AnnualPlanError("Hoạt động không thuộc kế hoạch này.")
        for name in ACTIVITY_FIELDS:
            if name in data:
                setattr(activity, name, data[name])
        activity._history_user = user  # type: ignore[attr-defined]
        activity.save()
        activity.coordinating.set(list(coordinating))
        _set_budget(activity, budget, user)
        _bump(current, user, f"Sửa hoạt động {activity.code}")
    return activity


def activity_delete(*, activity: Activity, user: Any, version: int | None) -> None:
    """Remove an activity (and its budget lines) from a draft plan."""
    _require(can_edit_plans(access_for(user)), "Chỉ điều phối viên được sửa kế hoạch.")
    with transaction.atomic():
        current = _lock(activity.implementation_plan, version)
        _require_draft(current)
        if activity.reports.exists():
            raise AnnualPlanError("Hoạt động đã có báo cáo tiến độ nên không xóa được.")
        code = activity.code
        activity._history_user = user  # type: ignore[attr-defined]
        activity.delete()
        _bump(current, user, f"Xóa hoạt động {code}")


# --- execution ------------------------------------------------------------------------------


def activity_report_create(
    *,
    activity: Activity,
    user: Any,
    as_of: dt.date,
    status: str,
    percent_done: int,
    spent: Mapping[str, Decimal | None],
    outputs_achieved: str = "",
    difficulties: str = "",
    proposals: str = "",
) -> ActivityReport:
    """Record the activity's progress as of a day; `spent` is the cumulative amount spent by
    source up to that day (None or absent: nothing from that source)."""
    _require(
        can_report(access_for(user), activity),
        "Chỉ cơ quan chủ trì hoạt động hoặc điều phối viên được báo cáo tiến độ.",
    )
    if status not in ActivityStatus.values:
        raise AnnualPlanError("Tình trạng không hợp lệ.")
    if not 0 <= percent_done <= 100:
        raise AnnualPlanError("Tỷ lệ hoàn thành phải từ 0 đến 100%.")
    if status == ActivityStatus.DONE and percent_done != 100:
        raise AnnualPlanError("Hoạt động hoàn thành thì tỷ lệ hoàn thành phải là 100%.")
    if as_of > timezone.localdate():
        raise AnnualPlanError("Ngày báo cáo không được sau hôm nay.")
    for source, amount in spent.items():
        if amount is not None and amount < 0:
            raise AnnualPlanError(
                f"Kinh phí đã chi nguồn {FundingSource(source).label} không được âm."
            )
    with transaction.atomic():
        report = ActivityReport.objects.create(
            activity=activity,
            as_of=as_of,
            status=status,
            percent_done=percent_done,
            outputs_achieved=outputs_achieved,
            difficulties=difficulties,
            proposals=proposals,
            reported_by=user if getattr(user, "is_authenticated", False) else None,
        )
        SpendingLine.objects.bulk_create(
            SpendingLine(report=report, source=source, amount=amount)
            for source, amount in spent.items()
            if amount is not None
        )
    return report


# --- carrying forward -----------------------------------------------------------------------


def _same_day(day: dt.date, year: int) -> dt.date:
    last = calendar.monthrange(year, day.month)[1]
    return dt.date(year, day.month, min(day.day, last))


def carry_forward(*, impl_plan: ImplementationPlan, user: Any) -> tuple[ImplementationPlan, int]:
    """Copy the activities of the year whose latest status is not done into next year's plan
    (a draft, created if missing), linked by `carried_from`. Budget lines are left empty for
    the user to fill (the page shows what remained of each source). An activity already
    carried is not copied twice. Returns the next year's plan and the number copied."""
    from benvung.annualplans.selectors import activity_state

    _require(can_edit_plans(access_for(user)), "Chỉ điều phối viên được lập kế hoạch triển khai.")
    year = impl_plan.year + 1
    end_of_year = dt.date(impl_plan.year, 12, 31)
    with transaction.atomic():
        target = ImplementationPlan.objects.filter(plan=impl_plan.plan, year=year).first()
        if target is None:
            target = implementation_plan_create(
                plan=impl_plan.plan, year=year, user=user, is_demo=impl_plan.is_demo
            )
        target = _lock(target, None)
        _require_draft(target)
        already = set(
            Activity.objects.filter(
                implementation_plan=target, carried_from__isnull=False
            ).values_list("carried_from_id", flat=True)
        )
        taken = set(target.activities.values_list("code", flat=True))
        next_order = len(taken)
        copied = 0
        for activity in impl_plan.activities.select_related("responsible").order_by(
            "order", "code"
        ):
            if activity.pk in already:
                continue
            if activity_state(activity, end_of_year).status == ActivityStatus.DONE:
                continue
            code = activity.code
            while code in taken:
                code = f"{code}*"
            taken.add(code)
            next_order += 1
            copy = Activity(
                implementation_plan=target,
                task_id=activity.task_id,
                code=code,
                title=activity.title,
                responsible_id=activity.responsible_id,
                start_date=dt.date(year, 1, 1),
                end_date=max(_same_day(activity.end_date, year), dt.date(year, 1, 1)),
                expected_outputs=activity.expected_outputs,
                carried_from=activity,
                order=next_order,
            )
            copy._history_user = user  # type: ignore[attr-defined]
            copy.save()
            copy.coordinating.set(list(activity.coordinating.all()))
            copied += 1
        if copied:
            _bump(target, user, f"Chuyển tiếp {copied} hoạt động từ năm {impl_plan.year}")
    return target, copied


def remaining_budget(activity: Activity) -> dict[str, Decimal]:
    """For a carried activity: what was left of each source of the original's budget."""
    from benvung.annualplans.selectors import SOURCES, activity_state

    origin = activity.carried_from
    if origin is None:
        return {}
    planned = domain.by_source(((b.source, b.amount) for b in origin.budget_lines.all()), SOURCES)
    spent = activity_state(origin, dt.date(origin.implementation_plan.year, 12, 31)).spent
    return domain.remaining(planned, spent)
