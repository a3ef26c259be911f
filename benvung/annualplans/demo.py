"""Demo implementation plans for `benvung init --demo`: 2021–2027, generated and seeded.

Each year has a plan of about 15–25 activities under the tasks of KH-2627, with budget lines by
funding source and progress reports. 2021–2025 are approved; 2026 (the current year) is
submitted and half executed, with some activities overdue; 2027 is next year's draft.
Unfinished activities of a year reappear in the next year's plan, linked by `carried_from`,
as the carry-forward would make them. Everything is labelled: the plans have `is_demo=True`
and a title ending "(minh họa)", and reports say "Số liệu minh họa". The same seed always
gives the same plans.

No demo account is added: the co-ordinator (`demo`) reports progress for any activity, and the
district reporter (`baocao`) for the activities of Thành phố Hải Dương (288) up to 2024.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from benvung.accounts.models import Role
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
from benvung.core.formatting import format_number, format_vnd
from benvung.orgunits.models import OrgUnit, UnitType
from benvung.plans.models import Plan
from benvung.tasks.models import Task

PLAN_CODE = "KH-2627"
# Through next year: its draft is what the plan and budget-estimate documents are made from.
YEARS = range(2021, 2028)
CURRENT_YEAR = 2026
DEMO_TITLE_SUFFIX = " (minh họa)"
DEMO_NOTE = "Số liệu minh họa"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
MILLION = Decimal(1_000_000)

# Activity wordings by task group; "{place}" is a district or "toàn tỉnh".
ACTIVITY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "N1": (
        "Rà soát văn bản, cơ chế hỗ trợ sản xuất và tiêu dùng bền vững năm {year}",
        "Xây dựng dự thảo chính sách khuyến khích sản xuất sạch hơn trình UBND tỉnh",
        "Kiểm tra việc thực thi quy định về sản xuất và tiêu dùng bền vững tại {place}",
    ),
    "N2": (
        "Hỗ trợ đánh giá sản xuất sạch hơn cho doanh nghiệp tại {place}",
        "Kiểm toán năng lượng cho cơ sở sử dụng năng lượng trọng điểm",
        "Xây dựng mô hình tái chế phế phụ phẩm tại làng nghề",
        "Hỗ trợ doanh nghiệp dệt may, nhựa đổi mới công nghệ giảm tiêu hao",
    ),
    "N3": (
        "Hội nghị kết nối cung cầu sản phẩm xanh năm {year}",
        "Hỗ trợ hợp tác xã tham gia chuỗi cung ứng bền vững tại {place}",
        "Khảo sát hệ thống phân phối sản phẩm thân thiện môi trường",
    ),
    "N4": (
        "Hướng dẫn mua sắm công xanh cho các cơ quan, đơn vị",
        "Vận động siêu thị, trung tâm thương mại thay túi ni lông khó phân hủy",
        "Tuần lễ sản phẩm nhãn sinh thái tại {place}",
    ),
    "N5": (
        "Hội nghị tuyên truyền về sản xuất và tiêu dùng bền vững tại {place}",
        "Phóng sự, chuyên mục về lối sống bền vững năm {year}",
        "In, phát hành tài liệu tuyên truyền về tiêu dùng bền vững",
        "Cuộc thi tìm hiểu về tiêu dùng bền vững cho đoàn viên, hội viên",
    ),
    "N6": (
        "Tập huấn cán bộ quản lý về sản xuất và tiêu dùng bền vững",
        "Tập huấn doanh nghiệp khu, cụm công nghiệp về sản xuất sạch hơn",
        "Biên soạn nội dung lồng ghép sản xuất và tiêu dùng bền vững trong giảng dạy",
    ),
    "N7": ("Tham gia hội thảo, dự án quốc tế về kinh tế tuần hoàn",),
    "N8": (
        "Đề tài ứng dụng công nghệ tiết kiệm năng lượng trong sản xuất",
        "Nhân rộng mô hình sản xuất và tiêu dùng bền vững tại {place}",
    ),
    "N9": (
        "Cập nhật cơ sở dữ liệu sản xuất và tiêu dùng bền vững năm {year}",
        "Báo cáo kết quả thực hiện kế hoạch năm {year} gửi UBND tỉnh, Bộ Công Thương",
    ),
}


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    """A round amount in đồng between low and high million (by 5 million)."""
    return Decimal(rng.randrange(low, high + 1, 5)) * MILLION


def _budget(rng: random.Random) -> dict[str, Decimal]:
    total = _amount(rng, 20, 600)
    sources = [FundingSource.NST.value]
    if rng.random() < 0.25:
        sources.append(FundingSource.NSTW.value)
    if rng.random() < 0.3:
        sources.append(FundingSource.NSH.value)
    if rng.random() < 0.25:
        sources.append(FundingSource.XHH.value)
    if rng.random() < 0.15:
        sources.append(FundingSource.LONG_GHEP.value)
    if len(sources) == 1:
        return {sources[0]: total}
    shares = [rng.randint(1, 5) for _ in sources]
    result: dict[str, Decimal] = {}
    left = total
    for source, share in zip(sources[:-1], shares[:-1], strict=True):
        part = (total * share / sum(shares) / MILLION).quantize(Decimal(1)) * MILLION
        result[source] = part
        left -= part
    result[sources[-1]] = max(left, Decimal(0))
    return result


def _spent(rng: random.Random, budget: dict[str, Decimal], share: float) -> dict[str, Decimal]:
    return {
        source: (amount * Decimal(str(share)) * Decimal(str(rng.uniform(0.9, 1.0))) / 1000)
        .quantize(Decimal(1))
        .__mul__(1000)
        for source, amount in budget.items()
    }


def generate_annual_demo(*, seed: int) -> list[str]:
    """Create the demo implementation plans 2021–2027 (once); returns summary lines."""
    plan = Plan.objects.filter(code=PLAN_CODE).first()
    if plan is None or ImplementationPlan.objects.filter(plan=plan).exists():
        return []
    tasks = list(Task.objects.filter(plan=plan).select_related("group", "lead_agency"))
    if not tasks:
        return []
    rng = random.Random(seed * 31 + 4)  # noqa: S311 - demo figures, not secrets
    user_model = get_user_model()
    leader = user_model.objects.filter(roles__role=Role.LEADER).first()
    coordinator = user_model.objects.filter(roles__role=Role.COORDINATOR).first()
    agencies = list(OrgUnit.objects.filter(type=UnitType.CO_QUAN, is_demo=False).order_by("code"))
    districts = list(OrgUnit.objects.filter(type=UnitType.HUYEN).order_by("code"))
    today = timezone.localdate()
    previous: list[tuple[Activity, dict[str, Decimal], dict[str, Decimal]]] = []
    counts: list[str] = []
    for year in YEARS:
        if year < CURRENT_YEAR:
            status = PlanStatus.APPROVED
        elif year == CURRENT_YEAR:
            status = PlanStatus.SUBMITTED
        else:
            status = PlanStatus.DRAFT
        submitted = (
            dt.datetime(year - 1, 12, 10, 9, 0, tzinfo=LOCAL)
            if status != PlanStatus.DRAFT
            else None
        )
        impl = ImplementationPlan(
            plan=plan,
            year=year,
            status=status,
            title=f"Kế hoạch triển khai năm {year}{DEMO_TITLE_SUFFIX}",
            submitted_at=submitted,
            approved_at=(
                submitted + dt.timedelta(days=20)
                if submitted is not None and status == PlanStatus.APPROVED
                else None
            ),
            approved_by=leader if status == PlanStatus.APPROVED else None,
            is_demo=True,
        )
        impl._change_reason = "Nạp dữ liệu minh họa"  # type: ignore[attr-defined]
        impl.save()
        activities: list[tuple[Activity, dict[str, Decimal]]] = []
        order = 0
        # Last year's unfinished activities, carried forward with what remained of the budget.
        for old, planned, spent in previous:
            order += 1
            activity = Activity.objects.create(
                implementation_plan=impl,
                task_id=old.task_id,
                code=f"{year}-{order:02d}",
                title=old.title,
                responsible_id=old.responsible_id,
                start_date=dt.date(year, 1, 1),
                end_date=dt.date(year, rng.choice((6, 9)), 30),
                expected_outputs=old.expected_outputs,
                carried_from=old,
                order=order,
            )
            rest = {s: planned[s] - spent.get(s, Decimal(0)) for s in planned}
            budget = {s: a for s, a in rest.items() if a > 0} or {
                FundingSource.NST.value: _amount(rng, 10, 50)
            }
            activities.append((activity, budget))
        live = [t for t in tasks if t.start_year <= year <= t.end_year]
        for task in rng.sample(live, k=min(len(live), rng.randint(15, 19))):
            order += 1
            templates = ACTIVITY_TEMPLATES.get(task.group.code, (task.title,))
            place_units = [d for d in districts if d.valid_to is None or d.valid_to.year > year]
            place = rng.choice(place_units) if place_units and rng.random() < 0.5 else None
            title = rng.choice(templates).format(
                year=year, place=place.name if place else "các huyện, thị xã, thành phố"
            )
            if place is not None and rng.random() < 0.5:
                responsible = place
            else:
                responsible = task.lead_agency or rng.choice(agencies)
            start_month = rng.randint(1, 8)
            end_month = rng.randint(max(start_month + 1, 6), 12)
            activity = Activity.objects.create(
                implementation_plan=impl,
                task=task,
                code=f"{year}-{order:02d}",
                title=title,
                responsible=responsible,
                start_date=dt.date(year, start_month, 1),
                end_date=dt.date(year, end_month, 28 if end_month == 2 else 30),
                expected_outputs=task.expected_outputs,
                order=order,
            )
            coordinating = [a for a in agencies if a.pk != responsible.pk]
            activity.coordinating.set(rng.sample(coordinating, k=rng.randint(0, 2)))
            activities.append((activity, _budget(rng)))
        previous = []
        report_count = 0
        for activity, budget in activities:
            BudgetLine.objects.bulk_create(
                BudgetLine(activity=activity, source=s, amount=a) for s, a in budget.items()
            )
            second = dt.date(year, 10, 31) if year == CURRENT_YEAR else dt.date(year, 12, 15)
            report_days = [d for d in (dt.date(year, 6, 30), second) if d <= today]
            fate = rng.random()
            final_spent: dict[str, Decimal] = {}
            for index, day in enumerate(report_days):
                last = index == len(report_days) - 1
                if day < activity.start_date:
                    continue
                if last and year < CURRENT_YEAR:
                    done = fate < 0.8
                elif last:
                    done = activity.end_date <= day and fate < 0.6
                else:
                    done = activity.end_date <= day and fate < 0.5
                if done:
                    state, percent, share = ActivityStatus.DONE, 100, 1.0
                elif fate > 0.95:
                    state, percent, share = ActivityStatus.PAUSED, rng.randint(10, 40), 0.2
                else:
                    percent = rng.randint(30, 85) if last else rng.randint(10, 50)
                    state, share = ActivityStatus.IN_PROGRESS, percent / 100
                spent = _spent(rng, budget, share)
                report = ActivityReport.objects.create(
                    activity=activity,
                    as_of=day,
                    status=state,
                    percent_done=percent,
                    outputs_achieved=(
                        f"{DEMO_NOTE}: đã thực hiện {percent}% khối lượng; "
                        f"{activity.expected_outputs[:120]}"
                    ),
                    difficulties=""
                    if done
                    else f"{DEMO_NOTE}: kinh phí được giao chậm, doanh nghiệp tham gia chưa nhiều.",
                    proposals="" if done else f"{DEMO_NOTE}: đề nghị chuyển tiếp sang năm sau.",
                    reported_by=coordinator,
                )
                SpendingLine.objects.bulk_create(
                    SpendingLine(report=report, source=s, amount=a) for s, a in spent.items()
                )
                report_count += 1
                final_spent = spent
                if last and state != ActivityStatus.DONE and year < CURRENT_YEAR:
                    previous.append((activity, budget, final_spent))
            if (not report_days or not final_spent) and year < CURRENT_YEAR:
                previous.append((activity, budget, {}))
        total = sum((sum(b.values(), Decimal(0)) for _, b in activities), Decimal(0))
        counts.append(
            f"{year}: {len(activities)} hoạt động, {format_vnd(total)}, "
            f"{format_number(report_count)} báo cáo"
        )
    return [
        "Kế hoạch triển khai minh họa 2021–2027 (2021–2025 đã phê duyệt, 2026 đã trình, "
        "2027 dự thảo): " + "; ".join(counts) + ".",
    ]
