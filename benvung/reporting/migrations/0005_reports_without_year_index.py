"""The reports lose their index on the year.

An import writes a draft report for each unit and period it reaches (370,000 for the
bench's million values), and each went into this index. Its readers: the last year with
approved values (`reporting.selectors`), which starts from the queues' index of the reports
that are not drafts; and the Excel form of a year, which reads that year's values too.

Dropped by its column (`core.schema`), without SQLite's rebuild of the whole table.
"""

from django.db import migrations, models

from benvung.core.schema import field_index_dropped


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_queued_reports_index")]

    operations = [
        field_index_dropped(
            "reporting",
            "submission",
            "year",
            models.PositiveSmallIntegerField(verbose_name="năm"),
        )
    ]
