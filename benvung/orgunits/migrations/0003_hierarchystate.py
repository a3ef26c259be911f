"""The hierarchy's token and the triggers that change it (`HierarchyState`)."""

from django.db import migrations, models

TABLES = ("orgunits_orgunit", "orgunits_parentlink", "orgunits_succession")

POSTGRES = """
CREATE FUNCTION orgunits_hierarchy_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO orgunits_hierarchystate (id, token)
    VALUES (1, (random() * 9.2e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_hierarchy_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION orgunits_hierarchy_changed();
"""
    for table in TABLES
)

POSTGRES_DROP = "".join(
    f"DROP TRIGGER IF EXISTS {table}_hierarchy_changed ON {table};\n" for table in TABLES
) + "DROP FUNCTION IF EXISTS orgunits_hierarchy_changed();\n"

# SQLite has row triggers only; one upsert per written row is cheap next to the row itself.
SQLITE = [
    f"""
CREATE TRIGGER {table}_hierarchy_{event.lower()}
AFTER {event} ON {table}
BEGIN
    INSERT INTO orgunits_hierarchystate (id, token) VALUES (1, random())
    ON CONFLICT (id) DO UPDATE SET token = excluded.token;
END;
"""
    for table in TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {table}_hierarchy_{event.lower()};"
    for table in TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    apps.get_model("orgunits", "HierarchyState").objects.update_or_create(
        pk=1, defaults={"token": 1}
    )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("orgunits", "0002_historicalsuccession_succession"),
    ]

    operations = [
        migrations.CreateModel(
            name="HierarchyState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.BigIntegerField(default=0, verbose_name="dấu phiên bản cây đơn vị"),
                ),
            ],
            options={
                "verbose_name": "trạng thái cây đơn vị",
                "verbose_name_plural": "trạng thái cây đơn vị",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
