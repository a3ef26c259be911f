"""The documents page in headless Chromium: a co-ordinator picks 2025, downloads the report,
saves a header value, and sends a broken template, which is refused with a Vietnamese message.
The page is saved as screenshots (desktop and phone) under `test-artifacts/screenshots/`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.browser.conftest import VIEWPORTS
from tests.documents.conftest import Cycle, cycle  # noqa: F401 - fixtures reused
from tests.web.conftest import territory  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_documents_page(
    browser: Any,
    live_server: Any,
    screenshots: Path,
    tmp_path: Path,
    cycle: Cycle,  # noqa: F811
    viewport: str,
) -> None:
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="vi-VN", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/van-ban/%3Fnam%3D2025")
        page.fill("input[name=username]", "dieuphoi")
        page.fill("input[name=password]", "mat-khau-thu-9")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/van-ban/?nam=2025")
        assert page.get_by_role("link", name="Văn bản").first.get_attribute("aria-current")
        assert page.get_by_text("Báo cáo kết quả thực hiện Kế hoạch năm 2025").is_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        page.screenshot(path=str(screenshots / f"20-van-ban-{viewport}.png"), full_page=True)

        with page.expect_download() as download_info:
            page.locator("a[href^='/van-ban/2025/bao-cao.docx']").click()
        download = download_info.value
        assert download.suggested_filename == "bao-cao-ket-qua-sxtdbv-nam-2025.docx"
        saved = tmp_path / "bao-cao.docx"
        download.save_as(saved)
        assert "BÁO CÁO" in [p.text for p in Document(str(saved)).paragraphs]

        page.fill("input[name=signer_name]", "Lê Văn Cường")
        page.get_by_role("button", name="Lưu thông tin ban hành").click()
        page.wait_for_selector("text=Đã lưu thông tin ban hành văn bản năm 2025.")

        broken = Document()
        broken.add_paragraph("Năm {{ year ")
        buffer = io.BytesIO()
        broken.save(buffer)
        target = tmp_path / "mau-loi.docx"
        target.write_bytes(buffer.getvalue())
        page.set_input_files("#mau-bao-cao", str(target))
        page.locator("#mau-bao-cao").locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
        message = page.locator(".message--error").first
        message.wait_for()
        assert "Mẫu “mau-loi.docx” không dùng được" in message.inner_text()
        page.screenshot(path=str(screenshots / f"21-van-ban-loi-mau-{viewport}.png"))
    finally:
        context.close()
