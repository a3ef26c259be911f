"""CT07's terms after a bulk write: rebuilt by year when first read, not row by row.

A statement writing the values of more than `BULK_KEYS` (enterprise, year) keys (an
import's chunk) no longer computes their terms: it marks their years and the years after
as waiting (`indicators_termstale`), and the first question about such a year rebuilds
that year's terms in one pass (`indicators_rebuild_terms`, called by `terms.fresh`). A
million-row import spent 7 of its seconds on its terms, in the writing transaction; a
national year is rebuilt in about a second. Smaller writes (a form, a short file) keep
their terms current in their own statement, as before, except in a year that waits for its
rebuild anyway.

The terms themselves are those of `indicators.0003`, computed by a pivot per enterprise and
year joined with the year before (the same rows, expressions and numbers as its window; a
national comparison of the two found no row that differs), and their (unit, year) index is
gone: deletes go through the key, with the pairs.
"""

from importlib import import_module

from django.db import migrations

from benvung.indicators.migrations._postgresql import on_postgresql

BULK_KEYS = 1000

_INITIAL = import_module("benvung.indicators.migrations.0001_intensity_terms")
_ONE_PASS = import_module("benvung.indicators.migrations.0003_terms_one_pass").ONE_PASS


def _replacing(text: str) -> str:
    return text.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")




def _trigger_function(text: str) -> str:
    """One of 0001's trigger functions on the values, replaced by one that hands its keys to
    `indicators_terms_written` (with room to hash a large statement's keys)."""
    return _replacing(text).replace(
        "RETURNS trigger AS", "RETURNS trigger\nSET work_mem = '256MB' AS"
    ).replace("indicators_refresh_terms(", "indicators_terms_written(")


