"""Which values have been written since an answer was computed.

Database triggers (migration `indicators.0002`) stamp the values of each (data element,
year, unit's sector) on every write, by any path, with a stamp that never comes back to an
earlier one. An answer computed from some elements is therefore still the answer while their
stamps are those read before it was computed: the engine keeps such answers per territory
(`selectors.IndicatorInputs.kept`) and computes again only what the last writes touched. A
value stored is in the next answer all the same.
"""

from __future__ import annotations

from collections.abc import Iterable

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
