"""The reporting cycle end to end in headless Chromium.

A district's reporter signs in, fills the district's NHAN_THUC form for 2025 (a cluster and two
craft villages), is stopped by a bad value shown beside its cell, fixes it, saves and sends;
the co-ordinator returns one village's report with a comment from the review queue and approves
the others; the reporter reads the comment, corrects and sends again; the co-ordinator approves,
and the plan page's CT01 for 2025 moves from 0 % to 100 %. Each step's page is saved under
`test-artifacts/screenshots/1x-*.png` (desktop, and the entry form also at phone width).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from benvung.accounts.models import Role, RoleAssignment
from benvung.core.services import system_init
from benvung.orgunits.models import OrgUnit
from benvung.reporting.models import Submission, SubmissionStatus
from tests.browser.conftest import VIEWPORTS
from tests.factories import unit_under

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICT = "288"  # Thành phố Hải Dương
UNITS = {
    "CCN-NS": ("Cụm công nghiệp Ngọc Sơn", "CCN"),
    "LN-TM": ("Làng nghề mộc Tứ Minh", "LANG_NGHE"),
    "LN-HT": ("Làng nghề bánh đa Hải Tân", "LANG_NGHE"),
}
FORM = f"/bao-cao/NHAN_THUC/2025/{DISTRICT}/"
RETURN_COMMENT = (
    "Làng nghề mộc Tứ Minh đã tổ chức 2 buổi tập huấn trong năm, đề nghị sửa số hoạt động."
)


def assert_fits_width(page: Any) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the viewport"


def shot(page: Any, folder: Path, name: str, viewport: str = "desktop") -> None:
    assert_fits_width(page)
    page.screenshot(path=str(folder / f"1x-{name}-{viewport}.png"), full_page=True)


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def ct01_2025(page: Any, base: str) -> str:
    page.goto(f"{base}/ke-hoach/KH-2627/?nam=2025")
    row = page.locator(".indicator-table tr", has=page.get_by_role("link", name="CT01", exact=True))
    return str(row.locator("td.value").inner_text()).strip()


def cell(page: Any, unit: str, element: str) -> Any:
    return page.locator(f'[name="v:{unit}:{element}"]')


def test_reporting_cycle(browser: Any, live_server: Any, screenshots: Path) -> None:
    system_init()
    district = OrgUnit.objects.get(code=DISTRICT)
    for code, (name, unit_type) in UNITS.items():
        unit_under(district, code=code, name=name, type=unit_type)
    reporter = User.objects.create_user(
        "baocao-hd", password="bao-cao-2025", first_name="Trần Thị Lan"
    )
    RoleAssignment.objects.create(user=reporter, role=Role.REPORTER, org_unit=district)
    coordinator = User.objects.create_user(
        "dieuphoi", password="dieu-phoi-2025", first_name="Phòng Kỹ thuật an toàn"
    )
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR)

    base = live_server.url
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
    context.set_default_timeout(15_000)
    phone = browser.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN")
    phone.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # --- The reporter fills the district's form ------------------------------------------
        sign_in(page, base, "baocao-hd", "bao-cao-2025")
        assert ct01_2025(page, base) == "0,00 %"
        page.goto(f"{base}/bao-cao/?nam=2025")
        section = page.locator("#bieu-mau-NHAN_THUC")
        assert section.locator("tbody .badge--none").count() == 3
        shot(page, screenshots, "01-tong-quan-nguoi-bao-cao")
        section.get_by_role("link", name="Nhập biểu mẫu của Thành phố Hải Dương (3 đơn vị)").click()
        page.wait_for_url(re.compile(re.escape(FORM)))
        assert page.locator("tr.entry-row").count() == 3
        shot(page, screenshots, "02-bieu-mau")

        phone_page = phone.new_page()
        sign_in(phone_page, base, "baocao-hd", "bao-cao-2025")
        phone_page.goto(f"{base}{FORM}")
        shot(phone_page, screenshots, "02-bieu-mau", "phone")

        cell(page, "CCN-NS", "NT_HOAT_DONG").fill("1")
        cell(page, "CCN-NS", "NT_NGUOI").fill("80")
        cell(page, "LN-TM", "NT_HOAT_DONG").fill("0")
        cell(page, "LN-TM", "NT_NGUOI").fill("mười")
        cell(page, "LN-HT", "NT_HOAT_DONG").fill("3")
        cell(page, "LN-HT", "NT_NGUOI").fill("150")
        page.get_by_role("button", name="Lưu nháp").click()
        page.wait_for_load_state()
        bad = cell(page, "LN-TM", "NT_NGUOI")
        assert bad.get_attribute("aria-invalid") == "true"
        error = page.locator(f"#{bad.get_attribute('aria-describedby')}")
        assert "'mười' không phải là số" in error.inner_text()
        assert error.is_visible()
        assert page.get_by_text("Có 1 lỗi — chưa lưu số liệu nào.").is_visible()
        assert not Submission.objects.exists()
        shot(page, screenshots, "03-loi-nhap-lieu")

        bad.fill("45")
        page.get_by_role("button", name="Lưu và gửi báo cáo").click()
        page.wait_for_load_state()
        assert page.get_by_text("Đã gửi 3 báo cáo để Sở Công Thương duyệt").is_visible()
        assert page.locator(".entry-row--locked").count() == 3
        shot(page, screenshots, "04-da-gui")
        sign_out(page)

        # --- The co-ordinator returns one report and approves the others ---------------------
        sign_in(page, base, "dieuphoi", "dieu-phoi-2025")
        page.goto(f"{base}/bao-cao/?nam=2025")
        queue = page.locator("#cho-duyet")
        assert queue.locator("tbody tr").count() == 3
        assert queue.get_by_text("Trần Thị Lan").count() == 3
        shot(page, screenshots, "05-hang-cho-duyet")
        queue.locator("tr", has_text="Làng nghề mộc Tứ Minh").get_by_role(
            "link", name="Xem, duyệt"
        ).click()
        page.wait_for_url(re.compile(r"/bao-cao/nop/\d+/"))
        page.get_by_role("button", name="Trả lại").click()  # without a comment first
        page.wait_for_load_state()
        # The browser itself asks for the required comment; nothing was sent.
        assert Submission.objects.get(org_unit__code="LN-TM").status == SubmissionStatus.SUBMITTED
        page.fill("#y-kien-tra-lai", RETURN_COMMENT)
        shot(page, screenshots, "06-tra-lai")
        page.get_by_role("button", name="Trả lại").click()
        page.wait_for_url(re.compile(r"/bao-cao/\?nam=2025"))
        assert page.get_by_text("Đã trả lại báo cáo của Làng nghề mộc Tứ Minh").is_visible()
        for name in ("Cụm công nghiệp Ngọc Sơn", "Làng nghề bánh đa Hải Tân"):
            page.get_by_role("button", name=f"Duyệt báo cáo của {name}").click()
            page.wait_for_load_state()
            assert page.get_by_text(f"Đã duyệt báo cáo của {name}").is_visible()
        assert page.get_by_text("Không có báo cáo nào đang chờ duyệt.").is_visible()
        shot(page, screenshots, "07-sau-khi-quyet-dinh")
        sign_out(page)

        # --- The reporter reads the comment, corrects and sends again -------------------------
        sign_in(page, base, "baocao-hd", "bao-cao-2025")
        page.goto(f"{base}/bao-cao/?nam=2025")
        assert page.get_by_text(RETURN_COMMENT).is_visible()
        shot(page, screenshots, "08-bao-cao-bi-tra-lai")
        page.get_by_role("link", name="Nhập biểu mẫu của Thành phố Hải Dương (3 đơn vị)").click()
        page.wait_for_url(re.compile(re.escape(FORM)))
        assert page.get_by_text(RETURN_COMMENT).is_visible()
        assert page.locator(".entry-row--locked").count() == 2  # the approved ones
        cell(page, "LN-TM", "NT_HOAT_DONG").fill("2")
        shot(page, screenshots, "09-sua-theo-y-kien")
        phone_page.goto(f"{base}{FORM}")
        shot(phone_page, screenshots, "09-sua-theo-y-kien", "phone")
        page.get_by_role("button", name="Lưu và gửi báo cáo").click()
        page.wait_for_load_state()
        assert page.get_by_text("Đã gửi 1 báo cáo để Sở Công Thương duyệt").is_visible()
        sign_out(page)

        # --- The co-ordinator approves; the plan counts the villages --------------------------
        sign_in(page, base, "dieuphoi", "dieu-phoi-2025")
        page.goto(f"{base}/bao-cao/?nam=2025")
        queue = page.locator("#cho-duyet")
        assert queue.locator("tbody tr").count() == 1
        queue.get_by_role("link", name="Xem, duyệt").click()
        page.wait_for_url(re.compile(r"/bao-cao/nop/\d+/"))
        assert page.get_by_text(RETURN_COMMENT).first.is_visible()  # in the timeline
        page.get_by_role("button", name="Duyệt", exact=True).click()
        page.wait_for_url(re.compile(r"/bao-cao/\?nam=2025"))
        assert page.get_by_text("Đã duyệt báo cáo của Làng nghề mộc Tứ Minh").is_visible()
        statuses = set(Submission.objects.values_list("status", flat=True))
        assert statuses == {SubmissionStatus.APPROVED}
        submission = Submission.objects.get(org_unit__code="LN-TM")
        page.goto(f"{base}/bao-cao/nop/{submission.pk}/")
        assert page.locator(".timeline li").count() == 6
        shot(page, screenshots, "10-da-duyet")
        page.goto(f"{base}/bao-cao/lich-su/NT_HOAT_DONG/LN-TM/2025/")
        assert page.locator(".history-table tbody tr").count() == 2
        shot(page, screenshots, "11-lich-su-so-lieu")
        assert ct01_2025(page, base) == "100,00 %"
        shot(page, screenshots, "12-ke-hoach")
    finally:
        phone.close()
        context.close()
