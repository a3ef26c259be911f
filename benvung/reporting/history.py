"""Reads of the audit trail of reported values: every change, old → new, who, when, from where.

django-simple-history keeps one record per creation, change or deletion of a `DataValue`
(the whole row, `history_user`, `history_date`, `history_change_reason` = the source: a file
name or "Biểu mẫu <data set>"). A change's old value is the record before it of the same value,
which the database finds with a window function, so that a page of 50 changes is one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Window
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


def changes(records: Iterable[Any]) -> list[Change]:
    """`Change`s of history records annotated by `value_changes_query`/`unit_changes_query`."""
    return [_change(record) for record in records]


def value_changes_query(*, element: DataElement, unit: OrgUnit, period: str) -> QuerySet[Any]:
    """The history records of one value, oldest first, each with its previous value."""
    records = DataValue.history.filter(
        data_element_id=element.pk, org_unit_id=unit.pk, period=period
    )
    return _with_previous(records).order_by("history_date", "history_id")


def value_history(*, element: DataElement, unit: OrgUnit, period: str) -> list[Change]:
    """Every change of one value, oldest first (one query)."""
    return changes(value_changes_query(element=element, unit=unit, period=period))


def unit_changes_query(*, unit: OrgUnit, years: Iterable[int] | None = None) -> QuerySet[Any]:
    """The history records of all the unit's values, newest first, each with its previous
    value; only the given years when `years` is not None. Slice it to paginate."""
    records = DataValue.history.filter(org_unit_id=unit.pk)
    if years is not None:
        records = records.filter(year__in=list(years))
    return _with_previous(records).order_by("-history_date", "-history_id")


def unit_history_years(unit: OrgUnit) -> set[int]:
    """The years the unit's recorded values are about."""
    return set(
        DataValue.history.filter(org_unit_id=unit.pk).values_list("year", flat=True).distinct()
    )


def value_exists(*, element: DataElement, unit: OrgUnit, period: str) -> bool:
    """Whether the value is stored, or ever was."""
    return (
        DataValue.objects.filter(data_element=element, org_unit=unit, period=period).exists()
        or DataValue.history.filter(
            data_element_id=element.pk, org_unit_id=unit.pk, period=period
        ).exists()
    )
