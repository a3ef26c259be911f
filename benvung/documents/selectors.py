"""Reads for the documents: the header values of a year, the active template of a kind, and
each document's data, taken from the same services the pages use (the plan page's indicator
engine, the implementation plan's budget summary and activity states).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Max, Min
from django.utils import timezone

from benvung.annualplans.models import ImplementationPlan
from benvung.annualplans.selectors import (
    BudgetRow,
    BudgetSummary,
    activity_state,
    budget_summary,
)
from benvung.core.models import SiteState
from benvung.documents.data import (
    SOURCE_CODES,
    ActivityLine,
    AnnualReportData,
    BudgetTotals,
    Header,
    IndicatorLine,
    NextYearData,
    ObjectiveResult,
    PlanInfo,
    StatusTally,
    sentence_name,
)
from benvung.documents.models import DocumentKind, DocumentSettings, DocumentTemplate
from benvung.documents.rendering import default_template_path
from benvung.indicators.presentation import target_text, value_text
from benvung.indicators.services import Evaluation, plan_progress
from benvung.plans.models import Plan
from benvung.plans.views import objective_sections, status_counts

DEFAULT_PLAN_CODE = "KH-2627"


class DocumentUnavailable(Exception):
    """A document that cannot be made from the data there is (message in Vietnamese)."""


def default_plan() -> Plan | None:
    return Plan.objects.select_related("scope_root").filter(code=DEFAULT_PLAN_CODE).first()


def cycle_years(plan: Plan) -> list[int]:
    """The years a report can be made for: the plan's years from its start, and any year
    with an implementation plan."""
    bounds = ImplementationPlan.objects.filter(plan=plan).aggregate(
        first=Min("year"), last=Max("year")
    )
    first = min(plan.start_year, bounds["first"] or plan.start_year)
    last = max(plan.end_year, bounds["last"] or plan.end_year)
    return list(range(first, last + 1))


def default_year(plan: Plan, today: dt.date | None = None) -> int:
    """The year whose report is due: the current year (reports are written in December),
    kept within the plan's years."""
    today = today or timezone.localdate()
    return min(max(today.year, plan.start_year), plan.end_year)


# --- Header values -----------------------------------------------------------------------------


