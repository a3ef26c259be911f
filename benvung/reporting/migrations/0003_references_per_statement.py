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


def install(apps, schema_editor):
    references.install(apps, schema_editor, REFERENCES)


def uninstall(apps, schema_editor):
    references.uninstall(apps, schema_editor, REFERENCES)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_fewer_indexes"),
        ("orgunits", "0003_hierarchystate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(install, uninstall)]
