"""The values lose their index on the year alone.

Every imported value went into it: about 2.8 of the 12 million index pages that the `COPY`
of a million values touched, and 64 of its 570 MB of WAL. Its few readers (the last year
with values, the years with values, the last year with approved values) now read the
element index or the reports' key (`datavalues.selectors`, `reporting.selectors`).

The index is dropped by its column, as Django named it, without the table rebuild that
SQLite's `AlterField` makes (which would drop the values' triggers).
"""

from django.db import migrations, models

from benvung.core.schema import field_index_dropped


class Migration(migrations.Migration):
    dependencies = [("datavalues", "0007_history_user_index_partial")]

    operations = [
        field_index_dropped(
            "datavalues",
            "datavalue",
            "year",
            models.PositiveSmallIntegerField(verbose_name="năm"),
        )
    ]
