"""Reads behind the reporting pages: the entry grid, the overview, the review queue and a
submission's page.

Everything here only reads. Who may see which unit is decided once, in `can_read_unit` and
`entry_units`, from `benvung.accounts.selectors`; the pages never show a unit outside them.
A grid costs a handful of queries whatever its number of rows (units, submissions, values,
last used output units).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from benvung.accounts.selectors import Access, reportable_units
from benvung.core.formatting import format_number
from benvung.core.importing import parse_period, period_dates
from benvung.datavalues.models import DataElement, DataValue, Dimension, PeriodType, ValueType
from benvung.orgunits.models import OrgUnit, UnitType
from benvung.orgunits.selectors import TYPE_LABELS, fold, orgunit_districts, subtree_codes
from benvung.reporting.models import DataSet, Submission, SubmissionEvent, SubmissionStatus
from benvung.reporting.periods import days_left, deadline_for, is_on_time
from benvung.reporting.services import Conflict

# The units offered for elements with a dimension (the ones `indicators.domain.units`
# converts); the first is the element's canonical unit and the default of an empty cell.
UNIT_CHOICES: dict[str, tuple[str, ...]] = {
    Dimension.MASS: ("tấn", "tạ", "kg"),
    Dimension.ENERGY: ("TOE", "GJ", "kWh", "MWh"),
}
NOT_REPORTED = "—"
# The plan's years: the base year 2020 to its end 2030.
FIRST_YEAR, LAST_YEAR = 2020, 2030
STATUS_NONE = "none"
STATUS_NONE_LABEL = gettext_lazy("Chưa có số liệu")


# --- Values as people read and type them ------------------------------------------------------


def input_text(value: Decimal | None, element: DataElement) -> str:
    """A stored value as an input shows it: "12,5" (a decimal comma, no grouping, so that it
    reads back unchanged), "1"/"0" for yes/no, "" without a value."""
    if value is None:
        return ""
    if element.value_type == ValueType.BOOLEAN:
        return "1" if value else "0"
    return f"{value.normalize():f}".replace(".", ",")


def display_text(value: Decimal | None, unit: str, element: DataElement) -> str:
    """A value as a page reads it: "1.234,5 tấn", "Có"/"Không", "—" without a value."""
    if value is None:
        return NOT_REPORTED
    if element.value_type == ValueType.BOOLEAN:
        return gettext("Có") if value else gettext("Không")
    number = format_number(value)
    return f"{number} {unit}" if unit else number


def shown_text(text: str, element: DataElement) -> str:
    """Text typed into a cell (or a value as the service reports it, "12.5 tấn"), as a page
    reads it: "12,5 tấn", "Có" for "1" in a yes/no cell, "(trống)" for nothing; what is not
    a number stays as it was typed."""
    text = text.strip()
    if not text:
        return gettext("(trống)")
    number, _, unit = text.partition(" ")
    try:
        value = Decimal(number.replace(",", "."))
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    return display_text(value, unit.strip(), element)


# --- Statuses -----------------------------------------------------------------------------------


def status_of(submission: Submission | None) -> str:
    return submission.status if submission is not None else STATUS_NONE


def status_label(submission: Submission | None) -> str:
    return submission.get_status_display() if submission is not None else str(STATUS_NONE_LABEL)


def lock_reason(submission: Submission | None, access: Access) -> str:
    """Why a unit's report cannot be edited by this user now ("" when it can)."""
    if not access.can_enter_data:
        return gettext("Tài khoản của bạn chỉ được xem, không nhập số liệu.")
    if submission is None:
        return ""
    if submission.status == SubmissionStatus.APPROVED:
        return gettext("Báo cáo đã được duyệt; cần điều phối viên mở lại trước khi sửa.")
    if submission.status == SubmissionStatus.SUBMITTED and not access.can_approve:
        return gettext("Báo cáo đã gửi, đang chờ Sở Công Thương duyệt.")
    return ""


# --- Permissions --------------------------------------------------------------------------------


def can_read_unit(access: Access, unit_code: str, year: int) -> bool:
    """Whether the user may read the unit's unpublished data of the year: readers of
    everything, and reporters within their subtrees."""
    if access.reads_everything:
        return True
    allowed = reportable_units(access, year)
    return allowed is None or unit_code in allowed


