"""The annual cycle's rules: who does what in the workflow, approved plans locked, no lost
update, carrying unfinished activities forward, the overdue flag, summaries that add up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from benvung.annualplans import services
from benvung.annualplans.models import Activity, ActivityStatus, ImplementationPlan, PlanStatus
from benvung.annualplans.selectors import activity_state, budget_summary
from tests.annualplans.conftest import World, make_activity, make_plan, make_report

pytestmark = pytest.mark.django_db


def activity_data(world: World, code: str, year: int = 2026, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "task": world.task("N5.2"),
        "code": code,
        "title": f"Hội nghị tuyên truyền {code}",
        "responsible": world.sct,
        "start_date": dt.date(year, 3, 1),
        "end_date": dt.date(year, 9, 30),
        "expected_outputs": "Hội nghị",
        "order": 1,
    }
    data.update(extra)
    return data


def test_coordinator_drafts_and_submits_leader_approves_then_the_plan_is_locked(
    world: World,
) -> None:
    impl = services.implementation_plan_create(plan=world.plan, year=2026, user=world.coordinator)
    assert impl.status == PlanStatus.DRAFT and impl.version == 1
    services.activity_save(
        impl_plan=impl,
        user=world.coordinator,
        version=1,
        data=activity_data(world, "A1"),
        budget={"NST": Decimal(150_000_000), "XHH": Decimal(20_000_000)},
    )
    impl.refresh_from_db()
    assert impl.version == 2

    with pytest.raises(services.AnnualPlanError, match="Chỉ điều phối viên được trình"):
        services.implementation_plan_submit(impl_plan=impl, user=world.leader, version=2)
    services.implementation_plan_submit(impl_plan=impl, user=world.coordinator, version=2)
    impl.refresh_from_db()
    assert impl.status == PlanStatus.SUBMITTED and impl.submitted_at is not None

    # Submitted: the co-ordinator can no longer change it; only a leader decides.
    with pytest.raises(services.AnnualPlanError, match="đã trình lãnh đạo"):
        services.activity_save(
            impl_plan=impl,
            user=world.coordinator,
            version=impl.version,
            data=activity_data(world, "A2"),
            budget={},
        )
    with pytest.raises(services.AnnualPlanError, match="Chỉ lãnh đạo được phê duyệt"):
        services.implementation_plan_approve(
            impl_plan=impl, user=world.coordinator, version=impl.version
        )
    services.implementation_plan_approve(impl_plan=impl, user=world.leader, version=impl.version)
    impl.refresh_from_db()
    assert impl.status == PlanStatus.APPROVED and impl.approved_by == world.leader

    activity = impl.activities.get()
    with pytest.raises(services.AnnualPlanError, match="đã được phê duyệt nên không sửa được"):
        services.activity_save(
            impl_plan=impl,
            user=world.coordinator,
            version=impl.version,
            data=activity_data(world, "A1", title="Đổi tên"),
            budget={"NST": Decimal(1)},
            activity=activity,
        )
    with pytest.raises(services.AnnualPlanError, match="đã được phê duyệt"):
        services.activity_delete(activity=activity, user=world.coordinator, version=impl.version)
    activity.refresh_from_db()
    assert activity.title == "Hội nghị tuyên truyền A1"
    assert activity.budget_lines.get(source="NST").amount == 150_000_000
    # The history records each step with its author.
    reasons = [h.history_change_reason for h in impl.history.order_by("history_date")]
    assert reasons == ["Lập kế hoạch", "Sửa hoạt động A1", "Trình phê duyệt", "Phê duyệt"]
    assert impl.history.latest("history_date").history_user == world.leader


def test_leader_returns_a_submitted_plan_and_the_coordinator_can_edit_again(world: World) -> None:
    impl = make_plan(world, 2026)
    make_activity(impl, "A1", task=world.task("N5.2"), responsible=world.sct, budget={"NST": 1})
    services.implementation_plan_submit(impl_plan=impl, user=world.coordinator, version=1)
    impl.refresh_from_db()
    services.implementation_plan_return(
        impl_plan=impl, user=world.leader, version=impl.version, reason="Bổ sung kinh phí"
    )
    impl.refresh_from_db()
    assert impl.status == PlanStatus.DRAFT
    assert impl.history.latest("history_date").history_change_reason == "Trả lại: Bổ sung kinh phí"


def test_an_empty_plan_cannot_be_submitted(world: World) -> None:
    impl = make_plan(world, 2026)
    with pytest.raises(services.AnnualPlanError, match="chưa có hoạt động"):
        services.implementation_plan_submit(impl_plan=impl, user=world.coordinator, version=1)


def test_the_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost(world: World) -> None:
    impl = make_plan(world, 2026)
    activity = make_activity(
        impl, "A1", task=world.task("N5.2"), responsible=world.sct, budget={"NST": 100_000_000}
    )
    # Both open the form at version 1.
    services.activity_save(
        impl_plan=impl,
        user=world.coordinator,
        version=1,
        data=activity_data(world, "A1", title="Sửa của người thứ nhất"),
        budget={"NST": Decimal(120_000_000)},
        activity=activity,
    )
    with pytest.raises(services.StaleVersion) as refused:
        services.activity_save(
            impl_plan=impl,
            user=world.coordinator,
            version=1,
            data=activity_data(world, "A1", title="Sửa của người thứ hai"),
            budget={"NST": Decimal(90_000_000)},
            activity=activity,
        )
    assert "vừa được người khác thay đổi" in refused.value.message
    assert "tải lại trang" in refused.value.message
    activity.refresh_from_db()
    assert activity.title == "Sửa của người thứ nhất"
    assert activity.budget_lines.get(source="NST").amount == 120_000_000
    impl.refresh_from_db()
    assert impl.version == 2


def test_budget_lines_follow_the_form_and_negative_amounts_are_refused(world: World) -> None:
    impl = make_plan(world, 2026)
    activity = make_activity(
        impl, "A1", task=world.task("N5.2"), responsible=world.sct, budget={"NST": 5, "XHH": 7}
    )
    services.activity_save(
        impl_plan=impl,
        user=world.coordinator,
        version=1,
        data=activity_data(world, "A1"),
        budget={"NST": Decimal(9), "XHH": None, "NSH": Decimal(0)},
        activity=activity,
    )
    assert dict(activity.budget_lines.values_list("source", "amount")) == {"NST": 9, "NSH": 0}
    with pytest.raises(services.AnnualPlanError, match="không được âm"):
        services.activity_save(
            impl_plan=impl,
            user=world.coordinator,
            version=2,
            data=activity_data(world, "A1"),
            budget={"NST": Decimal(-1)},
            activity=activity,
        )
    assert dict(activity.budget_lines.values_list("source", "amount")) == {"NST": 9, "NSH": 0}


def test_activity_dates_must_be_in_the_year_and_codes_unique(world: World) -> None:
    impl = make_plan(world, 2026)
    make_activity(impl, "A1", task=world.task("N5.2"), responsible=world.sct, budget={})
    with pytest.raises(services.AnnualPlanError, match="đã có trong kế hoạch"):
        services.activity_save(
            impl_plan=impl,
            user=world.coordinator,
            version=1,
            data=activity_data(world, "A1"),
            budget={},
        )
    with pytest.raises(services.AnnualPlanError, match="trong năm 2026"):
        services.activity_save(
            impl_plan=impl,
            user=world.coordinator,
            version=1,
            data=activity_data(
                world, "A2", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 3, 1)
            ),
            budget={},
        )
    assert impl.activities.count() == 1


def test_progress_is_reported_by_the_responsible_agency_or_the_coordinator(world: World) -> None:
    impl = make_plan(world, 2025, status=PlanStatus.APPROVED)
    activity = make_activity(
        impl, "A1", task=world.task("N4.3"), responsible=world.stnmt, budget={"NST": 100}
    )
    with pytest.raises(services.AnnualPlanError, match="Chỉ cơ quan chủ trì"):
        services.activity_report_create(
            activity=activity,
            user=world.other_reporter,
            as_of=dt.date(2025, 6, 30),
            status=ActivityStatus.IN_PROGRESS,
            percent_done=40,
            spent={"NST": Decimal(30)},
        )
    with pytest.raises(services.AnnualPlanError, match="Chỉ cơ quan chủ trì"):
        services.activity_report_create(
            activity=activity,
            user=world.leader,
            as_of=dt.date(2025, 6, 30),
            status=ActivityStatus.IN_PROGRESS,
            percent_done=40,
            spent={},
        )
    services.activity_report_create(
        activity=activity,
        user=world.reporter,
        as_of=dt.date(2025, 6, 30),
        status=ActivityStatus.IN_PROGRESS,
        percent_done=40,
        spent={"NST": Decimal(30)},
        difficulties="Chậm giải ngân",
    )
    with pytest.raises(services.AnnualPlanError, match="phải là 100%"):
        services.activity_report_create(
            activity=activity,
            user=world.coordinator,
            as_of=dt.date(2025, 12, 1),
            status=ActivityStatus.DONE,
            percent_done=90,
            spent={},
        )
    services.activity_report_create(
        activity=activity,
        user=world.coordinator,
        as_of=dt.date(2025, 12, 1),
        status=ActivityStatus.DONE,
        percent_done=100,
        spent={"NST": Decimal(95)},
    )
    state = activity_state(activity, dt.date(2025, 12, 31))
    assert (state.status, state.percent_done, state.spent_total) == ("hoan_thanh", 100, 95)
    # As of a day between the two reports, the first one holds.
    mid = activity_state(activity, dt.date(2025, 9, 1))
    assert (mid.status, mid.spent_total, mid.difficulties) == (
        "dang_thuc_hien",
        30,
        "Chậm giải ngân",
    )


def test_overdue_means_end_date_passed_and_not_done(world: World) -> None:
    impl = make_plan(world, 2026)
    task = world.task("N5.2")
    late = make_activity(
        impl, "A1", task=task, responsible=world.sct, budget={}, end=dt.date(2026, 6, 30)
    )
    done = make_activity(
        impl, "A2", task=task, responsible=world.sct, budget={}, end=dt.date(2026, 6, 30)
    )
    future = make_activity(
        impl, "A3", task=task, responsible=world.sct, budget={}, end=dt.date(2026, 12, 31)
    )
    make_report(late, dt.date(2026, 6, 30), "dang_thuc_hien", 60, {})
    make_report(done, dt.date(2026, 6, 30), "hoan_thanh", 100, {})
    as_of = dt.date(2026, 11, 1)
    assert activity_state(late, as_of).overdue
    assert not activity_state(done, as_of).overdue
    assert not activity_state(future, as_of).overdue
    # Not overdue on its last day.
    assert not activity_state(late, dt.date(2026, 6, 30)).overdue
    summary = budget_summary(impl, as_of)
    assert [r.activity.code for r in summary.rows if r.overdue] == ["A1"]
    assert summary.overdue_count == 1


def test_summary_totals_add_up_by_agency_group_and_source(world: World) -> None:
    impl = make_plan(world, 2025)
    a1 = make_activity(
        impl,
        "A1",
        task=world.task("N5.2"),
        responsible=world.sct,
        budget={"NST": 150_000_000, "XHH": 25_500_000},
    )
    a2 = make_activity(
        impl,
        "A2",
        task=world.task("N4.3"),
        responsible=world.stnmt,
        budget={"NSTW": 300_000_000, "NST": 1_234_567},
    )
    make_activity(
        impl,
        "A3",
        task=world.task("N6.1"),
        responsible=world.sgddt,
        budget={"LONG_GHEP": 80_000_000},
    )
    make_report(a1, dt.date(2025, 6, 30), "dang_thuc_hien", 30, {"NST": 40_000_000})
    make_report(
        a1, dt.date(2025, 12, 15), "hoan_thanh", 100, {"NST": 148_000_000, "XHH": 25_000_000}
    )
    make_report(a2, dt.date(2025, 12, 15), "dang_thuc_hien", 50, {"NSTW": 120_000_000})
    summary = budget_summary(impl, dt.date(2025, 12, 31))

    planned = Decimal(150_000_000 + 25_500_000 + 300_000_000 + 1_234_567 + 80_000_000)
    spent = Decimal(148_000_000 + 25_000_000 + 120_000_000)
    assert summary.planned_total == planned and summary.spent_total == spent
    assert summary.planned_by_source == {
        "NSTW": 300_000_000,
        "NST": 151_234_567,
        "NSH": 0,
        "XHH": 25_500_000,
        "LONG_GHEP": 80_000_000,
    }
    assert sum(summary.planned_by_source.values()) == planned
    assert sum(summary.spent_by_source.values()) == spent
    assert sum(line.planned_total for line in summary.by_agency) == planned
    assert sum(line.spent_total for line in summary.by_agency) == spent
    assert sum(line.planned_total for line in summary.by_group) == planned
    assert sum(line.spent_total for line in summary.by_group) == spent
    assert sum(r.planned_total for r in summary.rows) == planned
    by_agency = {line.name: tuple(line) for line in summary.by_agency}
    assert by_agency["Sở Tài nguyên và Môi trường"] == (
        "Sở Tài nguyên và Môi trường",
        301_234_567,
        120_000_000,
    )
    assert summary.rate == Decimal("52.6")  # 293.000.000 / 556.734.567 = 52,63 %


def test_carry_forward_copies_unfinished_activities_without_budget(world: World) -> None:
    impl = make_plan(world, 2025, status=PlanStatus.APPROVED)
    task = world.task("N5.2")
    unfinished = make_activity(
        impl,
        "A1",
        task=task,
        responsible=world.stnmt,
        budget={"NST": 200_000_000, "XHH": 50_000_000},
        end=dt.date(2025, 9, 30),
    )
    unfinished.coordinating.set([world.sct])
    finished = make_activity(impl, "A2", task=task, responsible=world.sct, budget={"NST": 10})
    never_reported = make_activity(impl, "A3", task=task, responsible=world.sct, budget={"NST": 5})
    make_report(unfinished, dt.date(2025, 12, 15), "dang_thuc_hien", 60, {"NST": 120_000_000})
    make_report(finished, dt.date(2025, 12, 15), "hoan_thanh", 100, {"NST": 10})

    with pytest.raises(services.AnnualPlanError):
        services.carry_forward(impl_plan=impl, user=world.leader)
    target, copied = services.carry_forward(impl_plan=impl, user=world.coordinator)
    assert (target.year, target.status, copied) == (2026, PlanStatus.DRAFT, 2)
    copies = {a.carried_from_id: a for a in target.activities.all()}
    assert set(copies) == {unfinished.pk, never_reported.pk}
    copy = copies[unfinished.pk]
    assert (copy.code, copy.title, copy.responsible, copy.task) == (
        "A1",
        unfinished.title,
        world.stnmt,
        task,
    )
    assert list(copy.coordinating.all()) == [world.sct]
    assert copy.start_date == dt.date(2026, 1, 1) and copy.end_date == dt.date(2026, 9, 30)
    assert not copy.budget_lines.exists()  # left for the user to fill
    assert services.remaining_budget(copy) == {
        "NSTW": 0,
        "NST": 80_000_000,
        "NSH": 0,
        "XHH": 50_000_000,
        "LONG_GHEP": 0,
    }
    # Running it again copies nothing more.
    again, copied_again = services.carry_forward(impl_plan=impl, user=world.coordinator)
    assert again.pk == target.pk and copied_again == 0
    assert Activity.objects.filter(implementation_plan=target).count() == 2
    assert ImplementationPlan.objects.filter(year=2026).count() == 1


def test_carry_forward_into_an_approved_plan_is_refused(world: World) -> None:
    impl = make_plan(world, 2025, status=PlanStatus.APPROVED)
    make_activity(impl, "A1", task=world.task("N5.2"), responsible=world.sct, budget={})
    make_plan(world, 2026, status=PlanStatus.APPROVED)
    with pytest.raises(services.AnnualPlanError, match="đã được phê duyệt"):
        services.carry_forward(impl_plan=impl, user=world.coordinator)
