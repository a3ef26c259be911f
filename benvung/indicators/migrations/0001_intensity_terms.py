"""CT07's link terms, kept by PostgreSQL as values are written (`indicators.terms`).

Two tables that no Django model maps (they are derived from the values and written only by
these triggers and `terms.register`):
- `indicators_intensitypair`: the (consumption, output) element pairs whose terms are kept;
- `indicators_intensityterm`: for each pair, enterprise and year in which the enterprise's
  consumption and output qualify in that year and the year before, Σ's two terms;
- the view `indicators_intensityelement`: the elements of the kept pairs.
SQLite keeps no terms: the engine reads the enterprises' records there.
"""

from django.db import migrations

# The function that CT07's terms are computed again with (replaced by `indicators.0003`).
REFRESH_TERMS = r"""CREATE FUNCTION indicators_refresh_terms(units bigint[], years integer[]) RETURNS void
SET work_mem = '64MB' AS $$
DECLARE
    pair record;
    touched_units bigint[];
    touched_years integer[];
BEGIN
    -- A value of year y changes the terms of y and of y + 1.
    SELECT array_agg(k.u), array_agg(k.y) INTO touched_units, touched_years
    FROM (
        SELECT DISTINCT k.u, k.y + d.shift AS y
        FROM unnest(units, years) AS k(u, y) CROSS JOIN (VALUES (0), (1)) AS d(shift)
    ) k;
    DELETE FROM indicators_intensityterm t
    USING unnest(touched_units, touched_years) AS k(u, y)
    WHERE t.unit_id = k.u AND t.year = k.y;
    FOR pair IN SELECT consumption_id, output_id FROM indicators_intensitypair LOOP
        INSERT INTO indicators_intensityterm
            (consumption_id, output_id, unit_id, year, actual, expected)
        WITH touched AS (
            SELECT * FROM unnest(touched_units, touched_years) AS k(u, y)
        ),
        wanted AS (
            SELECT u, y FROM touched UNION SELECT u, y - 1 FROM touched
        ),
        p AS (
            SELECT d.org_unit_id AS u, d.year::integer AS y,
                   MAX(d.canonical_value) FILTER (WHERE d.data_element_id = pair.consumption_id)
                       AS c,
                   MAX(d.canonical_value) FILTER (WHERE d.data_element_id = pair.output_id)
                       AS q
            FROM datavalues_datavalue d
            JOIN wanted w ON w.u = d.org_unit_id AND w.y = d.year
            WHERE d.data_element_id IN (pair.consumption_id, pair.output_id)
            GROUP BY 1, 2
        ),
        x AS (
            SELECT p.*, LAG(y) OVER w AS py, LAG(c) OVER w AS pc, LAG(q) OVER w AS pq
            FROM p WINDOW w AS (PARTITION BY u ORDER BY y)
        )
        SELECT pair.consumption_id, pair.output_id, x.u, x.y, x.c,
               ROUND(x.pc * x.q, 30) / x.pq
        FROM x JOIN touched t ON t.u = x.u AND t.y = x.y
        WHERE x.py = x.y - 1 AND x.q > 0 AND x.pq > 0
          AND x.c IS NOT NULL AND x.pc IS NOT NULL;
    END LOOP;
END;
$$ LANGUAGE plpgsql;
"""

# The triggers' functions on the values (replaced by `indicators.0005`).
VALUES_WRITTEN = r"""-- Inserts and deletes: one function, since both triggers name their rows changed_rows.
CREATE FUNCTION indicators_values_written() RETURNS trigger AS $$
BEGIN
    PERFORM indicators_refresh_terms(array_agg(k.org_unit_id), array_agg(k.year))
    FROM (
        SELECT DISTINCT r.org_unit_id, r.year::integer AS year FROM changed_rows r
        WHERE r.data_element_id IN (SELECT element_id FROM indicators_intensityelement)
    ) k
    HAVING count(*) > 0;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

"""

VALUES_UPDATED = r"""-- Updates: the keys before and after (a value moved to another unit or year leaves terms
-- at both).
CREATE FUNCTION indicators_values_updated() RETURNS trigger AS $$
BEGIN
    PERFORM indicators_refresh_terms(array_agg(k.org_unit_id), array_agg(k.year))
    FROM (
        SELECT DISTINCT r.org_unit_id, r.year::integer AS year
        FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) r
        WHERE r.data_element_id IN (SELECT element_id FROM indicators_intensityelement)
    ) k
    HAVING count(*) > 0;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

"""

