"""Reads of the annual cycle: an activity's state on a day, a plan's budget summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from benvung.annualplans import domain
from benvung.annualplans.models import (
    Activity,
    ActivityReport,
    ActivityStatus,
    FundingSource,
    ImplementationPlan,
    PlanStatus,
)

SOURCES: list[str] = [s.value for s in FundingSource]
# Column headings of the wide budget tables (the full name is the cell's title).
SOURCE_SHORT: dict[str, Any] = {
    FundingSource.NSTW: _("NS trung ương"),
    FundingSource.NST: _("NS tỉnh"),
    FundingSource.NSH: _("NS huyện"),
    FundingSource.XHH: _("Xã hội hóa"),
    FundingSource.LONG_GHEP: _("Lồng ghép"),
}


def source_headings() -> list[tuple[str, Any, str]]:
    """(code, short heading, full name) per funding source, in the fixed order."""
    return [(s, SOURCE_SHORT[s], str(FundingSource(s).label)) for s in SOURCES]


@dataclass
class ActivityState:
    """An activity as of a day: from its latest report on or before that day."""

    status: str
    percent_done: int
    outputs: str
    difficulties: str
    proposals: str
    spent: dict[str, Decimal]
    overdue: bool
    report: ActivityReport | None = None

    @property
    def spent_total(self) -> Decimal:
        return domain.total(self.spent)

    @property
    def status_label(self) -> str:
        return str(ActivityStatus(self.status).label)


@dataclass
class BudgetRow:
    activity: Activity
    task: object
    group: object
    responsible: object
    planned: dict[str, Decimal]
    spent: dict[str, Decimal]
    planned_total: Decimal
    spent_total: Decimal
    status: str
    percent_done: int
    overdue: bool

    @property
    def status_label(self) -> str:
        return str(ActivityStatus(self.status).label)

    @property
    def rate(self) -> Decimal | None:
        return domain.execution_rate(self.planned_total, self.spent_total)


@dataclass
class SummaryLine:
    """One line of a summary by agency or by task group."""

    name: str
    planned_total: Decimal
    spent_total: Decimal
    activities: int = 0
    overdue: int = 0
    done: int = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        # Reads as the (name, planned_total, spent_total) tuple of the agreed interface.
        return iter((self.name, self.planned_total, self.spent_total))

    @property
    def rate(self) -> Decimal | None:
        return domain.execution_rate(self.planned_total, self.spent_total)


@dataclass
class BudgetSummary:
    implementation_plan: ImplementationPlan
    as_of: dt.date
    rows: list[BudgetRow] = field(default_factory=list)
    planned_by_source: dict[str, Decimal] = field(default_factory=dict)
    spent_by_source: dict[str, Decimal] = field(default_factory=dict)
    planned_total: Decimal = Decimal(0)
    spent_total: Decimal = Decimal(0)
    by_agency: list[SummaryLine] = field(default_factory=list)
    by_group: list[SummaryLine] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        return domain.execution_rate(self.planned_total, self.spent_total)

    @property
    def source_lines(self) -> list[tuple[str, str, Decimal, Decimal, Decimal | None]]:
        """(code, label, planned, spent, rate) per funding source, in the fixed order."""
        return [
            (
                s,
                str(FundingSource(s).label),
                self.planned_by_source[s],
                self.spent_by_source[s],
                domain.execution_rate(self.planned_by_source[s], self.spent_by_source[s]),
            )
            for s in SOURCES
        ]

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.rows if r.overdue)

    @property
    def done_count(self) -> int:
        return sum(1 for r in self.rows if r.status == ActivityStatus.DONE)


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's state is read on: today during the year, 31/12 once it is over."""
    today = today or dt.date.today()
    return min(today, dt.date(year, 12, 31))


def _planned(activity: Activity) -> dict[str, Decimal]:
    """The activity's budget by source (prefetched `budget_lines` are reused)."""
    return domain.by_source(((b.source, b.amount) for b in activity.budget_lines.all()), SOURCES)


def _spent(report: ActivityReport) -> dict[str, Decimal]:
    """The report's spending by source (prefetched `spending` is reused)."""
    return domain.by_source(((s.source, s.amount) for s in report.spending.all()), SOURCES)


def _user_name(user: Any) -> str:
    """A user's full name, else the username; "—" when there is no user."""
    return (user.get_full_name() or user.username) if user else "—"


def _latest(reports: list[ActivityReport], as_of: dt.date) -> ActivityReport | None:
    candidates = [r for r in reports if r.as_of <= as_of]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.as_of, r.pk))


def _state(activity: Activity, reports: list[ActivityReport], as_of: dt.date) -> ActivityState:
    report = _latest(reports, as_of)
    if report is None:
        status, percent = ActivityStatus.NOT_STARTED.value, 0
        spent = domain.by_source([], SOURCES)
    else:
        status, percent = report.status, report.percent_done
        spent = _spent(report)
    return ActivityState(
        status=status,
        percent_done=percent,
        outputs=report.outputs_achieved if report else "",
        difficulties=report.difficulties if report else "",
        proposals=report.proposals if report else "",
        spent=spent,
        overdue=domain.is_overdue(activity.end_date, status, as_of),
        report=report,
    )