def _place(plan: Plan) -> str:
    """The province's name without "Tỉnh"/"Thành phố" ("Hải Dương")."""
    name = plan.scope_root.name if plan.scope_root else plan.issuing_body
    for prefix in ("UBND tỉnh ", "UBND thành phố ", "Tỉnh ", "Thành phố ", "tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _abbreviation(body: str) -> str:
    """The body's initials, as its documents' symbols use them ("Sở Công Thương" → "SCT")."""
    return "".join(word[0] for word in body.split() if word[0].isalpha()).upper()


def settings_defaults(plan: Plan, year: int) -> dict[str, object]:
    """Header values for a year that has none saved, from the plan: its issuing body and lead
    agency (UBND tỉnh Hải Dương, Sở Công Thương)."""
    body = plan.lead_agency or "Sở Công Thương"
    local = "- UBND các huyện, thị xã, thành phố;" if year < 2025 else "- UBND các xã, phường;"
    return {
        "parent_body": plan.issuing_body.upper(),
        "body": body.upper(),
        "body_abbreviation": _abbreviation(body),
        "place": _place(plan),
        "report_number": "",
        "report_date": None,
        "plan_number": "",
        "plan_date": None,
        "head_title": "Giám đốc",
        "on_behalf": False,
        "signer_title": "Phó Giám đốc",
        "signer_name": "",
        "report_recipients": "\n".join(
            [
                "- UBND tỉnh (để b/c);",
                "- Bộ Công Thương (để b/c);",
                "- Lãnh đạo Sở;",
                "- Lưu: VT, QLCN.",
            ]
        ),
        "plan_recipients": "\n".join(
            [
                "- UBND tỉnh (để b/c);",
                "- Bộ Công Thương (để b/c);",
                "- Các sở, ban, ngành tỉnh;",
                local,
                "- Lãnh đạo Sở;",
                "- Lưu: VT, QLCN.",
            ]
        ),
    }


def document_settings(plan: Plan, year: int) -> DocumentSettings:
    """The saved header values of a year, or (unsaved) the defaults from the plan."""
    saved = DocumentSettings.objects.filter(year=year).first()
    return saved or DocumentSettings(year=year, **settings_defaults(plan, year))


def _recipients(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def header_for(settings: DocumentSettings, kind: str) -> Header:
    """The header of one document: the report uses the report's number and date, the plan
    and the estimate the plan's (the estimate is issued with the plan)."""
    report = kind == DocumentKind.BAO_CAO
    day = settings.report_date if report else settings.plan_date
    return Header(
        parent_body=settings.parent_body,
        body=settings.body,
        body_abbreviation=settings.body_abbreviation,
        place=settings.place,
        number=settings.report_number if report else settings.plan_number,
        date=day,
        year=settings.year,
        head_title=settings.head_title,
        on_behalf=settings.on_behalf,
        signer_title=settings.signer_title,
        signer_name=settings.signer_name,
        recipients=_recipients(settings.report_recipients if report else settings.plan_recipients),
    )


# --- Templates ---------------------------------------------------------------------------------


def active_template(kind: str) -> DocumentTemplate | None:
    """The uploaded template in use for a kind, if any (else the default is used)."""
    return DocumentTemplate.objects.filter(kind=kind, is_active=True).first()


def template_bytes(kind: str) -> bytes:
    """The template a document of this kind is made from: the active upload or the default."""
    uploaded = active_template(kind)
    if uploaded is not None:
        with uploaded.file.open("rb") as fh:
            data: bytes = fh.read()
        return data
    return default_template_path(kind).read_bytes()


def template_history(kind: str) -> list[DocumentTemplate]:
    return list(DocumentTemplate.objects.filter(kind=kind).select_related("uploaded_by")[:10])


# --- Document data -----------------------------------------------------------------------------


def plan_info(plan: Plan) -> PlanInfo:
    return PlanInfo(
        code=plan.code,
        name=plan.name,
        decision=plan.decision,
        decision_date=plan.decision_date,
        issuing_body=sentence_name(plan.issuing_body),
        base_year=plan.base_year,
    )


def indicator_line(evaluation: Evaluation) -> IndicatorLine:
    """An indicator as the plan page shows it: the same value, target and status texts."""
    indicator = evaluation.indicator
    target = evaluation.target
    expected = evaluation.expected
    return IndicatorLine(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        formula=indicator.formula,
        is_qualitative=indicator.is_qualitative,
        value=evaluation.value,
        value_text=value_text(evaluation.value, indicator),
        target_text=target_text(target, indicator),
        target_minimum=target.minimum if target is not None else None,
        target_year=target.year if target is not None else None,
        expected=expected,
        expected_text=value_text(expected, indicator) if expected is not None else "—",
        status=evaluation.status,
        status_label=evaluation.status_label,
        evidence=evaluation.qualitative.evidence if evaluation.qualitative else "",
    )


def _totals(summary: BudgetSummary) -> BudgetTotals:
    return BudgetTotals(
        planned_by_source={s: summary.planned_by_source.get(s, Decimal(0)) for s in SOURCE_CODES},
        spent_by_source={s: summary.spent_by_source.get(s, Decimal(0)) for s in SOURCE_CODES},
        planned_total=summary.planned_total,
        spent_total=summary.spent_total,
    )


def _activity_line(row: BudgetRow, as_of: dt.date | None) -> ActivityLine:
    activity = row.activity
    group = activity.task.group
    state = activity_state(activity, as_of) if as_of is not None else None
    return ActivityLine(
        code=activity.code,
        title=activity.title,
        group_code=group.code,
        group_name=group.name,
        task_code=activity.task.code,
        task_title=activity.task.title,
        responsible=activity.responsible.name,
        coordinating=tuple(unit.name for unit in activity.coordinating.all()),
        start_date=activity.start_date,
        end_date=activity.end_date,
        expected_outputs=activity.expected_outputs,
        planned={s: row.planned.get(s, Decimal(0)) for s in SOURCE_CODES},
        planned_total=row.planned_total,
        group_order=group.order,
        carried=activity.carried_from_id is not None,
        status=row.status,
        status_label=row.status_label,
        percent_done=row.percent_done,
        outputs=state.outputs if state else "",
        difficulties=state.difficulties if state else "",
        proposals=state.proposals if state else "",
        overdue=row.overdue,
        spent={s: row.spent.get(s, Decimal(0)) for s in SOURCE_CODES},
        spent_total=row.spent_total,
    )


def _is_demo(*plans: ImplementationPlan | None) -> bool:
    if any(p is not None and p.is_demo for p in plans):
        return True
    return SiteState.objects.filter(pk=1, has_demo_data=True).exists()


def report_as_of(settings: DocumentSettings, year: int, today: dt.date | None = None) -> dt.date:
    """The day the report's activity figures are read on: the report's date (or today), but
    never past the end of the year reported on."""
    day = settings.report_date or today or timezone.localdate()
    return min(day, dt.date(year, 12, 31))


def annual_report_data(
    *,
    plan: Plan,
    year: int,
    settings: DocumentSettings,
    approved_only: bool = False,
    today: dt.date | None = None,
) -> AnnualReportData:
    """Everything the annual report of year Y says: the plan page's evaluations of Y, the
    activities of Y's implementation plan as of the report's day, and its budget."""
    evaluations = plan_progress(plan=plan, year=year, root=None, approved_only=approved_only)
    objectives = tuple(
        ObjectiveResult(
            code=section.objective.code,
            name=section.objective.name,
            lines=tuple(indicator_line(e) for e in section.evaluations),
        )
        for section in objective_sections(plan, evaluations)
    )
    tallies = tuple(StatusTally(t.status, t.label, t.count) for t in status_counts(evaluations))
    as_of = report_as_of(settings, year, today)
    impl = ImplementationPlan.objects.filter(plan=plan, year=year).first()
    activities: tuple[ActivityLine, ...] = ()
    budget = None
    if impl is not None:
        summary = budget_summary(impl, as_of)
        activities = tuple(_activity_line(row, as_of) for row in summary.rows)
        budget = _totals(summary)
    return AnnualReportData(
        plan=plan_info(plan),
        year=year,
        as_of=as_of,
        header=header_for(settings, DocumentKind.BAO_CAO),
        objectives=objectives,
        tallies=tallies,
        activities=activities,
        budget=budget,
        implementation_plan_title=_impl_title(impl, year),
        approved_only=approved_only,
        demo=_is_demo(impl),
    )


def _impl_title(impl: ImplementationPlan | None, year: int) -> str:
    title = f"Kế hoạch triển khai năm {year}"
    if impl is not None and impl.title:
        title = impl.title
    return title


def next_year_data(*, plan: Plan, year: int, settings: DocumentSettings, kind: str) -> NextYearData:
    """Everything next year's plan and budget estimate say: the activities and budget lines
    of the Y+1 implementation plan. Raises `DocumentUnavailable` when there is none yet."""
    impl = ImplementationPlan.objects.filter(plan=plan, year=year + 1).first()
    if impl is None:
        raise DocumentUnavailable(
            f"Chưa có kế hoạch triển khai năm {year + 1}: hãy lập kế hoạch năm {year + 1} "
            "(trang Triển khai hằng năm) trước khi tạo văn bản này."
        )
    summary = budget_summary(impl, dt.date(year + 1, 1, 1))
    return NextYearData(
        plan=plan_info(plan),
        year=year,
        header=header_for(settings, kind),
        plan_header=header_for(settings, DocumentKind.KE_HOACH),
        activities=tuple(_activity_line(row, None) for row in summary.rows),
        budget=_totals(summary),
        implementation_plan_title=_impl_title(impl, year + 1),
        report_deadline=dt.date(year + 1, 12, 15),
        demo=_is_demo(impl),
    )


def has_implementation_plan(plan: Plan, year: int) -> bool:
    return ImplementationPlan.objects.filter(plan=plan, year=year).exists()
