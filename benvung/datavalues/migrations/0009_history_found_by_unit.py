"""The values' history loses its index by value.

Every imported value wrote a record, and so an entry, to it; its only reader was the admin's
history of one value, which now looks for the value's records among its unit's (the index by
unit). The other readers of the history read by unit already (`reporting.history`).

Dropped by its column (`core.schema`): SQLite's rebuild of the table would make the full
index on the history's user again in place of the partial one of 0007.
"""

from django.db import migrations, models

from benvung.core.schema import field_index_dropped


class Migration(migrations.Migration):
    dependencies = [("datavalues", "0008_values_without_year_index")]

    operations = [
        field_index_dropped(
            "datavalues",
            "historicaldatavalue",
            "id",
            models.BigIntegerField(auto_created=True, blank=True, verbose_name="ID"),
        )
    ]
