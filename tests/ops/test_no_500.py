"""Pages the load test found failing with HTTP 500: a report whose values were imported from
the command line (no author) and whose events have no user."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from benvung.datavalues.models import DataElement
from benvung.reporting.models import Submission, SubmissionEvent
from tests.factories import DataValueFactory
from tests.reporting.test_completeness import build_world, coordinator


@pytest.mark.django_db
def test_report_with_values_and_events_without_author(client: Client) -> None:
    world = build_world()
    submission = Submission.objects.get(org_unit__code="288", data_set__code="TUYEN_TRUYEN")
    DataValueFactory(
        data_element=DataElement.objects.get(code="TT_NGUOI"),
        org_unit=world.units["288"],
        period=submission.period,
        value=Decimal(12),
        updated_by=None,
    )
    SubmissionEvent.objects.create(submission=submission, action="import", user=None)
    client.force_login(coordinator())  # type: ignore[arg-type]
    response = client.get(f"/bao-cao/nop/{submission.pk}/")
    assert response.status_code == 200
    assert "—" in response.content.decode()
