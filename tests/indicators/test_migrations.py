"""Upgrading a database keeps the triggers that stamp value writes."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite builds a table anew to change a column"
)

STAMP_TRIGGERS = {
    "datavalue_changes_inserted",
    "datavalue_changes_deleted",
    "datavalue_changes_updated",
}


def triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_value_triggers_survive_the_values_being_rebuilt() -> None:
    assert triggers() >= STAMP_TRIGGERS
    try:
        # A database of before datavalues.0003 (whose change of columns builds the values'
        # table anew), with the stamp triggers of indicators.0002 in place...
        call_command("migrate", "datavalues", "0002", verbosity=0)
        again = import_module("benvung.indicators.migrations.0004_sqlite_value_triggers_again")
        with connection.schema_editor() as editor:
            again.create_again(None, editor)
        assert triggers() >= STAMP_TRIGGERS
    finally:
        # ... upgraded.
        call_command("migrate", verbosity=0)
    assert triggers() >= STAMP_TRIGGERS
