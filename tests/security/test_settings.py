"""Production settings: `check --deploy` is silent, and every response carries the headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
BENVUNG = str(Path(sys.executable).parent / "benvung")  # the installed command


def test_check_deploy_reports_nothing_in_production(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BENVUNG_PRODUCTION": "1",
        "BENVUNG_SECRET_KEY": secrets.token_urlsafe(50),
        "BENVUNG_ALLOWED_HOSTS": "example.gov.vn",
        "BENVUNG_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "benvung.settings",
    }
    env.pop("BENVUNG_DEBUG", None)
    # The browser tests set this in the test process; a production server never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and CLI
        [BENVUNG, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**os.environ, "BENVUNG_PRODUCTION": "1", "BENVUNG_VAR_DIR": str(tmp_path)}
    env.pop("BENVUNG_SECRET_KEY", None)
    env.pop("BENVUNG_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", "import benvung.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "BENVUNG_SECRET_KEY must be set in production" in result.stderr


def test_argon2_hashes_new_passwords_and_older_hashes_still_verify() -> None:
    # The product's list (tests/conftest.py swaps in MD5 for speed at run time).
    from benvung import settings as product

    assert product.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in product.PASSWORD_HASHERS
    with override_settings(PASSWORD_HASHERS=product.PASSWORD_HASHERS):
        encoded = make_password("mat-khau-dai-123")
        assert identify_hasher(encoded).algorithm == "argon2"
        pbkdf2 = make_password("cu", hasher="pbkdf2_sha256")
        assert identify_hasher(pbkdf2).algorithm == "pbkdf2_sha256"


def test_sessions_last_a_working_day_and_end_with_the_browser() -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_every_page_carries_the_security_headers(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        ([*part.split(" ", 1), ""])[:2]
        for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))
        if part
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no nonce: nothing on the page asked for one
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


@pytest.mark.django_db
def test_pages_have_no_inline_script_style_or_handler(client: Client) -> None:
    """What the browser test checks in Chromium, checked here on the served HTML too."""
    import re

    for path in ["/", "/tien-do/", "/accounts/login/", "/accounts/quen-mat-khau/"]:
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path
        assert "<style" not in html, path
