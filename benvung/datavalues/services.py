"""Writes to the reported data: importing the data-value interchange file.

Every value is stored as entered (number and unit) and in its element's canonical unit
(tonnes, TOE), and every change is audited by django-simple-history: who, when, the old and
the new value, and the file it came from (a new value is its own creation record until it
changes: `audit`).

A write goes a chunk of rows at a time, in one transaction: the rows of a chunk are checked
(`rows`), compared with the stored values, put to the caller's rule and written, and the
write is rolled back at the end if any row of the file had a problem. On PostgreSQL, for a
file of more than one chunk, the database work of a chunk runs on a second thread while this
one checks the next chunk (`core.pipeline`), so that Python and the database each have a core;
when the write is a transaction of its own, what the next chunk needs is read by a third
thread on a connection of its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Protocol

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext

from benvung.core import published, references
from benvung.core.importing import (
    ImportRejected,
    ImportResult,
    TableReader,
    copy_text,
    history_author,
    insert_in_bulk,
    read_table,
    refused_by_database,
    report_progress,
    store_with_history,
)
from benvung.core.pipeline import DatabaseWorker, bulk_work
from benvung.core.sql import array_literal
from benvung.datavalues import audit
from benvung.datavalues.models import DataElement, DataValue, Dimension
from benvung.datavalues.rows import (
    FIELDS,
    ElementRule,
    Key,
    ValueRow,
    output_label,
    parse_row,
    successor_hint,
    valid_row,
)
from benvung.indicators import changes
from benvung.orgunits.models import OrgUnit

# The unit and the comment may be absent.
REQUIRED_COLUMNS, OPTIONAL_COLUMNS = FIELDS[:4], FIELDS[4:]
BATCH_SIZE = 2000
_SOURCE_MAX = DataValue._meta.get_field("source").max_length or 255
_FIELDS = ("value", "unit", "canonical_value", "comment", "year")
# Stored with every new or changed value, and so updated too: who, when, from where.
_AUDIT_FIELDS = ("updated_by", "updated_at", "source")
_INSERT_COLUMNS = (
    "data_element_id",
    "org_unit_id",
    "period",
    "year",
    "value",
    "unit",
    "canonical_value",
    "comment",
    "updated_by_id",
    "updated_at",
    "source",
)
# From this many new values on, an insert stamps the changed keys once at its end
# (`indicators.changes.stamps_once`); a form's few values are stamped by the triggers.
_STAMPED_ONCE_FROM = 1000
# Rows are checked and written this many at a time: large enough that a statement's own cost
# is small against its rows', small enough that the first chunk keeps the database waiting
# only a moment.
CHUNK_ROWS = 25_000
# The first chunk is this part of CHUNK_ROWS (`_chunks`).
_FIRST_CHUNK_PART = 8
# Where a row's unit code is among its cells (`FIELDS`).
_UNIT_CODE = FIELDS.index("org_unit")
# Units looked up by one query (one JSON parameter, whatever their number).
_UNITS_PER_QUERY = 20_000


class RowCheck(Protocol):
    """A caller's own rule on a valid row (who may write it, whether its report is locked).

    Called with the element, unit, period and year of each row that would change a stored
    value: the problems as (column, message), none when the row may be written. It is asked
    while the database works for the write on another thread, so it reads the database only
    in `prepare`, which is given every period and year before the rows that have them."""

    def __call__(
        self, element: DataElement, org_unit: OrgUnit, period: str, year: int
    ) -> Iterable[tuple[str, str]]: ...

    def prepare(self, periods: set[str], years: set[int]) -> None: ...


# What a caller does with each chunk of rows written, in the same transaction: given the
# chunk's valid rows and the keys of those that change nothing (without reading the
# database), the database work to do after the rows are written, if any. (No object per
# row: a million rows pass here.)
AfterStore = Callable[[list[ValueRow], set[Key]], Callable[[], None] | None]


def datavalues_import(
    *,
    file: BinaryIO | Path,
    filename: str,
    dry_run: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
    source: str = "",
    check: RowCheck | None = None,
    after_store: AfterStore | None = None,
) -> ImportResult:
    """Create or update data values from a file (`data_element,org_unit,period,value,…`).

    A key (data_element, org_unit, period) already stored is updated when something changed
    and counted as unchanged otherwise, so that the history holds only real changes, each
    with `user` and the reason `source` (the file name when empty). A row whose value is
    empty is not a report and is skipped. All-or-nothing: with any problem nothing is stored
    and the result lists every problem. `dry_run` checks everything and counts, storing
    nothing. `check` adds a caller's rules to each row that would change a stored value;
    `after_store` runs in the same transaction with the rows of each chunk stored.
    """
    try:
        table = read_table(file, filename=filename, required=REQUIRED_COLUMNS)
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)
    return datavalues_write(
        table=table,
        dry_run=dry_run,
        user=user,
        source=source,
        check=check,
        after_store=after_store,
    )


class _Refused(Exception):
    """Rolls a write back: some row has a problem."""


def datavalues_write(
    *,
    table: TableReader,
    dry_run: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
    source: str = "",
    check: RowCheck | None = None,
    after_store: AfterStore | None = None,
) -> ImportResult:
    """Validate and store the rows of a table (a file, or a web form's rows): the rules and
    the all-or-nothing behaviour of `datavalues_import`."""
    store = _Store(
        table, dry_run=dry_run, user=user, source=source, check=check, after_store=after_store
    )
    # The reads may go on another connection only when nothing of the caller's transaction
    # is there to be seen (the file's own keys are each written once, so the reads of a
    # chunk never need the writes of the chunks before).
    own_reads = connection.get_autocommit() and not connection.in_atomic_block
    try:
        with transaction.atomic():
            if not dry_run:
                report_progress("đang kiểm tra và lưu từng phần trong một giao dịch")
            _run(table, store, own_reads=own_reads)
            if store.problems():
                raise _Refused
            if not dry_run:
                report_progress("đã ghi xong, đang xác nhận giao dịch")
                published.changed()
    except _Refused:
        return ImportResult.rejected(table.problems, dry_run=dry_run)
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)
    except IntegrityError as exc:
        return refused_by_database(table, exc, dry_run=dry_run)
    return ImportResult(
        created=store.created,
        updated=store.updated,
        unchanged=store.unchanged,
        problems=[],
        dry_run=dry_run,
    )


def _run(table: TableReader, store: _Store, *, own_reads: bool) -> None:
    """Check the table's rows chunk by chunk while the database writes the chunk before, on
    a second thread when there is more than one chunk.

    This thread reads and checks a chunk (`_Parser.parse`), compares it with the stored
    values and prepares its writes (`_Store.prepare`); the database thread writes
    (`_Store.write`). What a chunk needs from the database (its units, its stored values:
    `_units`, `_Store.look`) is read, with `own_reads`, by a third thread on a connection of
    its own, so that it never waits behind the writes; otherwise by the database thread,
    given before the writes of the chunk before it."""
    chunks = _chunks(table)
    current = next(chunks, None)
    if current is None:
        return
    following = next(chunks, None)
    parser = _Parser(table)
    if connection.vendor == "postgresql":
        parser.copy_lines = store.copy_lines
    # SQLite runs in this process and takes the interpreter's lock for every row it binds:
    # its thread would wait for the lock once a row behind the checking thread, which costs
    # more than it saves. Its writes run here, in turn with the checks.
    threaded = following is not None and connection.vendor == "postgresql"
    with contextlib.ExitStack() as stack:
        if following is not None:
            stack.enter_context(bulk_work())
        writer = stack.enter_context(DatabaseWorker(threaded=threaded))
        reader = (
            stack.enter_context(DatabaseWorker(threaded=True, own_connection=True))
            if threaded and own_reads
            else writer
        )
        parser.hint = lambda unit, start: reader.call(successor_hint, unit, start)
        units = reader.submit(_units, parser.unknown_codes(current))
        # The writes given to the database thread and not done. With reads of their own,
        # one write is queued behind the one running, so that the database goes from one to
        # the next without waiting for this thread; no more, or a slow database would let
        # the reads gather the whole file in memory. Otherwise a chunk's reads go before
        # the write of the chunk before, and one write at a time keeps them from waiting.
        pending: deque[Future[None]] = deque()
        reads_apart = reader is not writer
        most = 2 if reads_apart else 1

        def submit(write: Callable[[], None]) -> None:
            while len(pending) >= most:
                writer.result(pending.popleft())  # a refused write raises here
            pending.append(writer.submit(write))

        write: Callable[[], None] | None = None
        while current is not None:
            found: dict[str, OrgUnit] = reader.result(units)
            parser.units.update(found)
            if following is not None:
                units = reader.submit(_units, parser.unknown_codes(following))
            checked = parser.parse(current)
            looked = reader.submit(store.look, checked.rows)
            if write is not None:
                submit(write)
            write = store.prepare(checked, reader.result(looked))
            if write is not None and reads_apart:
                # The next chunk's reads go on their own connection: the database need not
                # wait for this thread to check that chunk before it writes this one.
                submit(write)
                write = None
            current = following
            following = next(chunks, None) if current is not None else None
        if write is not None:
            writer.submit(write)
        reader.submit(store.finish)


def _chunks(table: TableReader) -> Iterator[list[tuple[int, Sequence[str]]]]:
    """The table's rows with a value, a chunk at a time (a row without value is no report).

    The first chunks are smaller, each half as large again as the one before up to
    `CHUNK_ROWS`: the database waits for the first chunk to be checked, and, as a chunk is
    checked faster than it is written, for no other."""
    chunk: list[tuple[int, Sequence[str]]] = []
    size = max(1, CHUNK_ROWS // _FIRST_CHUNK_PART)
    value = FIELDS.index("value")
    for line, cells in table.cells(FIELDS):
        if cells[value] != "":
            chunk.append((line, cells))
            if len(chunk) >= size:
                yield chunk
                chunk = []
                size = min(size + (size + 1) // 2, CHUNK_ROWS)
    if chunk:
        yield chunk


def _units(codes: Sequence[str]) -> dict[str, OrgUnit]:
    """The units of the given codes, by code (one query)."""
    if not codes:
        return {}
    return {
        unit.code: unit
        for unit in OrgUnit.objects.filter(code__in=_among(codes, "text")).only(
            "id", "code", "name", "type", "sector", "valid_from", "valid_to"
        )
    }


def _among(values: Sequence[Any], kind: str) -> RawSQL:
    """A subquery of the given values for `field__in`: one JSON parameter however many they
    are, where an SQL list would have thousands of parameters to bind."""
    text = json.dumps(list(values))
    if connection.vendor == "postgresql":
        # Only a type name is inserted.
        return RawSQL(f"SELECT json_array_elements_text(%s::json)::{kind}", [text])  # noqa: S611
    return RawSQL("SELECT value FROM json_each(%s)", [text])


class _Parser:
    """The row checks of one write: what they read once (elements, units met so far) and
    what they remember across chunks (keys met, periods, shared texts). No database access
    but through `hint`, so that it can run while the database works on another thread."""

    def __init__(self, table: TableReader) -> None:
        self.table = table
        self.elements = {element.code: element for element in DataElement.objects.all()}
        # The rows' codes are read in upper case (`valid_row` tries them as written first):
        # an element whose code is not is found by neither way.
        self.rules = {
            code: ElementRule(element)
            for code, element in self.elements.items()
            if code == code.upper()
        }
        self.units: dict[str, OrgUnit] = {}
        # Keys met so far and their line: (element id, unit id, period number) packed in one
        # int when both codes are known, the codes otherwise; a million rows stay small.
        self.first_line: dict[object, int] = {}
        self.periods: dict[str, int] = {}
        self.strings: dict[str, str] = {}
        self.hint: Callable[[OrgUnit, dt.date], str] = successor_hint
        # A chunk's rows as lines of COPY's text format, made here while the database writes the
        # chunk before (`_Store.copy_lines`); none where COPY is not used.
        self.copy_lines: Callable[[list[ValueRow]], list[str]] | None = None

    def unknown_codes(self, chunk: list[tuple[int, Sequence[str]]]) -> list[str]:
        """The unit codes of the chunk not looked up yet."""
        return sorted({cells[_UNIT_CODE] for _, cells in chunk} - self.units.keys())

    def parse(self, chunk: list[tuple[int, Sequence[str]]]) -> _Checked:
        """The chunk's rows without problems of their own; problems go to the table."""
        parsed = []
        for line, cells in chunk:
            # Any row out of the common form goes through every check, and every problem
            # is reported.
            value_row = valid_row(
                line,
                cells,
                self.rules,
                self.units,
                self.first_line,
                self.periods,
                self.strings,
            ) or parse_row(
                self.table,
                line,
                dict(zip(FIELDS, cells, strict=True)),
                self.elements,
                self.units,
                self.first_line,
                self.periods,
                self.strings,
                hint=self.hint,
            )
            if value_row is not None:
                parsed.append(value_row)
        lines = self.copy_lines(parsed) if self.copy_lines else None
        return _Checked(parsed, lines)


class _Checked(NamedTuple):
    """A chunk's valid rows, and their COPY lines when the database takes them."""

    rows: list[ValueRow]
    lines: list[str] | None


class _Store:
    """The database side of a write, a chunk at a time: the stored values the rows would
    change, the caller's rule on those, and, while no row of the file has a problem, the
    writes. The caller's rule is reported only when the rows themselves are right, as a
    write of rows with problems is refused for them first."""

    def __init__(
        self,
        table: TableReader,
        *,
        dry_run: bool,
        user: AbstractBaseUser | AnonymousUser | None,
        source: str,
        check: RowCheck | None,
        after_store: AfterStore | None,
    ) -> None:
        self.table = table
        self.dry_run = dry_run
        self.check = check
        self.after_store = after_store
        self.author = history_author(user)
        self.now = timezone.now()
        # The file's name when the caller names no source: the value's source is also the
        # reason of its creation record (`audit`) and of its changes' records.
        self.source = (source or table.filename)[:_SOURCE_MAX]
        self.outputs = _OutputUnits()
        self.rule_problems: list[tuple[int, str, str]] = []
        self.created = self.updated = self.unchanged = 0

    @property
    def writing(self) -> bool:
        return not (self.dry_run or self.table.problems or self.rule_problems)

    def look(self, rows: list[ValueRow]) -> dict[Key, DataValue]:
        """What the database holds for a chunk's rows: their stored values; and the caller's
        rule reads what it needs for their periods and years."""
        if self.check is not None:
            self.check.prepare({row.period for row in rows}, {row.year for row in rows})
        self.outputs.look(rows)
        return _existing_values(rows) if rows else {}

    def prepare(
        self, checked: _Checked, existing: dict[Key, DataValue]
    ) -> Callable[[], None] | None:
        """Compare a chunk's rows with the stored values and put the changes to the
        caller's rule; the chunk's writes, to run while nothing is wrong (no database access
        here)."""
        rows = checked.rows
        self.outputs.note(rows)
        new_rows: list[ValueRow] = []
        new_lines: list[str] | None = [] if checked.lines is not None else None
        changed_values: list[DataValue] = []
        unchanged: set[Key] = set()
        check = self.check
        for index, row in enumerate(rows):
            stored = existing.get(row.key)
            changed = stored is None or _differs(stored, row)
            if not changed:
                self.unchanged += 1
                unchanged.add(row.key)
            elif check is not None:
                # A row that changes nothing writes nothing: the caller's rules (whose
                # units, locked reports) apply to the others, so a file re-sent unchanged is
                # never refused.
                for column, message in check(row.element, row.org_unit, row.period, row.year):
                    self.rule_problems.append((row.line, column, message))
            if stored is None:
                new_rows.append(row)
                if new_lines is not None and checked.lines is not None:
                    new_lines.append(checked.lines[index])
            elif changed:
                changed_values.append(self._changed(stored, row))
        self.created += len(new_rows)
        self.updated += len(changed_values)
        if not self.writing:
            return None
        then = self.after_store(rows, unchanged) if self.after_store is not None else None
        done = self.created + self.updated
        before = done - len(new_rows) - len(changed_values)

        def write() -> None:
            if not self.writing:  # a later row of the file has a problem: all is undone
                return
            self._insert(new_rows, new_lines, before)
            audit.record_creations([value.pk for value in changed_values])
            store_with_history(
                DataValue,
                [],
                changed_values,
                fields=(*_FIELDS, *_AUDIT_FIELDS),
                user=self.author,
                reason=self.source,
                batch_size=BATCH_SIZE,
            )
            if then is not None:
                then()
            report_progress(f"đã ghi {done} dòng")

        return write

    def _changed(self, stored: DataValue, row: ValueRow) -> DataValue:
        stored.year = row.year
        stored.value = row.value
        stored.unit = row.unit
        stored.canonical_value = row.canonical_value
        stored.comment = row.comment
        stored.updated_by = self.author  # type: ignore[assignment]
        stored.updated_at = self.now
        stored.source = self.source
        return stored

    def _insert(self, rows: list[ValueRow], lines: list[str] | None, before: int) -> None:
        """New values in bulk (COPY on PostgreSQL). Each is its own creation record until it
        changes (`audit`): no history row is written for it."""
        if not rows:
            return
        stamped = (
            changes.stamps_once(
                lambda: {(row.key[0], row.year, row.org_unit.sector) for row in rows}
            )
            if len(rows) >= _STAMPED_ONCE_FROM
            else contextlib.nullcontext()
        )
        author = self.author.pk if self.author is not None else None
        audit = (author, self.now, self.source)
        referenced = (
            [
                references.Referenced.by(DataValue, "data_element", {r.key[0] for r in rows}),
                references.Referenced.by(DataValue, "org_unit", {r.key[1] for r in rows}),
                references.Referenced.by(
                    DataValue, "updated_by", () if author is None else (author,)
                ),
            ]
            if connection.vendor == "postgresql"
            else []  # SQLite keeps its foreign keys: nothing to lock there
        )
        with stamped, references.locked_for_writes([DataValue._meta.db_table], referenced):
            insert_in_bulk(
                DataValue,
                columns=_INSERT_COLUMNS,
                rows=(
                    (
                        *row.key,
                        row.year,
                        row.value,
                        row.unit,
                        row.canonical_value,
                        row.comment,
                        *audit,
                    )
                    for row in rows
                ),
                stamp=self.now,
                copy_lines=lines,
                written_before=before,
            )

    @functools.cached_property
    def _copy_tail(self) -> str:
        # The audit columns, the same on every line.
        author = "\\N" if self.author is None else str(self.author.pk)
        return f"\t{author}\t{self.now.isoformat()}\t{copy_text(self.source)}\n"

    def copy_lines(self, rows: list[ValueRow]) -> list[str]:
        """New values as lines of COPY's text format, in the order of `_INSERT_COLUMNS` (a
        period is digits and a letter: nothing to escape). Decimals by `!s`: the same text as
        their format(), at half the cost; a chunk's lines in one loop of local names."""
        tail = self._copy_tail
        lines = []
        for row in rows:
            key, unit, comment = row.key, row.unit, row.comment
            lines.append(
                f"{key[0]}\t{key[1]}\t{key[2]}\t{row.year}\t{row.value!s}\t"
                f"{copy_text(unit) if unit else ''}\t{row.canonical_value!s}\t"
                f"{copy_text(comment) if comment else ''}{tail}"
            )
        return lines

    def finish(self) -> None:
        """The checks that need every row of the file: the enterprises' output units."""
        self.outputs.check(self.table)

    def problems(self) -> bool:
        """Whether the write is refused; the rule's problems join the table's when they are
        the only ones."""
        if not self.table.problems:
            for line, column, message in self.rule_problems:
                self.table.add_problem(line, column, message)
        return bool(self.table.problems)


class _OutputUnits:
    """An enterprise reports its output in one unit across years (CT07 divides by it).

    The unit already stored for another period decides (that of the earliest such period);
    without one, the first row of the file does. Units that normalise alike (kg and tấn)
    count as the same. Decided once the whole file is read: the stored periods that decide
    are those the file does not send again. The stored units are looked up chunk by chunk,
    while the database writes (`look`), so that the file's end waits only for the few
    enterprises whose rows fall in several chunks."""

    def __init__(self) -> None:
        # (element id, unit id) → the file's rows: (line, label, unit, period).
        self.rows: dict[tuple[int, int], list[tuple[int, str, str, str]]] = defaultdict(list)
        self.unit_codes: dict[int, str] = {}
        self.element_codes: dict[int, str] = {}
        # Per (element, unit) looked up: the earliest stored (label, unit, period) outside
        # the periods of its first chunk, if any.
        self.looked: dict[tuple[int, int], tuple[str, str, str] | None] = {}

    def note(self, rows: list[ValueRow]) -> None:
        """Remember a chunk's output rows."""
        for row in rows:
            if row.element.dimension == Dimension.ANY:
                group = row.key[:2]
                self.rows[group].append((row.line, row.output_label, row.unit, row.period))
                self.unit_codes[group[1]] = row.org_unit.code
                self.element_codes[group[0]] = row.element.code

    def look(self, rows: list[ValueRow]) -> None:
        """Look up the stored output units of a chunk's enterprises not met before (the
        stored values of the file's keys are not yet written: an enterprise's rows in the
        chunks before would have made it met)."""
        sent: dict[tuple[int, int], set[str]] = defaultdict(set)
        for row in rows:
            if row.element.dimension == Dimension.ANY and row.key[:2] not in self.looked:
                sent[row.key[:2]].add(row.period)
        if not sent:
            return
        self.looked.update(dict.fromkeys(sent))
        self.looked.update(self._earliest_outside(sent))

    def check(self, table: TableReader) -> None:
        """Report every row whose unit differs from the one its enterprise keeps."""
        if not self.rows:
            return
        established = self._stored()
        for group, rows in self.rows.items():
            for line, label, unit, _ in sorted(rows):
                if group not in established:
                    established[group] = (label, unit, line)
                    continue
                kept_label, kept_unit, where = established[group]
                if label != kept_label:
                    table.add_problem(
                        line,
                        "unit",
                        gettext(
                            "doanh nghiệp '%(unit)s' đã dùng đơn vị '%(measure)s' cho "
                            "%(element)s (%(where)s); đơn vị sản lượng phải giữ nguyên qua "
                            "các năm"
                        )
                        % {
                            "unit": self.unit_codes[group[1]],
                            "measure": kept_unit,
                            "element": self.element_codes[group[0]],
                            "where": _where(where),
                        },
                    )

    def _stored(self) -> dict[tuple[int, int], tuple[str, str, int | str]]:
        """(label, unit, period) of the earliest stored period that the file does not send,
        for each (element, enterprise) of the file that has one."""
        in_file = {group: {row[3] for row in rows} for group, rows in self.rows.items()}
        found: dict[tuple[int, int], tuple[str, str, int | str]] = {}
        # The earliest period outside the first chunk's is the earliest outside the whole
        # file's, unless a later chunk sent it: those are looked up again.
        again: dict[tuple[int, int], set[str]] = {}
        for group, sent in in_file.items():
            looked = self.looked[group]  # every chunk is looked up before it is noted
            if looked is None:
                continue
            if looked[2] in sent:
                again[group] = sent
            else:
                found[group] = looked
        found.update(self._earliest_outside(again))
        return found

    def _earliest_outside(
        self, sent: dict[tuple[int, int], set[str]]
    ) -> dict[tuple[int, int], tuple[str, str, str]]:
        """(label, unit, period) of the earliest stored period with a unit outside the
        given periods, per (element, unit) that has one."""
        found: dict[tuple[int, int], tuple[str, str, str]] = {}
        if not sent:
            return found
        for element_id, unit_id, period, unit in self._earliest(sent):
            group = (element_id, unit_id)
            # SQLite's rows cover every element of the groups for every unit of them.
            periods = sent.get(group)
            if periods is not None and group not in found and period not in periods:
                found[group] = (output_label(unit), unit, period)
        return found

    def _earliest(
        self, sent: dict[tuple[int, int], set[str]]
    ) -> Iterable[tuple[int, int, str, str]]:
        """(element, unit, period, unit spelling) of the earliest stored period with a unit
        (values stored before units were required have none to keep) outside the periods
        sent, per group; on SQLite every stored period with a unit, earliest first."""
        groups = list(sent)
        if connection.vendor == "postgresql":
            # One look into the key (unit, element, period) per group.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT g.e, g.u, f.period, f.unit "
                    "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS g(e, u, p) "
                    "CROSS JOIN LATERAL (SELECT d.period, d.unit FROM datavalues_datavalue d "
                    "WHERE d.org_unit_id = g.u AND d.data_element_id = g.e AND d.unit <> '' "
                    "AND d.period <> ALL(string_to_array(g.p, ',')) "
                    "ORDER BY d.period LIMIT 1) f",
                    [
                        array_literal(element for element, _ in groups),
                        array_literal(unit for _, unit in groups),
                        # A period is digits and a letter: no comma or quote in it.
                        array_literal(f'"{",".join(sent[group])}"' for group in groups),
                    ],
                )
                yield from cursor.fetchall()
            return
        element_ids = sorted({group[0] for group in groups})
        unit_ids = sorted({group[1] for group in groups})
        stored = DataValue.objects.exclude(unit="")
        for start in range(0, len(unit_ids), _UNITS_PER_QUERY):
            yield from (
                stored.filter(
                    data_element_id__in=element_ids,
                    org_unit_id__in=_among(unit_ids[start : start + _UNITS_PER_QUERY], "bigint"),
                )
                .order_by("data_element_id", "org_unit_id", "period")
                .values_list("data_element_id", "org_unit_id", "period", "unit")
            )


