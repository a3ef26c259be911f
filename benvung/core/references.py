"""References between the tables that imports fill, checked once per statement on PostgreSQL.

A foreign key constraint checks each inserted row by itself: one lookup of the referenced
row per row and reference, queued until the end of the transaction. A million-row import
writes a million values, a million history rows and a few hundred thousand reports, each
with two to four references: PostgreSQL spent 14 of the import's 60 seconds on those
lookups. Here the same rule is kept by statement-level triggers, which check all the rows
of a statement in one join:

- after an insert or update of the referencing table, the referenced rows are locked
  (`FOR KEY SHARE`, as a foreign key locks them, so that nobody deletes them before the
  writer commits) and a row whose reference is missing refuses the statement;
- after a delete, an update of the key or a truncation of the referenced table, a row still
  referring to a removed key refuses it.

A refusal is a `foreign_key_violation` (SQLSTATE 23503), which Django raises as an
`IntegrityError`, as it does for a foreign key. Unlike Django's foreign keys, which are
checked at commit, the check is at the end of each statement: a row must be written after
the row it refers to, as every writer of these tables does (restores load parents first).
Like a foreign key in READ COMMITTED transactions, which Django uses.

A bulk writer that knows what its rows refer to can do better still
(`locked_for_writes`): it locks those rows itself, in one statement from the ids it holds,
and the triggers skip the tables it names until it is done.

SQLite keeps its foreign keys: there they cost little. The models still declare the foreign
keys (Django's state and SQLite's tables); only PostgreSQL's constraints are replaced, by the
migrations' `checked_per_statement` operations.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from benvung.core.sql import array_literal

# The trigger functions, shared by every reference; the triggers give them their tables
# and columns (TG_ARGV), which they quote with format('%I').
FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION benvung_reference_written() RETURNS trigger AS $$
-- TG_ARGV: the referencing column, the referenced table.
DECLARE
    wanted bigint;
    found bigint;
    -- The referenced rows to lock: those that other transactions wrote.
    others bigint[];
    locked bigint;
    missing text;
    -- This transaction's id as rows carry it (32 bits, without the epoch).
    mine xid := (pg_current_xact_id()::text::bigint % 4294967296)::text::xid;
BEGIN
    -- A bulk writer that has locked the rows its statements on this table refer to
    -- (`benvung_references_locked`) names the table (`core.references.locked_for_writes`).
    IF TG_TABLE_NAME = ANY(
        string_to_array(current_setting('benvung.references_vouched', true), ',')
    ) THEN
        RETURN NULL;
    END IF;
    -- One pass over the written rows and one lookup of each distinct key. Rows written by
    -- this transaction itself are not locked: no one else sees them, so no one else can
    -- remove them (locking them would write each one again, as an import writes hundreds
    -- of thousands of reports and then their events).
    EXECUTE format(
        'SELECT count(*), count(t.id), array_agg(t.id) FILTER (WHERE t.xmin <> $1) '
        'FROM (SELECT DISTINCT n.%1$I AS id FROM written_rows n WHERE n.%1$I IS NOT NULL) w '
        'LEFT JOIN %2$I t ON t.id = w.id',
        TG_ARGV[0], TG_ARGV[1]
    ) USING mine INTO wanted, found, others;
    IF found = wanted AND others IS NOT NULL THEN
        -- A row deleted by a transaction that committed since is skipped by the lock (READ
        -- COMMITTED), and so counted missing.
        EXECUTE format(
            'SELECT count(*) FROM (SELECT FROM %I t WHERE t.id = ANY($1) FOR KEY SHARE OF t) l',
            TG_ARGV[1]
        ) USING others INTO locked;
        found := found - cardinality(others) + locked;
    END IF;
    IF found < wanted THEN
        EXECUTE format(
            'SELECT n.%1$I::text FROM written_rows n WHERE n.%1$I IS NOT NULL AND NOT EXISTS '
            '(SELECT FROM %2$I t WHERE t.id = n.%1$I) LIMIT 1',
            TG_ARGV[0], TG_ARGV[1]
        ) INTO missing;
        RAISE EXCEPTION 'insert or update on table "%" violates reference "%"',
            TG_TABLE_NAME, TG_NAME
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (%s)=(%s) is not present in table "%s".',
                                  TG_ARGV[0], missing, TG_ARGV[1]),
                  TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0];
    END IF;
    RETURN NULL;
END;
-- The keys of a large statement are hashed in memory rather than spilled to disk.
$$ LANGUAGE plpgsql SET work_mem = '64MB';

CREATE OR REPLACE FUNCTION benvung_references_locked(
    referencing text, referencing_column text, referenced text, ids bigint[]
) RETURNS void AS $$
-- Lock the rows of `referenced` with the distinct `ids` as the check of a reference of
-- `referencing`.`referencing_column` locks them, and refuse as it refuses when one is missing.
DECLARE
    locked bigint;
    missing text;
BEGIN
    EXECUTE format(
        'SELECT count(*) FROM (SELECT FROM %I t WHERE t.id = ANY($1) FOR KEY SHARE OF t) l',
        referenced
    ) USING ids INTO locked;
    IF locked < cardinality(ids) THEN
        EXECUTE format(
            'SELECT k::text FROM unnest($1) k WHERE NOT EXISTS (SELECT FROM %I t WHERE t.id = k) '
            'LIMIT 1',
            referenced
        ) USING ids INTO missing;
        RAISE EXCEPTION 'insert or update on table "%" violates reference "%"',
            referencing, left(referencing || '_' || referencing_column, 48)
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (%s)=(%s) is not present in table "%s".',
                                  referencing_column, missing, referenced),
                  TABLE = referencing, COLUMN = referencing_column;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION benvung_reference_removed() RETURNS trigger AS $$
-- TG_ARGV: the referencing table, its column. The removed keys are those of the old rows
-- that no new row has (an update that keeps the key removes nothing).
DECLARE
    referenced text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('SELECT %2$I::text FROM %1$I WHERE %2$I IS NOT NULL LIMIT 1',
                       TG_ARGV[0], TG_ARGV[1]) INTO referenced;
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format(
            'SELECT o.id::text FROM removed_rows o WHERE EXISTS '
            '(SELECT FROM %1$I c WHERE c.%2$I = o.id) LIMIT 1',
            TG_ARGV[0], TG_ARGV[1]
        ) INTO referenced;
    ELSE
        EXECUTE format(
            'SELECT o.id::text FROM removed_rows o WHERE NOT EXISTS '
            '(SELECT FROM kept_rows n WHERE n.id = o.id) AND EXISTS '
            '(SELECT FROM %1$I c WHERE c.%2$I = o.id) LIMIT 1',
            TG_ARGV[0], TG_ARGV[1]
        ) INTO referenced;
    END IF;
    IF referenced IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "%" violates reference "%"',
            TG_TABLE_NAME, TG_NAME
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (id)=(%s) is still referenced from table "%s".',
                                  referenced, TG_ARGV[0]),
                  TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


# The transaction-local setting that names the tables whose writers have locked the rows
# they refer to themselves (`locked_for_writes`).
_VOUCHED = "benvung.references_vouched"


class Referenced(NamedTuple):
    """The rows of `referenced` with the distinct `ids`, which rows of `table` refer to by
    `column`."""

    table: str
    column: str
    referenced: str
    ids: Collection[int]

    @classmethod
    def by(cls, model: Any, field: str, ids: Collection[int]) -> Referenced:
        """The rows with `ids` of the model that `model`'s foreign key `field` refers to."""
        foreign_key = model._meta.get_field(field)
        return cls(
            model._meta.db_table,
            foreign_key.column,
            foreign_key.related_model._meta.db_table,
            ids,
        )


