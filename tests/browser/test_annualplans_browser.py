"""The annual implementation plan and its summary in headless Chromium, with the demo plans
2021–2026: the leader opens 2026 (submitted) and approves it, reads the 2025 summary, an
activity and the task list.
Screenshots: `test-artifacts/screenshots/annual-*.png`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from benvung.accounts.models import Role, RoleAssignment
from benvung.annualplans.demo import generate_annual_demo
from benvung.annualplans.models import ImplementationPlan, PlanStatus
from benvung.annualplans.selectors import budget_summary
from benvung.core.formatting import format_number
from tests.annualplans.conftest import load_plan_and_tasks
from tests.browser.test_reporting_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_and_summary_pages(browser: Any, live_server: Any, screenshots: Path) -> None:
    load_plan_and_tasks()
    leader = User.objects.create_user("lanhdao", password="lanhdao-pass")
    RoleAssignment.objects.create(user=leader, role=Role.LEADER)
    generate_annual_demo(seed=2627)
    plan_2026 = ImplementationPlan.objects.get(year=2026)
    assert plan_2026.status == PlanStatus.SUBMITTED
    total_2026 = format_number(budget_summary(plan_2026).planned_total, 0)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, "lanhdao", "lanhdao-pass")
    page.goto(f"{live_server.url}/ke-hoach-trien-khai/2026/")
    assert page.locator("#tong-cong").inner_text().strip() == total_2026
    assert page.get_by_text("Đã trình", exact=True).first.is_visible()
    page.screenshot(path=str(screenshots / "annual-plan-2026-desktop.png"), full_page=True)

    page.get_by_role("button", name="Phê duyệt").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã phê duyệt kế hoạch.").is_visible()
    plan_2026.refresh_from_db()
    assert plan_2026.status == PlanStatus.APPROVED

    page.goto(f"{live_server.url}/ke-hoach-trien-khai/2025/tong-hop/")
    summary = budget_summary(ImplementationPlan.objects.get(year=2025))
    footer = page.locator("#bang-nguon tfoot td").first.inner_text().strip()
    assert footer == format_number(summary.planned_total, 0)
    page.screenshot(path=str(screenshots / "annual-summary-2025-desktop.png"), full_page=True)

    page.goto(f"{live_server.url}/ke-hoach-trien-khai/2026/hoat-dong/2026-01/")
    assert page.get_by_role("heading", name="Báo cáo tiến độ", exact=True).is_visible()
    page.screenshot(path=str(screenshots / "annual-activity-desktop.png"), full_page=True)
    page.goto(f"{live_server.url}/nhiem-vu/?q=tieu+dung")
    assert page.get_by_text("Cần đối chiếu với Phụ lục của Quyết định").is_visible()
    page.screenshot(path=str(screenshots / "annual-tasks-desktop.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/ke-hoach-trien-khai/2025/tong-hop/")
    page.screenshot(path=str(screenshots / "annual-summary-2025-phone.png"), full_page=True)
    page.close()
