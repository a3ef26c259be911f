"""The public figures are kept between requests and computed again after any change that
may alter them (`core.published`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from benvung.core import published
from benvung.core.models import SiteState
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Plan
from benvung.portal.progress import progress_overview
from benvung.reporting.models import Submission, SubmissionStatus
from benvung.reporting.selectors import data_set_of_element
from tests.portal.conftest import approve
from tests.web.conftest import Territory

pytestmark = pytest.mark.django_db


def _ct01(client: Client) -> str:
    card = next(
        c
        for c in client.get("/tien-do/?nam=2023").context["overview"].cards
        if c.indicator.code == "CT01"
    )
    return str(card.current.value)


def test_an_answer_is_kept_until_the_data_changes(public: Territory) -> None:
    plan = Plan.objects.get(code="KH-2627")
    first = progress_overview(plan=plan, year=2023)
    assert progress_overview(plan=plan, year=2023) is first
    approve("NT_HOAT_DONG", public.zones["K2"], 2023)
    assert progress_overview(plan=plan, year=2023) is not first


def test_an_approval_reaches_the_public_page_at_once(
    client: Client,
    public: Territory,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    assert _ct01(client) == "20"
    with django_capture_on_commit_callbacks(execute=True):
        approve("NT_HOAT_DONG", public.zones["K2"], 2023)
    assert _ct01(client) == "40"


def test_the_version_moves_after_the_commit_of_a_change(
    public: Territory, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    before = published.version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        approve("NT_HOAT_DONG", public.zones["K2"], 2023)
    # Not before the commit: a long import does not hold the version's row.
    assert published.version() == before
    for callback in callbacks:
        callback()
    assert published.version() > before


def _approved_elsewhere(public: Territory) -> None:
    """Another process's approval as this one sees it: the row, without a signal here."""
    Submission.objects.bulk_create(
        [
            Submission(
                data_set=data_set_of_element("NT_HOAT_DONG"),
                org_unit=public.zones["K2"],
                period="2023",
                year=2023,
                status=SubmissionStatus.APPROVED,
            )
        ]
    )


@override_settings(BENVUNG_PUBLIC_MAX_AGE_S=0)
def test_another_process_sees_the_change_by_the_version(client: Client, public: Territory) -> None:
    """A change committed by another process reaches this one only through the version: the
    kept answer is used until the version moves."""
    assert _ct01(client) == "20"
    _approved_elsewhere(public)
    assert _ct01(client) == "20"
    SiteState.objects.filter(pk=1).update(published_version=published.version() + 1)
    assert _ct01(client) == "40"


def test_a_hierarchy_change_by_any_path_reaches_the_public_page(
    client: Client, public: Territory
) -> None:
    """Units changed without a signal (a queryset update, as a bulk import or another
    process would): the hierarchy's token moves, and the kept answer is computed again."""
    assert _ct01(client) == "20"
    # K3 closed at the end of 2022: 1 of the 4 zones active in 2023.
    OrgUnit.objects.filter(pk=public.zones["K3"].pk).update(valid_to=dt.date(2022, 12, 31))
    assert _ct01(client) == "25"


@override_settings(BENVUNG_PUBLIC_MAX_AGE_S=10)
def test_another_process_shows_the_change_within_the_maximum_age(
    client: Client, public: Territory, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(published.time, "monotonic", lambda: clock[0])
    assert _ct01(client) == "20"
    _approved_elsewhere(public)
    SiteState.objects.filter(pk=1).update(published_version=published.version() + 1)
    clock[0] += 9
    assert _ct01(client) == "20"  # computed 9 s ago: still shown
    clock[0] += 2
    assert _ct01(client) == "40"


@override_settings(BENVUNG_PUBLIC_MAX_AGE_S=10)
def test_with_a_maximum_age_the_writer_waits_like_the_others(
    client: Client,
    public: Territory,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Near a deadline approvals come every second: no process, not even the approver's,
    recomputes the public figures more than once per maximum age."""
    clock = [1000.0]
    monkeypatch.setattr(published.time, "monotonic", lambda: clock[0])
    assert _ct01(client) == "20"
    with django_capture_on_commit_callbacks(execute=True):
        approve("NT_HOAT_DONG", public.zones["K2"], 2023)
    assert _ct01(client) == "20"
    clock[0] += 11
    assert _ct01(client) == "40"
