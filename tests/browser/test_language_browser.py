"""The language switch of the public portal in headless Chromium: a citizen whose browser asks
for English still gets Vietnamese, clicks "English" in the top bar and reads the portal in
English on the same page, then switches back. Screenshot: test-artifacts/screenshots/
p-language-english-desktop.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benvung.core.services import system_init
from tests.browser.conftest import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_switch_to_english_and_back(browser: Any, live_server: Any, screenshots: Path) -> None:
    system_init(demo=True)
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/tien-do/")
        # The browser's English preference does not change the default.
        assert page.locator("html").get_attribute("lang") == "vi"
        nav = page.get_by_role("navigation", name="Điều hướng chính")
        assert nav.get_by_role("link", name="Tin tức").is_visible()

        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
        assert page.url == f"{live_server.url}/tien-do/"  # the same page, now in English
        assert page.locator("html").get_attribute("lang") == "en"
        nav = page.get_by_role("navigation", name="Main navigation")
        for label in ["Home", "News", "Plan progress", "Open data", "Search", "Sign in"]:
            assert nav.get_by_role("link", name=label, exact=True).is_visible()
        heading = "Progress of the Action Plan for Sustainable Production and Consumption"
        assert page.get_by_role("heading", name=heading).is_visible()
        assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
        page.screenshot(path=str(screenshots / "p-language-english-desktop.png"), full_page=False)

        # The choice sticks while browsing, then the other button switches back.
        with page.expect_navigation():
            page.get_by_role("link", name="News", exact=True).first.click()
        assert page.url == f"{live_server.url}/tin-tuc/"
        assert page.get_by_role("navigation", name="Main navigation").is_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Tiếng Việt").click()
        assert page.url == f"{live_server.url}/tin-tuc/"
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.get_by_role("navigation", name="Điều hướng chính").is_visible()
    finally:
        context.close()
