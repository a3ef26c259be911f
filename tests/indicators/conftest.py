"""The indicator tests' data set (`engine_data`) as a fixture."""

from __future__ import annotations

import pytest

from benvung.plans.models import Plan
from benvung.plans.services import PLAN_DATA_DIR, plan_load_file
from tests.indicators.engine_data import MODELS, PARENT_MOVE, UNITS, VALUES, load


@pytest.fixture
def dataset() -> Plan:
    """Hải Dương's plan (2627) over the hand-made units, values and models."""
    load("orgunits", UNITS)
    from benvung.orgunits.models import OrgUnit, ParentLink

    l1 = OrgUnit.objects.get(code="L1")
    ParentLink.objects.filter(unit=l1).delete()
    for _child, parent, start, end in PARENT_MOVE:
        ParentLink.objects.create(
            unit=l1, parent=OrgUnit.objects.get(code=parent), valid_from=start, valid_to=end
        )
    plan = plan_load_file(path=PLAN_DATA_DIR / "kh2627.json")
    plan.scope_root = OrgUnit.objects.get(code="P")
    plan.save()
    load("data", VALUES)
    load("models", MODELS)
    return plan
