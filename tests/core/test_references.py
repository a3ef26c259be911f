"""The references that PostgreSQL checks once per statement (`benvung.core.references`):
the same refusals as the foreign keys they replace, at the end of each statement."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from benvung.orgunits.models import OrgUnit
from benvung.reporting.models import SubmissionEvent
from benvung.reporting.services import submission_for
from tests.factories import DataValueFactory, OrgUnitFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps its foreign key constraints"
    ),
]


def execute(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_value_of_a_unit_that_does_not_exist_is_refused() -> None:
    value = DataValueFactory()
    with pytest.raises(IntegrityError, match="is not present in table"), transaction.atomic():
        execute("UPDATE datavalues_datavalue SET org_unit_id = %s WHERE id = %s", [10**9, value.pk])
    value.refresh_from_db()
    assert value.org_unit_id != 10**9


def test_a_unit_with_values_cannot_be_deleted_nor_its_key_changed() -> None:
    value = DataValueFactory()
    unit = value.org_unit_id
    with pytest.raises(IntegrityError, match="still referenced"), transaction.atomic():
        execute("DELETE FROM orgunits_orgunit WHERE id = %s", [unit])
    with pytest.raises(IntegrityError, match="still referenced"), transaction.atomic():
        execute("UPDATE orgunits_orgunit SET id = id + 1000000 WHERE id = %s", [unit])
    # An update that keeps the key removes nothing.
    execute("UPDATE orgunits_orgunit SET name = 'Tên mới' WHERE id = %s", [unit])
    assert OrgUnit.objects.get(pk=unit).name == "Tên mới"


def test_a_unit_without_values_can_be_deleted() -> None:
    unit = OrgUnitFactory()
    execute("DELETE FROM orgunits_orgunit WHERE id = %s", [unit.pk])
    assert not OrgUnit.objects.filter(pk=unit.pk).exists()


def test_reports_with_events_cannot_be_truncated() -> None:
    from benvung.reporting.models import DataSet

    data_set = DataSet.objects.create(code="DS", name="Báo cáo thử", unit_types=["KCN"])
    submission = submission_for(
        data_set=data_set, org_unit=OrgUnitFactory(type="KCN"), period="2025"
    )
    SubmissionEvent.objects.create(submission=submission, action="import", comment="x.csv")
    with pytest.raises(IntegrityError, match="still referenced"), transaction.atomic():
        execute("TRUNCATE reporting_submission")
    assert SubmissionEvent.objects.filter(submission=submission).exists()
