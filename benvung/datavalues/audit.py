"""The creation record of a value: kept by the value itself until it first changes.

A value says who stored it (`updated_by`), when (`updated_at`) and from where (`source`), and
until it changes that is its creation record. So a new value gets no history row of its own
when it is stored: an import of a million values would otherwise write each of them twice,
and the copy was a fifth of what the database did for an import. Before a value first
changes or is deleted, its creation record ("+", from the row as it still is) is written to
the history, and the change's own record after it: from then on the history holds the
value's whole life, as django-simple-history keeps it. The readers of the history
(`reporting.history`) take a value without any record as its own creation record.

Every change of a value goes through `record_creations`: the bulk writes of the imports call
it (`datavalues.services`), and a value saved or deleted one at a time (the admin) calls it
through the signals below.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from functools import cache
from typing import Any

from django.db import connection
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from benvung.datavalues.models import DataValue


@cache
def _record_columns() -> tuple[str, str]:
    """The history's columns and what each is taken from in a value's row `v`."""
    history = DataValue.history.model
    quote = connection.ops.quote_name
    value_columns = {f.column for f in DataValue._meta.concrete_fields}
    reason_max = history._meta.get_field("history_change_reason").max_length
    derived = {
        "history_date": "v.updated_at",
        "history_change_reason": f"SUBSTR(v.source, 1, {reason_max})",
        "history_type": "'+'",
        "history_user_id": "v.updated_by_id",
    }
    targets, sources = [], []
    for field in history._meta.concrete_fields:
        if field.column == "history_id":
            continue
        if field.column in value_columns:
            source = f"v.{quote(field.column)}"
        elif field.column in derived:
            source = derived[field.column]
        else:
            raise ValueError(f"history column {field.column} has no source")
        targets.append(quote(field.column))
        sources.append(source)
    return ", ".join(targets), ", ".join(sources)


def record_creations(ids: Collection[int]) -> int:
    """Write the creation record of each value of `ids` that has no history record yet, from
    the value as it is: call it before the values change or are deleted, in the transaction
    that changes them. Returns the number of records written."""
    if not ids:
        return 0
    values = DataValue._meta.db_table
    history = DataValue.history.model._meta.db_table
    targets, sources = _record_columns()
    params: list[Any]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            chosen, params = "v.id = ANY(%s)", [list(ids)]
            # Two writers changing the same value would otherwise both find it without a
            # record; the change locks the row anyway.
            cursor.execute(
                f"SELECT id FROM {values} WHERE id = ANY(%s) ORDER BY id FOR UPDATE",  # noqa: S608
                params,
            )
        else:
            # SQLite writes one transaction at a time.
            chosen = "v.id IN (SELECT value FROM json_each(%s))"
            params = [json.dumps([int(i) for i in ids])]
        # Only the model's own tables and columns are named; the ids are a parameter.
        cursor.execute(
            f"INSERT INTO {history} ({targets}) SELECT {sources} FROM {values} v "  # noqa: S608
            f"WHERE {chosen} AND NOT EXISTS (SELECT 1 FROM {history} h "
            "WHERE h.org_unit_id = v.org_unit_id AND h.id = v.id)",
            params,
        )
        return int(cursor.rowcount)


@receiver(pre_save, sender=DataValue, dispatch_uid="datavalue_creation_recorded_on_save")
def _before_save(sender: Any, instance: DataValue, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.pk is not None and not instance._state.adding:
        record_creations([instance.pk])


@receiver(pre_delete, sender=DataValue, dispatch_uid="datavalue_creation_recorded_on_delete")
def _before_delete(sender: Any, instance: DataValue, **kwargs: Any) -> None:
    record_creations([instance.pk])
