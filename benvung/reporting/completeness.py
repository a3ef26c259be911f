"""Completeness of a reporting year: who had to report, who has, who did it on time, who not.

A unit must report a data set for year Y when its type is one of the data set's unit types and
it is active in Y (in the subtree of the chosen root, when there is one). Its report counts as
submitted once sent (status submitted or approved), and as on time when it was sent, in local
time, no later than the data set's deadline for Y. A unit without a submission, or with a
draft or a returned one, is missing.

`completeness` reads everything in a fixed number of queries (data sets, units, parent links,
submissions; the user's roles) and hands the figures to plain functions: `summarise` builds
the tallies per data set × unit type and per district, `percent` and `deadline_phrase` say
them. Reminders (`benvung remind`) are composed here too, from the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from benvung.accounts.models import Role, RoleAssignment
from benvung.accounts.selectors import Access, readable_unpublished_units
from benvung.core.formatting import format_date, format_number
from benvung.indicators.domain.hierarchy import ParentLink as Link
from benvung.indicators.domain.hierarchy import (
    district_of,
    is_active,
    parents_at_start,
    subtree_members,
    year_window,
)
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.orgunits.selectors import TYPE_LABELS, TYPE_ORDER
from benvung.reporting.models import DataSet, Submission, SubmissionStatus
from benvung.reporting.periods import days_left, deadline_for, is_on_time

STATUS_LABELS = dict(SubmissionStatus.choices)
# Plain Vietnamese (also in the command's text and JSON); pages show gettext(...) of them.
NO_REPORT = gettext_noop("Chưa có báo cáo")
NO_DISTRICT = gettext_noop("Không thuộc huyện nào")
SENT = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED})
# The page opens on the year whose deadline falls at most this many days ahead.
PAGE_HORIZON_DAYS = 183


# --- plain computations ---------------------------------------------------------------------


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, to one decimal; None when there is nothing to count."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)


def deadline_phrase(today: dt.date, deadline: dt.date) -> str:
    """ "còn 5 ngày", "hạn chót hôm nay", "quá hạn 3 ngày"."""
    left = days_left(today, deadline)
    if left > 0:
        return ngettext("còn %(days)s ngày", "còn %(days)s ngày", left) % {"days": left}
    if left == 0:
        return gettext("hạn chót hôm nay")
    return ngettext("quá hạn %(days)s ngày", "quá hạn %(days)s ngày", -left) % {"days": -left}


def is_sent(status: str | None) -> bool:
    return status in SENT


def due_year(
    today: dt.date, horizon_days: int, deadlines: Callable[[int], Iterable[dt.date]]
) -> int:
    """The latest year whose reports are due (some deadline passed, or within `horizon_days`);
    `deadlines(year)` gives the deadlines of the data sets for a year. Today's year when no
    deadline is known."""
    limit = today + dt.timedelta(days=horizon_days)
    for year in range(today.year + 1, today.year - 3, -1):
        if any(deadline <= limit for deadline in deadlines(year)):
            return year
    return today.year


@dataclass(frozen=True)
class Tally:
    """Counts of reports: expected, sent (submitted or approved), approved, sent on time."""

    expected: int = 0
    submitted: int = 0
    approved: int = 0
    on_time: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.expected + other.expected,
            self.submitted + other.submitted,
            self.approved + other.approved,
            self.on_time + other.on_time,
        )

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    # Every rate is a share of the expected reports, so that the bars of a row compare.
    @property
    def submitted_rate(self) -> float | None:
        return percent(self.submitted, self.expected)

    @property
    def approved_rate(self) -> float | None:
        return percent(self.approved, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.on_time, self.expected)

    def as_json(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "submitted": self.submitted,
            "approved": self.approved,
            "on_time": self.on_time,
            "missing": self.missing,
            "submitted_rate": self.submitted_rate,
            "approved_rate": self.approved_rate,
            "on_time_rate": self.on_time_rate,
        }


@dataclass(frozen=True)
class ExpectedReport:
    """A report a unit owes for a data set and year, and where it stands."""

    data_set_code: str
    unit_code: str
    unit_name: str
    unit_type: str
    district_code: str | None
    district_name: str
    deadline: dt.date
    status: str | None = None  # None: no submission at all
    submitted_on: dt.date | None = None  # local date of the sending

    @property
    def submitted(self) -> bool:
        return is_sent(self.status)

    @property
    def approved(self) -> bool:
        return self.status == SubmissionStatus.APPROVED

    @property
    def on_time(self) -> bool:
        return self.submitted and is_on_time(self.submitted_on, self.deadline)

    @property
    def status_label(self) -> str:
        if self.status in STATUS_LABELS:
            return str(STATUS_LABELS[self.status])
        return gettext(NO_REPORT)

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.unit_type, self.unit_type))

    @property
    def tally(self) -> Tally:
        return Tally(1, int(self.submitted), int(self.approved), int(self.on_time))

    def as_json(self) -> dict[str, Any]:
        return {
            "data_set": self.data_set_code,
            "org_unit": self.unit_code,
            "name": self.unit_name,
            "type": self.unit_type,
            "district": self.district_code,
            "status": self.status,
            "status_label": self.status_label,
        }


def tally(reports: Iterable[ExpectedReport]) -> Tally:
    return sum((r.tally for r in reports), Tally())


@dataclass(frozen=True)
class TallyRow:
    """One row of a completeness table: a data set × unit type, or a district."""

    key: str
    label: str
    tally: Tally
    data_set_code: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, **self.tally.as_json()}


@dataclass(frozen=True)
class DataSetInfo:
    """What the figures need of a data set."""

    code: str
    name: str
    unit_types: tuple[str, ...]
    deadline: dt.date
    order: int = 0


@dataclass(frozen=True)
class DataSetProgress:
    """A data set's figures for the year."""

    code: str
    name: str
    deadline: dt.date
    days_left: int
    deadline_phrase: str
    tally: Tally
    by_type: list[TallyRow]

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "deadline_phrase": self.deadline_phrase,
            **self.tally.as_json(),
            "by_unit_type": [{"unit_type": row.key, **row.as_json()} for row in self.by_type],
        }


