"""The public pages' default year: the last year whose approved reports hold a value, asked
from the reports."""

from __future__ import annotations

import pytest
from django.test import Client

from benvung.orgunits.models import OrgUnit
from benvung.reporting.models import Submission, SubmissionStatus
from benvung.reporting.selectors import data_set_of_element, last_approved_value_year
from tests.portal.conftest import approve
from tests.web.conftest import Territory

pytestmark = pytest.mark.django_db


def test_only_approved_reports_with_a_value_count(public: Territory) -> None:
    zones = public.zones
    # K1's 2022 report is approved and holds its value.
    assert last_approved_value_year(2030) == 2022
    assert last_approved_value_year(2021) is None

    # K2's 2023 value, in a report that is only sent.
    sent(zones["K2"], 2023)
    assert last_approved_value_year(2030) == 2022

    # K4 reported nothing for 2024: its approved report holds no value.
    approve("NT_HOAT_DONG", zones["K4"], 2024)
    assert last_approved_value_year(2030) == 2022

    approve("NT_HOAT_DONG", zones["K2"], 2023)
    assert last_approved_value_year(2030) == 2023
    assert last_approved_value_year(2022) == 2022


def test_a_value_of_another_form_does_not_count(public: Territory) -> None:
    # The supermarket's 2023 value is of the plastic-bag form, not the zones' one.
    approve("NT_HOAT_DONG", OrgUnit.objects.get(code="S1"), 2023)
    assert last_approved_value_year(2030) == 2022
    approve("BB_THAN_THIEN", OrgUnit.objects.get(code="S1"), 2023)
    assert last_approved_value_year(2030) == 2023


def sent(unit: OrgUnit, year: int) -> None:
    data_set = data_set_of_element("NT_HOAT_DONG")
    Submission.objects.create(
        data_set=data_set,
        org_unit=unit,
        period=str(year),
        year=year,
        status=SubmissionStatus.SUBMITTED,
    )


def test_public_progress_opens_on_the_last_approved_year(client: Client, public: Territory) -> None:
    approve("NT_HOAT_DONG", public.zones["K2"], 2023)
    assert client.get("/tien-do/").context["year"] == 2023
