"""The plan's tasks: the starting list loaded by `benvung init` (once, edits kept), its
agencies and its links to objectives and indicators, and the /nhiem-vu/ page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from benvung.core.services import system_init
from benvung.orgunits.models import OrgUnit, UnitType
from benvung.tasks.models import Task, TaskGroup
from benvung.tasks.services import TASK_FILE, tasks_load
from tests.annualplans.conftest import load_plan_and_tasks

pytestmark = pytest.mark.django_db

DEFINITION = json.loads(TASK_FILE.read_text(encoding="utf-8"))


def text_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_init_loads_agencies_and_the_889_task_groups_once_and_keeps_edits() -> None:
    lines = system_init()
    assert "Sở, ngành, đoàn thể: 18 mới, 0 không đổi." in lines
    assert "Nhiệm vụ KH-2627: 9 nhóm mới, 21 nhiệm vụ mới, 0 không đổi." in lines
    groups = list(TaskGroup.objects.filter(plan__code="KH-2627").order_by("order"))
    assert [g.code for g in groups] == [f"N{i}" for i in range(1, 10)]
    assert groups[0].name.startswith("Hoàn thiện thể chế, chính sách, pháp luật")
    assert groups[-1].name.startswith("Xây dựng cơ sở dữ liệu, giám sát, đánh giá")
    sct = OrgUnit.objects.get(code="CQ-SCT")
    assert (sct.name, sct.type, sct.is_demo) == ("Sở Công Thương", UnitType.CO_QUAN, False)
    # Under the province until the 2025 reform, then under the city that took it over.
    assert [
        (link.parent.code, link.valid_from, link.valid_to)
        for link in sct.parent_links.select_related("parent").order_by("valid_from")
    ] == [
        ("30", dt.date(2020, 1, 1), dt.date(2025, 6, 30)),
        ("31", dt.date(2025, 7, 1), None),
    ]
    sct.name = "Sở Công Thương (tên đã sửa)"
    sct.save()

    task = Task.objects.get(code="N4.2")
    assert task.lead_agency == sct
    assert {o.code for o in task.objectives.all()} == {"MT3"}
    assert {i.code for i in task.indicators.all()} == {"CT04"}
    task.title = "Tên đã sửa trong hệ thống"
    task.save()

    again = system_init()
    assert "Nhiệm vụ KH-2627: 0 nhóm mới, 0 nhiệm vụ mới, 21 không đổi." in again
    assert "Sở, ngành, đoàn thể: 0 mới, 18 không đổi." in again
    assert OrgUnit.objects.get(code="CQ-SCT").name == "Sở Công Thương (tên đã sửa)"
    assert OrgUnit.objects.get(code="CQ-SCT").parent_links.count() == 2
    assert Task.objects.get(code="N4.2").title == "Tên đã sửa trong hệ thống"
    assert Task.objects.count() == 21


def test_every_task_serves_objectives_and_is_led_by_an_agency() -> None:
    load_plan_and_tasks()
    for task in Task.objects.select_related("lead_agency").prefetch_related("objectives"):
        assert task.objectives.exists(), task.code
        assert task.lead_agency is not None
        assert task.lead_agency.type in {"CO_QUAN", "HUYEN"}
        assert task.start_year <= task.end_year
    indicators = {i.code for t in Task.objects.all() for i in t.indicators.all()}
    # Every quantitative indicator of the plan is served by at least one task.
    assert {"CT01", "CT02", "CT03", "CT04", "CT05", "CT06", "CT08", "CT09"} <= indicators


def test_a_task_naming_an_unknown_code_stores_nothing() -> None:
    load_plan_and_tasks()
    Task.objects.all().delete()
    TaskGroup.objects.all().delete()
    broken = json.loads(json.dumps(DEFINITION))
    broken["groups"][1]["tasks"][0]["indicators"].append("CT99")
    with pytest.raises(ValueError, match=r"nhiệm vụ N2\.1: không có mã CT99"):
        tasks_load(definition=broken)
    assert not TaskGroup.objects.exists() and not Task.objects.exists()


def test_task_page_groups_filters_by_agency_and_searches_without_accents() -> None:
    load_plan_and_tasks()
    client = Client()
    client.force_login(User.objects.create_user("xem", password="x"))
    page = client.get("/nhiem-vu/")
    assert page.status_code == 200
    text = text_of(page)
    assert "Cần đối chiếu với Phụ lục của Quyết định" in text
    assert "889/QĐ-TTg" in text
    assert "21 nhiệm vụ" in text
    assert "Hợp tác quốc tế về sản xuất và tiêu dùng bền vững" in text

    found = client.get("/nhiem-vu/", {"q": "mua sam cong xanh"})
    codes = [t.code for g in found.context["groups"] for t in g.tasks]
    assert codes == ["N4.1"]

    by_agency = client.get("/nhiem-vu/", {"co_quan": "CQ-SGDDT"})
    codes = {t.code for g in by_agency.context["groups"] for t in g.tasks}
    assert codes == {"N6.1"}
    assert "Bỏ lọc" in text_of(by_agency)