@dataclass(frozen=True)
class CompletenessReport:
    year: int
    today: dt.date
    root_code: str | None
    root_name: str
    data_sets: list[DataSetProgress]
    by_district: list[TallyRow]
    missing: list[ExpectedReport]
    total: Tally
    reports: list[ExpectedReport] = field(repr=False, default_factory=list)

    @property
    def by_type(self) -> list[TallyRow]:
        """Every data set × unit type row, in data set order."""
        return [row for data_set in self.data_sets for row in data_set.by_type]

    @property
    def missing_by_data_set(self) -> list[tuple[DataSetProgress, list[ExpectedReport]]]:
        """The missing reports under their data set, data sets without any left out."""
        groups = [
            (d, [r for r in self.missing if r.data_set_code == d.code]) for d in self.data_sets
        ]
        return [(d, reports) for d, reports in groups if reports]

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "today": self.today.isoformat(),
            "org_unit": self.root_code,
            **self.total.as_json(),
            "data_sets": [d.as_json() for d in self.data_sets],
            "by_district": [
                {"district": row.key or None, **row.as_json()} for row in self.by_district
            ],
            "missing": [r.as_json() for r in self.missing],
        }


def summarise(
    *,
    year: int,
    today: dt.date,
    data_sets: Sequence[DataSetInfo],
    reports: Sequence[ExpectedReport],
    root_code: str | None = None,
    root_name: str = "",
) -> CompletenessReport:
    """The tables of a year from its expected reports (no database)."""
    by_set: dict[str, list[ExpectedReport]] = defaultdict(list)
    for report in reports:
        by_set[report.data_set_code].append(report)
    progress = []
    for info in data_sets:
        own = by_set.get(info.code, [])
        types: dict[str, list[ExpectedReport]] = defaultdict(list)
        for report in own:
            types[report.unit_type].append(report)
        rows = [
            TallyRow(
                key=type_,
                label=str(TYPE_LABELS.get(type_, type_)),
                tally=tally(types.get(type_, [])),
                data_set_code=info.code,
            )
            for type_ in sorted(info.unit_types, key=lambda t: TYPE_ORDER.get(t, 99))
        ]
        progress.append(
            DataSetProgress(
                code=info.code,
                name=info.name,
                deadline=info.deadline,
                days_left=days_left(today, info.deadline),
                deadline_phrase=deadline_phrase(today, info.deadline),
                tally=tally(own),
                by_type=rows,
            )
        )

    districts: dict[str, list[ExpectedReport]] = defaultdict(list)
    names: dict[str, str] = {}
    for report in reports:
        key = report.district_code or ""
        districts[key].append(report)
        names[key] = report.district_name if report.district_code else gettext(NO_DISTRICT)
    by_district = [
        TallyRow(key=key, label=names[key], tally=tally(districts[key]))
        for key in sorted(districts, key=lambda k: (k == "", k.zfill(12)))
    ]

    order = {info.code: index for index, info in enumerate(data_sets)}
    missing = sorted(
        (r for r in reports if not r.submitted),
        key=lambda r: (
            order.get(r.data_set_code, 999),
            r.district_code is None,
            (r.district_code or "").zfill(12),
            TYPE_ORDER.get(r.unit_type, 99),
            r.unit_code.zfill(12),
        ),
    )
    return CompletenessReport(
        year=year,
        today=today,
        root_code=root_code,
        root_name=root_name,
        data_sets=progress,
        by_district=by_district,
        missing=missing,
        total=tally(reports),
        reports=list(reports),
    )


