"""CT07's terms keyed by (output, unit, year, consumption).

After a write, one sector's terms of a year or two are looked up run by run
(`selectors._sums_of_terms`): with the unit before the year and the consumption element, a
run's terms of those years, of every consumption element, lie side by side on one page of
the key, where the key (output, consumption, year, unit) kept each element's and each
year's in a part of its own. The refresh's deletion names every column of the key either
way.
"""

from django.db import migrations

from benvung.indicators.migrations._postgresql import on_postgresql

_REKEY = """
ALTER TABLE indicators_intensityterm
    DROP CONSTRAINT indicators_intensityterm_pkey,
    ADD PRIMARY KEY ({columns});
"""
FORWARD = _REKEY.format(columns="output_id, unit_id, year, consumption_id")
BACKWARD = _REKEY.format(columns="output_id, consumption_id, year, unit_id")



class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_terms_of_bulk_writes")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