def _where(kept: int | str) -> str:
    """Where an enterprise's output unit was set: a line of the file, or a stored period.
    (Worded only for a problem: a file has one such place per enterprise and element.)"""
    if isinstance(kept, int):
        return gettext("dòng %(line)s") % {"line": kept}
    return gettext("kỳ %(period)s") % {"period": kept}


def _existing_values(rows: list[ValueRow]) -> dict[Key, DataValue]:
    """The stored values for the rows' keys, in one query per batch of units."""
    keys = {row.key for row in rows}
    element_ids = sorted({key[0] for key in keys})
    unit_ids = sorted({key[1] for key in keys})
    periods = sorted({key[2] for key in keys})
    found: dict[Key, DataValue] = {}
    for start in range(0, len(unit_ids), _UNITS_PER_QUERY):
        candidates = DataValue.objects.filter(
            data_element_id__in=element_ids,
            org_unit_id__in=_among(unit_ids[start : start + _UNITS_PER_QUERY], "bigint"),
            period__in=periods,
        )
        for stored in candidates:
            key = (stored.data_element_id, stored.org_unit_id, stored.period)
            if key in keys:
                found[key] = stored
    return found


def _differs(stored: DataValue, row: ValueRow) -> bool:
    """Whether the row would change the stored value (who and from where do not count)."""
    return (
        stored.value != row.value
        or stored.unit != row.unit
        or stored.canonical_value != row.canonical_value
        or stored.comment != row.comment
        or stored.year != row.year
    )
