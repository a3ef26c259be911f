"""Fixtures of the security tests: django-axes switched back on, a fresh cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.api.conftest import World, build_world


@pytest.fixture
def axes_on(settings: Any) -> Iterator[None]:
    """Sign-in throttling as in production (tests/conftest.py turns it off elsewhere)."""
    settings.AXES_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()
