"""The hierarchy kept between requests: reused while units, links and successions stay as
they are, read again after any write to them, whatever the path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from benvung.datavalues.models import DataValue
from benvung.indicators import structure
from benvung.indicators.selectors import IndicatorInputs
from benvung.orgunits.models import OrgUnit, ParentLink, Succession
from benvung.plans.models import Plan
from tests.factories import DataValueFactory, OrgUnitFactory, unit_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    province = OrgUnitFactory(code="P", type="TINH")
    other = OrgUnitFactory(code="Q", type="TINH")
    district = unit_under(province, code="D", type="HUYEN")
    unit_under(district, code="K", type="KCN")
    unit_under(other, code="K2", type="KCN")
    return Plan.objects.create(
        code="KH",
        name="Kế hoạch thử",
        issuing_body="UBND",
        decision="1/QĐ",
        decision_date=dt.date(2020, 8, 31),
        base_year=2020,
        start_year=2021,
        end_year=2030,
        scope_root=province,
    )


def kcn_2024(plan: Plan) -> list[str]:
    return IndicatorInputs(plan=plan).active_units(types=["KCN"], year=2024)


def test_the_walk_is_reused_while_the_hierarchy_is_unchanged(plan: Plan) -> None:
    first = IndicatorInputs(plan=plan)
    assert first.active_units(types=["KCN"], year=2024) == ["K"]
    # A value is not part of the hierarchy: storing one keeps the walk.
    DataValueFactory(org_unit=OrgUnit.objects.get(code="K"), period="2024")
    second = IndicatorInputs(plan=plan)
    assert second.hierarchy is first.hierarchy
    assert second.area_view is first.area_view
    assert DataValue.objects.count() == 1


def test_a_link_changed_without_signals_is_seen_at_once(plan: Plan) -> None:
    assert kcn_2024(plan) == ["K"]
    # A queryset update sends no signal; the database's trigger still changes the token.
    ParentLink.objects.filter(unit__code="K2").update(
        parent=OrgUnit.objects.get(code="D"), valid_from=dt.date(2020, 1, 1)
    )
    assert kcn_2024(plan) == ["K", "K2"]


def test_units_inserted_in_bulk_are_seen_at_once(plan: Plan) -> None:
    assert kcn_2024(plan) == ["K"]
    new = OrgUnit.objects.bulk_create(
        [OrgUnit(code="K3", name="KCN Ba", type="KCN", valid_from=dt.date(2022, 1, 1))]
    )
    ParentLink.objects.bulk_create(
        [
            ParentLink(
                unit=new[0],
                parent=OrgUnit.objects.get(code="D"),
                valid_from=dt.date(2022, 1, 1),
            )
        ]
    )
    assert kcn_2024(plan) == ["K", "K3"]


def test_a_unit_closed_by_hand_written_sql_is_seen_at_once(plan: Plan) -> None:
    assert kcn_2024(plan) == ["K"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orgunits_orgunit SET valid_to = %s WHERE code = %s",
            [dt.date(2023, 12, 31), "K"],
        )
    assert kcn_2024(plan) == []


def test_a_succession_changes_the_territory(plan: Plan) -> None:
    before = IndicatorInputs(plan=plan).hierarchy
    Succession.objects.create(
        predecessor=OrgUnit.objects.get(code="K"),
        successor=OrgUnit.objects.get(code="K2"),
        date=dt.date(2025, 7, 1),
        kind="MERGE",
    )
    assert IndicatorInputs(plan=plan).hierarchy is not before


def test_a_deleted_unit_is_gone_at_once(plan: Plan) -> None:
    assert "K2" in IndicatorInputs(plan=plan).units
    OrgUnit.objects.filter(code="K2").delete()
    assert "K2" not in IndicatorInputs(plan=plan).units


def test_forgetting_reads_again(plan: Plan) -> None:
    before = IndicatorInputs(plan=plan).hierarchy
    structure.forget()
    assert IndicatorInputs(plan=plan).hierarchy is not before


def test_a_walked_hierarchy_is_frozen_out_of_full_collections_until_replaced(
    plan: Plan,
) -> None:
    import gc

    assert gc.get_freeze_count() == 0
    assert kcn_2024(plan) == ["K"]
    # The next request finds the walk done: the objects then alive are frozen.
    kcn_2024(plan)
    assert gc.get_freeze_count() > 0
    # A new hierarchy gives them back, so that the old one can be freed.
    OrgUnit.objects.filter(code="K2").update(name="KCN Hai mới")
    kcn_2024(plan)
    assert gc.get_freeze_count() == 0
