"""The public portal end to end in headless Chromium, over the demo installation, at desktop
and phone widths, as a citizen would use it: no account.

Home, the news list, the source article with its print view, a search typed without accents,
the progress page and an indicator, and a CSV download. Every page is saved as a full-page
screenshot `test-artifacts/screenshots/p-*.png` for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from benvung.core.services import system_init
from benvung.portal.demo import SOURCE_TITLE, generate_news_demo
from benvung.portal.models import Article
from tests.browser.conftest import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits_width(page: Any) -> None:
    """Nothing sticks out sideways: the page never scrolls horizontally."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the viewport"


def shot(page: Any, folder: Path, name: str, viewport: str) -> None:
    page.screenshot(path=str(folder / f"p-{name}-{viewport}.png"), full_page=True)


def install() -> None:
    system_init(demo=True)
    if not Article.objects.filter(title=SOURCE_TITLE).exists():
        generate_news_demo(seed=2627)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_citizen_journey(browser: Any, live_server: Any, screenshots: Path, viewport: str) -> None:
    install()
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="vi-VN", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    # Record calls of window.print() instead of opening the print dialog.
    context.add_init_script("window.__printed = 0; window.print = () => { window.__printed++; };")
    page = context.new_page()
    base = live_server.url
    try:
        # Home: the department's name, slogan and date line; news and progress side by side.
        page.goto(f"{base}/")
        assert page.get_by_text("SỞ CÔNG THƯƠNG HẢI DƯƠNG", exact=True).is_visible()
        assert page.get_by_text("HỘI NHẬP VÀ PHÁT TRIỂN").is_visible()
        assert re.match(
            r"^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), ngày \d\d/\d\d/\d{4}$",
            page.locator(".p-date").inner_text(),
        )
        assert page.locator(".p-news-item").count() >= 5
        assert page.locator(".p-mini-table .badge").count() >= 3
        assert page.get_by_role("link", name="Báo Hải Dương").is_visible()
        assert_fits_width(page)
        shot(page, screenshots, "01-trang-chu", viewport)

        # News list, then the source article.
        page.locator(".p-nav a", has_text="Tin tức").first.click()
        page.wait_for_url(re.compile(r"/tin-tuc/$"))
        assert page.locator(".p-news-list--full .p-news-item").count() == 10
        assert page.get_by_text("Trang 1/2").is_visible()
        assert_fits_width(page)
        shot(page, screenshots, "02-tin-tuc", viewport)
        page.get_by_role("link", name="Tin hoạt động ngành").last.click()
        page.wait_for_url(re.compile(r"/tin-tuc/tin-hoat-dong-nganh/$"))
        if not page.get_by_role("link", name=SOURCE_TITLE).count():
            page.get_by_role("link", name=re.compile("Sau")).click()
        page.get_by_role("link", name=SOURCE_TITLE).click()
        page.wait_for_url(re.compile(r"/tin-tuc/tin-hoat-dong-nganh/ke-hoach-hanh-dong-"))
        assert page.get_by_role("heading", name=SOURCE_TITLE).is_visible()
        assert page.locator(".p-article .p-meta").inner_text() == "28/09/2020 15:00"
        assert page.get_by_text("Nguồn bài: Lê Minh").is_visible()
        assert page.locator(".p-related__list li").count() == 10
        assert_fits_width(page)
        shot(page, screenshots, "03-bai-viet", viewport)

        # "In trang" prints; the printout has no menus, tools or related list.
        page.get_by_role("link", name="In trang").click()
        assert page.evaluate("window.__printed") == 1
        page.emulate_media(media="print")
        assert page.locator(".p-nav").is_hidden()
        assert page.locator(".p-article-tools").is_hidden()
        assert page.locator(".p-related").is_hidden()
        assert page.locator(".p-article__body").is_visible()
        shot(page, screenshots, "03-bai-viet-ban-in", viewport)
        page.emulate_media(media="screen")
        # Without JavaScript the same link opens the print layout.
        page.goto(page.url.split("?")[0] + "?in=1")
        assert page.locator("body.print-view").count() == 1
        assert page.locator(".p-nav").is_hidden()
        assert page.get_by_role("link", name="Về bản đọc thường").is_visible()
        assert_fits_width(page)
        shot(page, screenshots, "04-ban-in-khong-js", viewport)

        # Search typed without accents, from the header's box.
        page.goto(f"{base}/")
        page.fill("#p-search-q", "san xuat ben vung")
        page.locator(".p-search button").click()
        page.wait_for_url(re.compile(r"/tim-kiem/\?q=san\+xuat\+ben\+vung"))
        assert page.get_by_text(re.compile(r"Tìm thấy \d+ kết quả")).is_visible()
        assert page.locator(".p-result__title", has_text=SOURCE_TITLE).count() == 1
        marks = page.locator(".p-results mark").all_inner_texts()
        assert {"sản", "xuất", "bền", "vững"} <= set(marks)
        assert_fits_width(page)
        shot(page, screenshots, "05-tim-kiem", viewport)

        # Public progress: every indicator, a year selector, charts drawn on the server.
        page.locator(".p-nav a", has_text="Tiến độ kế hoạch").click()
        page.wait_for_url(re.compile(r"/tien-do/$"))
        assert page.locator(".p-card").count() == 22
        assert page.locator(".p-card svg.chart").count() == 20
        assert page.locator(".p-card .badge").count() == 22
        page.select_option("select[name=nam]", "2024")
        page.get_by_role("button", name="Xem").click()
        page.wait_for_url(re.compile(r"nam=2024"))
        assert_fits_width(page)
        shot(page, screenshots, "06-tien-do", viewport)
        page.locator(".p-card__title a", has_text="CT01").click()
        page.wait_for_url(re.compile(r"/tien-do/CT01/\?nam=2024"))
        assert page.locator(".chart-wrap:visible svg.chart").count() == 1
        assert page.locator(".p-district-table tbody tr").count() == 12
        assert page.get_by_text("Số liệu đã được Sở Công Thương duyệt").first.is_visible()
        assert_fits_width(page)
        shot(page, screenshots, "07-chi-tieu-ct01", viewport)

        # Open data: a CSV download.
        page.locator(".p-nav a", has_text="Dữ liệu mở").click()
        page.wait_for_url(re.compile(r"/du-lieu-mo/"))
        assert_fits_width(page)
        shot(page, screenshots, "08-du-lieu-mo", viewport)
        with page.expect_download() as info:
            page.locator(".p-catalogue a", has_text="CSV").first.click()
        download = info.value
        # The latest year with approved reports: the demo runs to 2026 (after the reform).
        assert download.suggested_filename == "kh-2627-tien-do-2026.csv"
        content = Path(download.path()).read_text(encoding="utf-8-sig")
        assert content.startswith("code,name,unit,year,value")
        assert "CT01," in content
    finally:
        context.close()
