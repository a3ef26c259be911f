"""Two-factor sign-in (TOTP): co-ordinators and administrators enrol from their account page;
afterwards every internal page asks for a code after the password. The portal and the token
API do not; an administrator can remove a lost device. Codes are computed from the device key
as an authenticator app would (django_otp.oath.totp)."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from benvung.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

User = get_user_model()
ENROL = "/accounts/hai-buoc/dang-ky/"
VERIFY = "/accounts/hai-buoc/xac-thuc/"
PLAN = "/ke-hoach/KH-2627/"


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the phone shows now (or `steps_ahead` periods of 30 s later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=steps_ahead):06d}"


@pytest.fixture
def coordinator(db: None) -> Any:
    user = User.objects.create_user("dieuphoi", password="mat-khau-dai-123")
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


def enrolled(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def test_a_coordinator_enrols_with_the_qr_code_and_a_code(client: Client, coordinator: Any) -> None:
    client.force_login(coordinator)
    account = client.get("/accounts/tai-khoan/").content.decode()
    assert "Chưa bật" in account and ENROL in account
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200
    # The QR code is an SVG drawn by the server, inlined as data: (no outside service).
    qr = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert qr is not None
    assert base64.b64decode(qr.group(1)).lstrip().startswith((b"<?xml", b"<svg"))
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in html
    # A wrong code is refused and changes nothing.
    wrong = client.post(ENROL, {"token": f"{(int(code(device)) + 1) % 1_000_000:06d}"})
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()
    done = client.post(ENROL, {"token": code(device)})
    assert done.status_code == 302 and done["Location"] == "/accounts/tai-khoan/"
    device.refresh_from_db()
    assert device.confirmed
    assert "Đang bật" in client.get("/accounts/tai-khoan/").content.decode()


def test_after_the_password_an_enrolled_user_must_give_a_code(
    client: Client, coordinator: Any, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code does not slow down the right one here
    device = enrolled(coordinator)
    response = client.post(
        "/accounts/login/", {"username": "dieuphoi", "password": "mat-khau-dai-123"}
    )
    assert response.status_code == 302
    blocked = client.get(PLAN)
    assert blocked.status_code == 302
    assert blocked["Location"] == f"{VERIFY}?next=%2Fke-hoach%2FKH-2627%2F"
    assert client.get("/bao-cao/").status_code == 302
    assert client.get("/admin/").status_code == 302
    assert "Xác thực hai bước" in client.get(blocked["Location"]).content.decode()
    # The public portal is open as always.
    assert client.get("/").status_code == 200
    wrong = client.post(VERIFY, {"token": "000000" if code(device) != "000000" else "111111"})
    assert "Mã không đúng" in wrong.content.decode()
    assert client.get(PLAN).status_code == 302
    right = client.post(VERIFY, {"token": code(device), "next": PLAN})
    assert right.status_code == 302 and right["Location"] == PLAN
    assert client.get(PLAN).status_code in (200, 404)  # past the check (404: no plan loaded)
    # A code is good once: replaying it in another session fails.
    other = Client()
    other.post("/accounts/login/", {"username": "dieuphoi", "password": "mat-khau-dai-123"})
    assert "Mã không đúng" in other.post(VERIFY, {"token": code(device)}).content.decode()


def test_next_never_leads_off_the_site(client: Client, coordinator: Any) -> None:
    device = enrolled(coordinator)
    client.force_login(coordinator)
    response = client.post(VERIFY, {"token": code(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == PLAN.replace("KH-2627/", "")


def test_users_without_a_device_and_the_token_api_are_not_affected(
    client: Client, coordinator: Any
) -> None:
    reporter = User.objects.create_user("baocao", password="mat-khau-dai-123")
    client.force_login(reporter)
    assert client.get("/bao-cao/").status_code == 200
    enrolled(coordinator)
    token, _ = Token.objects.get_or_create(user=coordinator)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/data-values/").status_code == 200
    # A browser session without its code does not read the API.
    browser = Client()
    browser.force_login(coordinator)
    assert browser.get("/api/v1/data-values/").status_code == 403


def test_only_coordinators_and_administrators_may_enrol(client: Client) -> None:
    reporter = User.objects.create_user("baocao", password="mat-khau-dai-123")
    client.force_login(reporter)
    assert client.get(ENROL).status_code == 403
    assert ENROL not in client.get("/accounts/tai-khoan/").content.decode()
    assert not TOTPDevice.objects.exists()


def test_an_administrator_removes_a_lost_device(client: Client, coordinator: Any) -> None:
    enrolled(coordinator)
    admin = User.objects.create_superuser("quantri", password="mat-khau-dai-789")
    device = enrolled(admin)
    client.force_login(admin)
    client.post(VERIFY, {"token": code(device)})
    response = client.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [coordinator.pk]},
        follow=True,
    )
    assert "Đã xóa 1 thiết bị" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert TOTPDevice.objects.filter(user=admin).exists()
    # The co-ordinator now signs in with the password alone.
    other = Client()
    other.post("/accounts/login/", {"username": "dieuphoi", "password": "mat-khau-dai-123"})
    assert other.get("/bao-cao/").status_code == 200


def test_turning_it_off_needs_a_verified_session(client: Client, coordinator: Any) -> None:
    device = enrolled(coordinator)
    client.force_login(coordinator)
    assert client.post("/accounts/hai-buoc/tat/").status_code == 302  # sent to the code page
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    client.post(VERIFY, {"token": code(device)})
    client.post("/accounts/hai-buoc/tat/")
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