# --- reading the database -------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    pk: int
    code: str
    name: str
    type: str
    valid_from: dt.date
    valid_to: dt.date | None


class Hierarchy:
    """Every unit and parent link, loaded once (two queries) and answered from memory."""

    @cached_property
    def units(self) -> dict[str, _Unit]:
        rows = OrgUnit.objects.order_by().values_list(
            "pk", "code", "name", "type", "valid_from", "valid_to"
        )
        return {row[1]: _Unit(*row) for row in rows}

    @cached_property
    def links(self) -> list[Link]:
        rows = ParentLink.objects.order_by().values_list(
            "unit__code", "parent__code", "valid_from", "valid_to"
        )
        return [Link(child=c, parent=p, valid_from=f, valid_to=t) for c, p, f, t in rows]

    def subtree(self, root: str, year: int) -> set[str]:
        start, end = year_window(year)
        return subtree_members(self.links, root, start, end)

    def active(self, year: int) -> list[_Unit]:
        start, end = year_window(year)
        return [u for u in self.units.values() if is_active(u.valid_from, u.valid_to, start, end)]

    def districts(self, year: int) -> dict[str, str | None]:
        """Every unit's district at the start of the year."""
        parents = parents_at_start(self.links, year)
        types = {code: unit.type for code, unit in self.units.items()}
        return {code: district_of(code, parents, types) for code in self.units}


def _data_set_infos(year: int, data_set: DataSet | None) -> list[DataSetInfo]:
    data_sets = [data_set] if data_set is not None else list(DataSet.objects.all())
    return [
        DataSetInfo(
            code=ds.code,
            name=ds.name,
            unit_types=tuple(ds.unit_types),
            deadline=deadline_for(
                year,
                day=ds.deadline_day,
                month=ds.deadline_month,
                year_offset=ds.deadline_year_offset,
            ),
            order=ds.order,
        )
        for ds in data_sets
    ]


