"""The references that PostgreSQL checks once per statement (`benvung.core.references`):
the same refusals as the foreign keys they replace, at the end of each statement."""

from __future__ import annotations

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from benvung.core import references
from benvung.datavalues.models import DataValue
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


def test_a_writer_that_locks_what_it_refers_to_is_refused_when_a_row_is_missing() -> None:
    value = DataValueFactory()
    missing = references.Referenced.by(DataValue, "org_unit", [value.org_unit_id, 10**9])
    with (
        pytest.raises(IntegrityError, match=r"Key \(org_unit_id\)=\(1000000000\) is not present"),
        transaction.atomic(),
        references.locked_for_writes([DataValue._meta.db_table], [missing]),
    ):
        pytest.fail("the block is not entered")


def test_the_checks_skipped_for_a_writer_are_those_of_its_tables_and_its_block() -> None:
    value = DataValueFactory()
    unit = references.Referenced.by(DataValue, "org_unit", [value.org_unit_id])
    with transaction.atomic():
        with (
            references.locked_for_writes([DataValue._meta.db_table], [unit]),
            pytest.raises(IntegrityError, match="is not present"),
            transaction.atomic(),
        ):
            # Another table's rows are still checked inside the block.
            execute(
                "INSERT INTO datavalues_historicaldatavalue (id, period, year, value, unit, "
                "canonical_value, comment, source, history_date, history_type, "
                "history_user_id) VALUES (1, '2021', 2021, 1, '', 1, '', '', now(), '+', %s)",
                [10**6],
            )
        # After the block, the values' own rows are checked again.
        with pytest.raises(IntegrityError, match="is not present"), transaction.atomic():
            execute(
                "UPDATE datavalues_datavalue SET org_unit_id = %s WHERE id = %s", [10**9, value.pk]
            )


@pytest.mark.django_db(transaction=True)
def test_the_rows_a_writer_locked_cannot_be_deleted_before_it_commits() -> None:
    unit = OrgUnitFactory()
    locked = references.Referenced.by(DataValue, "org_unit", [unit.pk])
    with (
        transaction.atomic(),
        references.locked_for_writes([DataValue._meta.db_table], [locked]),
        psycopg.connect(**connection.get_connection_params(), autocommit=True) as other,
    ):
        other.execute("SET lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute("DELETE FROM orgunits_orgunit WHERE id = %s", [unit.pk])
    assert OrgUnit.objects.filter(pk=unit.pk).exists()


def test_reports_of_a_unit_that_does_not_exist_are_refused_with_their_events() -> None:
    from benvung.reporting.models import DataSet, Submission
    from benvung.reporting.services import _touching

    data_set = DataSet.objects.create(code="DS", name="Báo cáo thử", unit_types=["KCN"])
    unit = OrgUnitFactory(type="KCN")
    write = _touching(
        [(data_set.pk, unit.pk, "2025", 2025, True), (data_set.pk, 10**9, "2025", 2025, True)],
        author=None,
        action="import",
        comment="x.csv",
    )
    with pytest.raises(IntegrityError, match="is not present"), transaction.atomic():
        write()
    assert not Submission.objects.exists()
    assert not SubmissionEvent.objects.exists()
