"""A bulk insert may stamp its values itself, once for each key.

The stamps' trigger of `indicators.0002` joins every row of an insert statement to its unit
for the sector: it hashed all the units (about 100,000 nationally) for every chunk of an
import, 1.2 of the million rows' seconds, to find about a hundred keys. An import already
holds each row's element, year and sector: while it inserts a chunk it says so for its own
statement (the transaction-local setting `benvung.stamped_by_writer`), and then writes the
same stamps itself (`indicators.changes.stamps_once`). Every other write, by any path, is
stamped by the trigger as before; CT07's terms keep their trigger.
"""

from importlib import import_module

from django.db import migrations

from benvung.indicators.migrations._postgresql import on_postgresql

_SKIP = """
    -- A bulk writer that stamps its own rows (`indicators.changes.stamps_once`).
    IF current_setting('benvung.stamped_by_writer', true) = 'on' THEN
        RETURN NULL;
    END IF;"""

BACKWARD = (
    import_module("benvung.indicators.migrations.0002_value_changes")
    .VALUES_CHANGED.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
)
FORWARD = BACKWARD.replace("BEGIN\n", "BEGIN" + _SKIP + "\n", 1)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0006_terms_key_by_unit")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