def completeness(
    *,
    year: int,
    data_set: DataSet | None = None,
    root_code: str | None = None,
    today: dt.date | None = None,
    access: Access | None = None,
    hierarchy: Hierarchy | None = None,
) -> CompletenessReport:
    """Who had to report each data set (or `data_set`) for `year`, and where they stand.

    Units: those of the data set's unit types active in the year, in `root_code`'s subtree
    (some day of the year) when given, else every unit (the plan's territory). With `access`,
    only the units whose unpublished data the user may read (a reporter's own units).
    """
    today = today or timezone.localdate()
    hierarchy = hierarchy or Hierarchy()
    infos = _data_set_infos(year, data_set)
    scope = hierarchy.subtree(root_code, year) if root_code else None
    visible = readable_unpublished_units(access, year) if access is not None else None
    units = [
        u
        for u in hierarchy.active(year)
        if (scope is None or u.code in scope) and (visible is None or u.code in visible)
    ]
    districts = hierarchy.districts(year)
    submissions = Submission.objects.filter(period=str(year)).order_by()
    if data_set is not None:
        submissions = submissions.filter(data_set=data_set)
    state: dict[tuple[str, int], tuple[str, dt.datetime | None]] = {
        (code, unit): (status, at)
        for code, unit, status, at in submissions.values_list(
            "data_set__code", "org_unit_id", "status", "submitted_at"
        )
    }
    reports: list[ExpectedReport] = []
    for info in infos:
        for unit in units:
            if unit.type not in info.unit_types:
                continue
            status, at = state.get((info.code, unit.pk), (None, None))
            district = districts.get(unit.code)
            reports.append(
                ExpectedReport(
                    data_set_code=info.code,
                    unit_code=unit.code,
                    unit_name=unit.name,
                    unit_type=unit.type,
                    district_code=district,
                    district_name=hierarchy.units[district].name
                    if district
                    else gettext(NO_DISTRICT),
                    deadline=info.deadline,
                    status=status,
                    submitted_on=timezone.localtime(at).date() if at else None,
                )
            )
    root = hierarchy.units.get(root_code) if root_code else None
    return summarise(
        year=year,
        today=today,
        data_sets=infos,
        reports=reports,
        root_code=root_code,
        root_name=root.name if root else "",
    )


def default_year(today: dt.date | None = None, horizon_days: int = PAGE_HORIZON_DAYS) -> int:
    """The year the page and the reminders look at by default: the latest whose deadline has
    come or comes within `horizon_days` (one query)."""
    today = today or timezone.localdate()
    data_sets = list(
        DataSet.objects.values_list("deadline_day", "deadline_month", "deadline_year_offset")
    )

    def deadlines(year: int) -> list[dt.date]:
        return [deadline_for(year, day=d, month=m, year_offset=o) for d, m, o in data_sets]

    return due_year(today, horizon_days, deadlines)


# --- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    username: str
    email: str
    name: str
    roots: tuple[str, ...]


@dataclass(frozen=True)
class Reminder:
    """One e-mail to a reporter: the reports still missing in their units."""

    recipient: Recipient
    subject: str
    body: str
    missing: tuple[ExpectedReport, ...]


@dataclass
class ReminderPlan:
    year: int
    due: list[DataSetProgress]
    reminders: list[Reminder]
    without_email: list[str]  # usernames of reporters with missing units and no address

    @property
    def missing_count(self) -> int:
        return len({(r.data_set_code, r.unit_code) for m in self.reminders for r in m.missing})