@contextlib.contextmanager
def locked_for_writes(tables: Sequence[str], referenced: Iterable[Referenced]) -> Iterator[None]:
    """Lock the `referenced` rows as the reference checks lock them (`FOR KEY SHARE`, until
    the end of the transaction), raising the same `IntegrityError` when one is missing; then,
    inside the block, skip the checks of the references of the rows written to `tables`:
    the caller writes there only rows that refer to the rows locked here, or to rows that
    the same transaction wrote. PostgreSQL only (SQLite keeps its foreign keys); call it
    inside the writing transaction.

    A million-row import refers, chunk after chunk, to the same few elements, data sets and
    author and to a hundred thousand units: its writer knows them, and locks them in one
    statement, where each of its statements' triggers would find them again among the
    written rows (a fifth of the database's work for the values)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    locks = [reference for reference in referenced if reference.ids]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), "
            "set_config(%s, concat_ws(',', NULLIF(current_setting(%s, true), ''), %s), true)"
            + "".join(", benvung_references_locked(%s, %s, %s, %s::bigint[])" for _ in locks),
            [
                _VOUCHED,
                _VOUCHED,
                _VOUCHED,
                ",".join(tables),
                *(
                    part
                    for lock in locks
                    for part in (
                        lock.table,
                        lock.column,
                        lock.referenced,
                        array_literal(sorted(lock.ids)),
                    )
                ),
            ],
        )
        before = cursor.fetchone()[0] or ""
        yield
        # Not after an error: the transaction, rolled back, takes the setting with it.
        cursor.execute("SELECT set_config(%s, %s, true)", [_VOUCHED, before])


@dataclass(frozen=True)
class Reference:
    """A foreign key checked per statement: `model`'s `field` (app label, model name, field
    name, as the migration's historical apps know them)."""

    app_label: str
    model: str
    field: str

    def parts(self, apps: Any) -> tuple[Any, Any, str, str, str]:
        """(model, field, table, column, referenced table) in the migration's state."""
        model = apps.get_model(self.app_label, self.model)
        field = model._meta.get_field(self.field)
        target = field.remote_field.model._meta.db_table
        return model, field, model._meta.db_table, field.column, target