def readable_years(access: Access, unit_code: str, years: Iterable[int]) -> set[int]:
    """The years among `years` in which the user may read the unit's data."""
    return {year for year in set(years) if can_read_unit(access, unit_code, year)}


# --- Periods ------------------------------------------------------------------------------------


def plan_years() -> list[int]:
    return list(range(FIRST_YEAR, LAST_YEAR + 1))


def clamp_year(raw: str | None, *, today: dt.date | None = None) -> int:
    """The year asked for in `?nam=`, within the plan's years; the current year by default."""
    today = today or timezone.localdate()
    year = int(raw) if raw and raw.strip().isdigit() else today.year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def current_period(period_type: str, year: int, today: dt.date | None = None) -> str:
    """The period of the year a data set is reported for now: the year itself for yearly
    data sets; for shorter ones, the period holding today (the last one of a past year)."""
    today = today or timezone.localdate()
    month = today.month if today.year == year else 12
    if today.year < year:
        month = 1
    if period_type == PeriodType.SIX_MONTHLY:
        return f"{year}S{(month - 1) // 6 + 1}"
    if period_type == PeriodType.QUARTERLY:
        return f"{year}Q{(month - 1) // 3 + 1}"
    if period_type == PeriodType.MONTHLY:
        return f"{year}{month:02d}"
    return str(year)


def valid_period(period: str, data_set: DataSet) -> str | None:
    """The period as stored when it is one of the data set's kind ("2025"), else None."""
    try:
        parsed, _ = parse_period(period.upper(), data_set.period_type)
    except ValueError:
        return None
    return parsed


def data_set_deadline(data_set: DataSet, year: int) -> dt.date:
    return deadline_for(
        year,
        day=data_set.deadline_day,
        month=data_set.deadline_month,
        year_offset=data_set.deadline_year_offset,
    )


# --- The entry grid -----------------------------------------------------------------------------


def data_set_elements(data_set: DataSet) -> list[DataElement]:
    """The data set's elements in the order of the plan's definition (the order they were
    created in), which is the order of the paper form."""
    return list(data_set.elements.order_by("pk"))


def entry_units(
    *, data_set: DataSet, period: str, unit: OrgUnit, allowed: frozenset[str] | None
) -> list[OrgUnit]:
    """The rows of a unit's form: the unit itself when it reports the data set, then every
    unit of the data set's types active in the period and in its subtree during the period,
    by type then name; only those in `allowed` (None: every unit)."""
    start, end = period_dates(period)
    members = subtree_codes([unit.code], start, end)
    if allowed is not None:
        members = members & allowed
    units = list(
        OrgUnit.objects.active_between(start, end).filter(
            code__in=members, type__in=data_set.unit_types
        )
    )
    order = {t: i for i, t in enumerate(data_set.unit_types)}
    units.sort(key=lambda u: (u.pk != unit.pk, order.get(u.type, 99), fold(u.name), u.code))
    return units


@dataclass
class Column:
    """An element of the form, with how its cells are typed."""

    element: DataElement

    @property
    def code(self) -> str:
        return self.element.code

    @property
    def name(self) -> str:
        return self.element.name

    @property
    def is_boolean(self) -> bool:
        return self.element.value_type == ValueType.BOOLEAN

    @property
    def unit_choices(self) -> tuple[str, ...]:
        return UNIT_CHOICES.get(self.element.dimension, ())

    @property
    def free_unit(self) -> bool:
        """The enterprise's own product unit: typed, not chosen."""
        return self.element.dimension == Dimension.ANY

    @property
    def needs_unit(self) -> bool:
        return bool(self.element.dimension)

    @property
    def hint(self) -> str:
        if self.is_boolean:
            return gettext("Có / Không")
        if self.element.value_type == ValueType.INTEGER:
            return gettext("số nguyên ≥ 0")
        return gettext("số ≥ 0, dấu phẩy thập phân")


@dataclass
class Cell:
    """One element of one unit: the stored value and what the form shows for it."""

    column: Column
    stored: DataValue | None
    value: str  # the input's text
    unit: str  # the unit control's value

    @property
    def original(self) -> str:
        """The value shown when the form was opened, sent back to detect others' changes."""
        return self.value if self.stored is not None else ""

    @property
    def display(self) -> str:
        if self.stored is None:
            return NOT_REPORTED
        return display_text(self.stored.value, self.stored.unit, self.column.element)

    @property
    def comment(self) -> str:
        return self.stored.comment if self.stored is not None else ""


