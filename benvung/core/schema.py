"""Schema changes that Django's own operations make at a cost the data cannot bear.

Dropping a field's index with `AlterField` rebuilds the whole table on SQLite: it copies
every row, and the table comes back as Django's state describes it, without what migrations
added outside that state (triggers, partial indexes in place of Django's). The index is
dropped here by its column instead, on both databases.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def field_index_dropped(
    app_label: str, model_name: str, name: str, field: models.Field[Any, Any]
) -> migrations.SeparateDatabaseAndState:
    """The operation that sets the field `name` of the model to `field` (the same field
    without `db_index`) in Django's state, and drops the field's own index from the
    database by its column; reversed, the index is made again as Django names it."""

    def index_names(apps: Any, schema_editor: Any) -> list[str]:
        model = apps.get_model(app_label, model_name)
        column = model._meta.get_field(name).column
        return list(schema_editor._constraint_names(model, [column], index=True, unique=False))

    def drop(apps: Any, schema_editor: Any) -> None:
        for index in index_names(apps, schema_editor):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(index)}")

    def create(apps: Any, schema_editor: Any) -> None:
        if index_names(apps, schema_editor):
            return
        model = apps.get_model(app_label, model_name)
        schema_editor.execute(
            schema_editor._create_index_sql(model, fields=[model._meta.get_field(name)])
        )

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=name, field=field)],
        database_operations=[migrations.RunPython(drop, create)],
    )
