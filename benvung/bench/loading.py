"""Loading the synthetic data set: a fresh database, the units, and the values.

The values of the data set are split: most go straight into the table (the state of a system
that has run for years), and a million of them (fewer at smaller scales) are written to a CSV
file that the bench then imports through the real import path and times.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, models, transaction

from benvung.bench import generate
from benvung.core.importing import parse_boolean, parse_decimal
from benvung.datavalues.models import DataElement, DataValue, ValueType
from benvung.datavalues.rows import canonical_value
from benvung.indicators import terms
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.plans.models import Plan

MARKER = generate.ROOT
PLAN_CODE = "KH-2627"
# The values of these years and later go to the imported file, up to IMPORT_ROWS rows.
IMPORT_FROM_YEAR = 2027
IMPORT_ROWS = {"national": 1_000_000, "province": 100_000, "tiny": 2_000}


class NotABenchDatabase(Exception):
    """The database holds data that the bench did not put there."""


def prepare_database() -> None:
    """Make the database an empty, migrated benvung with KH-2627 loaded.

    A database that has no tables, or only empty ones, is used as it is; one the bench filled
    before (it holds the marker unit) is emptied. Any other refuses: the bench never touches
    real data.
    """
    tables = set(connection.introspection.table_names())
    if OrgUnit._meta.db_table in tables:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT code FROM {OrgUnit._meta.db_table} WHERE code = %s", [MARKER])  # noqa: S608
            marked = cursor.fetchone() is not None
            counts = [
                _count(cursor, model._meta.db_table)
                for model in (OrgUnit, DataValue)
                if model._meta.db_table in tables
            ]
        if marked:
            _empty(tables)
        elif any(counts):
            raise NotABenchDatabase(
                "Cơ sở dữ liệu đã có dữ liệu không phải của bench; hãy dùng một cơ sở dữ liệu mới "
                "(--database)."
            )
    call_command("migrate", verbosity=0, interactive=False)
    from benvung.core.services import system_init

    system_init()


def _count(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
    return int(cursor.fetchone()[0])


def _empty(tables: set[str]) -> None:
    """Drop everything of an earlier bench run."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")


def bulk_load(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Insert rows of plain values fast (COPY on PostgreSQL, batches elsewhere); the model's
    other columns get their defaults. Returns the number of rows."""
    fields = [
        f for f in model._meta.concrete_fields if f.column not in columns and not f.primary_key
    ]
    extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in fields)
    names = [*columns, *(f.column for f in fields)]
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in names)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *extra))
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        batch: list[Any] = []
        for row in rows:
            batch.append((*row, *extra))
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _reset_sequences(*models_: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))",
                [table],
            )


def load_structure(data: generate.DataSet) -> dict[str, int]:
    """Store the units and links; the plan's territory becomes the national root. Returns
    the units' ids by code."""
    with transaction.atomic():
        first = (OrgUnit.objects.aggregate(last=models.Max("id"))["last"] or 0) + 1
        ids = {unit.code: first + n for n, unit in enumerate(data.units)}
        bulk_load(
            OrgUnit,
            ("id", "code", "name", "type", "sector", "valid_from", "valid_to", "is_demo"),
            (
                (ids[u.code], u.code, u.name, u.type, u.sector, u.valid_from, u.valid_to, True)
                for u in data.units
            ),
        )
        bulk_load(
            ParentLink,
            ("unit_id", "parent_id", "valid_from", "valid_to"),
            ((ids[lk.child], ids[lk.parent], lk.valid_from, lk.valid_to) for lk in data.links),
        )
        _reset_sequences(OrgUnit, ParentLink)
        Plan.objects.filter(code=PLAN_CODE).update(scope_root_id=ids[generate.ROOT])
    return ids


def load_values(
    data: generate.DataSet, ids: dict[str, int], *, seed: int, csv_path: Path, import_rows: int
) -> tuple[int, int]:
    """Store the values directly, except the last years' (up to `import_rows`), which go to
    the CSV file to import. Returns (values stored, rows in the file)."""
    elements = {e.code: e for e in DataElement.objects.all()}
    written = 0
    stamp = dt.datetime.now(dt.UTC)

    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(("data_element", "org_unit", "period", "value", "unit", "comment"))

        def direct() -> Iterable[tuple[object, ...]]:
            nonlocal written
            for v in generate.values(data, seed):
                if v.year >= IMPORT_FROM_YEAR and written < import_rows:
                    writer.writerow((v.element, v.unit_code, v.year, v.value, v.unit, ""))
                    written += 1
                    continue
                element = elements[v.element]
                number = _number(v.value, element)
                yield (
                    element.pk,
                    ids[v.unit_code],
                    str(v.year),
                    v.year,
                    number,
                    v.unit,
                    canonical_value(number, v.unit, element),
                    "",
                    stamp,
                    "bench",
                )

        with transaction.atomic():
            stored = bulk_load(
                DataValue,
                (
                    "data_element_id",
                    "org_unit_id",
                    "period",
                    "year",
                    "value",
                    "unit",
                    "canonical_value",
                    "comment",
                    "updated_at",
                    "source",
                ),
                direct(),
            )
            _reset_sequences(DataValue)
    if connection.vendor == "postgresql":
        # Vacuumed as autovacuum has long done to a database in use: freshly loaded rows
        # have no hint bits and no visibility map, so that the first reads after the load,
        # the measured import's among them, would write their pages again, and index-only
        # scans would read the heap.
        # VACUUM needs a transaction of its own: inside one (a test's), the statistics alone.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        # The values stored directly are those of years that a running system has answered
        # for: their CT07 terms are built now, as their first questions would have.
        terms.fresh(terms.waiting_years())
    return stored, written


_QUANTUM = Decimal("0.000001")


def _number(text: str, element: DataElement) -> Decimal:
    if element.value_type == ValueType.BOOLEAN:
        return Decimal(1) if parse_boolean(text) else Decimal(0)
    return parse_decimal(text).quantize(_QUANTUM, rounding=ROUND_HALF_UP)