def reminder_text(
    *,
    name: str,
    year: int,
    groups: Sequence[tuple[DataSetProgress, Sequence[ExpectedReport]]],
    link: str,
) -> tuple[str, str]:
    """The subject and body of a reminder (plain text, Vietnamese)."""
    count = sum(len(reports) for _, reports in groups)
    first = min((progress for progress, _ in groups), key=lambda p: p.deadline)
    subject = (
        f"Nhắc nộp báo cáo năm {year}: {count} báo cáo chưa gửi "
        f"(hạn {format_date(first.deadline)}, {first.deadline_phrase})"
    )
    lines = [
        f"Kính gửi {name},",
        "",
        "Hệ thống theo dõi Kế hoạch sản xuất và tiêu dùng bền vững của Sở Công Thương xin nhắc: "
        f"các báo cáo năm {year} dưới đây của đơn vị anh/chị phụ trách chưa được gửi.",
    ]
    for progress, reports in groups:
        lines += [
            "",
            f"{progress.name} ({progress.code})",
            f"Hạn nộp: {format_date(progress.deadline)} ({progress.deadline_phrase})",
        ]
        lines += [f"  - {r.unit_name} ({r.unit_code}): {r.status_label}" for r in reports]
    lines += [
        "",
        f"Xem tiến độ nộp: {link}",
        "Có thể tải mẫu Excel ở trang «Nhập dữ liệu», điền rồi tải lên tại đó; sau đó gửi báo "
        "cáo để Sở Công Thương duyệt.",
        "",
        "Đây là thư tự động, xin không trả lời thư này.",
        "Sở Công Thương",
    ]
    return subject, "\n".join(lines)


def due_data_sets(report: CompletenessReport, *, days: int) -> list[DataSetProgress]:
    """The data sets whose deadline is within `days` days or has passed, with missing units."""
    return [d for d in report.data_sets if d.days_left <= days and d.tally.missing]


def _recipients() -> list[Recipient]:
    """Active reporters with the roots of their units (one query)."""
    found: dict[int, dict[str, Any]] = {}
    rows = (
        RoleAssignment.objects.filter(role=Role.REPORTER, user__is_active=True)
        .order_by("user__username", "org_unit__code")
        .values_list(
            "user_id",
            "user__username",
            "user__email",
            "user__first_name",
            "user__last_name",
            "org_unit__code",
        )
    )
    for user_id, username, email, first, last, root in rows:
        entry = found.setdefault(
            user_id,
            {
                "username": username,
                "email": email,
                "name": f"{last} {first}".strip() or username,
                "roots": [],
            },
        )
        entry["roots"].append(root)
    return [
        Recipient(e["username"], e["email"], e["name"], tuple(e["roots"])) for e in found.values()
    ]


def reminders_plan(
    *, year: int, days: int, today: dt.date | None = None, link: str = ""
) -> ReminderPlan:
    """Who gets a reminder and what it says: every reporter whose units' subtrees hold a unit
    still missing a report whose deadline is within `days` days or passed."""
    today = today or timezone.localdate()
    hierarchy = Hierarchy()
    report = completeness(year=year, today=today, hierarchy=hierarchy)
    due = due_data_sets(report, days=days)
    due_codes = {d.code for d in due}
    missing = [r for r in report.missing if r.data_set_code in due_codes]
    reminders: list[Reminder] = []
    without_email: list[str] = []
    if missing:
        for recipient in _recipients():
            units: set[str] = set()
            for root in recipient.roots:
                units |= hierarchy.subtree(root, year)
            own = [r for r in missing if r.unit_code in units]
            if not own:
                continue
            if not recipient.email:
                without_email.append(recipient.username)
                continue
            groups = [(d, [r for r in own if r.data_set_code == d.code]) for d in due]
            groups = [(d, reports) for d, reports in groups if reports]
            subject, body = reminder_text(name=recipient.name, year=year, groups=groups, link=link)
            reminders.append(Reminder(recipient, subject, body, tuple(own)))
    return ReminderPlan(year=year, due=due, reminders=reminders, without_email=without_email)


def rate_text(rate: float | None) -> str:
    """A rate as the command line and the page print it: "62,5 %", "—"."""
    return "—" if rate is None else f"{format_number(rate, 1)} %"
