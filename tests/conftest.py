"""Shared pytest configuration."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benvung.settings")

# Each pytest-xdist worker gets its own var/ (SQLite file, uploads), so that two processes
# never write the same file.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    _base = os.environ.get("BENVUNG_VAR_DIR") or os.path.join(
        tempfile.gettempdir(), "benvung-tests"
    )
    os.environ["BENVUNG_VAR_DIR"] = os.path.join(_base, _worker)


def pytest_configure(config: object) -> None:
    """Test-only settings: a fast password hasher (Argon2 costs ~50 ms a hash, and factories
    and sign-ins hash many), and sign-in throttling off so that `client.login` (which passes
    no request to django-axes) works; tests/security turns django-axes back on."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    # Public figures strictly fresh: a test that changes data sees it on its next request
    # (tests/portal/test_published.py checks the maximum age itself).
    settings.BENVUNG_PUBLIC_MAX_AGE_S = 0


@pytest.fixture(autouse=True)
def _no_public_answers_from_another_test() -> None:
    """Each test starts with no kept public answer (`core.published`): the published version
    is rolled back with each test's data, so an answer kept by one test could match the
    next test's version."""
    from benvung.core import published
    from benvung.indicators import structure

    published.forget()
    # The same for the hierarchy and the answers kept with its territories.
    structure.forget()
