"""Reads of the audit trail of reported values: every change, old → new, who, when, from where.

django-simple-history keeps one record per creation, change or deletion of a `DataValue`
(the whole row, `history_user`, `history_date`, `history_change_reason` = the source: a file
name or "Biểu mẫu <data set>"). A change's old value is the record before it of the same value,
which the database finds with a window function, so that a page of 50 changes is one query.
A value that has never changed has no record: it is its own creation record
(`datavalues.audit`), read here from the value.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import Lag
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from benvung.datavalues.models import DataElement, DataValue
from benvung.orgunits.models import OrgUnit
from benvung.reporting.entry import NOT_REPORTED, display_text

CREATED, CHANGED, DELETED = "+", "~", "-"
KIND_LABELS = {
    CREATED: gettext_noop("Tạo mới"),
    CHANGED: gettext_noop("Sửa"),
    DELETED: gettext_noop("Xóa"),
}
DELETED_TEXT = gettext_noop("(đã xóa)")


@dataclass(frozen=True)
class Change:
    """One step in the life of a value."""

    at: dt.datetime
    user: str
    kind: str
    element: DataElement
    unit: OrgUnit
    period: str
    old_value: Decimal | None
    old_unit: str
    new_value: Decimal | None
    new_unit: str
    source: str
    comment: str

    @property
    def kind_label(self) -> str:
        return gettext(KIND_LABELS[self.kind]) if self.kind in KIND_LABELS else self.kind

    @property
    def old(self) -> str:
        return display_text(self.old_value, self.old_unit, self.element)

    @property
    def new(self) -> str:
        if self.kind == DELETED:
            return gettext(DELETED_TEXT)
        return display_text(self.new_value, self.new_unit, self.element)

    @property
    def local_at(self) -> dt.datetime:
        return timezone.localtime(self.at) if timezone.is_aware(self.at) else self.at

    def line(self) -> str:
        """`DD/MM/YYYY HH:MM  user  old → new  (source) comment`, as the command prints it."""
        text = f"{self.local_at:%d/%m/%Y %H:%M}  {self.user}  {self.old} → {self.new}"
        text += f"  ({self.source or NOT_REPORTED})"
        if self.comment:
            text += f" {self.comment}"
        return text


def user_label(user: Any) -> str:
    """The name people know someone by: full name, else user name; "—" for nobody (a file
    loaded from the command line)."""
    if user is None:
        return NOT_REPORTED
    return str(user.get_full_name() or user.get_username())


def _with_previous(records: QuerySet[Any]) -> QuerySet[Any]:
    """The records with the value and unit of the record before each, of the same value."""
    order = [F("history_date").asc(), F("history_id").asc()]
    annotated: QuerySet[Any] = records.annotate(
        old_value=Window(Lag("value"), partition_by=[F("id")], order_by=order),
        old_unit=Window(Lag("unit"), partition_by=[F("id")], order_by=order),
        old_type=Window(Lag("history_type"), partition_by=[F("id")], order_by=order),
    ).select_related("history_user", "data_element", "org_unit")
    return annotated


def _change(record: Any) -> Change:
    # After a deletion the value starts again from nothing.
    had_value = record.old_type not in (None, DELETED)
    return Change(
        at=record.history_date,
        user=user_label(record.history_user),
        kind=record.history_type,
        element=record.data_element,
        unit=record.org_unit,
        period=record.period,
        old_value=record.old_value if had_value else None,
        old_unit=(record.old_unit or "") if had_value else "",
        new_value=record.value,
        new_unit=record.unit,
        source=record.history_change_reason or record.source or "",
        comment=record.comment,
    )


def _created(value: DataValue) -> Change:
    """The creation record that a value without any history record stands for."""
    return Change(
        at=value.updated_at,
        user=user_label(value.updated_by),
        kind=CREATED,
        element=value.data_element,
        unit=value.org_unit,
        period=value.period,
        old_value=None,
        old_unit="",
        new_value=value.value,
        new_unit=value.unit,
        source=value.source,
        comment=value.comment,
    )


def _unrecorded(values: QuerySet[DataValue]) -> QuerySet[DataValue]:
    """Those of `values` that have no history record (found among their unit's)."""
    records = DataValue.history.filter(org_unit_id=OuterRef("org_unit_id"), id=OuterRef("pk"))
    return values.filter(~Exists(records)).select_related("updated_by", "data_element", "org_unit")


def changes(records: Iterable[Any]) -> list[Change]:
    """`Change`s of history records annotated by `_with_previous`."""
    return [_change(record) for record in records]


def value_history(*, element: DataElement, unit: OrgUnit, period: str) -> list[Change]:
    """Every change of one value, oldest first (two queries)."""
    records = DataValue.history.filter(
        data_element_id=element.pk, org_unit_id=unit.pk, period=period
    )
    found = changes(_with_previous(records).order_by("history_date", "history_id"))
    # The value as stored, when it has not changed since it was stored: the newest step.
    value = DataValue.objects.filter(data_element=element, org_unit=unit, period=period)
    unchanged = _unrecorded(value).first()
    if unchanged is not None:
        found.append(_created(unchanged))
    return found


class UnitChanges:
    """Every change of a unit's values, newest first, as a paginator reads it: the history's
    records and the creation of the values never changed, merged by date. A page reads as
    many of each as the page ends with, not all of them."""

    def __init__(self, records: QuerySet[Any], unchanged: QuerySet[DataValue]) -> None:
        self._records = _with_previous(records).order_by("-history_date", "-history_id")
        self._unchanged = unchanged.order_by("-updated_at", "-pk")
        self._count: int | None = None

    def count(self) -> int:
        """How many changes there are (two counts, once)."""
        if self._count is None:
            self._count = self._records.count() + self._unchanged.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Change]:
        start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
        newest = heapq.merge(
            changes(self._records[:stop]),
            [_created(value) for value in self._unchanged[:stop]],
            key=lambda change: change.at,
            reverse=True,
        )
        return list(itertools.islice(newest, start, stop))


def unit_changes(*, unit: OrgUnit, years: Iterable[int] | None = None) -> UnitChanges:
    """Every change of the unit's values, newest first, each with its previous value; only
    the given years when `years` is not None. Slice it to paginate."""
    records = DataValue.history.filter(org_unit_id=unit.pk)
    values = DataValue.objects.filter(org_unit=unit)
    if years is not None:
        records = records.filter(year__in=list(years))
        values = values.filter(year__in=list(years))
    return UnitChanges(records, _unrecorded(values))


def unit_history_years(unit: OrgUnit) -> set[int]:
    """The years the unit's values, stored or recorded, are about."""
    recorded = DataValue.history.filter(org_unit_id=unit.pk).values_list("year", flat=True)
    stored = DataValue.objects.filter(org_unit=unit).values_list("year", flat=True)
    return set(recorded.distinct()) | set(stored.distinct())


def value_exists(*, element: DataElement, unit: OrgUnit, period: str) -> bool:
    """Whether the value is stored, or ever was."""
    return (
        DataValue.objects.filter(data_element=element, org_unit=unit, period=period).exists()
        or DataValue.history.filter(
            data_element_id=element.pk, org_unit_id=unit.pk, period=period
        ).exists()
    )
