"""Issue 3 end to end in headless Chromium: a supermarket's Excel workbook, from template to plan.

A supermarket's reporter signs in, downloads the unit's Excel template for 2025 from the import
page, fills it with a bad cell first (refused, the page names the cell, nothing stored), then
correctly; sends the PHAN_PHOI report; the co-ordinator sees CT04/CT09 on the plan page only in
the all-data view until approving the report from the review queue, after which the
approved-only view shows them too. Screenshots go to `test-artifacts/screenshots/1y-*.png`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from benvung.accounts.models import Role, RoleAssignment
from benvung.core.services import system_init
from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit
from benvung.reporting.models import Submission, SubmissionStatus
from tests.browser.conftest import VIEWPORTS
from tests.factories import unit_under

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMUNE = "10507"  # Phường Cẩm Thượng, Thành phố Hải Dương
SHOP = "ST-CT"
SHOP_NAME = "Siêu thị Cẩm Thượng"
PLAN = "/ke-hoach/KH-2627/?nam=2025"


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"1y-{name}.png"), full_page=True)


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def indicator(page: Any, base: str, code: str, data: str) -> str:
    page.goto(f"{base}{PLAN}&du-lieu={data}")
    row = page.locator(".indicator-table tr", has=page.get_by_role("link", name=code, exact=True))
    return str(row.locator("td.value").inner_text()).strip()


def filled(template: bytes, values: dict[str, object]) -> bytes:
    """The template with column D (value) set on the supermarket's rows of `values`."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    found = set()
    for line in range(2, sheet.max_row + 1):
        element = sheet.cell(row=line, column=1).value
        unit = sheet.cell(row=line, column=2).value
        if unit == SHOP and element in values:
            sheet.cell(row=line, column=4, value=values[element])
            found.add(element)
    assert found == set(values), f"template rows missing: {set(values) - found}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def value_line(template: bytes, element: str) -> int:
    sheet = load_workbook(io.BytesIO(template)).worksheets[0]
    for line in range(2, sheet.max_row + 1):
        if sheet.cell(row=line, column=1).value == element:
            return line
    raise AssertionError(f"{element} not in the template")


def upload(page: Any, name: str, content: bytes) -> None:
    page.check("input[name=kind][value=data]")
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": name,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ],
    )
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.wait_for_load_state()


def test_excel_workbook_to_plan(browser: Any, live_server: Any, screenshots: Path) -> None:
    system_init()
    unit_under(OrgUnit.objects.get(code=COMMUNE), code=SHOP, name=SHOP_NAME, type="SIEU_THI")
    reporter = User.objects.create_user(
        "baocao-st", password="bao-cao-2025", first_name="Nguyễn Văn Minh"
    )
    RoleAssignment.objects.create(
        user=reporter, role=Role.REPORTER, org_unit=OrgUnit.objects.get(code=SHOP)
    )
    coordinator = User.objects.create_user(
        "dieuphoi", password="dieu-phoi-2025", first_name="Phòng Kỹ thuật an toàn"
    )
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR)

    base = live_server.url
    context = browser.new_context(
        viewport=VIEWPORTS["desktop"], locale="vi-VN", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    other = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
    other.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # --- The reporter downloads the template and fills it in Excel ----------------------
        sign_in(page, base, "baocao-st", "bao-cao-2025")
        page.goto(f"{base}/nhap-du-lieu/")
        page.select_option("#mau-don-vi", SHOP)
        page.select_option("#mau-nam", "2025")
        with page.expect_download() as info:
            page.get_by_role("button", name="Tải mẫu Excel").click()
        download = info.value
        assert download.suggested_filename == f"mau-so-lieu-{SHOP}-2025.xlsx"
        template = Path(download.path()).read_bytes()

        line = value_line(template, "BB_NHAN_SINH_THAI")
        upload(
            page,
            "mau-loi.xlsx",
            filled(template, {"BB_THAN_THIEN": "có", "BB_NHAN_SINH_THAI": "nhiều"}),
        )
        assert page.get_by_text("không có dữ liệu nào được lưu").is_visible()
        problems = page.locator(".problem-table tbody tr")
        assert problems.count() == 1
        assert problems.first.locator("td.code").inner_text().strip() == f"D{line}"
        assert "nhiều" in problems.first.inner_text()
        assert DataValue.objects.count() == 0
        shot(page, screenshots, "01-nhap-excel-loi-o")

        upload(
            page,
            "mau-dung.xlsx",
            filled(template, {"BB_THAN_THIEN": "có", "BB_NHAN_SINH_THAI": 12}),
        )
        summary = page.locator(".alert--success")
        assert "Đã nhập xong" in summary.inner_text()
        assert "mau-dung.xlsx" in summary.inner_text()
        assert DataValue.objects.filter(org_unit__code=SHOP).count() == 2
        shot(page, screenshots, "02-nhap-excel-xong")

        # --- The reporter sends the PHAN_PHOI report ----------------------------------------
        page.goto(f"{base}/bao-cao/?nam=2025")
        section = page.locator("#bieu-mau-PHAN_PHOI")
        assert section.get_by_text("Đang nhập").first.is_visible()  # the import's draft
        section.locator("tr", has_text=SHOP_NAME).get_by_role("link", name="Báo cáo").click()
        page.wait_for_url(re.compile(r"/bao-cao/nop/\d+/"))
        page.get_by_role("button", name="Gửi báo cáo").click()
        page.wait_for_load_state()
        assert page.get_by_text(f"Đã gửi báo cáo của {SHOP_NAME}").is_visible()
        assert page.get_by_text("Đã gửi, chờ duyệt").is_visible()
        submission = Submission.objects.get(org_unit__code=SHOP)
        assert submission.status == SubmissionStatus.SUBMITTED

        # --- The co-ordinator: approved-only view first, then approves ----------------------
        boss = other.new_page()
        sign_in(boss, base, "dieuphoi", "dieu-phoi-2025")
        assert indicator(boss, base, "CT04", "da-duyet") == "0,00 %"
        assert indicator(boss, base, "CT09", "da-duyet") == "—"
        assert indicator(boss, base, "CT04", "tat-ca") == "100,00 %"
        assert indicator(boss, base, "CT09", "tat-ca") == "12 sản phẩm"

        boss.goto(f"{base}/bao-cao/?nam=2025")
        queue = boss.locator("#cho-duyet")
        assert queue.locator("tbody tr").count() == 1
        boss.get_by_role("button", name=f"Duyệt báo cáo của {SHOP_NAME}").click()
        boss.wait_for_load_state()
        assert boss.get_by_text(f"Đã duyệt báo cáo của {SHOP_NAME}").is_visible()
        submission.refresh_from_db()
        assert submission.status == SubmissionStatus.APPROVED

        assert indicator(boss, base, "CT09", "da-duyet") == "12 sản phẩm"
        assert indicator(boss, base, "CT04", "da-duyet") == "100,00 %"
        shot(boss, screenshots, "03-ke-hoach-da-duyet")
    finally:
        other.close()
        context.close()
