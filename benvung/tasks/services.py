"""Writes of the plan's tasks: loading the starting list and the agencies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from benvung.orgunits.models import OrgUnit
from benvung.orgunits.services import orgunits_import
from benvung.plans.models import Indicator, Objective, Plan
from benvung.tasks.models import Task, TaskGroup

TASK_DATA_DIR = Path(__file__).resolve().parent / "data"
AGENCY_FILE = TASK_DATA_DIR / "haiduong_agencies.csv"
TASK_FILE = TASK_DATA_DIR / "kh2627_tasks.json"


@dataclass
class TaskLoadResult:
    groups_created: int = 0
    tasks_created: int = 0
    unchanged: int = 0


def agencies_load(*, path: Path = AGENCY_FILE) -> str:
    """Create or update the provincial agencies (CO_QUAN units) from the agency file.

    Idempotent; returns a Vietnamese summary line. Raises RuntimeError naming the problems
    when the file is wrong (nothing is stored then)."""
    with path.open("rb") as fh:
        result = orgunits_import(file=fh, filename=path.name)
    if not result.ok:
        raise RuntimeError("\n".join(str(p) for p in result.problems))
    return (
        f"Sở, ngành, đoàn thể: {result.created} mới, {result.updated} cập nhật, "
        f"{result.unchanged} không đổi."
    )


def tasks_load(*, definition: dict[str, Any]) -> TaskLoadResult:
    """Create the task groups and tasks of a definition that do not exist yet (by code).

    Existing groups and tasks are left as they are, so that edits made in the system survive
    a re-run of `benvung init`. Unknown objective, indicator or agency codes are an error
    (ValueError naming the task and the code) and nothing is stored."""
    plan = Plan.objects.get(code=definition["plan"])
    objectives = {o.code: o for o in Objective.objects.filter(plan=plan)}
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    agency_codes = {
        code
        for group in definition["groups"]
        for task in group["tasks"]
        for code in [task.get("lead"), *task.get("coordinating", [])]
        if code
    }
    agencies = OrgUnit.objects.in_bulk(list(agency_codes), field_name="code")
    result = TaskLoadResult()
    with transaction.atomic():
        for group_def in definition["groups"]:
            group, created = TaskGroup.objects.get_or_create(
                plan=plan,
                code=group_def["code"],
                defaults={
                    "name": group_def["name"],
                    "order": group_def.get("order", 0),
                    "note": group_def.get("note", ""),
                },
            )
            result.groups_created += int(created)
            for order, task_def in enumerate(group_def["tasks"], start=1):
                where = f"nhiệm vụ {task_def['code']}"
                missing = [c for c in task_def.get("objectives", []) if c not in objectives] + [
                    c for c in task_def.get("indicators", []) if c not in indicators
                ]
                missing += [
                    c
                    for c in [task_def.get("lead"), *task_def.get("coordinating", [])]
                    if c and c not in agencies
                ]
                if missing:
                    raise ValueError(f"{where}: không có mã {', '.join(missing)} trong hệ thống")
                if Task.objects.filter(plan=plan, code=task_def["code"]).exists():
                    result.unchanged += 1
                    continue
                task = Task.objects.create(
                    plan=plan,
                    group=group,
                    code=task_def["code"],
                    title=task_def["title"],
                    description=task_def.get("description", ""),
                    lead_agency=agencies.get(task_def.get("lead") or ""),
                    start_year=task_def.get("start_year", plan.start_year),
                    end_year=task_def.get("end_year", plan.end_year),
                    expected_outputs=task_def.get("expected_outputs", ""),
                    order=order,
                )
                task.objectives.set([objectives[c] for c in task_def.get("objectives", [])])
                task.indicators.set([indicators[c] for c in task_def.get("indicators", [])])
                task.coordinating_agencies.set(
                    [agencies[c] for c in task_def.get("coordinating", [])]
                )
                result.tasks_created += 1
    return result


def tasks_load_file(*, path: Path = TASK_FILE) -> str:
    """Load the agencies and the task file; returns a Vietnamese summary line."""
    with path.open(encoding="utf-8") as fh:
        definition = json.load(fh)
    result = tasks_load(definition=definition)
    return (
        f"Nhiệm vụ {definition['plan']}: {result.groups_created} nhóm mới, "
        f"{result.tasks_created} nhiệm vụ mới, {result.unchanged} không đổi."
    )
