"""After a load test: is every write the server accepted in the database?

    python loadtest/check_writes.py accepted-writes.jsonl

For each accepted write, the value must be in the cell's history (simple-history rows of the
value, and the stored value itself when it never changed: it is then its own creation record,
see `datavalues.audit`), and the last value accepted for each cell (one author per cell) must
be the stored value. Exit status 0 when all are there, 1 otherwise (the missing ones are printed).
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benvung.settings")
    import django

    django.setup()
    from benvung.datavalues.models import DataValue

    writes = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]  # noqa: SIM115
    last: dict[tuple[str, str, str], Decimal] = {}
    history: dict[tuple[str, str, str], set[Decimal]] = {}
    stored: dict[tuple[str, str, str], Decimal] = {}
    stored_ids: dict[int, tuple[tuple[str, str, str], Decimal]] = {}
    keys = {(w["unit"], w["element"], w["period"]) for w in writes}
    units = {k[0] for k in keys}
    for value in DataValue.objects.filter(org_unit__code__in=units).select_related(
        "org_unit", "data_element"
    ):
        key = (value.org_unit.code, value.data_element.code, value.period)
        stored[key] = value.value
        stored_ids[value.pk] = (key, value.value)
    History = DataValue.history.model  # type: ignore[attr-defined]
    for row in History.objects.filter(org_unit__code__in=units).select_related(
        "org_unit", "data_element"
    ):
        key = (row.org_unit.code, row.data_element.code, row.period)
        history.setdefault(key, set()).add(row.value)
        stored_ids.pop(row.id, None)
    for key, value in stored_ids.values():  # never changed: the value is its creation record
        history.setdefault(key, set()).add(value)
    missing = []
    for write in writes:
        key = (write["unit"], write["element"], write["period"])
        value = Decimal(write["value"])
        last[key] = value
        if value not in history.get(key, set()):
            missing.append(f"not in history: {key} = {value}")
    for key, value in last.items():
        if stored.get(key) != value:
            missing.append(f"last accepted {key} = {value}, stored {stored.get(key)}")
    for line in missing[:50]:
        print(line)
    print(
        f"{len(writes)} accepted writes of {len(keys)} cells: "
        f"{len(writes) - len([m for m in missing if m.startswith('not')])} found in history, "
        f"{len(last) - len([m for m in missing if m.startswith('last')])}/{len(last)} "
        f"cells hold the last accepted value; {'OK' if not missing else 'MISSING'}"
    )
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
