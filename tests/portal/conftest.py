"""Fixtures of the portal tests: the hand-built territory of `tests/web/conftest.py` with its
reporting forms loaded, helpers to approve reports, and articles."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from benvung.orgunits.models import OrgUnit
from benvung.plans.services import PLAN_DATA_DIR
from benvung.portal.models import Article, ArticleStatus, Category
from benvung.portal.services import article_save
from benvung.reporting.models import Submission, SubmissionStatus
from benvung.reporting.selectors import data_set_of_element
from benvung.reporting.services import data_sets_load
from tests.web.conftest import Territory, report

# The territory fixture of the page tests, re-exported for the portal tests.
from tests.web.conftest import territory as territory


def approve(element: str, unit: OrgUnit, year: int) -> None:
    """Mark the unit's report of the element's form for the year approved."""
    data_set = data_set_of_element(element)
    assert data_set is not None
    Submission.objects.update_or_create(
        data_set=data_set,
        org_unit=unit,
        period=str(year),
        defaults={"year": year, "status": SubmissionStatus.APPROVED},
    )


@pytest.fixture
def public(territory: Territory) -> Territory:
    """The territory with its forms; only K1's 2022 report is approved:
    CT01 2023 = 1 of 5 zones = 20,00 % published (40,00 % counting the unapproved K2)."""
    with (PLAN_DATA_DIR / "kh2627.json").open(encoding="utf-8") as fh:
        data_sets_load(definitions=json.load(fh)["data_sets"])
    approve("NT_HOAT_DONG", territory.zones["K1"], 2022)
    return territory


@pytest.fixture
def news(db: None) -> Category:
    return Category.objects.get(slug="tin-hoat-dong-nganh")


@pytest.fixture
def make_article(news: Category) -> Callable[..., Article]:
    def make(title: str = "Tin thử", **fields: Any) -> Article:
        fields.setdefault("category", news)
        fields.setdefault("status", ArticleStatus.PUBLISHED)
        fields.setdefault("publish_at", timezone.now() - dt.timedelta(hours=1))
        return article_save(article=Article(title=title, **fields))

    return make


__all__ = ["approve", "report"]
