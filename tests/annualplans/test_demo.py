"""The demo implementation plans: labelled, seeded, and shaped like a real cycle."""

from __future__ import annotations

import datetime as dt

import pytest

from benvung.annualplans.demo import generate_annual_demo
from benvung.annualplans.models import Activity, ImplementationPlan, PlanStatus
from benvung.annualplans.selectors import budget_summary
from tests.annualplans.conftest import load_plan_and_tasks

pytestmark = pytest.mark.django_db


def fingerprint() -> list[tuple[object, ...]]:
    return [
        (
            a.implementation_plan.year,
            a.code,
            a.title,
            a.responsible.code,
            a.end_date,
            a.task.code,
            *sorted((b.source, b.amount) for b in a.budget_lines.all()),
        )
        for a in Activity.objects.select_related("implementation_plan", "responsible", "task")
        .prefetch_related("budget_lines")
        .order_by("implementation_plan__year", "code")
    ]


def test_demo_plans_2021_2027_are_labelled_and_shaped_like_a_cycle() -> None:
    load_plan_and_tasks()
    lines = generate_annual_demo(seed=2627)
    assert lines and "2021–2027" in lines[0]
    plans = list(ImplementationPlan.objects.order_by("year"))
    assert [p.year for p in plans] == [2021, 2022, 2023, 2024, 2025, 2026, 2027]
    assert all(p.is_demo and p.title.endswith("(minh họa)") for p in plans)
    assert [p.status for p in plans] == [PlanStatus.APPROVED] * 5 + [
        PlanStatus.SUBMITTED,
        PlanStatus.DRAFT,
    ]
    for impl in plans:
        summary = budget_summary(impl, dt.date(impl.year, 12, 31))
        assert 12 <= len(summary.rows) <= 30, impl.year
        assert summary.planned_total > 0
        assert sum(line.planned_total for line in summary.by_agency) == summary.planned_total
    past = budget_summary(plans[4], dt.date(2025, 12, 31))
    assert past.done_count > 0 and past.overdue_count > 0
    # Unfinished activities reappear the next year, linked to where they came from.
    carried = Activity.objects.filter(carried_from__isnull=False).select_related(
        "carried_from__implementation_plan", "implementation_plan"
    )
    assert carried.exists()
    assert all(
        a.carried_from.implementation_plan.year == a.implementation_plan.year - 1 for a in carried
    )
    # Running it again adds nothing.
    assert generate_annual_demo(seed=2627) == []
    assert ImplementationPlan.objects.count() == 7


def test_the_same_seed_gives_the_same_plans() -> None:
    load_plan_and_tasks()
    generate_annual_demo(seed=7)
    first = fingerprint()
    ImplementationPlan.objects.all().delete()
    generate_annual_demo(seed=7)
    assert fingerprint() == first
