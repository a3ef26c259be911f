"""A new value is its own creation record until it changes (`datavalues.audit`): the audit
trail reads the same as if the history had recorded the creation when it happened."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client

from benvung.datavalues.audit import record_creations
from benvung.datavalues.models import DataElement, DataValue
from benvung.orgunits.models import OrgUnit
from benvung.reporting.history import user_label, value_history
from tests.factories import OrgUnitFactory
from tests.import_factories import Importer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plan")]


@pytest.fixture
def zone() -> OrgUnit:
    return OrgUnitFactory(code="K1", type="KCN")


@pytest.fixture
def author() -> User:
    return get_user_model().objects.create_user(username="chuyenvien", password="x")


def history_of(period: str) -> list[tuple[str, str, str, str]]:
    """(kind, old, new, source) of each step of NT_HOAT_DONG of K1 in `period`."""
    changes = value_history(
        element=DataElement.objects.get(code="NT_HOAT_DONG"),
        unit=OrgUnit.objects.get(code="K1"),
        period=period,
    )
    return [(c.kind, c.old, c.new, c.source) for c in changes]


def test_a_new_value_writes_no_history_row_and_reads_as_its_own_creation(
    import_csv: Importer, zone: OrgUnit, author: User
) -> None:
    assert import_csv("a.csv", "NT_HOAT_DONG,K1,2024,3,,", user=author).ok
    assert not DataValue.history.exists()
    value = DataValue.objects.get()
    [created] = value_history(element=value.data_element, unit=zone, period="2024")
    assert (created.kind, created.user, created.new, created.source) == (
        "+",
        user_label(author),
        "3",
        "a.csv",
    )
    assert created.at == value.updated_at


def test_the_first_change_records_the_creation_as_it_was_then(
    import_csv: Importer, zone: OrgUnit, author: User
) -> None:
    assert import_csv("a.csv", "NT_HOAT_DONG,K1,2024,3,,", user=author).ok
    created_at = DataValue.objects.get().updated_at
    assert import_csv("b.csv", "NT_HOAT_DONG,K1,2024,5,,").ok
    old, new = DataValue.history.order_by("history_date", "history_id")
    assert (old.history_type, old.value, old.history_user, old.history_change_reason) == (
        "+",
        3,
        author,
        "a.csv",
    )
    assert old.history_date == created_at
    assert (new.history_type, new.value, new.history_user) == ("~", 5, None)
    assert history_of("2024") == [("+", "—", "3", "a.csv"), ("~", "3", "5", "b.csv")]
    # A value that did not change has still no record of its own.
    assert import_csv("c.csv", "NT_HOAT_DONG,K1,2024,5,,\nNT_HOAT_DONG,K1,2025,1,,").ok
    assert DataValue.history.count() == 2


def test_a_value_saved_or_deleted_alone_has_its_creation_recorded_first(
    import_csv: Importer, zone: OrgUnit
) -> None:
    assert import_csv("a.csv", "NT_HOAT_DONG,K1,2024,3,,", user=None).ok
    value = DataValue.objects.get()
    value.value = value.canonical_value = Decimal(4)
    value.save()
    assert [(c[0], c[2]) for c in history_of("2024")] == [("+", "3"), ("~", "4")]
    value.delete()
    assert [c[0] for c in history_of("2024")] == ["+", "~", "-"]
    # Stored again, it starts a new life: the history, then the new value's own creation.
    assert import_csv("b.csv", "NT_HOAT_DONG,K1,2024,7,,").ok
    assert [(c[0], c[1], c[2]) for c in history_of("2024")][2:] == [
        ("-", "4", "(đã xóa)"),
        ("+", "—", "7"),
    ]


def test_each_creation_is_recorded_once(import_csv: Importer, zone: OrgUnit) -> None:
    assert import_csv("a.csv", "NT_HOAT_DONG,K1,2024,3,,\nNT_HOAT_DONG,K1,2025,4,,").ok
    ids = list(DataValue.objects.values_list("pk", flat=True))
    assert record_creations(ids) == 2
    assert record_creations(ids) == 0
    assert history_of("2024") == [("+", "—", "3", "a.csv")]


def test_the_admin_history_of_a_value_never_changed_lists_its_creation(
    client: Client, import_csv: Importer, zone: OrgUnit, admin_user: User
) -> None:
    assert import_csv("a.csv", "NT_HOAT_DONG,K1,2024,3,,").ok
    value = DataValue.objects.get()
    client.force_login(admin_user)
    page = client.get(f"/admin/datavalues/datavalue/{value.pk}/history/")
    assert page.status_code == 200
    records = list(page.context["page_obj"].object_list)
    assert [(r.history_type, r.value, r.history_change_reason) for r in records] == [
        ("+", 3, "a.csv")
    ]
