"""CT07's link terms computed for every kept pair in one pass over the values.

`indicators_refresh_terms` (0001) read the values once per pair and sorted a quarter of a
million rows in 64 MB, on disk; a million-row import spent 13 s in it. The same pivot,
window and expressions (so the same numbers), with every pair in one statement and room to
sort in memory.
"""

from importlib import import_module

from django.db import migrations

from benvung.indicators.migrations._postgresql import on_postgresql

ONE_PASS = r"""
CREATE OR REPLACE FUNCTION indicators_refresh_terms(units bigint[], years integer[]) RETURNS void
SET work_mem = '256MB' AS $$
DECLARE
    touched_units bigint[];
    touched_years integer[];
    elements bigint[];
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
    SELECT array_agg(element_id) INTO elements FROM indicators_intensityelement;
    -- Every pair in one pass over the values: a value row meets each pair that names its
    -- element.
    INSERT INTO indicators_intensityterm
        (consumption_id, output_id, unit_id, year, actual, expected)
    WITH touched AS (
        SELECT * FROM unnest(touched_units, touched_years) AS k(u, y)
    ),
    wanted AS (
        SELECT u, y FROM touched UNION SELECT u, y - 1 FROM touched
    ),
    p AS (
        SELECT pr.consumption_id AS ci, pr.output_id AS oi,
               d.org_unit_id AS u, d.year::integer AS y,
               MAX(d.canonical_value) FILTER (WHERE d.data_element_id = pr.consumption_id)
                   AS c,
               MAX(d.canonical_value) FILTER (WHERE d.data_element_id = pr.output_id)
                   AS q
        FROM datavalues_datavalue d
        JOIN wanted w ON w.u = d.org_unit_id AND w.y = d.year
        JOIN indicators_intensitypair pr
            ON d.data_element_id = pr.consumption_id OR d.data_element_id = pr.output_id
        WHERE d.data_element_id = ANY(elements)
        GROUP BY 1, 2, 3, 4
    ),
    x AS (
        SELECT p.*, LAG(y) OVER w AS py, LAG(c) OVER w AS pc, LAG(q) OVER w AS pq
        FROM p WINDOW w AS (PARTITION BY ci, oi, u ORDER BY y)
    )
    SELECT x.ci, x.oi, x.u, x.y, x.c, ROUND(x.pc * x.q, 30) / x.pq
    FROM x JOIN touched t ON t.u = x.u AND t.y = x.y
    WHERE x.py = x.y - 1 AND x.q > 0 AND x.pq > 0
      AND x.c IS NOT NULL AND x.pc IS NOT NULL;
END;
$$ LANGUAGE plpgsql;
"""

# Back: 0001's function, one pass per pair.
PER_PAIR = import_module("benvung.indicators.migrations.0001_intensity_terms").REFRESH_TERMS.replace(
    "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1
)



class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_value_changes")]

    operations = [migrations.RunPython(on_postgresql(ONE_PASS), on_postgresql(PER_PAIR))]
