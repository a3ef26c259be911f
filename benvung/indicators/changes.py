"""Which values have been written since an answer was computed.

Database triggers (migration `indicators.0002`) stamp the values of each (data element,
year, unit's sector) on every write, by any path, with a stamp that never comes back to an
earlier one. An answer computed from some elements is therefore still the answer while their
stamps are those read before it was computed: the engine keeps such answers per territory
(`selectors.IndicatorInputs.kept`) and computes again only what the last writes touched. A
value stored is in the next answer all the same.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable, Iterator

from django.db import DatabaseError, connection, transaction

# Element 0 stands for every element (the values were truncated).
EVERY_ELEMENT = 0

# PostgreSQL appends a row per statement and key; past this many rows, the reader folds
# them (`indicators_compact_changes`).
_COMPACT_AFTER = 5000

Stamp = tuple[int, int]
# The stamps an answer was computed at, in the order its reader asks for them.
Stamps = tuple[Stamp | None, ...]


class Changes:
    """The stamps as read at one moment."""

    def __init__(self, rows: Iterable[tuple[int, int, str, int, int]]) -> None:
        self._by_key: dict[tuple[int, int, str], Stamp] = {}
        self._by_element: dict[int, Stamp] = {}
        for element, year, sector, writes, row in rows:
            key = (element, year, sector)
            self._by_key[key] = _add(self._by_key.get(key), writes, row)
            self._by_element[element] = _add(self._by_element.get(element), writes, row)

    def of_elements(self, elements: Iterable[int]) -> Stamps:
        """The stamps of the elements' values, in the given order, and of truncations last."""
        return (*(self._by_element.get(e) for e in elements), self._truncations)

    def of_slice(self, elements: Iterable[int], years: Iterable[int], sector: str) -> Stamps:
        """The stamps of the elements' values of the given years and of units of a sector."""
        return (
            *(self._by_key.get((e, y, sector)) for e in elements for y in years),
            self._truncations,
        )

    @property
    def _truncations(self) -> Stamp | None:
        return self._by_element.get(EVERY_ELEMENT)


def _add(stamp: Stamp | None, writes: int, row: int) -> Stamp:
    if stamp is None:
        return (writes, row)
    return (stamp[0] + writes, max(stamp[1], row))


def read() -> Changes:
    """The stamps now (one query; on PostgreSQL, a fold of the rows now and then)."""
    # SQLite's rows have no id: its random `writes` stamp them on their own.
    row = "id" if connection.vendor == "postgresql" else "0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT element_id, year, sector, writes, {row} FROM indicators_valuechange"  # noqa: S608
        )
        rows = cursor.fetchall()
    if connection.vendor == "postgresql" and len(rows) > _COMPACT_AFTER:
        compact()
    return Changes(rows)


def compact() -> None:
    """Fold PostgreSQL's rows of each key into one (the sums stay). Skipped on a read-only
    connection or when the database refuses."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT indicators_compact_changes()")
    except DatabaseError:
        pass


# SQLite's trigger that stamps each inserted value (migration `indicators.0002`).
_ROW_TRIGGER = "datavalue_changes_inserted"


# The transaction-local setting by which a bulk insert stamps its own rows
# (migration `indicators.0007`).
_STAMPED_BY_WRITER = "benvung.stamped_by_writer"

# A written value's stamp key: (element, year, unit's sector).
StampKey = tuple[int, int, str]


@contextlib.contextmanager
def stamps_once(keys: Callable[[], Collection[StampKey]]) -> Iterator[None]:
    """Inside the block, values are inserted in bulk; at its end each of their (element,
    year, unit's sector) `keys` is stamped once. `keys` is called once the rows are in.
    Call it inside the writing transaction.

    SQLite's triggers fire for every row: a million-row import spent 7 of its 50 s stamping
    the same few hundred keys again and again. There the insert trigger is dropped for the
    block and created again from its own text at the end, in the same transaction (SQLite
    has one writer at a time, and a rollback brings the trigger back).

    PostgreSQL's fires once per statement, but looks up the unit of every row of the
    statement for its sector: it hashed all the units (about 100,000 nationally) for each
    chunk of an import, 1.2 s of a million rows. For the block, the transaction says that
    its writer stamps (a setting that a rollback to a savepoint undoes too), and the stamps
    are written at the end, one row per key, as the trigger would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [_STAMPED_BY_WRITER])
            yield
            cursor.execute("SELECT set_config(%s, '', true)", [_STAMPED_BY_WRITER])
            stamped = sorted(keys())
            if stamped:
                elements, years, sectors = zip(*stamped, strict=True)
                cursor.execute(
                    "INSERT INTO indicators_valuechange (element_id, year, sector, writes) "
                    "SELECT e, y, s, 1 "
                    "FROM unnest(%s::bigint[], %s::integer[], %s::text[]) AS k(e, y, s)",
                    [list(elements), list(years), list(sectors)],
                )
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [_ROW_TRIGGER]
        )
        found = cursor.fetchone()
        if found is None:
            yield
            return
        cursor.execute(f"DROP TRIGGER {_ROW_TRIGGER}")
        yield
        cursor.executemany(
            "INSERT INTO indicators_valuechange (element_id, year, sector, writes) "
            "VALUES (%s, %s, %s, random()) "
            "ON CONFLICT (element_id, year, sector) DO UPDATE SET writes = random()",
            sorted(keys()),
        )
        cursor.execute(found[0])
