"""Writes of the reporting cycle: data sets, submissions and their workflow.

Every state change goes through one function here that checks the user's right, changes the
submission, and records a `SubmissionEvent`, inside one transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from benvung.accounts.selectors import Access, access_for, reportable_units
from benvung.core import references
from benvung.core.importing import ImportResult, table_from_rows
from benvung.core.sql import array_literal
from benvung.datavalues.models import DataElement, DataValue
from benvung.datavalues.rows import Key, ValueRow
from benvung.datavalues.services import datavalues_import, datavalues_write
from benvung.orgunits.models import OrgUnit
from benvung.reporting.models import (
    DataSet,
    EventAction,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)


class WorkflowError(Exception):
    """A step the user may not take now; the message says why, in Vietnamese."""


@transaction.atomic
def data_sets_load(*, definitions: Iterable[dict[str, Any]]) -> list[DataSet]:
    """Create or update data sets from their definitions (idempotent)."""
    loaded = []
    for order, spec in enumerate(definitions, start=1):
        data_set, _ = DataSet.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "period_type": spec.get("period_type", "yearly"),
                "unit_types": spec["unit_types"],
                "deadline_day": spec.get("deadline_day", 20),
                "deadline_month": spec.get("deadline_month", 12),
                "deadline_year_offset": spec.get("deadline_year_offset", 0),
                "order": order,
            },
        )
        data_set.elements.set(DataElement.objects.filter(code__in=spec["elements"]))
        loaded.append(data_set)
    return loaded


def submission_for(*, data_set: DataSet, org_unit: OrgUnit, period: str) -> Submission:
    """The submission of a unit for a data set and period, created as a draft if new."""
    submission, _ = Submission.objects.get_or_create(
        data_set=data_set,
        org_unit=org_unit,
        period=period,
        defaults={"year": int(period[:4])},
    )
    return submission


def _record(submission: Submission, action: str, user: Any, comment: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission,
        action=action,
        user=user if user and user.pk else None,
        comment=comment,
    )


def _check_reporter(access: Access, submission: Submission) -> None:
    allowed = reportable_units(access, submission.year)
    if allowed is not None and submission.org_unit.code not in allowed:
        raise WorkflowError(
            gettext("Bạn không có quyền báo cáo cho đơn vị %(unit)s.")
            % {"unit": submission.org_unit.name}
        )


def _locked_row(submission: Submission) -> Submission:
    """The submission re-read under a row lock, so two decisions cannot interleave."""
    return (
        Submission.objects.select_for_update()
        .select_related("org_unit", "data_set")
        .get(pk=submission.pk)
    )


@transaction.atomic
def submission_submit(*, submission: Submission, user: Any, access: Access) -> Submission:
    """A reporter (or the co-ordinator) sends a draft or returned report for approval."""
    submission = _locked_row(submission)
    _check_reporter(access, submission)
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise WorkflowError(
            gettext("Báo cáo đang ở trạng thái “%(status)s”, không gửi được.")
            % {"status": submission.get_status_display()}
        )
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = user
    submission.save()
    _record(submission, EventAction.SUBMIT, user)
    return submission


def _decide(
    submission: Submission,
    *,
    user: Any,
    access: Access,
    from_status: str,
    to_status: str,
    action: str,
    comment: str,
    refused: str,
    wrong_state: str,
    comment_missing: str | None = None,
) -> Submission:
    """A co-ordinator's decision on a report: the right, the report's state and (where the
    decision needs one) a comment are checked, then the state changes with one event."""
    submission = _locked_row(submission)
    if not access.can_approve:
        raise WorkflowError(refused)
    if submission.status != from_status:
        raise WorkflowError(wrong_state)
    comment = comment.strip()
    if comment_missing is not None and not comment:
        raise WorkflowError(comment_missing)
    submission.status = to_status
    submission.decided_at = timezone.now()
    submission.decided_by = user
    submission.comment = comment
    submission.save()
    _record(submission, action, user, comment)
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, user: Any, access: Access) -> Submission:
    """The co-ordinator approves a sent report: its data is then published and locked."""
    return _decide(
        submission,
        user=user,
        access=access,
        from_status=SubmissionStatus.SUBMITTED,
        to_status=SubmissionStatus.APPROVED,
        action=EventAction.APPROVE,
        comment="",
        refused=gettext("Chỉ điều phối viên Sở Công Thương được duyệt báo cáo."),
        wrong_state=gettext("Chỉ duyệt được báo cáo đã gửi."),
    )


@transaction.atomic
def submission_return(
    *, submission: Submission, user: Any, access: Access, comment: str
) -> Submission:
    """The co-ordinator sends a report back to its unit with what to correct."""
    return _decide(
        submission,
        user=user,
        access=access,
        from_status=SubmissionStatus.SUBMITTED,
        to_status=SubmissionStatus.RETURNED,
        action=EventAction.RETURN,
        comment=comment,
        refused=gettext("Chỉ điều phối viên Sở Công Thương được trả lại báo cáo."),
        wrong_state=gettext("Chỉ trả lại được báo cáo đã gửi."),
        comment_missing=gettext("Cần ghi rõ nội dung cần sửa khi trả lại báo cáo."),
    )


@transaction.atomic
def submission_reopen(
    *, submission: Submission, user: Any, access: Access, reason: str
) -> Submission:
    """The co-ordinator unlocks an approved report so that it can be corrected."""
    return _decide(
        submission,
        user=user,
        access=access,
        from_status=SubmissionStatus.APPROVED,
        to_status=SubmissionStatus.RETURNED,
        action=EventAction.REOPEN,
        comment=reason,
        refused=gettext("Chỉ điều phối viên Sở Công Thương được mở lại báo cáo đã duyệt."),
        wrong_state=gettext("Chỉ mở lại được báo cáo đã duyệt."),
        comment_missing=gettext("Cần ghi lý do mở lại báo cáo đã duyệt."),
    )


# --- writing values under the workflow's rules -------------------------------------------

# The command line is run by the server's operator, who acts as the co-ordinator.
OPERATOR = Access(user_id=None, roles=frozenset({"coordinator"}))


class _WorkflowRules:
    """The per-row rule of a write: the user's units only, and never into a locked report.

    Loads what it needs once per distinct period, so a large file costs a few queries."""

    def __init__(self, access: Access) -> None:
        self.access = access
        self.data_set_of: dict[int, DataSet] = {}
        for data_set in DataSet.objects.prefetch_related("elements"):
            for element in data_set.elements.all():
                self.data_set_of.setdefault(element.pk, data_set)
        self._allowed: dict[int, frozenset[str] | None] = {}
        self._status: dict[str, dict[tuple[int, int], str]] = {}
        # Read once: the rule is asked for every row of a file.
        self._can_enter_data = access.can_enter_data
        # The periods whose rows nothing refuses: any unit, no report sent or approved.
        self._free: dict[str, bool] = {}

    def prepare(self, periods: set[str], years: set[int]) -> None:
        """Read what the rule needs for rows of these periods and years."""
        for year in years:
            self.allowed(year)
        for period in periods:
            self._statuses(period)

    def allowed(self, year: int) -> frozenset[str] | None:
        if year not in self._allowed:
            self._allowed[year] = reportable_units(self.access, year)
        return self._allowed[year]

    def _statuses(self, period: str) -> dict[tuple[int, int], str]:
        """The reports of a period that a write may not enter freely: sent or approved."""
        statuses = self._status.get(period)
        if statuses is None:
            statuses = self._status[period] = {
                (ds, unit): status
                for ds, unit, status in Submission.objects.filter(
                    period=period,
                    status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED],
                ).values_list("data_set_id", "org_unit_id", "status")
            }
        return statuses

    def __call__(
        self, element: DataElement, org_unit: OrgUnit, period: str, year: int
    ) -> Sequence[tuple[str, str]]:
        free = self._free.get(period)
        if free is None:
            # A period's year is the same for all its rows.
            free = self._free[period] = (
                self._can_enter_data and self.allowed(year) is None and not self._statuses(period)
            )
        if free:
            # Any unit, no report sent or approved: most rows of a file (once per row).
            return ()
        if not self._can_enter_data:
            return [("org_unit", gettext("tài khoản của bạn không có quyền nhập số liệu"))]
        allowed = self.allowed(year)
        if allowed is not None and org_unit.code not in allowed:
            return [
                (
                    "org_unit",
                    gettext("bạn không có quyền báo cáo cho đơn vị '%(unit)s'")
                    % {"unit": org_unit.code},
                )
            ]
        data_set = self.data_set_of.get(element.id)
        if data_set is None:
            return []
        status = self._statuses(period).get((data_set.id, org_unit.id))
        if status is None:
            # Most rows: their report is a draft or not there yet, and need not look up the
            # status choices (a class attribute of an enum, about 0.1 µs each).
            return []
        if status == SubmissionStatus.APPROVED:
            return [
                (
                    "period",
                    gettext(
                        "báo cáo “%(data_set)s” của đơn vị '%(unit)s' kỳ %(period)s đã được "
                        "duyệt; cần điều phối viên mở lại trước khi sửa"
                    )
                    % {"data_set": data_set.code, "unit": org_unit.code, "period": period},
                )
            ]
        if status == SubmissionStatus.SUBMITTED and not self.access.can_approve:
            return [
                (
                    "period",
                    gettext(
                        "báo cáo “%(data_set)s” của đơn vị '%(unit)s' kỳ %(period)s đã gửi, "
                        "đang chờ duyệt"
                    )
                    % {"data_set": data_set.code, "unit": org_unit.code, "period": period},
                )
            ]
        return []


class _ReportsReached:
    """What a write does to the reports its values reach: create them as drafts and move
    the version of those whose values changed, with one event each.

    A write comes a chunk of rows at a time (`datavalues_write`), and a report's rows may be
    in two chunks: each report is sent once, and once more if a later chunk changes a value
    of a report that an earlier one only reached, so that the reports end as one write of
    the whole file would leave them."""

    def __init__(self, rules: _WorkflowRules, *, user: Any, action: str, comment: str) -> None:
        self.rules = rules
        self.author = user.pk if user is not None and getattr(user, "pk", None) else None
        self.action = action
        self.comment = comment
        # (data set, unit, period) → whether its values were sent as changed.
        self.sent: dict[tuple[int, int, str], bool] = {}
        self.data_set_ids = {
            element: data_set.id for element, data_set in rules.data_set_of.items()
        }

    def __call__(self, rows: list[ValueRow], unchanged: set[Key]) -> Callable[[], None] | None:
        # The year of each report reached, and those whose values moved (a million values
        # pass here: one lookup and one tuple each).
        reached: dict[tuple[int, int, str], int] = {}
        moved: set[tuple[int, int, str]] = set()
        data_set_of = self.data_set_ids
        for row in rows:
            element, unit, period = row.key
            data_set = data_set_of.get(element)
            if data_set is None:
                continue
            key = (data_set, unit, period)
            reached[key] = row.year
            if not unchanged or row.key not in unchanged:
                moved.add(key)
        keys = []
        for key, year in reached.items():
            sent = self.sent.get(key)
            key_moved = key in moved
            if sent is None or (key_moved and not sent):
                keys.append((*key, year, key_moved))
                self.sent[key] = key_moved
        if not keys:
            return None
        return _touching(keys, author=self.author, action=self.action, comment=self.comment)


def _touching(
    keys: list[tuple[int, int, str, int, bool]], *, author: int | None, action: str, comment: str
) -> Callable[[], None]:
    """The writes that create the reports of the keys (data set, unit, period, year, moved)
    that are missing, as drafts, move one version up those whose values moved, and record an
    event for each of these; set-based, since an import reaches hundreds of thousands of
    reports. The statements are made here, the database is written by the function
    returned (on the database's own thread during an import)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    submissions = Submission._meta.db_table
    events = SubmissionEvent._meta.db_table
    # One upsert: a new draft starts at version 1 when its values moved (0 otherwise), a
    # report already there moves one version up. ON CONFLICT, not NOT EXISTS: an anti-join
    # against the table being filled would scan its new rows once per row; and not an
    # UPDATE afterwards, which rewrote every new draft a second time. (WHERE true: SQLite's
    # parser needs it there.) Only the model's own tables are named; values are parameters.
    upsert = (
        f"INSERT INTO {submissions} "  # noqa: S608
        "(data_set_id, org_unit_id, period, year, status, version, comment, updated_at) "
        "SELECT t.data_set_id, t.org_unit_id, t.period, t.year, %s, "
        "CASE WHEN t.moved THEN 1 ELSE 0 END, '', %s "
        "FROM {touched} WHERE true "
        "ON CONFLICT (data_set_id, org_unit_id, period) DO UPDATE "
        f"SET version = {submissions}.version + 1 WHERE excluded.version = 1"
    )
    if connection.vendor == "postgresql":
        # The keys as five array literals (made here: binding lists of a hundred thousand
        # values costs more), and the events from the rows the upsert wrote: a report
        # written with a version above 0 moved (a draft that only appeared has 0).
        data_sets, units, periods, years, moved = zip(*keys, strict=True)
        arrays = [
            array_literal(data_sets),
            array_literal(units),
            # A period is digits and a letter.
            array_literal(f'"{period}"' for period in periods),
            array_literal(years),
            array_literal("t" if flag else "f" for flag in moved),
        ]
        touched = (
            "unnest(%s::bigint[], %s::bigint[], %s::text[], %s::int[], %s::boolean[]) "
            "AS t(data_set_id, org_unit_id, period, year, moved)"
        )
        sql = (
            f"WITH up AS ({upsert.format(touched=touched)} RETURNING id, version) "  # noqa: S608
            f"INSERT INTO {events} (submission_id, action, user_id, at, comment) "
            "SELECT id, %s, %s, %s, %s FROM up WHERE version > 0 ORDER BY id"
        )
        params = [SubmissionStatus.DRAFT.value, now, *arrays, action, author, now, comment]
        # What the reports refer to, locked in one statement: the events refer to reports
        # that the statement itself writes (or updates, which locks them).
        referenced = [
            references.Referenced.by(Submission, "data_set", set(data_sets)),
            references.Referenced.by(Submission, "org_unit", set(units)),
            references.Referenced.by(SubmissionEvent, "user", () if author is None else (author,)),
        ]

        def write() -> None:
            with (
                references.locked_for_writes([submissions, events], referenced),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, params)

        return write
    return functools.partial(
        _touch_on_sqlite, keys, upsert, now=now, author=author, action=action, comment=comment
    )


def _touch_on_sqlite(
    keys: list[tuple[int, int, str, int, bool]],
    upsert: str,
    *,
    now: Any,
    author: int | None,
    action: str,
    comment: str,
) -> None:
    """`_touching`'s writes on SQLite: the keys in the statements, or in a temporary table
    when many."""
    submissions = Submission._meta.db_table
    events = SubmissionEvent._meta.db_table
    with connection.cursor() as cursor:
        staged = len(keys) > _FEW_KEYS
        if staged:
            _stage_keys(cursor, keys)
            touched, key_params = "touched_keys t", []
        else:
            rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(keys))
            names = ("data_set_id", "org_unit_id", "period", "year", "moved")
            columns_sql = ", ".join(f"column{n} AS {name}" for n, name in enumerate(names, 1))
            # Only placeholders are inserted; the keys are parameters.
            touched = f"(SELECT {columns_sql} FROM (VALUES {rows}) AS v) AS t"  # noqa: S608
            key_params = [value for key in keys for value in key]
        same = (
            "s.data_set_id = t.data_set_id AND s.org_unit_id = t.org_unit_id "
            "AND s.period = t.period"
        )
        cursor.execute(
            upsert.format(touched=touched),
            [SubmissionStatus.DRAFT.value, now, *key_params],
        )
        cursor.execute(
            f"INSERT INTO {events} (submission_id, action, user_id, at, comment) "  # noqa: S608
            f"SELECT s.id, %s, %s, %s, %s FROM {submissions} s "
            f"JOIN {touched} ON {same} WHERE t.moved ORDER BY s.id",
            [action, author, now, comment, *key_params],
        )
        if staged:
            cursor.execute("DROP TABLE touched_keys")


