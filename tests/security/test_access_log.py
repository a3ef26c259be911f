"""The log of who saw which unpublished data: the entry form and the report of a unit, the
plan and indicator pages with unapproved figures, the API's unapproved values, a unit's page
with unapproved values, the history of changes and the comparable series. Approved-only
views write nothing; the admin list cannot be edited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from benvung.accounts.models import AccessLogEntry, DataKind
from benvung.reporting.models import Submission
from tests.api.conftest import World, client_for

pytestmark = pytest.mark.django_db


def logged(user: Any) -> list[tuple[str, str | None]]:
    return [
        (e.data_kind, e.org_unit.code if e.org_unit else None)
        for e in AccessLogEntry.objects.filter(user=user).select_related("org_unit")
    ]


def test_the_report_and_entry_form_of_a_unit_are_logged(world: World) -> None:
    reporter = world.users["reporter290"]
    client = Client()
    client.force_login(reporter)
    draft = Submission.objects.get(org_unit=world.units["K2"], period="2023")
    page = client.get(reverse("reporting:submission", args=[draft.pk]), REMOTE_ADDR="10.1.2.3")
    assert page.status_code == 200
    entry_url = reverse(
        "reporting:entry", args=[draft.data_set.code, draft.period, draft.org_unit.code]
    )
    assert client.get(entry_url).status_code == 200
    assert logged(reporter) == [(DataKind.ENTRY, "K2"), (DataKind.SUBMISSION, "K2")]
    last = AccessLogEntry.objects.filter(data_kind=DataKind.SUBMISSION).get()
    assert last.path == f"/bao-cao/nop/{draft.pk}/"
    assert last.ip == "10.1.2.3"
    # An approved report is published: reading it again is not logged.
    approved = Submission.objects.filter(org_unit=world.units["K1"], period="2023").first()
    boss = Client()
    boss.force_login(world.users["coordinator"])
    assert boss.get(reverse("reporting:submission", args=[approved.pk])).status_code == 200
    assert logged(world.users["coordinator"]) == []


def test_plan_and_indicator_pages_log_only_with_unapproved_figures(world: World) -> None:
    boss = world.users["coordinator"]
    client = Client()
    client.force_login(boss)
    assert client.get("/ke-hoach/KH-2627/?nam=2023").status_code == 200
    assert client.get("/ke-hoach/KH-2627/chi-tieu/CT01/?nam=2023&don-vi=290").status_code == 200
    assert logged(boss) == [(DataKind.INDICATOR, "290"), (DataKind.PLAN, "30")]
    AccessLogEntry.objects.all().delete()
    assert client.get("/ke-hoach/KH-2627/?nam=2023&du-lieu=da-duyet").status_code == 200
    reporter = Client()
    reporter.force_login(world.users["reporter290"])  # reporters only ever see approved totals
    assert reporter.get("/ke-hoach/KH-2627/?nam=2023").status_code == 200
    assert AccessLogEntry.objects.count() == 0


def test_api_reads_of_unapproved_values_are_logged_per_unit(world: World) -> None:
    boss = world.users["coordinator"]
    answer = client_for(boss).get("/api/v1/data-values/")
    assert answer.status_code == 200
    assert logged(boss) == [(DataKind.API_VALUES, "K2")]  # K1 and E1 are approved
    nobody = world.users["nobody"]
    assert client_for(nobody).get("/api/v1/data-values/").status_code == 200
    assert logged(nobody) == []


def test_unit_pages_history_and_series_with_unapproved_values_are_logged(world: World) -> None:
    boss = world.users["coordinator"]
    client = Client()
    client.force_login(boss)
    assert client.get("/don-vi/K1/").status_code == 200  # only approved values
    assert logged(boss) == []
    assert client.get("/don-vi/K2/").status_code == 200  # its 2023 report is a draft
    assert client.get(reverse("reporting:unit-history", args=["K2"])).status_code == 200
    history = reverse("reporting:value-history", args=["NT_HOAT_DONG", "K2", "2023"])
    assert client.get(history).status_code == 200
    assert client.get("/don-vi/290/chuoi-so-sanh/").status_code == 200
    assert sorted(logged(boss)) == sorted(
        [
            (DataKind.UNIT, "K2"),
            (DataKind.HISTORY, "K2"),
            (DataKind.HISTORY, "K2"),
            (DataKind.SERIES, "290"),
        ]
    )


def test_the_admin_list_is_read_only(world: World) -> None:
    boss = world.users["coordinator"]
    client_for(boss).get("/api/v1/data-values/")
    entry = AccessLogEntry.objects.get()
    admin = get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-789")
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/accounts/accesslogentry/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "dieuphoi" in html and "KCN Hai" in html
    assert "/admin/accounts/accesslogentry/add/" not in html
    change = client.post(f"/admin/accounts/accesslogentry/{entry.pk}/change/", {"path": "/khac/"})
    assert change.status_code == 403
    assert client.post(f"/admin/accounts/accesslogentry/{entry.pk}/delete/").status_code == 403
    entry.refresh_from_db()
    assert entry.path.startswith("/api/v1/data-values/")
