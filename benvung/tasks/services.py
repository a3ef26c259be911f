"""Writes of the plan's tasks: loading the starting list and the agencies."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from benvung.orgunits.models import OrgUnit, Succession, SuccessionKind
from benvung.orgunits.reform import parents_import
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
    """Create the provincial agencies (CO_QUAN units) of the agency file that do not exist yet.

    Existing agencies are left as they are, so that edits made in the system survive a re-run
    of `benvung init`. A new agency hangs under the province until 30/6/2025 and under the city
    that took over its territory from 1/7/2025 (the reform's province-level succession), so that
    the tree shows it after the reform too. Returns a Vietnamese summary line; raises
    RuntimeError naming the problems when the file is wrong (nothing is stored then)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    existing = set(
        OrgUnit.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True)
    )
    new_rows = [r for r in rows if r["code"] not in existing]
    if not new_rows:
        return f"Sở, ngành, đoàn thể: 0 mới, {len(existing)} không đổi."
    with transaction.atomic():
        result = orgunits_import(file=_csv_bytes(header, new_rows), filename=path.name)
        if not result.ok:
            raise RuntimeError("\n".join(str(p) for p in result.problems))
        links = _links_across_the_reform(new_rows)
        if links:
            moved = parents_import(
                file=_csv_bytes(["code", "parent", "valid_from", "valid_to"], links),
                filename=path.name,
            )
            if not moved.ok:
                raise RuntimeError("\n".join(str(p) for p in moved.problems))
    return f"Sở, ngành, đoàn thể: {result.created} mới, {len(existing)} không đổi."


def _links_across_the_reform(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Parent links of agencies whose province ceased: the province up to its last day, then
    its successor (the unit it merged into)."""
    parents = {r["parent"] for r in rows if r["parent"]}
    successions = {
        s.predecessor.code: s
        for s in Succession.objects.filter(
            predecessor__code__in=parents, kind=SuccessionKind.MERGE
        ).select_related("predecessor", "successor")
    }
    links: list[dict[str, str]] = []
    for row in rows:
        succession = successions.get(row["parent"])
        if succession is None:
            continue
        last_day = succession.date - dt.timedelta(days=1)
        links.append(
            {"code": row["code"], "parent": row["parent"], "valid_from": row["valid_from"],
             "valid_to": last_day.isoformat()}
        )  # fmt: skip
        links.append(
            {"code": row["code"], "parent": succession.successor.code,
             "valid_from": succession.date.isoformat(), "valid_to": row["valid_to"]}
        )  # fmt: skip
    return links


def _csv_bytes(header: list[str], rows: list[dict[str, str]]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8"))


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
