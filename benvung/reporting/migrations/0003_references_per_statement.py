"""PostgreSQL checks the reports' and their events' references once per statement
(`benvung.core.references`) instead of one foreign key lookup per row."""

from django.conf import settings
from django.db import migrations

from benvung.core import references

REFERENCES = [
    references.Reference("reporting", "Submission", "data_set"),
    references.Reference("reporting", "Submission", "org_unit"),
    references.Reference("reporting", "Submission", "submitted_by"),
    references.Reference("reporting", "Submission", "decided_by"),
    references.Reference("reporting", "SubmissionEvent", "submission"),
    references.Reference("reporting", "SubmissionEvent", "user"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_fewer_indexes"),
        ("orgunits", "0003_hierarchystate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [references.checked_per_statement(REFERENCES)]