# Up to this many reports, SQLite has their keys written into the statements (5 parameters
# each, far below its 32,766); beyond, in a temporary table.
_FEW_KEYS = 500


def _stage_keys(cursor: Any, rows: Iterable[tuple[int, int, str, int, bool]]) -> None:
    """Fill SQLite's temporary table `touched_keys` (data set, unit, period, year, moved)."""
    cursor.execute("DROP TABLE IF EXISTS touched_keys")
    cursor.execute(
        "CREATE TEMPORARY TABLE touched_keys (data_set_id bigint, org_unit_id bigint, "
        "period varchar(10), year integer, moved boolean)"
    )
    cursor.executemany("INSERT INTO touched_keys VALUES (%s, %s, %s, %s, %s)", list(rows))
    cursor.execute("CREATE INDEX touched_keys_key ON touched_keys (data_set_id, org_unit_id)")


def values_import(
    *, file: BinaryIO | Path, filename: str, user: Any = None, dry_run: bool = False
) -> ImportResult:
    """Import a data-value file (CSV or the filled Excel template) under the workflow's rules:
    only the user's units (all of them from the command line, where `user` is None), never
    into an approved report, nor into a sent one unless the user approves reports. The
    reports reached become drafts if new, and record the import."""
    access = OPERATOR if user is None else access_for(user)
    rules = _WorkflowRules(access)
    return datavalues_import(
        file=file,
        filename=filename,
        dry_run=dry_run,
        user=user,
        source=filename,
        check=rules,
        after_store=_ReportsReached(rules, user=user, action=EventAction.IMPORT, comment=filename),
    )


