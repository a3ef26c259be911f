"""The values lose their index on the year alone.

Every imported value went into it: about 2.8 of the 12 million index pages that the `COPY`
of a million values touched, and 64 of its 570 MB of WAL. Its few readers (the last year
with values, the years with values, the last year with approved values) now read the
element index or the reports' key (`datavalues.selectors`, `reporting.selectors`).

The index is dropped by its column, as Django named it, without the table rebuild that
SQLite's `AlterField` makes (which would drop the values' triggers).
"""

from typing import Any

from django.db import migrations, models


def _year_index_names(apps: Any, schema_editor: Any) -> list[str]:
    model = apps.get_model("datavalues", "DataValue")
    return list(schema_editor._constraint_names(model, ["year"], index=True, unique=False))


def drop(apps: Any, schema_editor: Any) -> None:
    for name in _year_index_names(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create(apps: Any, schema_editor: Any) -> None:
    if _year_index_names(apps, schema_editor):
        return
    model = apps.get_model("datavalues", "DataValue")
    schema_editor.execute(
        schema_editor._create_index_sql(model, fields=[model._meta.get_field("year")])
    )


class Migration(migrations.Migration):
    dependencies = [("datavalues", "0007_history_user_index_partial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="datavalue",
                    name="year",
                    field=models.PositiveSmallIntegerField(verbose_name="năm"),
                )
            ],
            database_operations=[migrations.RunPython(drop, create)],
        )
    ]
