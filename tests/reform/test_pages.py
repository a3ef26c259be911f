"""The pages of the reform: unit lineage, proposals, comparable series, plan pages that mark
the definition break, several plans side by side, the tree on both sides of the reform."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from benvung.accounts.models import Role, RoleAssignment
from benvung.plans.services import plan_load
from tests.reform.conftest import World, plan_definition


@pytest.fixture
def coordinator(client: Client, db: Any) -> Client:
    user = get_user_model().objects.create_user("dieuphoi", password="mat-khau-thu-9")
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    client.force_login(user)
    return client


def text(response: Any) -> str:
    assert response.status_code == 200
    plain = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", plain)


def test_unit_page_lists_successors_with_shares_and_legal_basis(
    world: World, coordinator: Client
) -> None:
    page = text(coordinator.get("/don-vi/B/"))
    assert "Đơn vị kế thừa" in page
    assert "Xã N1 N1 01/07/2025 Chia tách (một phần) 60,00 % Nghị quyết minh họa" in page
    assert "Phường N2 N2 01/07/2025 Chia tách (một phần) 40,00 %" in page
    successor = text(coordinator.get("/don-vi/N1/"))
    assert "Đơn vị tiền thân" in successor
    assert "Xã A A 01/07/2025 Nhập vào" in successor


def test_proposals_page_and_file(world: World, coordinator: Client) -> None:
    page = text(coordinator.get("/don-vi/sap-xep/de-xuat-cap-tren/"))
    assert "3 đơn vị cần chuyển cấp trên." in page
    assert "1 đơn vị cần chọn thủ công." in page
    response = coordinator.get("/don-vi/sap-xep/de-xuat-cap-tren/?tai=csv")
    body = response.content.decode()
    assert body.startswith("code,parent,valid_from,valid_to,note\n")
    assert "KCN1,N1,2025-07-01,," in body
    assert 'ST1,,2025-07-01,,"cấp trên cũ là cấp huyện' in body
    assert "chọn một trong: N1 N2" in body


def test_series_page_marks_the_break(world: World, coordinator: Client) -> None:
    page = text(coordinator.get("/don-vi/D/chuoi-so-sanh/?ke_hoach=KH-TEST"))
    assert "CT03 — đứt gãy chuỗi năm 2025" in page
    assert "Từ 01/7/2025 tính trên xã, phường mới." in page


def test_plan_and_indicator_pages_say_why_the_series_breaks(
    world: World, coordinator: Client
) -> None:
    before = text(coordinator.get("/ke-hoach/KH-TEST/?nam=2024"))
    assert "Chuỗi số liệu đứt gãy" not in before
    after = text(coordinator.get("/ke-hoach/KH-TEST/?nam=2025"))
    assert "Chuỗi số liệu đứt gãy: định nghĩa thay đổi từ 01/07/2025." in after
    assert "Năm chuyển tiếp" in after
    indicator = text(coordinator.get("/ke-hoach/KH-TEST/chi-tieu/CT03/?nam=2024"))
    assert "Căn cứ: Bỏ cấp huyện từ 01/7/2025" in indicator


def test_two_provincial_plans_side_by_side_under_the_national_one(
    world: World, coordinator: Client
) -> None:
    national = plan_definition() | {"code": "QG", "scope_root": None, "data_elements": []}
    national["indicators"] = [
        {
            "code": "QG-TT",
            "objective": "MT1",
            "name": "Tuyên truyền",
            "formula": "qualitative",
            "targets": [{"text": "Tuyên truyền"}],
        }
    ]
    plan_load(definition=national)
    own = plan_definition() | {
        "code": "HP-MH",
        "scope_root": "C",
        "parent": "QG",
        "is_sample": True,
    }
    for spec in own["indicators"]:
        for target in spec["targets"]:
            target["serves"] = "QG-TT"
    plan_load(definition=own)
    page = text(coordinator.get("/ke-hoach/so-sanh/?nam=2026"))
    assert "KH-TEST" in page
    assert "HP-MH" in page or "minh họa" in page
    assert "QG-TT Tuyên truyền" in page
    sample = text(coordinator.get("/ke-hoach/HP-MH/"))
    assert "kế hoạch minh họa" in sample
    assert "Thực hiện chương trình" in sample
    # The default plan stays KH-2627.
    assert coordinator.get("/ke-hoach/").url.endswith("/ke-hoach/KH-2627/")


def test_tree_shows_each_side_of_the_reform(world: World, coordinator: Client) -> None:
    old = text(coordinator.get("/don-vi/?ngay=2024-01-01"))
    assert "Huyện D" in old
    assert "Xã N1" not in old
    new = text(coordinator.get("/don-vi/?ngay=2026-01-01"))
    assert "Xã N1" in new
    assert "Huyện D" not in new