@dataclass(frozen=True)
class Entry:
    """One cell of a web form: a unit's value for an element, as typed."""

    unit_code: str
    element_code: str
    value: str
    unit: str = ""
    comment: str = ""


@dataclass(frozen=True)
class Conflict:
    """A value someone else changed after the form was opened."""

    unit_code: str
    unit_name: str
    element_code: str
    element_name: str
    yours: str
    theirs: str
    by: str
    at: dt.datetime | None


@dataclass
class SaveOutcome:
    """What a form save did: the write's result, or why nothing was stored."""

    result: ImportResult | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    # Problems by form cell (unit code, element code); ("", "") for the form as a whole.
    problems: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.ok and not self.conflicts


COLUMNS = ("data_element", "org_unit", "period", "value", "unit", "comment")


def _same(original: str, stored: DataValue | None) -> bool:
    if stored is None:
        return original.strip() == ""
    try:
        return Decimal(original.replace(",", ".")) == stored.value
    except (InvalidOperation, ValueError):
        return False


def values_save(
    *,
    user: Any,
    data_set: DataSet,
    period: str,
    entries: Sequence[Entry],
    versions: Mapping[str, int],
    originals: Mapping[tuple[str, str], str] | None = None,
) -> SaveOutcome:
    """Save a web form's values for one or more units of a data set and period.

    `versions` are the versions of each unit's submission when the form was opened (0 when
    it had none): if anyone saved one of them since, nothing is stored and the outcome lists
    what they changed (compared with `originals`, the values the form showed). The values
    go through the same checks as an import; problems come back per form cell.
    """
    access = access_for(user)
    rules = _WorkflowRules(access)
    cells = [
        (
            index,
            (
                e.element_code,
                e.unit_code,
                period,
                e.value.strip(),
                e.unit.strip(),
                e.comment.strip(),
            ),
        )
        for index, e in enumerate(entries, start=1)
    ]
    by_line = {index: (e.unit_code, e.element_code) for index, e in enumerate(entries, start=1)}
    outcome = SaveOutcome()
    with transaction.atomic():
        current = {
            s.org_unit.code: s
            for s in Submission.objects.select_for_update()
            .select_related("org_unit")
            .filter(data_set=data_set, period=period, org_unit__code__in=list(versions))
        }
        stale = [
            code
            for code, seen in versions.items()
            if (current[code].version if code in current else 0) != seen
        ]
        if stale:
            outcome.conflicts = _conflicts(data_set, period, stale, originals or {})
            return outcome
        table = table_from_rows(filename=data_set.code, columns=COLUMNS, rows=cells)
        result = datavalues_write(
            table=table,
            user=user,
            source=f"Biểu mẫu {data_set.code}",
            check=rules,
            after_store=_ReportsReached(rules, user=user, action=EventAction.SAVE, comment=""),
        )
        outcome.result = result
        for problem in result.problems:
            key = by_line.get(problem.line, ("", ""))
            outcome.problems.setdefault(key, []).append(problem.message)
    return outcome


