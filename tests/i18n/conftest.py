"""Fixtures of the translation tests: the portal's hand-built territory (tests/portal) with the
page tests' users (tests/web), and a client that chose English with the language switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.portal.conftest import make_article as make_article
from tests.portal.conftest import news as news
from tests.portal.conftest import public as public
from tests.web.conftest import territory as territory
from tests.web.conftest import user as user
from tests.web.conftest import user_client as user_client


def choose_english(client: Client) -> Client:
    """What the header switch does: the language cookie set by Django's set_language view."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english_client(client: Client) -> Client:
    return choose_english(client)


@pytest.fixture
def english_user_client(user_client: Client) -> Client:
    return choose_english(user_client)
