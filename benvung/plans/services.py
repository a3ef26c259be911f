"""Writes to the indicator framework: loading a plan definition file, and the co-ordinator's
assessment of a qualitative indicator."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from benvung.accounts.selectors import access_for
from benvung.datavalues.models import DataElement
from benvung.indicators.domain.progress import Status
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import (
    Indicator,
    IndicatorVersion,
    Milestone,
    Objective,
    Plan,
    QualitativeAssessment,
    Target,
)
from benvung.scpmodels.services import evidence_attach, evidence_files_problems, evidence_remove

PLAN_DATA_DIR = Path(__file__).resolve().parent / "data"


def _decimal(raw: Any) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


@transaction.atomic
def plan_load(*, definition: dict[str, Any]) -> Plan:
    """Create or update a plan, its data elements, objectives, indicators and targets.

    Idempotent: loading the same definition twice changes nothing. Targets of an indicator
    are replaced by those of the definition, since the definition is their source.
    """
    for spec in definition.get("data_elements", []):
        DataElement.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "unit_types": spec["unit_types"],
                "value_type": spec["value_type"],
                "period_type": spec.get("period_type", "yearly"),
                "dimension": spec.get("dimension", ""),
                "canonical_unit": spec.get("canonical_unit", ""),
            },
        )
    scope_code = definition.get("scope_root")
    scope = OrgUnit.objects.filter(code=scope_code).first() if scope_code else None
    plan, _ = Plan.objects.update_or_create(
        code=definition["code"],
        defaults={
            "name": definition["name"],
            "short_name": definition.get("short_name", ""),
            "issuing_body": definition["issuing_body"],
            "decision": definition["decision"],
            "decision_date": dt.date.fromisoformat(definition["decision_date"]),
            "implements": definition.get("implements", ""),
            "lead_agency": definition.get("lead_agency", ""),
            "base_year": definition["base_year"],
            "start_year": definition["start_year"],
            "end_year": definition["end_year"],
            "goal": definition.get("goal", ""),
            "scope_root": scope,
            "parent": Plan.objects.filter(code=definition.get("parent", "")).first(),
            "is_sample": definition.get("is_sample", False),
        },
    )
    objectives = {}
    for order, spec in enumerate(definition.get("objectives", []), start=1):
        objectives[spec["code"]], _ = Objective.objects.update_or_create(
            plan=plan, code=spec["code"], defaults={"name": spec["name"], "order": order}
        )
    for spec in definition.get("indicators", []):
        indicator, _ = Indicator.objects.update_or_create(
            plan=plan,
            code=spec["code"],
            defaults={
                "objective": objectives[spec["objective"]],
                "name": spec["name"],
                "formula": spec["formula"],
                "parameters": spec.get("parameters", {}),
                "unit": spec.get("unit", ""),
                "direction": spec.get("direction", "increase"),
                "methodology": spec.get("methodology", ""),
                "order": spec.get("order", 0),
            },
        )
        indicator.targets.all().delete()
        for target_spec in spec.get("targets", []):
            target = Target.objects.create(
                indicator=indicator,
                text=target_spec["text"],
                serves=_served_target(plan, target_spec.get("serves")),
            )
            Milestone.objects.bulk_create(
                Milestone(
                    target=target,
                    year=m["year"],
                    minimum=_decimal(m.get("minimum")),
                    maximum=_decimal(m.get("maximum")),
                    text=m.get("text", ""),
                )
                for m in target_spec.get("milestones", [])
            )
        indicator.versions.all().delete()
        IndicatorVersion.objects.bulk_create(
            IndicatorVersion(
                indicator=indicator,
                valid_from=dt.date.fromisoformat(v["valid_from"]),
                parameters=v["parameters"],
                decision=v["decision"],
                note=v.get("note", ""),
            )
            for v in spec.get("versions", [])
        )
    # PostgreSQL keeps CT07's link terms from now on (`indicators.terms`).
    from benvung.indicators import terms

    terms.register_plan(plan)
    return plan


def _served_target(plan: Plan, code: str | None) -> Target | None:
    """The first target of the parent plan's indicator `code` (None without one)."""
    if not code or plan.parent is None:
        return None
    return Target.objects.filter(indicator__plan=plan.parent, indicator__code=code).first()


# Plans loaded around KH-2627 by `benvung init`: its parent programme before, the other
# provincial plans after.
PLANS_BEFORE = ("ctqg889.json",)
PLANS_AFTER = ("haiphong_scp_minhhoa.json",)


def plans_load_around(*, before: bool) -> list[str]:
    """Load the plan files loaded before (or after) KH-2627; summary lines."""
    lines = []
    for name in PLANS_BEFORE if before else PLANS_AFTER:
        plan = plan_load_file(path=PLAN_DATA_DIR / name)
        lines.append(f"Kế hoạch {plan.code}: {plan.indicators.count()} chỉ tiêu.")
    return lines


def plan_load_file(*, path: Path) -> Plan:
    """Load a plan definition from a JSON file (see `data/kh2627.json`)."""
    with path.open(encoding="utf-8") as fh:
        return plan_load(definition=json.load(fh))


@transaction.atomic
def qualitative_assessment_set(
    *,
    indicator: Indicator,
    year: int,
    status: str,
    narrative: str,
    files: Sequence[Any] = (),
    user: Any,
    remove_files: Iterable[int] = (),
) -> QualitativeAssessment:
    """The co-ordinator sets the status of a qualitative indicator (CT05, CT06) for a year of
    the plan, what it rests on, and evidence files (added; `remove_files` removed by id).

    All or nothing: a bad status, year or file raises `ValidationError` (by field: status,
    attachments; the year as a whole-form error) and nothing is stored; other users get
    `PermissionDenied`. Records who set it (`updated_by`, `updated_at`)."""
    if not access_for(user).is_coordinator:
        raise PermissionDenied(
            gettext("Chỉ điều phối viên Sở Công Thương được đánh giá chỉ tiêu định tính.")
        )
    plan = indicator.plan
    problems: dict[str, list[str]] = {}
    if not indicator.is_qualitative:
        problems[NON_FIELD_ERRORS] = [
            gettext("Chỉ tiêu %(code)s được tính từ số liệu, không đánh giá định tính.")
            % {"code": indicator.code}
        ]
    elif not plan.start_year <= year <= plan.end_year:
        problems[NON_FIELD_ERRORS] = [
            gettext("Năm %(year)s ngoài thời gian thực hiện kế hoạch (%(start)s–%(end)s).")
            % {"year": year, "start": plan.start_year, "end": plan.end_year}
        ]
    if status not in {s.value for s in Status}:
        problems["status"] = [gettext("Đánh giá “%(status)s” không hợp lệ.") % {"status": status}]
    if file_problems := evidence_files_problems(files):
        problems["attachments"] = file_problems
    if problems:
        raise ValidationError(problems)
    assessment, _ = QualitativeAssessment.objects.update_or_create(
        indicator=indicator,
        year=year,
        defaults={
            "status": status,
            "evidence": narrative.strip(),
            "updated_by": user if getattr(user, "pk", None) else None,
        },
    )
    if files:
        evidence_attach(files=files, user=user, assessment=assessment)
    removed = assessment.files.filter(pk__in=list(remove_files))
    if removed:
        evidence_remove(evidence=list(removed), user=user)
    return assessment
