"""Signing in: five wrong passwords lock the username at that address for 15 minutes, with a
Vietnamese page and a log; the password is reset by e-mail; tokens and test logins still work."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

User = get_user_model()
LOGIN = "/accounts/login/"


def sign_in(client: Client, password: str, ip: str = "10.0.0.1", username: str = "dieuphoi") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def user(db: None) -> Any:
    return User.objects.create_user("dieuphoi", "dieuphoi@sct.gov.vn", "mat-khau-dai-123")


def test_five_failures_lock_the_username_at_that_address(
    axes_on: None, user: Any, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    # The security logger writes to its own handler (no propagation): listen to it directly.
    logging.getLogger("benvung.security").addHandler(caplog.handler)
    for _ in range(4):
        response = sign_in(client, "sai")
        assert response.status_code == 200
        assert "Tạm khóa" not in response.content.decode()
    locked = sign_in(client, "sai")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert "Đã nhập sai mật khẩu 5 lần liên tiếp" in page
    assert "Hãy thử lại sau 15 phút" in page
    # Even the right password is refused now, from that address.
    assert sign_in(client, "mat-khau-dai-123").status_code == 429
    assert "_auth_user_id" not in client.session
    # The same username from another address, and another user from this one, still sign in.
    assert sign_in(Client(), "mat-khau-dai-123", ip="10.0.0.2").status_code == 302
    User.objects.create_user("khac", password="mat-khau-dai-456")
    assert sign_in(Client(), "mat-khau-dai-456", username="khac").status_code == 302
    attempt = AccessAttempt.objects.get(username="dieuphoi", ip_address="10.0.0.1")
    assert attempt.failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username="dieuphoi", locked_out=True).exists()
    logging.getLogger("benvung.security").removeHandler(caplog.handler)
    messages = [r.getMessage() for r in caplog.records if r.name == "benvung.security"]
    assert any("sign-in failed for username 'dieuphoi' from 10.0.0.1" in m for m in messages)
    assert any("locked out for username 'dieuphoi' from 10.0.0.1" in m for m in messages)


def test_the_lock_ends_after_15_minutes(axes_on: None, user: Any, client: Client) -> None:
    for _ in range(5):
        sign_in(client, "sai")
    assert sign_in(client, "mat-khau-dai-123").status_code == 429
    # Move the failures 16 minutes into the past.
    past = timezone.now() - dt.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=past)
    assert sign_in(client, "mat-khau-dai-123").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(
    axes_on: None, user: Any, client: Client
) -> None:
    for _ in range(4):
        sign_in(client, "sai")
    assert sign_in(client, "mat-khau-dai-123").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert sign_in(client, "sai").status_code == 200


def test_api_tokens_and_test_logins_keep_working_with_throttling_on(
    axes_on: None, user: Any, client: Client
) -> None:
    api = APIClient()
    answer = api.post(
        "/api/v1/auth/token/", {"username": "dieuphoi", "password": "mat-khau-dai-123"}
    )
    assert answer.status_code == 200, answer.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    assert api.get("/api/v1/data-values/").status_code == 200
    client.force_login(user)
    assert client.get("/ke-hoach/KH-2627/").status_code in (200, 404)


def test_client_login_works_in_the_other_tests(user: Any, client: Client) -> None:
    """tests/conftest.py turns django-axes off: `client.login` passes it no request."""
    assert client.login(username="dieuphoi", password="mat-khau-dai-123")


def test_password_reset_by_email(user: Any, client: Client) -> None:
    login_page = client.get(LOGIN).content.decode()
    assert "/accounts/quen-mat-khau/" in login_page
    response = client.post("/accounts/quen-mat-khau/", {"email": "dieuphoi@sct.gov.vn"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/quen-mat-khau/da-gui/"
    assert "Hãy kiểm tra hộp thư" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dieuphoi@sct.gov.vn"]
    assert message.subject == "Đặt lại mật khẩu — Hệ thống theo dõi Kế hoạch SXTDBV"
    assert "Xin chào dieuphoi" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/dat-lai/\S+/)", message.body)
    assert link is not None, message.body
    # Django swaps the token for a session marker and redirects to .../set-password/.
    form_page = client.get(link.group(1), follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "Mot-Mat-Khau-Moi-2026", "new_password2": "Mot-Mat-Khau-Moi-2026"},
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/dat-lai/xong/"
    assert "Đã đổi mật khẩu" in client.get(done["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password("Mot-Mat-Khau-Moi-2026")
    # The link works once only.
    again = client.get(link.group(1), follow=True).content.decode()
    assert "không hợp lệ" in again


def test_password_reset_says_the_same_for_an_unknown_address(client: Client) -> None:
    response = client.post("/accounts/quen-mat-khau/", {"email": "khong-co@sct.gov.vn"})
    assert response.status_code == 302
    assert mail.outbox == []
