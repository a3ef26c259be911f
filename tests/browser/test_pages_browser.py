"""End to end in headless Chromium, over the demo installation, at desktop and phone widths.

A user signs in through the form, opens the plan for 2025, follows CT01 to its chart and
district drill-down, searches the unit tree without accents, opens a unit, and sends a bad file
to the import page. Every main page is saved as a full-page screenshot under
`test-artifacts/screenshots/` for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from benvung.core.services import system_init
from tests.browser.conftest import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_CSV = (
    b"data_element,org_unit,period,value,unit,comment\n"
    b"NT_HOAT_DONG,KHONG-CO-DON-VI,2024,1,,\n"
    b"NT_HOAT_DONG,288,20x4,-3,,\n"
)


def assert_fits_width(page: Any) -> None:
    """Nothing sticks out sideways: the page never scrolls horizontally."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the viewport"


def shot(page: Any, folder: Path, name: str, viewport: str) -> None:
    page.screenshot(path=str(folder / f"{name}-{viewport}.png"), full_page=True)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_user_journey(browser: Any, live_server: Any, screenshots: Path, viewport: str) -> None:
    system_init(demo=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    base = live_server.url
    try:
        # Sign in through the form (the plan page sends an anonymous user there).
        page.goto(f"{base}/ke-hoach/KH-2627/")
        assert "/accounts/login/" in page.url
        assert page.get_by_text("Tài khoản minh họa: demo / demo").is_visible()
        assert page.get_by_text("Dữ liệu minh họa — không phải số liệu chính thức").is_visible()
        assert_fits_width(page)
        shot(page, screenshots, "01-dang-nhap", viewport)
        page.fill("input[name=username]", "demo")
        page.fill("input[name=password]", "demo")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(re.compile(r"/ke-hoach/KH-2627/"))

        # Plan page, year 2025.
        page.select_option("select[name=nam]", "2025")
        page.get_by_role("button", name="Xem").click()
        page.wait_for_url(re.compile(r"nam=2025"))
        assert page.locator(".scope-line strong").first.inner_text() == "2025"
        badges = page.locator(".indicator-table .badge")
        assert badges.count() == 22
        labels = set(badges.all_inner_texts())
        assert labels & {
            "Đạt",
            "Đúng tiến độ",
            "Cần đẩy nhanh",
            "Chậm tiến độ",
            "Thụt lùi",
            "Không đạt",
            "Chưa có dữ liệu",
        }
        assert page.locator(".status-summary .badge").count() >= 7
        assert_fits_width(page)
        shot(page, screenshots, "02-ke-hoach", viewport)

        # Print: navigation and forms hidden, tables and badges kept.
        page.emulate_media(media="print")
        assert page.locator(".site-nav").is_hidden()
        assert page.locator("form.filter-bar").is_hidden()
        assert page.locator(".indicator-table").first.is_visible()
        shot(page, screenshots, "02-ke-hoach-ban-in", viewport)
        page.emulate_media(media="screen")

        # CT01: chart and drill-down by district.
        page.locator(".indicator-table a", has_text="CT01").first.click()
        page.wait_for_url(re.compile(r"/chi-tieu/CT01/\?nam=2025"))
        # One drawing for wide screens, a taller one for phones: the visible one depends on
        # the width.
        chart = page.locator(".chart-wrap:visible svg.chart")
        assert chart.count() == 1
        wide = page.locator(".chart-wrap--wide").is_visible()
        assert wide == (viewport == "desktop")
        assert chart.locator(".chart-series--value path").count() >= 1
        assert chart.locator(".chart-series--value circle").count() == 6  # 2020–2025
        assert chart.locator(".chart-marker").count() == 2
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150
        assert page.get_by_role(
            "heading", name="Chi tiết theo huyện, thị xã, thành phố"
        ).is_visible()
        assert page.locator(".drilldown-table tbody tr").count() == 12
        assert page.locator(".standing").count() > 0
        assert_fits_width(page)
        shot(page, screenshots, "03-chi-tieu-ct01", viewport)

        # Unit tree as of a day before the reform, searched without accents.
        page.locator(".site-nav a", has_text="Đơn vị").click()
        page.wait_for_url(re.compile(r"/don-vi/"))
        page.fill("input[name=ngay]", "2024-01-01")
        page.fill("input[name=q]", "hai duong")
        page.get_by_role("button", name="Xem").click()
        page.wait_for_url(re.compile(r"q=hai\+duong"))
        results = page.locator(".search-results li")
        assert results.count() >= 2
        found = results.all_inner_texts()
        assert any("Tỉnh Hải Dương" in r for r in found)
        assert any("Thành phố Hải Dương" in r for r in found)
        assert page.locator(".tree .is-match").count() == results.count()
        assert_fits_width(page)
        shot(page, screenshots, "04-cay-don-vi", viewport)

        # A unit page.
        page.locator(".search-results a", has_text="Thành phố Hải Dương").first.click()
        page.wait_for_url(re.compile(r"/don-vi/288/"))
        assert page.get_by_role("heading", name="Thành phố Hải Dương", exact=True).is_visible()
        assert page.get_by_text("Quá trình trực thuộc").is_visible()
        assert_fits_width(page)
        shot(page, screenshots, "05-don-vi", viewport)

        # Import page: a bad file is refused, line by line.
        page.locator(".site-nav a", has_text="Nhập dữ liệu").click()
        page.wait_for_url(re.compile(r"/nhap-du-lieu/"))
        page.check("input[name=kind][value=data]")
        page.set_input_files(
            "input[name=file]",
            files=[{"name": "so-lieu-loi.csv", "mimeType": "text/csv", "buffer": BAD_CSV}],
        )
        page.get_by_role("button", name="Nhập").click()
        problems = page.locator(".problem-table tbody tr")
        problems.first.wait_for()
        texts = problems.all_inner_texts()
        assert any(t.startswith("so-lieu-loi.csv:2: org_unit: ") for t in texts)
        assert any(t.startswith("so-lieu-loi.csv:3: ") for t in texts)
        assert page.get_by_text("không có dữ liệu nào được lưu").is_visible()
        assert_fits_width(page)
        shot(page, screenshots, "06-nhap-du-lieu-loi", viewport)
    finally:
        context.close()