@dataclass
class Row:
    """One unit of the form: its submission, its cells and whether this user may edit it."""

    unit: OrgUnit
    submission: Submission | None
    cells: list[Cell]
    lock_reason: str

    @property
    def editable(self) -> bool:
        return not self.lock_reason

    @property
    def version(self) -> int:
        return self.submission.version if self.submission is not None else 0

    @property
    def status(self) -> str:
        return status_of(self.submission)

    @property
    def status_label(self) -> str:
        return status_label(self.submission)

    @property
    def returned_comment(self) -> str:
        """The co-ordinator's reason when the report was returned or reopened."""
        if self.submission is not None and self.submission.status == SubmissionStatus.RETURNED:
            return self.submission.comment
        return ""

    @property
    def comment(self) -> str:
        """The row's note: the comments of its values, each once, in column order."""
        seen: list[str] = []
        for cell in self.cells:
            if cell.comment and cell.comment not in seen:
                seen.append(cell.comment)
        return "; ".join(seen)

    @property
    def has_values(self) -> bool:
        return any(cell.stored is not None for cell in self.cells)

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.unit.type, self.unit.type))


@dataclass
class EntryGrid:
    data_set: DataSet
    period: str
    unit: OrgUnit
    columns: list[Column]
    rows: list[Row]
    deadline: dt.date

    @property
    def editable(self) -> bool:
        return any(row.editable for row in self.rows)

    def row(self, unit_code: str) -> Row | None:
        return next((row for row in self.rows if row.unit.code == unit_code), None)

    @property
    def groups(self) -> list[tuple[str, list[Row]]]:
        """The rows by unit type (label, rows), in the form's order."""
        groups: dict[str, list[Row]] = {}
        for row in self.rows:
            groups.setdefault(row.type_label, []).append(row)
        return list(groups.items())


def _last_output_units(
    elements: Sequence[DataElement], units: Sequence[OrgUnit]
) -> dict[tuple[int, int], str]:
    """{(element id, unit id): the unit of the most recent period} for product-unit elements,
    so that an enterprise's form starts with the unit it used last time (one query)."""
    free = [e.pk for e in elements if e.dimension == Dimension.ANY]
    if not free or not units:
        return {}
    last: dict[tuple[int, int], str] = {}
    rows = (
        DataValue.objects.filter(data_element_id__in=free, org_unit__in=units)
        .exclude(unit="")
        .order_by("period")
        .values_list("data_element_id", "org_unit_id", "unit")
    )
    for element_id, unit_id, unit in rows:
        last[(element_id, unit_id)] = unit
    return last


def entry_grid(*, data_set: DataSet, period: str, unit: OrgUnit, access: Access) -> EntryGrid:
    """The form of a unit for a data set and period, as stored now (about five queries)."""
    year = int(period[:4])
    allowed = None if access.reads_everything else reportable_units(access, year)
    units = entry_units(data_set=data_set, period=period, unit=unit, allowed=allowed)
    elements = data_set_elements(data_set)
    columns = [Column(e) for e in elements]
    submissions = {
        s.org_unit_id: s
        for s in Submission.objects.filter(data_set=data_set, period=period, org_unit__in=units)
    }
    stored = {
        (v.org_unit_id, v.data_element_id): v
        for v in DataValue.objects.filter(
            data_element__in=elements, org_unit__in=units, period=period
        ).select_related("updated_by")
    }
    last_units = _last_output_units(elements, units)
    rows = []
    for org_unit in units:
        cells = []
        for column in columns:
            value = stored.get((org_unit.pk, column.element.pk))
            if value is not None:
                unit_text = value.unit
            elif column.free_unit:
                unit_text = last_units.get((column.element.pk, org_unit.pk), "")
            else:
                unit_text = column.unit_choices[0] if column.unit_choices else ""
            cells.append(
                Cell(
                    column=column,
                    stored=value,
                    value=input_text(value.value if value else None, column.element),
                    unit=unit_text,
                )
            )
        submission = submissions.get(org_unit.pk)
        rows.append(Row(org_unit, submission, cells, lock_reason(submission, access)))
    return EntryGrid(
        data_set=data_set,
        period=period,
        unit=unit,
        columns=columns,
        rows=rows,
        deadline=data_set_deadline(data_set, year),
    )


