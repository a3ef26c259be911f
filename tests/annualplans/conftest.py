"""A loaded installation (units, KH-2627, agencies, tasks) and the people of the annual cycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from benvung.accounts.models import Role, RoleAssignment
from benvung.annualplans.models import (
    Activity,
    ActivityReport,
    BudgetLine,
    ImplementationPlan,
    SpendingLine,
)
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Plan
from benvung.plans.services import PLAN_DATA_DIR, plan_load_file
from benvung.tasks.models import Task
from benvung.tasks.services import agencies_load, tasks_load_file
from tests.factories import OrgUnitFactory


@dataclass
class World:
    plan: Plan
    coordinator: User
    leader: User
    reporter: User  # reporter for Sở Tài nguyên và Môi trường
    other_reporter: User  # reporter for Sở Giáo dục và Đào tạo
    sct: OrgUnit
    stnmt: OrgUnit
    sgddt: OrgUnit

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def task(self, code: str) -> Task:
        return Task.objects.get(plan=self.plan, code=code)


def load_plan_and_tasks() -> None:
    """What `benvung init` loads for this app, without the communes: the province, KH-2627,
    the agencies and the task list (the real data files)."""
    OrgUnitFactory(code="30", name="Tỉnh Hải Dương", type="TINH")
    plan_load_file(path=PLAN_DATA_DIR / "kh2627.json")
    agencies_load()
    tasks_load_file()


def _user(username: str, role: str, unit: OrgUnit | None = None) -> User:
    user = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def world(db: None) -> World:
    load_plan_and_tasks()
    units = OrgUnit.objects.in_bulk(["CQ-SCT", "CQ-STNMT", "CQ-SGDDT"], field_name="code")
    return World(
        plan=Plan.objects.get(code="KH-2627"),
        coordinator=_user("dieuphoi", Role.COORDINATOR),
        leader=_user("lanhdao", Role.LEADER),
        reporter=_user("tnmt", Role.REPORTER, units["CQ-STNMT"]),
        other_reporter=_user("gddt", Role.REPORTER, units["CQ-SGDDT"]),
        sct=units["CQ-SCT"],
        stnmt=units["CQ-STNMT"],
        sgddt=units["CQ-SGDDT"],
    )


def make_plan(world: World, year: int, **kwargs: Any) -> ImplementationPlan:
    return ImplementationPlan.objects.create(plan=world.plan, year=year, **kwargs)


def make_activity(
    impl: ImplementationPlan,
    code: str,
    *,
    task: Task,
    responsible: OrgUnit,
    budget: dict[str, int],
    end: dt.date | None = None,
    start: dt.date | None = None,
) -> Activity:
    activity = Activity.objects.create(
        implementation_plan=impl,
        task=task,
        code=code,
        title=f"Hoạt động {code}",
        responsible=responsible,
        start_date=start or dt.date(impl.year, 1, 1),
        end_date=end or dt.date(impl.year, 12, 31),
    )
    for source, amount in budget.items():
        BudgetLine.objects.create(activity=activity, source=source, amount=Decimal(amount))
    return activity


def make_report(
    activity: Activity,
    as_of: dt.date,
    status: str,
    percent: int,
    spent: dict[str, int],
) -> ActivityReport:
    report = ActivityReport.objects.create(
        activity=activity, as_of=as_of, status=status, percent_done=percent
    )
    for source, amount in spent.items():
        SpendingLine.objects.create(report=report, source=source, amount=Decimal(amount))
    return report
