"""Every main page keeps to the Content-Security-Policy in Chromium, and its scripts still run.

The policy is the real one (settings.CONTENT_SECURITY_POLICY, sent by django-csp). A script
added before each page listens for `securitypolicyviolation` events; the console is watched
for the browser's own CSP messages too. Each page must report none, and its scripts must do
their work: the news editor shows its toolbar, the API docs render, the print script loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from benvung.core.services import system_init
from benvung.portal.models import Article
from benvung.reporting.models import Submission
from tests.browser.conftest import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


def visit(page: Any, url: str, console: list[str]) -> list[str]:
    """Open the page, let its scripts run, and return the CSP violations it reported."""
    console.clear()
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    assert "content-security-policy" in response.headers, url
    page.wait_for_load_state("networkidle")
    reported = page.evaluate("window.__csp || []")
    return [*reported, *(m for m in console if "Content Security Policy" in m)]


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_main_pages_keep_to_the_policy(browser: Any, live_server: Any, screenshots: Path) -> None:
    system_init(demo=True)
    article = Article.objects.filter(status="published").order_by("-publish_at").first()
    assert article is not None
    submission = Submission.objects.select_related("data_set", "org_unit").first()
    assert submission is not None
    entry = reverse(
        "reporting:entry",
        args=[submission.data_set.code, submission.period, submission.org_unit.code],
    )
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
    context.set_default_timeout(20_000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    base = live_server.url
    violations: dict[str, list[str]] = {}
    try:
        public = ["/", article.get_absolute_url(), "/tien-do/", "/api/docs/"]
        for path in public:
            violations[path] = visit(page, base + path, console)
        # The API docs: Swagger UI drew the operations from the schema.
        page.goto(f"{base}/api/docs/")
        page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
        assert page.locator(".swagger-ui .opblock").count() >= 5
        page.screenshot(path=str(screenshots / "csp-api-docs.png"))

        sign_in(page, base, "admin", "admin")
        internal = [
            "/ke-hoach/KH-2627/",
            "/ke-hoach/KH-2627/chi-tieu/CT01/",
            "/nhap-du-lieu/",
            entry,
            "/bao-cao/tien-do-nop/",
            "/accounts/tai-khoan/",
            "/accounts/hai-buoc/dang-ky/",
            "/admin/",
            f"/admin/portal/article/{article.pk}/change/",
        ]
        for path in internal:
            violations[path] = visit(page, base + path, console)
        # The news editor's scripts ran: its toolbar is there (the import map got its nonce).
        assert page.locator(".prose-menubar").first.is_visible()
        assert page.locator(".prose-menubar__button").count() >= 5
        page.screenshot(path=str(screenshots / "csp-admin-editor.png"))
        # The two-factor page shows its QR code (an SVG data: image, allowed by img-src).
        page.goto(f"{base}/accounts/hai-buoc/dang-ky/")
        assert page.locator("img[src^='data:image/svg+xml']").evaluate("i => i.naturalWidth") > 0
        page.screenshot(path=str(screenshots / "csp-otp-enrol.png"), full_page=True)
        # The print script is loaded and working on an internal page.
        page.goto(f"{base}/ke-hoach/KH-2627/")
        assert page.evaluate("[...document.scripts].some(s => s.src.endsWith('print.js'))")
    finally:
        context.close()
    assert {path: found for path, found in violations.items() if found} == {}