def _conflicts(
    data_set: DataSet,
    period: str,
    unit_codes: Sequence[str],
    originals: Mapping[tuple[str, str], str],
) -> list[Conflict]:
    """The values of the given units that differ from what the form showed."""
    stored = {
        (v.org_unit.code, v.data_element.code): v
        for v in DataValue.objects.filter(
            data_element__in=data_set.elements.all(),
            org_unit__code__in=unit_codes,
            period=period,
        ).select_related("org_unit", "data_element", "updated_by")
    }
    conflicts = []
    for (unit_code, element_code), value in sorted(stored.items()):
        original = originals.get((unit_code, element_code), "")
        if _same(original, value):
            continue
        conflicts.append(
            Conflict(
                unit_code=unit_code,
                unit_name=value.org_unit.name,
                element_code=element_code,
                element_name=value.data_element.name,
                yours=original,
                theirs=f"{value.value.normalize():f} {value.unit}".strip(),
                by=str(value.updated_by or "—"),
                at=value.updated_at,
            )
        )
    for (unit_code, element_code), original in originals.items():
        if unit_code in unit_codes and original and (unit_code, element_code) not in stored:
            conflicts.append(
                Conflict(unit_code, unit_code, element_code, element_code, original, "", "—", None)
            )
    if not conflicts:
        # Only the report's state moved (submitted, returned…): still refuse, and say so.
        conflicts = [Conflict(code, code, "", "", "", "", "—", None) for code in unit_codes]
    return conflicts


def values_write_rows(
    *, user: Any, rows: Sequence[Sequence[str]], source: str = "API"
) -> ImportResult:
    """Store rows of `COLUMNS` (data_element, org_unit, period, value, unit, comment) sent by
    a program (the REST API), under the same checks as an import: the user's units only,
    never into an approved report, nor into a sent one unless the user approves reports.
    All-or-nothing; a problem's line is the row's 1-based position in `rows`. Every stored
    change has `user` and `source` in its history, and the reports reached record it."""
    rules = _WorkflowRules(access_for(user))
    table = table_from_rows(filename=source, columns=COLUMNS, rows=enumerate(rows, start=1))
    return datavalues_write(
        table=table,
        user=user,
        source=source,
        check=rules,
        after_store=_ReportsReached(rules, user=user, action=EventAction.API, comment=source),
    )
