"""The generated demo data set: deterministic, labelled, and complete enough for every indicator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from benvung.core.demo import DEMO_SUFFIX, admin_units, demo_rows
from benvung.core.models import SiteState
from benvung.core.services import system_init
from benvung.datavalues.models import DataValue
from benvung.indicators.services import plan_progress
from benvung.orgunits.models import OrgUnit, Sector, UnitType
from benvung.plans.models import Plan, QualitativeAssessment
from benvung.scpmodels.models import ScpModel

SECTORS = [s.value for s in Sector]
REQUIRED = ["CT01", "CT02", "CT03", "CT04", "CT09"] + [
    f"CT07.{sector}.{kind}" for sector in SECTORS for kind in ("NVL", "NL")
]


@pytest.fixture
def demo_lines(db: None) -> list[str]:
    return system_init(demo=True)


@pytest.mark.django_db
def test_rows_are_deterministic_for_a_seed() -> None:
    system_init()  # the administrative units only
    units = admin_units()
    first = demo_rows(2627, units)
    assert first == demo_rows(2627, units)
    assert first == demo_rows(2627, list(reversed(units)))
    other = demo_rows(1, units)
    assert other.datavalues != first.datavalues
    assert other.orgunits != first.orgunits


@pytest.mark.django_db
def test_demo_is_loaded_and_labelled(demo_lines: list[str]) -> None:
    summary = next(line for line in demo_lines if line.startswith("Dữ liệu minh họa"))
    assert "hạt giống 2627" in summary
    assert SiteState.load().has_demo_data

    demo_units = OrgUnit.objects.filter(code__startswith="DEMO-")
    assert demo_units.count() > 100
    assert not demo_units.filter(is_demo=False).exists()
    assert all(name.endswith(DEMO_SUFFIX) for name in demo_units.values_list("name", flat=True))
    assert not OrgUnit.objects.filter(is_demo=True).exclude(code__startswith="DEMO-").exists()
    counts = {t: demo_units.filter(type=t).count() for t in UnitType.values}
    assert counts[UnitType.KCN] >= 10
    assert counts[UnitType.CCN] >= 20
    assert counts[UnitType.LANG_NGHE] >= 10
    assert counts[UnitType.SIEU_THI] + counts[UnitType.TTTM] >= 15
    assert counts[UnitType.DOANH_NGHIEP] >= 50
    assert counts[UnitType.CO_QUAN] == 10
    # Units open and close during the plan.
    assert demo_units.filter(valid_from__year__gt=2020).exists()
    assert demo_units.filter(valid_to__isnull=False).exists()

    values = DataValue.objects.all()
    assert values.count() > 1000
    assert not values.exclude(source="demo").exists()
    assert not values.exclude(comment="Dữ liệu minh họa").exists()
    assert values.filter(year=2020).exists()

    models = ScpModel.objects.all()
    assert models.filter(kind="AP_DUNG").count() >= 5
    assert models.filter(kind="NHAN_RONG").count() >= 5
    assert not models.filter(is_demo=False).exists()
    assert all(m.name.endswith(DEMO_SUFFIX) for m in models)

    assessed = QualitativeAssessment.objects.filter(indicator__plan__code="KH-2627")
    assert set(assessed.values_list("indicator__code", flat=True)) == {"CT05", "CT06"}
    assert set(assessed.values_list("year", flat=True)) == set(range(2021, 2026))

    users = get_user_model().objects
    demo_user = users.get(username="demo")
    assert demo_user.is_staff and not demo_user.is_superuser
    assert demo_user.check_password("demo")
    assert users.get(username="admin").is_superuser


@pytest.mark.django_db
def test_every_sector_has_enterprises_with_data(demo_lines: list[str]) -> None:
    for sector in SECTORS:
        for element in ("SX_SAN_LUONG", "TH_NGUYEN_LIEU", "TH_NANG_LUONG"):
            assert DataValue.objects.filter(
                org_unit__sector=sector, data_element__code=element, year=2025
            ).exists(), (sector, element)


@pytest.mark.django_db
def test_demo_is_generated_once(demo_lines: list[str]) -> None:
    count = DataValue.objects.count()
    lines = system_init(demo=True)
    assert "Dữ liệu minh họa đã có, không sinh lại." in lines
    assert DataValue.objects.count() == count


@pytest.mark.django_db
def test_progress_2025_has_values(demo_lines: list[str]) -> None:
    plan = Plan.objects.get(code="KH-2627")
    evaluations = {e.indicator.code: e for e in plan_progress(plan=plan, year=2025)}
    missing = [code for code in REQUIRED if evaluations[code].value is None]
    assert not missing
    ct01 = evaluations["CT01"].value
    assert ct01 is not None and Decimal(40) <= ct01 <= Decimal(90)
    ct03 = evaluations["CT03"].value
    assert ct03 is not None and Decimal(70) <= ct03 <= Decimal(95)
    ct04 = evaluations["CT04"].value
    assert ct04 is not None and Decimal(60) <= ct04 <= Decimal(90)
    assert evaluations["CT02"].value == 8
    assert evaluations["CT05"].status is not None
