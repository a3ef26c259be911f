"""A small hand-built territory for the page tests.

    30 Tỉnh Hải Dương (TINH)
    ├── 288 Thành phố Hải Dương (HUYEN)
    │   ├── K1 KCN Một      NT_HOAT_DONG 2022 = 2           → counted from 2022
    │   ├── K2 KCN Hai      NT_HOAT_DONG 2023 = 1           → counted from 2023
    │   └── X1 Xã Một (XA)
    │       └── S1 Siêu thị Một   BB_THAN_THIEN 2023 = có
    └── 290 Thành phố Chí Linh (HUYEN)
        ├── K3 KCN Ba       NT_HOAT_DONG 2023 = 0           → reported, not met
        ├── K4 KCN Bốn      no report                        → not reported
        └── K5 KCN Đã Đóng  valid 2020 – 31/12/2024, no report

CT01 (cumulative share of zones with an activity since 2021):
    2023: 2 of 5 active zones = 40,00 %   (expected 70 × 3/5 = 42 → r ≈ 0,95: đúng tiến độ)
    2025: 2 of 4 active zones = 50,00 %   (K5 closed; below the 2025 minimum 70: không đạt)
    in 288 (2025): 2 of 2 = 100,00 %;  in 290 (2025): 0 of 2 = 0,00 %
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from benvung.accounts.models import Role, RoleAssignment
from benvung.datavalues.models import DataElement
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Plan
from benvung.plans.services import PLAN_DATA_DIR, plan_load_file
from tests.factories import DataValueFactory, OrgUnitFactory, ScpModelFactory, unit_under


@dataclass(frozen=True)
class Territory:
    plan: Plan
    province: OrgUnit
    district_a: OrgUnit
    district_b: OrgUnit
    zones: dict[str, OrgUnit]


def report(element: str, unit: OrgUnit, year: int, value: int) -> None:
    DataValueFactory(
        data_element=DataElement.objects.get(code=element),
        org_unit=unit,
        period=str(year),
        value=value,
    )


@pytest.fixture
def territory(db: None) -> Territory:
    province = OrgUnitFactory(code="30", name="Tỉnh Hải Dương", type="TINH")
    # The plan file names "30" as its territory: load it after the province exists.
    plan = plan_load_file(path=PLAN_DATA_DIR / "kh2627.json")
    district_a = unit_under(province, code="288", name="Thành phố Hải Dương", type="HUYEN")
    district_b = unit_under(province, code="290", name="Thành phố Chí Linh", type="HUYEN")
    zones = {
        "K1": unit_under(district_a, code="K1", name="KCN Một", type="KCN"),
        "K2": unit_under(district_a, code="K2", name="KCN Hai", type="KCN"),
        "K3": unit_under(district_b, code="K3", name="KCN Ba", type="KCN"),
        "K4": unit_under(district_b, code="K4", name="KCN Bốn", type="KCN"),
        "K5": unit_under(
            district_b,
            code="K5",
            name="KCN Đã Đóng",
            type="KCN",
            valid_to=dt.date(2024, 12, 31),
        ),
    }
    commune = unit_under(district_a, code="X1", name="Xã Một", type="XA")
    supermarket = unit_under(commune, code="S1", name="Siêu thị Một", type="SIEU_THI")
    report("NT_HOAT_DONG", zones["K1"], 2022, 2)
    report("NT_HOAT_DONG", zones["K2"], 2023, 1)
    report("NT_HOAT_DONG", zones["K3"], 2023, 0)
    report("BB_THAN_THIEN", supermarket, 2023, 1)
    ScpModelFactory(
        code="MH01",
        name="Mô hình tiết kiệm năng lượng",
        org_unit=zones["K1"],
        year=2022,
        kind="AP_DUNG",
    )
    return Territory(plan, province, district_a, district_b, zones)


@pytest.fixture
def user(db: None) -> User:
    """A co-ordinator of the Sở Công Thương: enters and reads every unit's data."""
    user = User.objects.create_user("canbo", password="mat-khau-thu-1")
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user("quantri", password="mat-khau-thu-2", is_staff=True)


@pytest.fixture
def user_client(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff: User) -> Client:
    """A client of its own, so that a test can use it beside `user_client`."""
    client = Client()
    client.force_login(staff)
    return client
