"""In headless Chromium over the demo installation: the unit tree before and after the 2025
reform, a split commune's page with its successors, and a former district's comparable
series. Screenshots go to `test-artifacts/screenshots/` for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benvung.core.services import system_init
from tests.browser.conftest import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tree_and_unit_pages_across_the_reform(
    browser: Any,
    live_server: Any,
    screenshots: Path,
) -> None:
    system_init(demo=True)
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    base = live_server.url
    try:
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", "demo")
        page.fill("input[name=password]", "demo")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()

        page.goto(f"{base}/don-vi/?ngay=2024-01-01")
        assert page.get_by_text("Tỉnh Hải Dương").first.is_visible()
        assert page.get_by_text("Huyện Nam Sách").first.is_visible()
        page.screenshot(path=str(screenshots / "reform-01-cay-2024.png"), full_page=False)

        page.goto(f"{base}/don-vi/?ngay=2026-01-01")
        assert page.get_by_text("Thành phố Hải Phòng").first.is_visible()
        assert page.get_by_text("Phường Thành Đông").first.is_visible()
        assert page.get_by_text("Huyện Nam Sách").count() == 0
        page.screenshot(path=str(screenshots / "reform-02-cay-2026.png"), full_page=False)

        # Phường Trần Phú (10528) was split between two new wards.
        page.goto(f"{base}/don-vi/10528/")
        lineage = page.locator("#ke-thua")
        assert lineage.get_by_text("Đơn vị kế thừa").is_visible()
        assert lineage.locator("tbody tr").count() == 2
        assert lineage.get_by_text("Chia tách (một phần)").first.is_visible()
        page.screenshot(path=str(screenshots / "reform-03-don-vi-chia-tach.png"), full_page=True)

        page.goto(f"{base}/don-vi/288/chuoi-so-sanh/")
        assert page.get_by_text("CT03 — đứt gãy chuỗi năm 2025").is_visible()
        page.screenshot(path=str(screenshots / "reform-04-chuoi-so-sanh.png"), full_page=True)
    finally:
        context.close()
