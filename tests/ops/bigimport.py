"""Helpers of the SIGKILL test, run in a subprocess against its own database:

    python -m tests.ops.bigimport setup FILE.csv ROWS   # units and an element, then the file
    python -m tests.ops.bigimport fingerprint           # JSON: rows and sha256 of the tables
                                                        # an import writes

`setup` creates ROWS/200 units and one yearly element, and writes ROWS value rows (each unit,
each year 1901–2100) as the CSV of `benvung import data`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys

YEARS = range(1901, 2101)
# What an import of values writes: the values, their history, the reports they reach.
TABLES = [
    "datavalues.datavalue",
    "datavalues.historicaldatavalue",
    "reporting.submission",
    "reporting.submissionevent",
    "orgunits.orgunit",
    "datavalues.dataelement",
]


def setup(path: str, rows: int) -> None:
    from benvung.datavalues.models import DataElement
    from benvung.orgunits.models import OrgUnit

    DataElement.objects.get_or_create(
        code="KILL_TEST",
        defaults={"name": "Chỉ số thử", "unit_types": ["KCN"], "value_type": "integer"},
    )
    count = max(1, rows // len(YEARS))
    OrgUnit.objects.bulk_create(
        [
            OrgUnit(code=f"K{i:05d}", name=f"KCN {i}", type="KCN", valid_from=dt.date(1900, 1, 1))
            for i in range(count)
        ],
        ignore_conflicts=True,
    )
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["data_element", "org_unit", "period", "value"])
        for i in range(count):
            for year in YEARS:
                writer.writerow(["KILL_TEST", f"K{i:05d}", year, (i * 7 + year) % 1000])


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benvung.settings")
    import django

    django.setup()
    if sys.argv[1] == "setup":
        setup(sys.argv[2], int(sys.argv[3]))
    else:
        from benvung.ops.backup import fingerprint

        json.dump(fingerprint(labels=TABLES), sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
