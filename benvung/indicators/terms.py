"""CT07's link terms, kept by PostgreSQL as values are written.

CT07 chains, year after year, Σ C(t) against Σ C(t−1) × Q(t) / Q(t−1) over the enterprises
whose consumption C and output Q qualify in both years. Computing those terms from the
values on every request meant pivoting and windowing 1.4 million values at national size.
Database triggers (migration `indicators.0001`) keep them instead: every insert, update or
delete of a value of a kept (consumption, output) pair recomputes the terms of that unit's
year and the next, in the same transaction, so that a value stored is in the next answer.
The engine then only adds up the terms of the enterprises active and in scope
(`selectors.IndicatorInputs._link_sums`).

A statement that writes many values at once (an import's chunk) does not compute their
terms: it marks their years as waiting (migration `indicators.0005`), and the first question
about such a year rebuilds that year's terms in one pass (`fresh`).

Only PostgreSQL keeps terms; published (approved-only) figures still compute from the
approved values, since a term does not know its report's state.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DatabaseError, connection, transaction

from benvung.datavalues.models import DataElement
from benvung.plans.models import FormulaKind, Plan


def available() -> bool:
    """Whether this database keeps terms (PostgreSQL)."""
    return connection.vendor == "postgresql"


def kept_pairs() -> set[tuple[int, int]]:
    """The (consumption element id, output element id) pairs whose terms are kept."""
    if not available():
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT consumption_id, output_id FROM indicators_intensitypair")
        return {(c, o) for c, o in cursor.fetchall()}


def plan_code_pairs(plan: Plan) -> set[tuple[str, str]]:
    """The (consumption, output) element codes of the plan's CT07 indicators."""
    return {
        (p.get("consumption_element"), p.get("output_element"))
        for p in plan.indicators.filter(formula=FormulaKind.INTENSITY_INDEX).values_list(
            "parameters", flat=True
        )
    }


def plan_pairs(plan: Plan) -> set[tuple[int, int]]:
    """The element id pairs of the plan's CT07 indicators."""
    codes = plan_code_pairs(plan)
    ids = dict(
        DataElement.objects.filter(code__in={c for pair in codes for c in pair if c}).values_list(
            "code", "pk"
        )
    )
    return {(ids[c], ids[o]) for c, o in codes if c in ids and o in ids}


def register(pairs: Iterable[tuple[int, int]]) -> bool:
    """Start keeping the terms of the pairs, built from the values already stored.

    Writes of values wait while the terms are built (a SHARE lock on the values), so that
    none falls between the build and the triggers that keep the terms from then on. The lock
    is not waited for: while an import is writing, the question is answered from the values
    and the pairs are registered by a later one. Returns False when the database could not
    do it (not PostgreSQL, a read-only connection, the lock taken): the engine then computes
    from the values. (Loading a plan and migrating register the plans' pairs beforehand.)"""
    if not available():
        return False
    wanted = set(pairs) - kept_pairs()
    if not wanted:
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("LOCK TABLE datavalues_datavalue IN SHARE MODE NOWAIT")
            added = []
            for consumption, output in sorted(wanted):
                cursor.execute(
                    "INSERT INTO indicators_intensitypair (consumption_id, output_id) "
                    "VALUES (%s, %s) ON CONFLICT DO NOTHING RETURNING consumption_id",
                    [consumption, output],
                )
                if cursor.fetchone() is not None:
                    added.extend([consumption, output])
            if added:
                # The trigger's own refresh: one definition of a term.
                cursor.execute(
                    "SELECT indicators_refresh_elements(%s::bigint[])", [sorted(set(added))]
                )
    except DatabaseError:
        return False
    return True


# How long a question waits for writes in progress before it answers from the values.
_REBUILD_LOCK_TIMEOUT = "2s"


def fresh(years: Iterable[int]) -> bool:
    """Whether the terms of `years` can be read: those of a year that a bulk write left
    waiting are rebuilt first, from the values, while value writes wait (a SHARE lock, as
    `register` takes). False when that could not be done (writes in progress for longer than
    a moment, a read-only connection): the caller then answers from the values."""
    if not available():
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT year FROM indicators_termstale WHERE year = ANY(%s)", [sorted(set(years))]
        )
        waiting = sorted(year for (year,) in cursor.fetchall())
    if not waiting:
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{_REBUILD_LOCK_TIMEOUT}'")
            cursor.execute("LOCK TABLE datavalues_datavalue IN SHARE MODE")
            cursor.execute("SELECT indicators_rebuild_terms(%s::integer[])", [waiting])
            # The rebuild replaced the years' rows: the planner's figures of the table are
            # renewed with them, or a province's sums are planned as if it were empty.
            cursor.execute("ANALYZE indicators_intensityterm")
    except DatabaseError:
        return False
    return True


def waiting_years() -> list[int]:
    """The years whose terms wait for a rebuild."""
    if not available():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT year FROM indicators_termstale ORDER BY year")
        return [year for (year,) in cursor.fetchall()]


def register_plan(plan: Plan) -> bool:
    """`register` the pairs of the plan's CT07 indicators."""
    return register(plan_pairs(plan))


def forget_all() -> None:
    """Stop keeping every pair's terms (tests of the computation from the values)."""
    if available():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE indicators_intensityterm, indicators_intensitypair, indicators_termstale"
            )
