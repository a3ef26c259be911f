"""The territory of the API tests: the real Hải Dương units and KH-2627 (`system_init`), plus
a few zones and an enterprise, values in every publication state, and one user per role.

    30 Tỉnh Hải Dương
    ├── 288 Thành phố Hải Dương
    │   ├── K1 KCN Một       NT_HOAT_DONG 2023 = 2    approved
    │   ├── K3 KCN Ba        (from 1/7/2025, when 30 and 288 end, under the new commune X9)
    │   └── E1 Thép Một      SX_SAN_LUONG 2023 = 100 tấn   approved (confidential)
    └── 290 Thành phố Chí Linh
        └── K2 KCN Hai       NT_HOAT_DONG 2023 = 1    draft
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from benvung.accounts.models import Role, RoleAssignment
from benvung.accounts.selectors import access_for
from benvung.core.services import system_init
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.plans.models import Plan
from benvung.reporting.models import Submission
from benvung.reporting.services import submission_approve, submission_submit, values_write_rows
from tests.factories import OrgUnitFactory, unit_under

User = get_user_model()


@dataclass(frozen=True)
class World:
    plan: Plan
    units: dict[str, OrgUnit]
    users: dict[str, Any]


def approve(unit: OrgUnit, period: str, coordinator: Any) -> None:
    """Send and approve every report of the unit for the period."""
    access = access_for(coordinator)
    for submission in Submission.objects.filter(org_unit=unit, period=period):
        submission_submit(submission=submission, user=coordinator, access=access)
        submission_approve(submission=submission, user=coordinator, access=access)


def user_with(name: str, role: str | None = None, unit: OrgUnit | None = None) -> Any:
    user = User.objects.create_user(name, password="mat-khau-dai-123")
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


def build_world() -> World:
    system_init()
    units = {code: OrgUnit.objects.get(code=code) for code in ("30", "288", "290")}
    units["X9"] = OrgUnitFactory(
        code="X9", name="Xã Mới", type="XA", valid_from=dt.date(2025, 7, 1)
    )
    units["K1"] = unit_under(units["288"], code="K1", name="KCN Một", type="KCN")
    units["K2"] = unit_under(units["290"], code="K2", name="KCN Hai", type="KCN")
    k3 = OrgUnitFactory(code="K3", name="KCN Ba", type="KCN")
    ParentLink.objects.create(
        unit=k3, parent=units["288"], valid_from=k3.valid_from, valid_to=dt.date(2025, 6, 30)
    )
    ParentLink.objects.create(unit=k3, parent=units["X9"], valid_from=dt.date(2025, 7, 1))
    units["K3"] = k3
    units["E1"] = unit_under(
        units["288"], code="E1", name="Công ty Thép Một", type="DOANH_NGHIEP", sector="THEP"
    )
    users = {
        "coordinator": user_with("dieuphoi", Role.COORDINATOR),
        "leader": user_with("lanhdao", Role.LEADER),
        "reporter288": user_with("baocao288", Role.REPORTER, units["288"]),
        "reporter290": user_with("baocao290", Role.REPORTER, units["290"]),
        "nobody": user_with("khach"),
    }
    boss = users["coordinator"]
    rows = [
        ("NT_HOAT_DONG", "K1", "2023", "2", "", ""),
        ("NT_HOAT_DONG", "K2", "2023", "1", "", ""),
        ("SX_SAN_LUONG", "E1", "2023", "100", "tấn", ""),
    ]
    result = values_write_rows(user=boss, rows=rows, source="chuẩn bị")
    assert result.ok, result.problems
    approve(units["K1"], "2023", boss)
    approve(units["E1"], "2023", boss)
    return World(plan=Plan.objects.get(code="KH-2627"), units=units, users=users)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Iterator[None]:
    cache.clear()  # the token endpoint's throttle counts in the cache
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def client_for(user: Any) -> APIClient:
    """A client authenticating with the user's token, as another system would."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
