"""Reads of the stored values that no single element, unit or period narrows.

The values have no index on their year alone: a million imported values spent about 2.8
million index pages on one (a fifth of their `COPY`'s), for the few questions below. These
questions are answered from the (element, year, unit, value) index instead, element by
element, stepping from each year to the next: a few lookups per element and year, not a
read of every value.
"""

from __future__ import annotations

from django.db import connection

from benvung.datavalues.models import DataElement, DataValue

# From each element's first year to its next, as long as there is one. The lookups name
# only the models' own tables and columns.
_YEARS = """
WITH RECURSIVE found (element_id, year) AS (
    SELECT e.id, (SELECT MIN(v.year) FROM {values} v WHERE v.data_element_id = e.id)
    FROM {elements} e
    UNION ALL
    SELECT f.element_id, (
        SELECT MIN(v.year) FROM {values} v
        WHERE v.data_element_id = f.element_id AND v.year > f.year
    )
    FROM found f WHERE f.year IS NOT NULL
)
SELECT DISTINCT year FROM found WHERE year IS NOT NULL ORDER BY year
"""


def value_years() -> list[int]:
    """Every year for which some value is stored, oldest first."""
    sql = _YEARS.format(
        values=connection.ops.quote_name(DataValue._meta.db_table),
        elements=connection.ops.quote_name(DataElement._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [int(year) for (year,) in cursor.fetchall()]


def last_value_year(up_to: int) -> int | None:
    """The last year up to `up_to` for which some value is stored; None when there is none."""
    return max((year for year in value_years() if year <= up_to), default=None)
