"""The generated demo data set: deterministic, labelled, and complete enough for every indicator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from benvung.accounts.models import RoleAssignment
from benvung.core.demo import (
    DEMO_SUFFIX,
    RETURN_COMMENTS,
    admin_units,
    demo_rows,
    demo_submissions,
)
from benvung.core.models import SiteState
from benvung.core.services import system_init
from benvung.datavalues.models import DataValue
from benvung.indicators.services import plan_progress
from benvung.orgunits.models import OrgUnit, Sector, UnitType
from benvung.plans.models import Plan, QualitativeAssessment
from benvung.reporting.models import Submission, SubmissionEvent
from benvung.reporting.selectors import data_set_of_element
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
    # Departments are the real agencies loaded by `init`, never demo copies of them.
    assert counts[UnitType.CO_QUAN] == 0
    assert OrgUnit.objects.filter(type=UnitType.CO_QUAN, is_demo=False).count() >= 10
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
    assert users.get(username="admin").check_password("admin")


@pytest.mark.django_db
def test_demo_accounts_have_their_roles(demo_lines: list[str]) -> None:
    roles = {
        (a.user.username, a.role, a.org_unit.code if a.org_unit else None)
        for a in RoleAssignment.objects.select_related("user", "org_unit")
    }
    supermarket = OrgUnit.objects.get(code="DEMO-ST-07")
    assert supermarket.type == UnitType.SIEU_THI
    assert roles == {
        ("demo", "coordinator", None),
        ("baocao", "reporter", "288"),
        ("sieuthi", "reporter", "DEMO-ST-07"),
        ("lanhdao", "leader", None),
        ("admin", "administrator", None),
    }
    users = get_user_model().objects
    for username in ("baocao", "sieuthi", "lanhdao"):
        user = users.get(username=username)
        assert user.check_password("demo")
        assert not user.is_staff and not user.is_superuser
    assert any("baocao/demo" in line and "lanhdao/demo" in line for line in demo_lines)


@pytest.mark.django_db
def test_demo_reports_follow_the_workflow(demo_lines: list[str]) -> None:
    keys = {
        (data_set_of_element(code).code, unit, period)  # type: ignore[union-attr]
        for code, unit, period in DataValue.objects.values_list(
            "data_element__code", "org_unit__code", "period"
        ).distinct()
    }
    submissions = Submission.objects.select_related("data_set", "org_unit")
    assert {(s.data_set.code, s.org_unit.code, s.period) for s in submissions} == keys

    earlier = submissions.filter(year__lte=2024)
    assert not earlier.exclude(status="approved").exists()
    late = [s for s in earlier if s.submitted_at.date() > dt.date(s.year, 12, 20)]
    assert 0 < len(late) < 0.15 * earlier.count()  # a few late, most on time
    assert all(s.decided_at > s.submitted_at for s in earlier)
    assert {s.submitted_by.username for s in earlier} == {"demo"}

    current = submissions.filter(year=2025)
    counts = {status: current.filter(status=status).count() for status in
              ("draft", "submitted", "approved", "returned")}  # fmt: skip
    assert counts["submitted"] > counts["approved"] > counts["returned"] > 0
    assert counts["draft"] > 0
    assert all(s.comment in RETURN_COMMENTS for s in current.filter(status="returned"))
    assert not current.filter(status="draft", submitted_at__isnull=False).exists()

    # Events: submit (and approve or return) by demo, at the submission's own moments.
    events = SubmissionEvent.objects.select_related("submission", "user")
    assert {e.user.username for e in events} == {"demo"}
    expected = sum(1 for s in submissions if s.submitted_at) + sum(
        1 for s in submissions if s.decided_at
    )
    assert events.count() == expected
    for event in events.filter(action="approve")[:50]:
        assert event.at == event.submission.decided_at
    for event in events.filter(action="submit")[:50]:
        assert event.at == event.submission.submitted_at
    returned = events.filter(action="return")
    assert returned.exists() and all(e.comment for e in returned)

    # Published figures: the years up to 2024 are complete in the approved view.
    plan = Plan.objects.get(code="KH-2627")
    every = {e.indicator.code: e.value for e in plan_progress(plan=plan, year=2024)}
    approved = {
        e.indicator.code: e.value for e in plan_progress(plan=plan, year=2024, approved_only=True)
    }
    assert approved == every
    approved_2025 = plan_progress(plan=plan, year=2025, approved_only=True)
    assert any(e.value is not None for e in approved_2025)


def test_demo_submissions_are_deterministic() -> None:
    keys = [("NHAN_THUC", f"U{n}", str(year)) for n in range(40) for year in (2023, 2024, 2025)]
    first = demo_submissions(2627, keys)
    assert first == demo_submissions(2627, list(reversed(keys)))
    assert first != demo_submissions(1, keys)
    assert {r.status for r in first if r.period == "2024"} == {"approved"}


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