FORWARD = (
    r"""
CREATE TABLE indicators_termstale (year integer PRIMARY KEY);
DROP INDEX IF EXISTS indicators_intensityterm_unit;

-- The terms of exactly the given (unit, year) keys, from the values; the caller has
-- deleted the old ones.
CREATE FUNCTION indicators_compute_terms(units bigint[], years integer[]) RETURNS void
SET work_mem = '256MB' SET enable_mergejoin = off AS $$
DECLARE
    elements bigint[];
    pivot text;
    links text;
BEGIN
    SELECT array_agg(element_id ORDER BY element_id) INTO elements
    FROM indicators_intensityelement;
    IF elements IS NULL OR units IS NULL THEN
        RETURN;
    END IF;
    -- One column per element of the kept pairs, and one (consumption, output) row per pair.
    SELECT string_agg(
        format('MAX(d.canonical_value) FILTER (WHERE d.data_element_id = %s) AS e%s', e, e),
        ', ')
    INTO pivot FROM unnest(elements) AS e;
    SELECT string_agg(
        format('(%1$s::bigint, %2$s::bigint, cur.e%1$s, prev.e%1$s, cur.e%2$s, prev.e%2$s)',
               consumption_id, output_id),
        ', ')
    INTO links FROM indicators_intensitypair;
    EXECUTE format($q$
        INSERT INTO indicators_intensityterm
            (consumption_id, output_id, unit_id, year, actual, expected)
        WITH touched AS (
            SELECT * FROM unnest($1, $2) AS k(u, y)
        ),
        wanted AS (
            SELECT u, y FROM touched UNION SELECT u, y - 1 FROM touched
        ),
        v AS (
            SELECT d.org_unit_id AS u, d.year::integer AS y, %s
            FROM datavalues_datavalue d
            JOIN wanted w ON w.u = d.org_unit_id AND w.y = d.year
            WHERE d.data_element_id = ANY($3)
            GROUP BY 1, 2
        )
        SELECT l.ci, l.oi, t.u, t.y, l.c, ROUND(l.pc * l.q, 30) / l.pq
        FROM touched t
        JOIN v cur ON cur.u = t.u AND cur.y = t.y
        JOIN v prev ON prev.u = t.u AND prev.y = t.y - 1
        CROSS JOIN LATERAL (VALUES %s) AS l(ci, oi, c, pc, q, pq)
        WHERE l.q > 0 AND l.pq > 0 AND l.c IS NOT NULL AND l.pc IS NOT NULL
    $q$, pivot, links) USING units, years, elements;
END;
$$ LANGUAGE plpgsql;

-- A value of year y changes the terms of y and of y + 1, except in a year that waits for
-- its rebuild.
CREATE OR REPLACE FUNCTION indicators_refresh_terms(units bigint[], years integer[]) RETURNS void
SET work_mem = '256MB' AS $$
DECLARE
    touched_units bigint[];
    touched_years integer[];
BEGIN
    SELECT array_agg(k.u), array_agg(k.y) INTO touched_units, touched_years
    FROM (
        SELECT DISTINCT k.u, k.y + d.shift AS y
        FROM unnest(units, years) AS k(u, y) CROSS JOIN (VALUES (0), (1)) AS d(shift)
    ) k
    WHERE k.y NOT IN (SELECT year FROM indicators_termstale);
    IF touched_units IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM indicators_intensityterm t
    USING unnest(touched_units, touched_years) AS k(u, y), indicators_intensitypair pr
    WHERE t.output_id = pr.output_id AND t.consumption_id = pr.consumption_id
      AND t.year = k.y AND t.unit_id = k.u;
    PERFORM indicators_compute_terms(touched_units, touched_years);
END;
$$ LANGUAGE plpgsql;

-- The written (unit, year) keys of a statement: their terms now, or for a bulk write their
-- years (and the years after) marked as waiting for a rebuild.
CREATE FUNCTION indicators_terms_written(units bigint[], years integer[]) RETURNS void AS $$
BEGIN
    IF cardinality(units) > __BULK_KEYS__ THEN
        INSERT INTO indicators_termstale (year)
        SELECT DISTINCT y + d.shift FROM unnest(years) AS y CROSS JOIN (VALUES (0), (1)) AS d(shift)
        ON CONFLICT DO NOTHING;
    ELSE
        PERFORM indicators_refresh_terms(units, years);
    END IF;
END;
$$ LANGUAGE plpgsql;

-- Every term of the given years computed again from the values; the years no longer wait.
CREATE FUNCTION indicators_rebuild_terms(years integer[]) RETURNS void
SET work_mem = '256MB' AS $$
BEGIN
    DELETE FROM indicators_intensityterm WHERE year = ANY(years);
    PERFORM indicators_compute_terms(array_agg(k.u), array_agg(k.y))
    FROM (
        SELECT DISTINCT d.org_unit_id AS u, d.year::integer AS y
        FROM datavalues_datavalue d
        WHERE d.year = ANY(years)
          AND d.data_element_id IN (SELECT element_id FROM indicators_intensityelement)
    ) k
    HAVING count(*) > 0;
    DELETE FROM indicators_termstale WHERE year = ANY(years);
END;
$$ LANGUAGE plpgsql;

""".replace("__BULK_KEYS__", str(BULK_KEYS))
    + _trigger_function(_INITIAL.VALUES_WRITTEN)
    + _trigger_function(_INITIAL.VALUES_UPDATED)
    + _replacing(_INITIAL.VALUES_TRUNCATED).replace(
        "indicators_intensitypair;", "indicators_intensitypair, indicators_termstale;"
    )
)

# Back: 0003's refresh and 0001's trigger functions, the unit index; the waiting years are
# rebuilt first, so that no term is missing.
BACKWARD = (
    r"""
SELECT indicators_rebuild_terms(ARRAY(SELECT year FROM indicators_termstale));
"""
    + _ONE_PASS
    + _replacing(_INITIAL.VALUES_WRITTEN + _INITIAL.VALUES_UPDATED + _INITIAL.VALUES_TRUNCATED)
    + r"""
DROP FUNCTION indicators_rebuild_terms(integer[]);
DROP FUNCTION indicators_terms_written(bigint[], integer[]);
DROP FUNCTION indicators_compute_terms(bigint[], integer[]);
DROP TABLE indicators_termstale;
CREATE INDEX indicators_intensityterm_unit ON indicators_intensityterm (unit_id, year);
"""
)



class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_sqlite_value_triggers_again")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
