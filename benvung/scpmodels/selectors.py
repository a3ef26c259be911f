"""Reads of the model register: the filtered list, one model with its files and history, and
the evidence files users may download."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext, gettext_noop

from benvung.accounts.selectors import Access
from benvung.indicators.domain.hierarchy import ParentLink as Link
from benvung.indicators.domain.hierarchy import subtree_members, year_window
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.orgunits.selectors import TYPE_LABELS, fold, name_matches
from benvung.scpmodels.models import Evidence, ModelKind, ScpModel


def scpmodel_list(
    *, kind: str = "", year: int | None = None, district: str = "", query: str = ""
) -> list[ScpModel]:
    """The models, newest year first, each with `file_count`; filtered by kind, year, the
    district whose subtree held the model's unit in the model's year (as the indicators
    count it), and text: the code's start, or a word start of the name, the unit's name or
    the description, ignoring case and diacritics ("tiet kiem" finds "Tiết kiệm").

    Three queries whatever the number of models (models, then parent links when a
    district is asked for); the text is matched in Python, as SQLite and PostgreSQL fold
    Vietnamese differently."""
    models = ScpModel.objects.select_related("org_unit").annotate(file_count=Count("files"))
    if kind:
        models = models.filter(kind=kind)
    if year:
        models = models.filter(year=year)
    rows: list[ScpModel] = list(models.order_by("-year", "code"))
    if district:
        members = _subtrees(district, {m.year for m in rows})
        rows = [m for m in rows if m.org_unit.code in members.get(m.year, ())]
    folded = fold(query)
    if folded:
        rows = [m for m in rows if _matches(m, folded)]
    return rows


def _subtrees(root: str, years: set[int]) -> dict[int, frozenset[str]]:
    """The units in the root's subtree during each of the years (one query for the links)."""
    if not years:
        return {}
    rows = ParentLink.objects.values_list("unit__code", "parent__code", "valid_from", "valid_to")
    links = [Link(child=c, parent=p, valid_from=f, valid_to=t) for c, p, f, t in rows]
    return {y: frozenset(subtree_members(links, root, *year_window(y))) for y in years}


def _matches(model: ScpModel, folded_query: str) -> bool:
    return (
        fold(model.code).startswith(folded_query)
        or name_matches(model.name, folded_query)
        or name_matches(model.org_unit.name, folded_query)
        or name_matches(model.description, folded_query)
    )


def scpmodel_years() -> list[int]:
    """The years that have models, newest first (the choices of the year filter)."""
    return list(ScpModel.objects.order_by("-year").values_list("year", flat=True).distinct())


def scpmodel_get(code: str) -> ScpModel | None:
    """The model with this code, its unit and its files (with who uploaded them)."""
    return (
        ScpModel.objects.select_related("org_unit")
        .prefetch_related("files__uploaded_by")
        .filter(code=code)
        .first()
    )


def scpmodel_counts(models: Sequence[ScpModel]) -> dict[str, int]:
    """How many of the models are of each kind."""
    counts = {kind: 0 for kind in ModelKind.values}
    for model in models:
        counts[model.kind] = counts.get(model.kind, 0) + 1
    return counts


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One record of a model's history: when, who, what kind of change, why, and the fields
    that changed with their old and new values."""

    at: dt.datetime
    user: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


_ACTIONS = {"+": gettext_noop("Tạo mới"), "~": gettext_noop("Sửa"), "-": gettext_noop("Xóa")}
_SHOWN_FIELDS = ("name", "kind", "org_unit", "year", "description")


def scpmodel_history(model: ScpModel) -> list[HistoryEntry]:
    """The model's history, newest first, each record compared with the one before it
    (two queries: the records, and the units they name)."""
    records = list(model.history.select_related("history_user").order_by("history_date"))
    unit_ids = {r.org_unit_id for r in records if r.org_unit_id}
    units = {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=unit_ids)}
    kinds = {value: str(label) for value, label in ModelKind.choices}

    def shown(name: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if name == "org_unit":
            return units.get(value, str(value))
        if name == "kind":
            return str(kinds.get(value, value))
        return str(value)

    entries = []
    previous = None
    for record in records:
        changes: list[Change] = []
        if previous is not None:
            for name in _SHOWN_FIELDS:
                attribute = "org_unit_id" if name == "org_unit" else name
                old, new = getattr(previous, attribute), getattr(record, attribute)
                if old != new:
                    field_ = ScpModel._meta.get_field(name)
                    label = str(getattr(field_, "verbose_name", name))
                    changes.append(Change(label, shown(name, old), shown(name, new)))
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=str(record.history_user) if record.history_user else "—",
                action=gettext(_ACTIONS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    entries.reverse()
    return entries


def evidence_for_download(*, pk: int, access: Access) -> Evidence | None:
    """An evidence file the user may download, or None.

    Models and qualitative assessments are read by every signed-in user (they are not
    unit-scoped, unpublished data), so the right is being signed in; the file itself is
    never public (MEDIA_URL is not served)."""
    if not access.is_authenticated:
        return None
    return Evidence.objects.filter(pk=pk).first()


@dataclass(frozen=True)
class UnitOption:
    code: str
    name: str
    type_label: str
    valid_from: dt.date
    valid_to: dt.date | None


def host_unit_options() -> list[UnitOption]:
    """Every unit, by type then name: the suggestions of the model form's unit field."""
    rows = OrgUnit.objects.values_list("code", "name", "type", "valid_from", "valid_to")
    options = [UnitOption(c, n, str(TYPE_LABELS.get(t, t)), f, to) for c, n, t, f, to in rows]
    order = {str(label): index for index, label in enumerate(TYPE_LABELS.values())}
    return sorted(options, key=lambda o: (order.get(o.type_label, 99), fold(o.name), o.code))


_CODE_AT_END = re.compile(r"\(([^()\s]+)\)\s*$")


def host_unit_lookup(text: str) -> OrgUnit | None:
    """The unit a user typed: its code, "name (code)", or its full name (diacritics and case
    ignored) when only one unit has that name."""
    text = text.strip()
    if not text:
        return None
    unit = OrgUnit.objects.filter(code=text).first()
    if unit is not None:
        return unit
    match = _CODE_AT_END.search(text)
    if match:
        unit = OrgUnit.objects.filter(code=match.group(1)).first()
        if unit is not None:
            return unit
    folded = fold(text)
    same = [pk for pk, name in OrgUnit.objects.values_list("pk", "name") if fold(name) == folded]
    return OrgUnit.objects.get(pk=same[0]) if len(same) == 1 else None
