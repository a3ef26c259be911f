"""The context a Word template is rendered with: the document's data as Vietnamese text
("1.234.567", "72,00 %", "ngày 05 tháng 01 năm 2026"). docs/documents.md lists every name.

No Django import: the figures are formatted with `core.formatting`, as on the pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from benvung.core.formatting import format_date, format_number, format_vnd
from benvung.documents import domain
from benvung.documents.charts import report_charts
from benvung.documents.data import (
    KIND_PLAN,
    KIND_REPORT,
    SOURCES,
    ActivityLine,
    AnnualReportData,
    BudgetTotals,
    Header,
    NextYearData,
    PlanInfo,
)

EMPTY = "—"
DEMO_NOTICE = "DỮ LIỆU MINH HỌA — KHÔNG PHẢI SỐ LIỆU CHÍNH THỨC"
# Activity states in the order a summary names them.
STATE_ORDER = ("hoan_thanh", "dang_thuc_hien", "chua_bat_dau", "tam_dung")


def money(amount: Decimal) -> str:
    """An amount in a table under a "đồng" heading: "1.234.567"."""
    return format_vnd(amount, unit=False)


def rate_text(part: Decimal, whole: Decimal) -> str:
    """Spent as a share of planned, one decimal ("45,3"); "—" when nothing was planned."""
    share = domain.share_percent(part, whole)
    return EMPTY if share is None else format_number(share, 1)


def _common(header: Header, plan: PlanInfo, kind_code: str, demo: bool) -> dict[str, Any]:
    signer = domain.signer_lines(
        on_behalf=header.on_behalf, head_title=header.head_title, signer_title=header.signer_title
    )
    return {
        "hdr": {
            "parent_body": header.parent_body.upper(),
            "body": header.body.upper(),
            "body_name": header.body_name,
            "number_line": header.number_line(kind_code),
            "date_line": header.date_line,
            "place": header.place,
        },
        "plan": {
            "code": plan.code,
            "name": plan.name,
            "decision_ref": plan.decision_ref,
            "issuing_body": plan.issuing_body,
        },
        "signer": {"capacity": "\n".join(signer), "name": header.signer_name},
        "recipients": list(header.recipients),
        "demo": DEMO_NOTICE if demo else "",
    }


def activity_groups(
    activities: Iterable[ActivityLine],
) -> list[tuple[str, str, list[ActivityLine]]]:
    """Activities under their task groups, the groups in the plan's order of groups and the
    activities of a group in the implementation plan's order."""
    groups: dict[str, tuple[str, list[ActivityLine]]] = {}
    order: dict[str, tuple[int, str]] = {}
    for activity in activities:
        groups.setdefault(activity.group_code, (activity.group_name, []))[1].append(activity)
        order[activity.group_code] = (activity.group_order, activity.group_code)
    return [
        (code, groups[code][0], groups[code][1]) for code in sorted(groups, key=order.__getitem__)
    ]


