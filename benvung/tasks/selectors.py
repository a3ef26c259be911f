"""Reads of the plan's tasks: the list by group, filtered by agency and searched without
regard to accents."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from benvung.orgunits.models import OrgUnit
from benvung.orgunits.selectors import fold
from benvung.tasks.models import AGENCY_TYPES, Task, TaskGroup


@dataclass
class GroupWithTasks:
    group: TaskGroup
    tasks: list[Task] = field(default_factory=list)


def agencies(year: int | None = None) -> QuerySet[OrgUnit]:
    """Units that can lead or co-ordinate a task: departments first, then districts."""
    qs = OrgUnit.objects.filter(type__in=AGENCY_TYPES, is_demo=False)
    if year is not None:
        qs = qs.active_in_year(year)
    return qs.order_by("-type", "code")


def task_list(*, plan_code: str, agency: str = "", q: str = "") -> list[GroupWithTasks]:
    """The plan's tasks by group (groups in order, empty groups kept only when unfiltered).

    `agency` (a unit code) keeps tasks it leads or co-ordinates; `q` matches the code, title,
    description or outputs, ignoring accents and case ("tieu dung" finds "tiêu dùng")."""
    tasks = (
        Task.objects.filter(plan__code=plan_code)
        .select_related("group", "lead_agency")
        .prefetch_related("objectives", "indicators", "coordinating_agencies")
        .order_by("group__order", "group__code", "order", "code")
    )
    if agency:
        tasks = tasks.filter(
            Q(lead_agency__code=agency) | Q(coordinating_agencies__code=agency)
        ).distinct()
    found = list(tasks)
    if q:
        needle = fold(q)
        found = [
            t
            for t in found
            if needle in fold(" ".join((t.code, t.title, t.description, t.expected_outputs)))
        ]
    groups = {
        g.pk: GroupWithTasks(g)
        for g in TaskGroup.objects.filter(plan__code=plan_code).order_by("order", "code")
    }
    for task in found:
        groups[task.group_id].tasks.append(task)
    filtered = bool(agency or q)
    return [g for g in groups.values() if g.tasks or not filtered]
