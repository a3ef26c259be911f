"""What the terms' migrations run on PostgreSQL only (SQLite keeps no terms).

Not a migration: the loader passes over modules whose name starts with an underscore.
"""


def on_postgresql(sql):
    """A `RunPython` function that runs `sql` as it is written (no parameters, so that the
    % signs of `format()` strings stay) on PostgreSQL, and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run
