"""Reads of the REST API: the querysets behind its endpoints, with the visibility rules.

Who may read which values is decided by `accounts.selectors` (the one place that answers
permission questions) and which values are published by `reporting.selectors.approved_values`;
this module only combines them into querysets the endpoints paginate and filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from benvung.accounts.selectors import Access, readable_unpublished_units
from benvung.datavalues.models import DataValue
from benvung.datavalues.selectors import value_years
from benvung.orgunits.models import OrgUnit, ParentLink, UnitType
from benvung.plans.models import Indicator, Milestone, Objective, Plan, Target
from benvung.reporting.selectors import approved_values

# Enterprise figures are confidential: the public never reads them, approved or not.
CONFIDENTIAL_UNIT_TYPES = (UnitType.DOANH_NGHIEP,)


def _milestones() -> Prefetch[str, QuerySet[Milestone], str]:
    return Prefetch("milestones", queryset=Milestone.objects.order_by("year"))


def _targets() -> Prefetch[str, QuerySet[Target], str]:
    return Prefetch(
        "targets",
        queryset=Target.objects.order_by("id").prefetch_related(_milestones()),
    )


def plans_all() -> QuerySet[Plan]:
    """Every plan, by code, with its territory's code."""
    return Plan.objects.select_related("scope_root").order_by("code")


def plans_with_framework() -> QuerySet[Plan]:
    """Plans with their objectives, indicators, targets and milestones (five queries)."""
    indicators = Indicator.objects.order_by("order", "code").prefetch_related(_targets())
    objectives = Objective.objects.order_by("order", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    return plans_all().prefetch_related(Prefetch("objectives", queryset=objectives))


def indicators_all() -> QuerySet[Indicator]:
    """Every indicator with its plan, objective, targets and milestones, in plan order."""
    return (
        Indicator.objects.select_related("plan", "objective")
        .prefetch_related(_targets())
        .order_by("plan__code", "order", "code")
    )


def targets_all() -> QuerySet[Target]:
    """Every target with its indicator, plan and milestones."""
    return (
        Target.objects.select_related("indicator__plan")
        .prefetch_related(_milestones())
        .order_by("indicator__plan__code", "indicator__order", "indicator__code", "id")
    )


def _valid_on(prefix: str, day: dt.date) -> Q:
    """Q for rows (or the `prefix` relation) whose validity contains `day`."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def orgunits_as_of(day: dt.date, *, units: QuerySet[OrgUnit] | None = None) -> QuerySet[OrgUnit]:
    """The units (of `units`, all by default) valid on `day`, each annotated with the code
    and name of its parent that day (the parent named by the link valid that day, when that
    parent was itself valid)."""
    link = (
        ParentLink.objects.filter(unit=OuterRef("pk"))
        .filter(_valid_on("", day))
        .filter(_valid_on("parent__", day))
        .order_by("valid_from")
    )
    return (
        (OrgUnit.objects.all() if units is None else units)
        .filter(_valid_on("", day))
        .annotate(
            parent_code=Subquery(link.values("parent__code")[:1]),
            parent_name=Subquery(link.values("parent__name")[:1]),
        )
        .order_by("code")
    )


def orgunits_with_links() -> QuerySet[OrgUnit]:
    """Every unit with all its dated parent links, oldest first."""
    links = ParentLink.objects.select_related("parent").order_by("valid_from")
    units: QuerySet[OrgUnit] = OrgUnit.objects.all()
    return units.prefetch_related(Prefetch("parent_links", queryset=links))


def datavalues_visible(
    access: Access, *, years: Iterable[int] | None = None
) -> QuerySet[DataValue]:
    """The values the user may read, each annotated with `approved`.

    The public reads approved values except enterprises'; a signed-in user reads approved
    values and the unpublished values of the units `readable_unpublished_units` grants in
    each year (every unit for co-ordinators, leaders and administrators). `years` limits
    the years for which unpublished grants are computed (all years with values otherwise).
    """
    values = (
        DataValue.objects.select_related("data_element", "org_unit")
        .annotate(approved=Exists(approved_values(DataValue.objects.filter(pk=OuterRef("pk")))))
        .order_by("data_element__code", "org_unit__code", "period", "pk")
    )
    if not access.is_authenticated:
        return values.filter(approved=True).exclude(org_unit__type__in=CONFIDENTIAL_UNIT_TYPES)
    if years is None:
        years = value_years()
    visible = Q(approved=True)
    for year in sorted(set(years)):
        readable = readable_unpublished_units(access, year)
        if readable is None:
            return values
        if readable:
            visible |= Q(year=year, org_unit__code__in=sorted(readable))
    return values.filter(visible)


def progress_approved_only(access: Access, *, requested: bool) -> bool:
    """Whether progress figures must come from approved reports only: always for the public
    and for users who may not read every unit's unpublished data."""
    return requested or not access.reads_everything