def trigger_names(table: str, column: str) -> tuple[str, str, str, str, str, str]:
    """The names of a reference's triggers: on the referencing table (insert, update), on
    the referenced one (delete, update, truncate), and the reference's own name in errors.
    At most 63 characters, PostgreSQL's limit, whatever the table."""
    base = f"{table}_{column}"[:48]
    return (
        f"{base}_ref_ins",
        f"{base}_ref_upd",
        f"{base}_ref_del",
        f"{base}_ref_key",
        f"{base}_ref_trunc",
        base,
    )


def _statements(table: str, column: str, target: str) -> list[str]:
    ins, upd, delete, key, trunc, _ = trigger_names(table, column)
    on_table = (
        f"CREATE TRIGGER {ins} AFTER INSERT ON {table} REFERENCING NEW TABLE AS written_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION benvung_reference_written('{column}', '{target}')"
    )
    on_update = (
        f"CREATE TRIGGER {upd} AFTER UPDATE ON {table} REFERENCING NEW TABLE AS written_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION benvung_reference_written('{column}', '{target}')"
    )
    on_delete = (
        f"CREATE TRIGGER {delete} AFTER DELETE ON {target} REFERENCING OLD TABLE AS removed_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION benvung_reference_removed('{table}', '{column}')"
    )
    on_key = (
        f"CREATE TRIGGER {key} AFTER UPDATE ON {target} "
        "REFERENCING OLD TABLE AS removed_rows NEW TABLE AS kept_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION benvung_reference_removed('{table}', '{column}')"
    )
    # After the truncation: truncating both tables in one statement (Django's test flush)
    # leaves nothing referring.
    on_truncate = (
        f"CREATE TRIGGER {trunc} AFTER TRUNCATE ON {target} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION benvung_reference_removed('{table}', '{column}')"
    )
    return [on_table, on_update, on_delete, on_key, on_truncate]


def checked_per_statement(references: Sequence[Reference]) -> Any:
    """The migration operation that moves `references` from foreign keys to the triggers
    (`install`), and back (`uninstall`)."""
    from django.db import migrations

    return migrations.RunPython(
        functools.partial(install, references=references),
        functools.partial(uninstall, references=references),
    )


def install(apps: Any, schema_editor: Any, references: Iterable[Reference]) -> None:
    """On PostgreSQL, replace the foreign key constraints of `references` by the triggers."""
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the functions' format() strings hold % signs.
    schema_editor.execute(FUNCTIONS, params=None)
    for reference in references:
        model, _, table, column, target = reference.parts(apps)
        for name in schema_editor._constraint_names(model, [column], foreign_key=True):
            schema_editor.execute(schema_editor._delete_fk_sql(model, name))
        for statement in _statements(table, column, target):
            schema_editor.execute(statement)


def functions_replaced(apps: Any, schema_editor: Any) -> None:
    """On PostgreSQL, the trigger functions as this module writes them (a migration's step
    when they change; the triggers keep their names and arguments)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS, params=None)


def uninstall(apps: Any, schema_editor: Any, references: Iterable[Reference]) -> None:
    """Back to Django's foreign key constraints (the migration's way back)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for reference in references:
        model, field, table, column, target = reference.parts(apps)
        ins, upd, delete, key, trunc, _ = trigger_names(table, column)
        for name, on in (
            (ins, table),
            (upd, table),
            (delete, target),
            (key, target),
            (trunc, target),
        ):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {on}")
        schema_editor.execute(
            schema_editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s")
        )
    # The functions go with the last trigger that uses them.
    schema_editor.execute(
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE p.proname IN ('benvung_reference_written', 'benvung_reference_removed')) THEN "
        "DROP FUNCTION IF EXISTS benvung_reference_written(); "
        "DROP FUNCTION IF EXISTS benvung_reference_removed(); "
        "DROP FUNCTION IF EXISTS benvung_references_locked(text, text, text, bigint[]); "
        "END IF; END $$"
    )
