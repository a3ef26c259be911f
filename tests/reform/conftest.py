"""A small world across the reform: province P (district D, communes A and B) until
30/6/2025, city C with new communes N1 (A and 60 % of B) and N2 (40 % of B) from 1/7/2025,
and N3, a commune of the city that owes nothing to P. Under A a zone, under B a craft village,
directly under D a supermarket (no commune known)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from benvung.orgunits.models import OrgUnit, Succession
from benvung.plans.models import Plan
from benvung.plans.services import plan_load
from tests.factories import OrgUnitFactory, unit_under

BEFORE = dt.date(2025, 6, 30)
REFORM = dt.date(2025, 7, 1)
LEGAL = "Nghị quyết minh họa"


@dataclass
class World:
    units: dict[str, OrgUnit]
    plan: Plan

    def __getitem__(self, code: str) -> OrgUnit:
        return self.units[code]


def plan_definition() -> dict[str, Any]:
    return {
        "code": "KH-TEST",
        "name": "Kế hoạch thử",
        "issuing_body": "UBND tỉnh P",
        "decision": "1/QĐ-UBND",
        "decision_date": "2020-08-31",
        "base_year": 2020,
        "start_year": 2021,
        "end_year": 2030,
        "scope_root": "P",
        "data_elements": [
            {
                "code": "TT_SU_KIEN",
                "name": "Sự kiện",
                "unit_types": ["HUYEN", "XA"],
                "value_type": "integer",
            },
            {
                "code": "TT_NGUOI",
                "name": "Người",
                "unit_types": ["HUYEN", "XA"],
                "value_type": "integer",
            },
            {
                "code": "NT_HOAT_DONG",
                "name": "Hoạt động",
                "unit_types": ["KCN", "LANG_NGHE"],
                "value_type": "integer",
            },
        ],
        "objectives": [{"code": "MT1", "name": "Mục tiêu"}],
        "indicators": [
            {
                "code": "CT01",
                "objective": "MT1",
                "name": "Tỷ lệ khu, làng nghề",
                "formula": "coverage_cumulative",
                "unit": "%",
                "parameters": {"unit_types": ["KCN", "LANG_NGHE"], "data_element": "NT_HOAT_DONG"},
                "targets": [{"text": "100%", "milestones": [{"year": 2030, "minimum": 100}]}],
                "order": 1,
            },
            {
                "code": "CT03",
                "objective": "MT1",
                "name": "Tỷ lệ huyện tuyên truyền",
                "formula": "coverage_cumulative",
                "unit": "%",
                "parameters": {"unit_types": ["HUYEN"], "data_element": "TT_SU_KIEN"},
                "targets": [{"text": "100%", "milestones": [{"year": 2030, "minimum": 100}]}],
                "versions": [
                    {
                        "valid_from": "2025-07-01",
                        "parameters": {"unit_types": ["XA"], "data_element": "TT_SU_KIEN"},
                        "decision": "Bỏ cấp huyện từ 01/7/2025",
                        "note": "Từ 01/7/2025 tính trên xã, phường mới.",
                    }
                ],
                "order": 2,
            },
        ],
    }


@pytest.fixture
def world(db: Any) -> World:
    old = {"valid_from": dt.date(2020, 1, 1), "valid_to": BEFORE}
    new = {"valid_from": REFORM}
    p = OrgUnitFactory(code="P", name="Tỉnh P", type="TINH", **old)
    c = OrgUnitFactory(code="C", name="Thành phố C", type="TINH", valid_from=dt.date(2020, 1, 1))
    d = unit_under(p, code="D", name="Huyện D", type="HUYEN", **old)
    a = unit_under(d, code="A", name="Xã A", type="XA", **old)
    b = unit_under(d, code="B", name="Xã B", type="XA", **old)
    n1 = unit_under(c, code="N1", name="Xã N1", type="XA", **new)
    n2 = unit_under(c, code="N2", name="Phường N2", type="XA", **new)
    n3 = unit_under(c, code="N3", name="Xã N3", type="XA", **new)
    zone = unit_under(a, code="KCN1", name="KCN Một", type="KCN")
    village = unit_under(b, code="LN1", name="Làng nghề Một", type="LANG_NGHE")
    shop = unit_under(d, code="ST1", name="Siêu thị Một", type="SIEU_THI")
    Succession.objects.create(
        predecessor=a, successor=n1, date=REFORM, kind="MERGE", legal_basis=LEGAL
    )
    Succession.objects.create(
        predecessor=b,
        successor=n1,
        date=REFORM,
        kind="SPLIT",
        share=Decimal("0.6"),
        legal_basis=LEGAL,
    )
    Succession.objects.create(
        predecessor=b,
        successor=n2,
        date=REFORM,
        kind="SPLIT",
        share=Decimal("0.4"),
        legal_basis=LEGAL,
    )
    plan = plan_load(definition=plan_definition())
    units = {u.code: u for u in (p, c, d, a, b, n1, n2, n3, zone, village, shop)}
    return World(units=units, plan=plan)
