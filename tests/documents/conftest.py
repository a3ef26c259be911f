"""The territory of the page tests (tests/web/conftest.py: KH-2627, two districts, five zones,
a supermarket, a model) plus the agencies, the task list and two implementation plans:

    2025 (the year reported on), as of 15/12/2025:
      A1 Sở Công Thương     NST 300.000.000 + XHH 50.000.000   done, spent NST 280.000.000
      A2 Sở TN và MT        NSTW 120.500.000                    in progress 40 %, spent 30.000.000,
                                                                 difficulty + proposal, overdue
      A3 Sở Công Thương     NST 75.000.000                      no report (not started)
    2026 (next year's plan):
      B1 Sở Công Thương     NST 410.000.000 + NSH 1.234.567     carried from A2
      B2 Sở TN và MT        LONG_GHEP 90.000.000
"""

from __future__ import annotations

import datetime as dt
import io
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
from benvung.documents.models import DocumentSettings
from benvung.documents.selectors import settings_defaults
from benvung.orgunits.models import OrgUnit
from benvung.tasks.models import Task
from benvung.tasks.services import agencies_load, tasks_load_file
from tests.web.conftest import Territory, territory  # noqa: F401 - the fixture is reused

REPORT_YEAR = 2025
REPORT_DAY = dt.date(2025, 12, 15)


@dataclass
class Cycle:
    territory: Territory
    current: ImplementationPlan
    upcoming: ImplementationPlan
    activities: dict[str, Activity]
    coordinator: User
    leader: User
    reporter: User

    @property
    def plan(self) -> Any:
        return self.territory.plan

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def _activity(
    impl: ImplementationPlan,
    code: str,
    task: Task,
    responsible: OrgUnit,
    budget: dict[str, int],
    *,
    start: dt.date,
    end: dt.date,
    carried_from: Activity | None = None,
) -> Activity:
    activity = Activity.objects.create(
        implementation_plan=impl,
        task=task,
        code=code,
        title=f"Hoạt động {code} & kiểm thử",
        responsible=responsible,
        start_date=start,
        end_date=end,
        expected_outputs=f"Sản phẩm {code}",
        carried_from=carried_from,
        order=int(code[1:]),
    )
    for source, amount in budget.items():
        BudgetLine.objects.create(activity=activity, source=source, amount=Decimal(amount))
    return activity


def _report(activity: Activity, status: str, percent: int, spent: dict[str, int], **text: str):
    report = ActivityReport.objects.create(
        activity=activity, as_of=REPORT_DAY, status=status, percent_done=percent, **text
    )
    for source, amount in spent.items():
        SpendingLine.objects.create(report=report, source=source, amount=Decimal(amount))
    return report


def _user(username: str, role: str, unit: OrgUnit | None = None) -> User:
    user = User.objects.create_user(username=username, password="mat-khau-thu-9")
    RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def cycle(territory: Territory) -> Cycle:  # noqa: F811 - the imported fixture
    agencies_load()
    tasks_load_file()
    plan = territory.plan
    sct = OrgUnit.objects.get(code="CQ-SCT")
    stnmt = OrgUnit.objects.get(code="CQ-STNMT")
    tasks = list(Task.objects.filter(plan=plan).order_by("group__order", "order", "code"))
    first, last = tasks[0], tasks[-1]
    current = ImplementationPlan.objects.create(
        plan=plan, year=REPORT_YEAR, title="Kế hoạch triển khai năm 2025"
    )
    year = REPORT_YEAR
    a1 = _activity(
        current, "A1", first, sct, {"NST": 300_000_000, "XHH": 50_000_000},
        start=dt.date(year, 2, 1), end=dt.date(year, 11, 30),
    )  # fmt: skip
    a2 = _activity(
        current, "A2", last, stnmt, {"NSTW": 120_500_000},
        start=dt.date(year, 3, 1), end=dt.date(year, 9, 30),
    )  # fmt: skip
    a3 = _activity(
        current, "A3", first, sct, {"NST": 75_000_000},
        start=dt.date(year, 1, 1), end=dt.date(year, 12, 31),
    )  # fmt: skip
    _report(a1, "hoan_thanh", 100, {"NST": 280_000_000}, outputs_achieved="Đã tổ chức 3 hội nghị")
    _report(
        a2,
        "dang_thuc_hien",
        40,
        {"NSTW": 30_000_000},
        outputs_achieved="Đã khảo sát 12 doanh nghiệp",
        difficulties="Doanh nghiệp chưa mặn mà tham gia",
        proposals="Đề nghị bổ sung kinh phí tuyên truyền",
    )
    upcoming = ImplementationPlan.objects.create(
        plan=plan, year=REPORT_YEAR + 1, title="Kế hoạch triển khai năm 2026"
    )
    b1 = _activity(
        upcoming, "B1", last, sct, {"NST": 410_000_000, "NSH": 1_234_567},
        start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30), carried_from=a2,
    )  # fmt: skip
    b2 = _activity(
        upcoming, "B2", first, stnmt, {"LONG_GHEP": 90_000_000},
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
    )  # fmt: skip
    DocumentSettings.objects.create(
        year=REPORT_YEAR,
        **{
            **settings_defaults(plan, REPORT_YEAR),
            "report_number": "25",
            "report_date": REPORT_DAY,
            "plan_number": "26",
            "plan_date": dt.date(2025, 12, 20),
            "on_behalf": True,
            "signer_name": "Nguyễn Văn Bình",
        },
    )
    return Cycle(
        territory=territory,
        current=current,
        upcoming=upcoming,
        activities={"A1": a1, "A2": a2, "A3": a3, "B1": b1, "B2": b2},
        coordinator=_user("dieuphoi", Role.COORDINATOR),
        leader=_user("lanhdao", Role.LEADER),
        reporter=_user("baocao", Role.REPORTER, stnmt),
    )


@pytest.fixture(autouse=True)
def _media(tmp_path: Any, settings: Any) -> None:
    """Uploaded templates go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _quick_charts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawing a chart takes about a second: tests that do not look at the charts get a tiny
    PNG instead (the charts are still made, one per group of indicators). A test that asks for
    the `real_charts` fixture gets matplotlib's."""
    if "real_charts" not in request.fixturenames:
        png = _tiny_png()
        monkeypatch.setattr("benvung.documents.charts.bar_chart", lambda lines, unit: png)


@pytest.fixture
def real_charts() -> None:
    """Ask for this to draw the charts with matplotlib."""