def activity_state(activity: Activity, as_of: dt.date) -> ActivityState:
    """The activity's state on `as_of`: its latest report (max as_of, then id) on or before
    that day; without one, not started and nothing spent."""
    reports = list(activity.reports.prefetch_related("spending"))
    return _state(activity, reports, as_of)


def activities_for(impl_plan: ImplementationPlan) -> QuerySet[Activity]:
    """The plan's activities with everything a summary reads, in few queries."""
    return (
        impl_plan.activities.select_related("task__group", "responsible", "carried_from")
        .prefetch_related(
            "budget_lines",
            "coordinating",
            Prefetch(
                "reports",
                queryset=ActivityReport.objects.prefetch_related("spending").order_by(
                    "as_of", "id"
                ),
            ),
        )
        .order_by("order", "code")
    )


def budget_summary(impl_plan: ImplementationPlan, as_of: dt.date | None = None) -> BudgetSummary:
    """Planned and spent amounts of every activity of the plan, by source, with totals by
    source, by responsible agency and by task group. All totals are sums of the same rows, so
    they add up exactly (total by agency == total by group == total by source == grand total)."""
    as_of = as_of or default_as_of(impl_plan.year)
    summary = BudgetSummary(implementation_plan=impl_plan, as_of=as_of)
    summary.planned_by_source = domain.by_source([], SOURCES)
    summary.spent_by_source = domain.by_source([], SOURCES)
    agencies: dict[int, SummaryLine] = {}
    groups: dict[int, SummaryLine] = {}
    group_order: dict[int, tuple[int, str]] = {}
    for activity in activities_for(impl_plan):
        planned = _planned(activity)
        state = _state(activity, list(activity.reports.all()), as_of)
        row = BudgetRow(
            activity=activity,
            task=activity.task,
            group=activity.task.group,
            responsible=activity.responsible,
            planned=planned,
            spent=state.spent,
            planned_total=domain.total(planned),
            spent_total=state.spent_total,
            status=state.status,
            percent_done=state.percent_done,
            overdue=state.overdue,
        )
        summary.rows.append(row)
        domain.add_by_source(summary.planned_by_source, planned)
        domain.add_by_source(summary.spent_by_source, state.spent)
        for key, bucket, name in (
            (activity.responsible_id, agencies, activity.responsible.name),
            (activity.task.group_id, groups, str(activity.task.group)),
        ):
            line = bucket.setdefault(key, SummaryLine(name, Decimal(0), Decimal(0)))
            line.planned_total += row.planned_total
            line.spent_total += row.spent_total
            line.activities += 1
            line.overdue += int(row.overdue)
            line.done += int(row.status == ActivityStatus.DONE)
        group_order[activity.task.group_id] = (activity.task.group.order, activity.task.group.code)
    summary.planned_total = domain.total(summary.planned_by_source)
    summary.spent_total = domain.total(summary.spent_by_source)
    summary.by_agency = sorted(agencies.values(), key=lambda line: (-line.planned_total, line.name))
    summary.by_group = [groups[k] for k in sorted(groups, key=lambda k: group_order[k])]
    return summary


def implementation_plans(plan_code: str | None = None) -> QuerySet[ImplementationPlan]:
    """Implementation plans, newest year first."""
    qs = ImplementationPlan.objects.select_related("plan").order_by("-year")
    if plan_code:
        qs = qs.filter(plan__code=plan_code)
    return qs


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: str
    reason: str
    status_label: str
    version: int


def plan_history(impl_plan: ImplementationPlan) -> list[HistoryEntry]:
    """The plan's recorded changes, newest first (who, when, what, resulting version)."""
    entries = []
    records = impl_plan.history.select_related("history_user")
    for record in records.order_by("-history_date", "-history_id"):
        user = record.history_user
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=_user_name(user),
                reason=record.history_change_reason or "",
                status_label=str(PlanStatus(record.status).label),
                version=record.version,
            )
        )
    return entries


@dataclass
class ReportLine:
    report: ActivityReport
    spent: dict[str, Decimal]
    spent_total: Decimal
    reporter: str


@dataclass
class ActivityDetail:
    planned: dict[str, Decimal]
    planned_total: Decimal
    reports: list[ReportLine]


def activity_detail(activity: Activity) -> ActivityDetail:
    """The activity's budget by source and its reports, newest first."""
    planned = _planned(activity)
    lines = []
    for report in (
        activity.reports.select_related("reported_by")
        .prefetch_related("spending")
        .order_by("-as_of", "-id")
    ):
        spent = _spent(report)
        user = report.reported_by
        lines.append(
            ReportLine(
                report=report,
                spent=spent,
                spent_total=domain.total(spent),
                reporter=_user_name(user),
            )
        )
    return ActivityDetail(planned=planned, planned_total=domain.total(planned), reports=lines)