def units_with_values(*, data_set: DataSet, period: str, unit_codes: Iterable[str]) -> set[str]:
    """The codes among `unit_codes` that have a stored value of the data set in the period."""
    return set(
        DataValue.objects.filter(
            data_element__in=data_set.elements.all(),
            period=period,
            org_unit__code__in=list(unit_codes),
        ).values_list("org_unit__code", flat=True)
    )


# --- The overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitStatus:
    unit: OrgUnit
    submission: Submission | None

    @property
    def status(self) -> str:
        return status_of(self.submission)

    @property
    def status_label(self) -> str:
        return status_label(self.submission)

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.unit.type, self.unit.type))


@dataclass(frozen=True)
class FormLink:
    """A form covering several units: a root of the user's (a district…) and how many."""

    unit: OrgUnit
    count: int


@dataclass
class DataSetSection:
    data_set: DataSet
    period: str
    deadline: dt.date
    forms: list[FormLink]
    units: list[UnitStatus]
    counts: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def days_left(self) -> int:
        return days_left(timezone.localdate(), self.deadline)

    @property
    def outstanding(self) -> int:
        """Units that have not sent their report (nothing, a draft, or returned)."""
        sent = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)
        return sum(1 for u in self.units if u.status not in sent)


STATUS_ORDER = [
    (SubmissionStatus.APPROVED.value, SubmissionStatus.APPROVED.label),
    (SubmissionStatus.SUBMITTED.value, SubmissionStatus.SUBMITTED.label),
    (SubmissionStatus.RETURNED.value, SubmissionStatus.RETURNED.label),
    (SubmissionStatus.DRAFT.value, SubmissionStatus.DRAFT.label),
    (STATUS_NONE, STATUS_NONE_LABEL),
]


def overview_sections(
    *, year: int, roots: Sequence[OrgUnit], access: Access, today: dt.date | None = None
) -> list[DataSetSection]:
    """For each data set, the units under `roots` that report it in the year, with the state
    of their report, and a form link per root covering several of them.

    Only units the user may read (see `can_read_unit`); data sets without any unit are left
    out. A query for the data sets, one per root for its subtree, one for the units and one
    for the submissions.
    """
    data_sets = list(DataSet.objects.all())
    if not roots or not data_sets:
        return []
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    allowed = None if access.reads_everything else reportable_units(access, year)
    members_of = {root.code: subtree_codes([root.code], start, end) for root in roots}
    members = frozenset().union(*members_of.values())
    if allowed is not None:
        members = members & allowed
    types = {t for ds in data_sets for t in ds.unit_types}
    units = list(
        OrgUnit.objects.active_between(start, end)
        .filter(code__in=members, type__in=types)
        .order_by("name", "code")
    )
    periods = {ds.pk: current_period(ds.period_type, year, today) for ds in data_sets}
    submissions = {
        (s.data_set_id, s.org_unit_id, s.period): s
        for s in Submission.objects.filter(
            data_set__in=data_sets, org_unit__in=units, period__in=set(periods.values())
        )
    }
    sections = []
    for data_set in data_sets:
        period = periods[data_set.pk]
        order = {t: i for i, t in enumerate(data_set.unit_types)}
        mine = sorted(
            (u for u in units if u.type in data_set.unit_types),
            key=lambda u: (order[u.type], fold(u.name), u.code),
        )
        if not mine:
            continue
        statuses = [UnitStatus(u, submissions.get((data_set.pk, u.pk, period))) for u in mine]
        forms = []
        for root in roots:
            count = sum(1 for u in mine if u.code in members_of[root.code])
            # A root that is its own only row has no form of its own beyond its unit's link.
            if count > 1 or (count == 1 and root.type not in data_set.unit_types):
                forms.append(FormLink(root, count))
        tally = Counter(s.status for s in statuses)
        sections.append(
            DataSetSection(
                data_set=data_set,
                period=period,
                deadline=data_set_deadline(data_set, int(period[:4])),
                forms=forms,
                units=statuses,
                counts=[(key, str(label), tally[key]) for key, label in STATUS_ORDER if tally[key]],
            )
        )
    return sections


def reporter_roots(access: Access) -> list[OrgUnit]:
    """The units a reporter was assigned (each with its subtree)."""
    return list(OrgUnit.objects.filter(code__in=access.reporter_roots).order_by("type", "code"))


