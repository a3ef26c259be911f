"""System-level writes: initialising an installation."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from benvung.core import published
from benvung.core.models import SiteState
from benvung.orgunits.reform import reform_load
from benvung.orgunits.services import orgunits_import
from benvung.plans.services import PLAN_DATA_DIR, plan_load, plans_load_around
from benvung.reporting.services import data_sets_load

ORGUNIT_DATA = Path(__file__).resolve().parents[1] / "orgunits" / "data" / "haiduong_2021.csv"


def system_init(*, demo: bool = False, seed: int = 2627) -> list[str]:
    """Load the administrative units and the KH-2627 plan; with `demo`, generated demo data.

    Idempotent: a second run changes nothing (demo data is generated once per installation).
    Returns human-readable summary lines.
    """
    lines: list[str] = []
    with ORGUNIT_DATA.open("rb") as fh:
        result = orgunits_import(file=fh, filename=ORGUNIT_DATA.name)
    if not result.ok:
        raise RuntimeError("\n".join(str(p) for p in result.problems))
    lines.append(
        f"Đơn vị hành chính: {result.created} mới, {result.updated} cập nhật, "
        f"{result.unchanged} không đổi."
    )
    # After the 2025 reform: Hải Phòng's units, the lineage, and the national programme that
    # KH-2627 implements (loaded first so that KH-2627 can name it as its parent).
    lines.extend(reform_load())
    lines.extend(plans_load_around(before=True))
    with (PLAN_DATA_DIR / "kh2627.json").open(encoding="utf-8") as fh:
        definition = json.load(fh)
    plan = plan_load(definition=definition)
    data_sets = data_sets_load(definitions=definition.get("data_sets", []))
    lines.append(
        f"Kế hoạch {plan.code}: {plan.indicators.count()} chỉ tiêu, "
        f"{len(data_sets)} biểu mẫu báo cáo."
    )
    lines.extend(plans_load_around(before=False))
    from benvung.tasks.services import agencies_load, tasks_load_file

    lines.append(agencies_load())
    lines.append(tasks_load_file())
    if demo:
        state = SiteState.load()
        if state.has_demo_data:
            lines.append("Dữ liệu minh họa đã có, không sinh lại.")
        else:
            from benvung.core.demo import generate_demo
            from benvung.portal.demo import generate_news_demo

            with transaction.atomic():
                lines.extend(generate_demo(seed=seed))
                lines.extend(generate_news_demo(seed=seed))
                from benvung.annualplans.demo import generate_annual_demo

                lines.extend(generate_annual_demo(seed=seed))
                state.has_demo_data = True
                state.demo_seed = seed
                state.save(update_fields=["has_demo_data", "demo_seed"])
    published.changed()
    return lines
