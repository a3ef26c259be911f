"""Which values have been written: a stamp per (data element, year, unit's sector), kept by
triggers (`indicators.changes`).

One table that no Django model maps, `indicators_valuechange (element_id, year, sector,
writes)`, whose rows of an element change with every write of one of its values, by any path (forms,
imports, the API, hand-written SQL), and never come back to an earlier state, not even
after a transaction rolled back. The unit's sector is in the key so that a value stored by
one enterprise makes CT07 add up again only its own sector's links. A truncation of the values writes a row for element 0,
which stands for every element.

PostgreSQL appends one row per (element, year) that a statement touched, so that concurrent
writers never wait for one another on a counter row: the sum of `writes` and the greatest
`id` of a key's rows stamp it (ids come from a sequence, which a rollback does not rewind).
`indicators_compact_changes()` folds the rows of each key into one, keeping the sums.
SQLite has one writer at a time and row triggers only: it keeps one row per key, whose
`writes` each write sets to a new random number.
"""

from django.db import migrations

# The stamps of the rows a statement inserted or deleted (`indicators.0007` lets a bulk
# writer stamp its own).
VALUES_CHANGED = r"""
CREATE FUNCTION indicators_values_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO indicators_valuechange (element_id, year, sector, writes)
    SELECT DISTINCT r.data_element_id, r.year, COALESCE(u.sector, ''), 1
    FROM changed_rows r LEFT JOIN orgunits_orgunit u ON u.id = r.org_unit_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

POSTGRES = r"""
CREATE TABLE indicators_valuechange (
    id bigserial PRIMARY KEY,
    element_id bigint NOT NULL,
    year integer NOT NULL,
    sector varchar(20) NOT NULL,
    writes bigint NOT NULL
);
""" + VALUES_CHANGED + r"""
CREATE FUNCTION indicators_values_moved() RETURNS trigger AS $$
BEGIN
    INSERT INTO indicators_valuechange (element_id, year, sector, writes)
    SELECT DISTINCT r.data_element_id, r.year, COALESCE(u.sector, ''), 1
    FROM (SELECT data_element_id, year, org_unit_id FROM old_rows
          UNION ALL SELECT data_element_id, year, org_unit_id FROM new_rows) r
    LEFT JOIN orgunits_orgunit u ON u.id = r.org_unit_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION indicators_values_emptied() RETURNS trigger AS $$
BEGIN
    INSERT INTO indicators_valuechange (element_id, year, sector, writes) VALUES (0, 0, '', 1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- One row per key, the same sums: a reader sees the table before or after, never between.
CREATE FUNCTION indicators_compact_changes() RETURNS void AS $$
BEGIN
    WITH gone AS (
        DELETE FROM indicators_valuechange RETURNING element_id, year, sector, writes
    )
    INSERT INTO indicators_valuechange (element_id, year, sector, writes)
    SELECT element_id, year, sector, SUM(writes) FROM gone GROUP BY element_id, year, sector;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER datavalue_changes_inserted AFTER INSERT ON datavalues_datavalue
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_values_changed();
CREATE TRIGGER datavalue_changes_deleted AFTER DELETE ON datavalues_datavalue
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_values_changed();
CREATE TRIGGER datavalue_changes_updated AFTER UPDATE ON datavalues_datavalue
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_values_moved();
CREATE TRIGGER datavalue_changes_truncated AFTER TRUNCATE ON datavalues_datavalue
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_values_emptied();
"""

POSTGRES_DROP = r"""
DROP TRIGGER IF EXISTS datavalue_changes_inserted ON datavalues_datavalue;
DROP TRIGGER IF EXISTS datavalue_changes_deleted ON datavalues_datavalue;
DROP TRIGGER IF EXISTS datavalue_changes_updated ON datavalues_datavalue;
DROP TRIGGER IF EXISTS datavalue_changes_truncated ON datavalues_datavalue;
DROP FUNCTION IF EXISTS indicators_values_changed();
DROP FUNCTION IF EXISTS indicators_values_moved();
DROP FUNCTION IF EXISTS indicators_values_emptied();
DROP FUNCTION IF EXISTS indicators_compact_changes();
DROP TABLE IF EXISTS indicators_valuechange;
"""


def _sqlite_count(row: str) -> str:
    return (
        "INSERT INTO indicators_valuechange (element_id, year, sector, writes) "
        f"VALUES ({row}.data_element_id, {row}.year, COALESCE("
        f"(SELECT sector FROM orgunits_orgunit WHERE id = {row}.org_unit_id), ''), random()) "
        "ON CONFLICT (element_id, year, sector) DO UPDATE SET writes = random();"
    )


SQLITE = [
    """
CREATE TABLE indicators_valuechange (
    element_id integer NOT NULL,
    year integer NOT NULL,
    sector varchar(20) NOT NULL,
    writes integer NOT NULL,
    PRIMARY KEY (element_id, year, sector)
);
""",
    f"""
CREATE TRIGGER datavalue_changes_inserted AFTER INSERT ON datavalues_datavalue
BEGIN {_sqlite_count("NEW")} END;
""",
    f"""
CREATE TRIGGER datavalue_changes_deleted AFTER DELETE ON datavalues_datavalue
BEGIN {_sqlite_count("OLD")} END;
""",
    f"""
CREATE TRIGGER datavalue_changes_updated AFTER UPDATE ON datavalues_datavalue
BEGIN {_sqlite_count("OLD")} {_sqlite_count("NEW")} END;
""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS datavalue_changes_inserted;",
    "DROP TRIGGER IF EXISTS datavalue_changes_deleted;",
    "DROP TRIGGER IF EXISTS datavalue_changes_updated;",
    "DROP TABLE IF EXISTS indicators_valuechange;",
]


def _execute(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)


def create(apps, schema_editor):
    _execute(schema_editor, POSTGRES, SQLITE)


def drop(apps, schema_editor):
    _execute(schema_editor, POSTGRES_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_intensity_terms")]

    operations = [migrations.RunPython(create, drop)]
