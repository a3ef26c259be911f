"""SQLite: the value triggers of `indicators.0002` once more, after `datavalues.0003`.

SQLite changes a column by building the table anew, and the triggers of the old table go
with it: a database that had the stamps before `datavalues.0003` would have lost them. Made
again from 0002's own text (dropped first, so a database that still has them is the same).
"""

from importlib import import_module

from django.db import migrations


def create_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    stamps = import_module("benvung.indicators.migrations.0002_value_changes")
    for statement in [*stamps.SQLITE_DROP, *stamps.SQLITE]:
        if "TRIGGER" in statement:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_terms_one_pass"),
        ("datavalues", "0003_fewer_indexes"),
    ]

    operations = [migrations.RunPython(create_again, migrations.RunPython.noop)]