def _tally_text(tallies: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{count} {label[0].lower()}{label[1:]}" for label, count in tallies if count)


def indicator_summary(data: AnnualReportData) -> str:
    """The summary line "Năm 2025, Kế hoạch có 22 chỉ tiêu: 9 đạt, …", saying where the
    figures come from."""
    count = len(data.indicator_lines)
    tallies = _tally_text([(t.label, t.count) for t in data.tallies])
    source = (
        "chỉ tính số liệu của các báo cáo đã được phê duyệt"
        if data.approved_only
        else "tính trên toàn bộ số liệu đã cập nhật vào hệ thống"
    )
    return (
        f"Năm {data.year}, Kế hoạch có {count} chỉ tiêu được theo dõi, đánh giá: {tallies} "
        f"(đánh giá theo lộ trình đến các mốc của Kế hoạch; {source})."
    )


def _indicator_context(data: AnnualReportData) -> dict[str, Any]:
    objectives = []
    for objective in data.objectives:
        rows = []
        notes = []
        for number, line in enumerate(objective.lines, start=1):
            value = "Định tính" if line.is_qualitative else line.value_text
            rows.append(
                {
                    "stt": number,
                    "code": line.code,
                    "name": f"{line.code}. {line.name}",
                    "value": value,
                    "target": line.target_text,
                    "expected": line.expected_text,
                    "status": line.status_label,
                }
            )
            if line.evidence:
                notes.append(f"{line.code}: {domain.clean_text(line.evidence)}")
        objectives.append(
            {"code": objective.code, "name": objective.name, "rows": rows, "notes": notes}
        )
    charts = report_charts(data.indicator_lines, data.year, data.plan.base_year)
    return {
        "summary": indicator_summary(data),
        "objectives": objectives,
        "charts": [{"caption": c.caption, "png": c.png} for c in charts],
    }


def activity_summary(data: AnnualReportData) -> str:
    """The activities of the year by state, as of the report's day."""
    if not data.activities:
        return f"Chưa có kế hoạch triển khai năm {data.year} trong hệ thống."
    labels = {a.status: a.status_label for a in data.activities}
    counts = Counter(a.status for a in data.activities)
    order = [s for s in STATE_ORDER if s in counts] + [s for s in counts if s not in STATE_ORDER]
    parts = _tally_text([(labels[s], counts[s]) for s in order])
    overdue = sum(1 for a in data.activities if a.overdue)
    late = f"; {overdue} hoạt động quá thời hạn chưa hoàn thành" if overdue else ""
    groups = len({a.group_code for a in data.activities})
    return (
        f"{data.implementation_plan_title} gồm {len(data.activities)} hoạt động thuộc "
        f"{groups} nhóm nhiệm vụ. Tính đến ngày {format_date(data.as_of)}: {parts}{late}."
    )


def _multiline(text: str) -> str:
    return domain.clean_text(text)


def _report_tasks(data: AnnualReportData) -> dict[str, Any]:
    groups = []
    for number, (_code, name, rows) in enumerate(activity_groups(data.activities), start=1):
        groups.append(
            {
                "number": domain.roman(number),
                "name": name,
                "rows": [
                    {
                        "stt": index,
                        "code": a.code,
                        "title": a.title,
                        "responsible": a.responsible,
                        "status": a.status_label + (" (quá hạn)" if a.overdue else ""),
                        "percent": f"{a.percent_done} %",
                        "outputs": _multiline(a.outputs) or EMPTY,
                    }
                    for index, a in enumerate(rows, start=1)
                ],
            }
        )
    return {"summary": activity_summary(data), "groups": groups}


def _report_budget(data: AnnualReportData) -> dict[str, Any]:
    budget = data.budget
    if budget is None or not data.activities:
        return {
            "summary": f"Chưa có dự toán kinh phí năm {data.year} trong hệ thống.",
            "rows": [],
            "total": {},
        }
    rows = [
        {
            "stt": index,
            "source": label,
            "planned": money(budget.planned_by_source[code]),
            "spent": money(budget.spent_by_source[code]),
            "rate": rate_text(budget.spent_by_source[code], budget.planned_by_source[code]),
        }
        for index, (code, _key, label) in enumerate(SOURCES, start=1)
    ]
    rate = rate_text(budget.spent_total, budget.planned_total)
    summary = (
        f"Tổng kinh phí kế hoạch năm {data.year} là {format_vnd(budget.planned_total)}; tính "
        f"đến ngày {format_date(data.as_of)} đã thực hiện {format_vnd(budget.spent_total)}"
        + (f", đạt {rate} % kế hoạch." if rate != EMPTY else ".")
    )
    return {
        "summary": summary,
        "rows": rows,
        "total": {
            "planned": money(budget.planned_total),
            "spent": money(budget.spent_total),
            "rate": rate,
        },
    }


def collected(activities: Iterable[ActivityLine], attribute: str) -> list[str]:
    """The difficulties (or proposals) of the activity reports, each text once, followed by
    the agencies that reported it."""
    agencies: dict[str, list[str]] = {}
    for activity in activities:
        text = domain.clean_text(getattr(activity, attribute)).rstrip(".;")
        if text:
            agencies.setdefault(text, []).append(activity.responsible)
    return [f"{text} ({domain.join_names(names)})." for text, names in agencies.items()]


def annual_report_context(data: AnnualReportData) -> dict[str, Any]:
    """The context of the annual report (Báo cáo kết quả thực hiện năm Y)."""
    context = _common(data.header, data.plan, KIND_REPORT, data.demo)
    context.update(
        year=data.year,
        next_year=data.year + 1,
        as_of=format_date(data.as_of),
        indicators=_indicator_context(data),
        tasks=_report_tasks(data),
        budget=_report_budget(data),
        difficulties=collected(data.activities, "difficulties"),
        proposals=collected(data.activities, "proposals"),
    )
    return context


def _amounts(planned: dict[str, Decimal], total: Decimal) -> dict[str, str]:
    """The amounts of a line of the estimate by source key, a source without money left
    blank (as budget tables do), and the line's total."""
    amounts = {key: money(planned[code]) if planned.get(code) else "" for code, key, _ in SOURCES}
    amounts["total"] = money(total)
    return amounts


def _plan_tasks(data: NextYearData) -> dict[str, Any]:
    groups = []
    for number, (_code, name, rows) in enumerate(activity_groups(data.activities), start=1):
        groups.append(
            {
                "number": domain.roman(number),
                "name": name,
                "rows": [
                    {
                        "stt": index,
                        "code": a.code,
                        "title": a.title + (" (chuyển tiếp)" if a.carried else ""),
                        "responsible": a.responsible,
                        "coordinating": "\n".join(a.coordinating) or EMPTY,
                        "schedule": domain.schedule_text(a.start_date, a.end_date),
                        "outputs": _multiline(a.expected_outputs) or EMPTY,
                    }
                    for index, a in enumerate(rows, start=1)
                ],
            }
        )
    carried = sum(1 for a in data.activities if a.carried)
    carried_text = (
        f", trong đó {carried} hoạt động chuyển tiếp từ năm {data.year}" if carried else ""
    )
    summary = (
        f"Năm {data.plan_year} triển khai {len(data.activities)} hoạt động thuộc "
        f"{len(groups)} nhóm nhiệm vụ{carried_text}, cụ thể như sau:"
        if data.activities
        else f"Kế hoạch triển khai năm {data.plan_year} chưa có hoạt động."
    )
    return {
        "summary": summary,
        "groups": groups,
        "agencies": domain.join_names(a.responsible for a in data.activities)
        or "Các cơ quan, đơn vị",
    }


def _plan_budget(budget: BudgetTotals, plan_year: int) -> dict[str, Any]:
    rows = [
        {"source": label, "planned": money(budget.planned_by_source[code])}
        for code, _key, label in SOURCES
        if budget.planned_by_source[code]
    ]
    words = domain.amount_in_words(budget.planned_total)
    return {
        "summary": (
            f"Tổng kinh phí dự kiến thực hiện Kế hoạch năm {plan_year} là "
            f"{format_vnd(budget.planned_total)} (bằng chữ: {words[0].lower()}{words[1:]})"
            + (", trong đó:" if rows else ".")
        ),
        "rows": rows,
        "total": money(budget.planned_total),
        "total_words": words,
    }


def _report_deadline(data: NextYearData) -> str:
    return format_date(data.report_deadline) if data.report_deadline else f"15/12/{data.plan_year}"


def implementation_plan_context(data: NextYearData) -> dict[str, Any]:
    """The context of next year's plan (Kế hoạch triển khai thực hiện năm Y+1)."""
    context = _common(data.header, data.plan, KIND_PLAN, data.demo)
    context.update(
        year=data.year,
        next_year=data.plan_year,
        plan_year=data.plan_year,
        tasks=_plan_tasks(data),
        budget=_plan_budget(data.budget, data.plan_year),
        report_deadline=_report_deadline(data),
    )
    return context


def plan_reference(header: Header) -> str:
    """The reference "Kế hoạch số 20/KH-SCT ngày 15 tháng 12 năm 2026 của Sở Công Thương",
    with blanks for what is not known yet."""
    number = header.number_line(KIND_PLAN).removeprefix("Số: ")
    day = (
        domain.date_words(header.date)
        if header.date
        else f"ngày{domain.BLANK_DAY}tháng{domain.BLANK_DAY}năm {header.year}"
    )
    return f"Kế hoạch số {number} {day} của {header.body_name}"


def budget_estimate_context(data: NextYearData) -> dict[str, Any]:
    """The context of next year's budget estimate (Dự toán kinh phí năm Y+1)."""
    context = _common(data.header, data.plan, KIND_PLAN, data.demo)
    groups = []
    for number, (_code, name, rows) in enumerate(activity_groups(data.activities), start=1):
        planned = domain.sum_by_key([a.planned for a in rows], [c for c, _, _ in SOURCES])
        group_total = sum((a.planned_total for a in rows), Decimal(0))
        groups.append(
            {
                "number": domain.roman(number),
                "name": name,
                **_amounts(planned, group_total),
                "rows": [
                    {
                        "stt": index,
                        "code": a.code,
                        "title": a.title,
                        "responsible": a.responsible,
                        **_amounts(a.planned, a.planned_total),
                    }
                    for index, a in enumerate(rows, start=1)
                ],
            }
        )
    budget = data.budget
    context.update(
        year=data.year,
        next_year=data.plan_year,
        plan_year=data.plan_year,
        plan_reference=plan_reference(data.plan_header),
        budget={
            "groups": groups,
            "total": _amounts(budget.planned_by_source, budget.planned_total),
            "total_words": domain.amount_in_words(budget.planned_total),
            "note": (
                "Kinh phí ngân sách nhà nước thực hiện theo phân cấp ngân sách hiện hành và "
                "được bố trí trong dự toán chi thường xuyên của các cơ quan, đơn vị."
            ),
        },
    )
    return context