VALUES_TRUNCATED = r"""CREATE FUNCTION indicators_values_truncated() RETURNS trigger AS $$
BEGIN
    TRUNCATE indicators_intensityterm, indicators_intensitypair;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

"""

CREATE = (
    r"""
CREATE TABLE indicators_intensitypair (
    consumption_id bigint NOT NULL,
    output_id bigint NOT NULL,
    PRIMARY KEY (consumption_id, output_id)
);
CREATE TABLE indicators_intensityterm (
    consumption_id bigint NOT NULL,
    output_id bigint NOT NULL,
    unit_id bigint NOT NULL,
    year integer NOT NULL,
    actual numeric NOT NULL,
    expected numeric NOT NULL,
    PRIMARY KEY (output_id, consumption_id, year, unit_id)
);
CREATE INDEX indicators_intensityterm_unit ON indicators_intensityterm (unit_id, year);

-- The elements whose values make terms (either side of a kept pair).
CREATE VIEW indicators_intensityelement AS
    SELECT consumption_id AS element_id FROM indicators_intensitypair
    UNION SELECT output_id FROM indicators_intensitypair;

-- The terms of the given (unit, year) keys and of the year after each, computed again from
-- the values: the same pivot, window and expressions as the engine's query from the values
-- (indicators.selectors.IndicatorInputs._sums_of_values), so that the sums are the same
-- numbers.
""" + REFRESH_TERMS + r"""
-- The terms of every unit and year holding a value of the elements (a pair just registered).
CREATE FUNCTION indicators_refresh_elements(elements bigint[]) RETURNS void AS $$
BEGIN
    PERFORM indicators_refresh_terms(array_agg(k.org_unit_id), array_agg(k.year))
    FROM (
        SELECT DISTINCT org_unit_id, year::integer AS year
        FROM datavalues_datavalue WHERE data_element_id = ANY(elements)
    ) k
    HAVING count(*) > 0;
END;
$$ LANGUAGE plpgsql;

"""
    + VALUES_WRITTEN
    + VALUES_UPDATED
    + VALUES_TRUNCATED
    + r"""CREATE TRIGGER datavalue_terms_inserted AFTER INSERT ON datavalues_datavalue
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_values_written();
CREATE TRIGGER datavalue_terms_deleted AFTER DELETE ON datavalues_datavalue
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_values_written();
CREATE TRIGGER datavalue_terms_updated AFTER UPDATE ON datavalues_datavalue
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_values_updated();
CREATE TRIGGER datavalue_terms_truncated AFTER TRUNCATE ON datavalues_datavalue
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_values_truncated();
"""
)

# The pairs of the plans already loaded, and their terms from the values already stored.
REGISTER = r"""
INSERT INTO indicators_intensitypair (consumption_id, output_id)
SELECT DISTINCT c.id, o.id
FROM plans_indicator i
JOIN datavalues_dataelement c ON c.code = i.parameters ->> 'consumption_element'
JOIN datavalues_dataelement o ON o.code = i.parameters ->> 'output_element'
WHERE i.formula = 'intensity_index'
ON CONFLICT DO NOTHING;
SELECT indicators_refresh_elements(ARRAY(SELECT element_id FROM indicators_intensityelement));
"""

DROP = r"""
DROP TRIGGER IF EXISTS datavalue_terms_inserted ON datavalues_datavalue;
DROP TRIGGER IF EXISTS datavalue_terms_deleted ON datavalues_datavalue;
DROP TRIGGER IF EXISTS datavalue_terms_updated ON datavalues_datavalue;
DROP TRIGGER IF EXISTS datavalue_terms_truncated ON datavalues_datavalue;
DROP FUNCTION IF EXISTS indicators_values_written();
DROP FUNCTION IF EXISTS indicators_values_updated();
DROP FUNCTION IF EXISTS indicators_values_truncated();
DROP FUNCTION IF EXISTS indicators_refresh_elements(bigint[]);
DROP FUNCTION IF EXISTS indicators_refresh_terms(bigint[], integer[]);
DROP VIEW IF EXISTS indicators_intensityelement;
DROP TABLE IF EXISTS indicators_intensityterm;
DROP TABLE IF EXISTS indicators_intensitypair;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute(REGISTER)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("datavalues", "0002_datavalue_updated_at_index"),
        ("plans", "0002_plan_is_sample_plan_parent_target_serves_and_more"),
    ]

    operations = [migrations.RunPython(create, drop)]