def scope_choices(year: int) -> list[OrgUnit]:
    """The units a co-ordinator picks a subtree from: the districts active in the year, or,
    after the districts were abolished, the communes."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    districts = list(orgunit_districts().filter(pk__in=OrgUnit.objects.active_between(start, end)))
    if districts:
        return districts
    return list(
        OrgUnit.objects.active_between(start, end).filter(type=UnitType.XA).order_by("name")
    )


def review_queue() -> QuerySet[Submission]:
    """Reports sent and waiting for the co-ordinator's decision, the longest waiting first."""
    return (
        Submission.objects.filter(status=SubmissionStatus.SUBMITTED)
        .select_related("data_set", "org_unit", "submitted_by")
        .order_by("submitted_at", "pk")
    )


# --- A submission's page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueLine:
    element: DataElement
    stored: DataValue | None

    @property
    def display(self) -> str:
        if self.stored is None:
            return NOT_REPORTED
        return display_text(self.stored.value, self.stored.unit, self.element)

    @property
    def canonical(self) -> str:
        """The value in the canonical unit when it was entered in another one."""
        v = self.stored
        if v is None or not self.element.canonical_unit or v.unit == self.element.canonical_unit:
            return ""
        return f"{format_number(v.canonical_value)} {self.element.canonical_unit}"


@dataclass
class SubmissionDetail:
    submission: Submission
    values: list[ValueLine]
    events: list[SubmissionEvent]
    deadline: dt.date
    first_sent: dt.datetime | None

    @property
    def on_time(self) -> bool | None:
        """Whether the report was first sent by the deadline (None: not sent yet)."""
        if self.first_sent is None:
            return None
        return is_on_time(timezone.localdate(self.first_sent), self.deadline)

    @property
    def days_late(self) -> int:
        if self.first_sent is None:
            return max(0, -days_left(timezone.localdate(), self.deadline))
        return max(0, -days_left(timezone.localdate(self.first_sent), self.deadline))

    @property
    def days_left(self) -> int:
        return days_left(timezone.localdate(), self.deadline)


def submission_get(submission_id: int) -> Submission | None:
    return (
        Submission.objects.select_related("data_set", "org_unit", "submitted_by", "decided_by")
        .filter(pk=submission_id)
        .first()
    )


def submission_detail(submission: Submission) -> SubmissionDetail:
    """A report's values, its timeline and its deadline (four queries)."""
    elements = data_set_elements(submission.data_set)
    stored = {
        v.data_element_id: v
        for v in DataValue.objects.filter(
            data_element__in=elements, org_unit=submission.org_unit, period=submission.period
        ).select_related("updated_by")
    }
    events = list(submission.events.select_related("user").order_by("at", "pk"))
    first_sent = next((e.at for e in events if e.action == "submit"), submission.submitted_at)
    return SubmissionDetail(
        submission=submission,
        values=[ValueLine(e, stored.get(e.pk)) for e in elements],
        events=events,
        deadline=data_set_deadline(submission.data_set, submission.year),
        first_sent=first_sent,
    )


# --- Conflicts of a save ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictLine:
    """A value someone else changed after the form was opened, as the page lists it."""

    unit: str
    element: str
    yours: str
    theirs: str
    by: str
    at: dt.datetime | None


def conflict_lines(conflicts: Iterable[Conflict], grid: EntryGrid) -> list[ConflictLine]:
    """The service's conflicts in the page's words (values in Vietnamese notation)."""
    elements = {column.code: column.element for column in grid.columns}
    names = {row.unit.code: row.unit.name for row in grid.rows}
    lines = []
    for conflict in conflicts:
        element = elements.get(conflict.element_code)
        unit = names.get(conflict.unit_code, conflict.unit_name)
        if element is None:
            # Nothing differs in the values: only the report's state moved (sent, returned…).
            lines.append(
                ConflictLine(
                    unit,
                    gettext("Trạng thái báo cáo đã thay đổi"),
                    "",
                    "",
                    conflict.by,
                    conflict.at,
                )
            )
            continue
        lines.append(
            ConflictLine(
                unit=unit,
                element=element.name,
                yours=shown_text(conflict.yours, element),
                theirs=shown_text(conflict.theirs, element),
                by=conflict.by,
                at=conflict.at,
            )
        )
    return lines
