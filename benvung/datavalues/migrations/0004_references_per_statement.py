"""PostgreSQL checks the values' and their history's references once per statement
(`benvung.core.references`) instead of one foreign key lookup per row."""

from django.conf import settings
from django.db import migrations

from benvung.core import references

REFERENCES = [
    references.Reference("datavalues", "DataValue", "data_element"),
    references.Reference("datavalues", "DataValue", "org_unit"),
    references.Reference("datavalues", "DataValue", "updated_by"),
    references.Reference("datavalues", "HistoricalDataValue", "history_user"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("datavalues", "0003_fewer_indexes"),
        ("orgunits", "0003_hierarchystate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [references.checked_per_statement(REFERENCES)]
