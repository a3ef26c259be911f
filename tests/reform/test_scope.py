"""A plan's territory after the reform, its indicators across the definition break, the
re-parenting proposals, the refusal of data for ceased units and the comparable series."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from benvung.datavalues.services import datavalues_import
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import evaluate, plan_indicators
from benvung.orgunits.models import ParentLink
from benvung.orgunits.reform import parent_proposals, parents_import, proposals_rows
from benvung.orgunits.series import area_roots, area_series
from tests.reform.conftest import World


def load_values(rows: str) -> None:
    result = datavalues_import(
        file=io.BytesIO(("data_element,org_unit,period,value,unit,comment\n" + rows).encode()),
        filename="so-lieu.csv",
    )
    assert result.ok, [str(p) for p in result.problems]


def reparent(world: World) -> None:
    """The proposals, with the supermarket's manual choice made, imported."""
    rows = proposals_rows(parent_proposals())
    for row in rows:
        if row[0] == "ST1" and not row[1]:
            row[1] = "N2"
    text = "code,parent,valid_from,valid_to,note\n" + "".join(",".join(r) + "\n" for r in rows)
    result = parents_import(file=io.BytesIO(text.encode()), filename="de-xuat.csv")
    assert result.ok, [str(p) for p in result.problems]


def indicator(world: World, code: str):  # type: ignore[no-untyped-def]
    return next(i for i in plan_indicators(world.plan) if i.code == code)


def test_scope_is_the_old_province_then_its_successor_communes(world: World) -> None:
    reparent(world)
    inputs = IndicatorInputs(plan=world.plan)
    assert {"P", "D", "A", "B", "KCN1"} <= inputs.scope(2024)  # type: ignore[operator]
    scope_2026 = inputs.scope(2026)
    assert scope_2026 is not None
    assert {"N1", "N2", "KCN1", "LN1", "ST1"} <= scope_2026
    # The rest of the city is not the plan's territory.
    assert "N3" not in scope_2026
    assert "C" not in scope_2026


def test_proposals_follow_the_lineage_and_flag_district_children(world: World) -> None:
    proposals = {p.unit: p for p in parent_proposals()}
    assert proposals["KCN1"].new_parent == "N1"
    assert proposals["LN1"].new_parent == "N1"  # B went mostly (60 %) to N1
    assert proposals["ST1"].manual
    assert proposals["ST1"].candidates == ("N1", "N2")
    rows = proposals_rows(list(proposals.values()))
    assert ["KCN1", "A", "2020-01-01", "2025-06-30", ""] in rows
    assert rows[rows.index(["KCN1", "A", "2020-01-01", "2025-06-30", ""]) + 1][:4] == [
        "KCN1",
        "N1",
        "2025-07-01",
        "",
    ]
    reparent(world)
    assert parent_proposals() == []
    moved = ParentLink.objects.get(unit__code="ST1", valid_from=dt.date(2025, 7, 1))
    assert moved.parent.code == "N2"


def test_ct03_counts_districts_then_new_communes_and_both_in_2025(world: World) -> None:
    reparent(world)
    load_values("TT_SU_KIEN,D,2022,2,,\nTT_SU_KIEN,N1,2025,1,,\nTT_SU_KIEN,N2,2026,3,,\n")
    inputs = IndicatorInputs(plan=world.plan)
    ct03 = indicator(world, "CT03")
    by_year = {y: evaluate(inputs, ct03, y) for y in (2024, 2025, 2026)}
    assert (by_year[2024].detail.numerator, by_year[2024].detail.denominator) == (1, 1)
    # 2025: the district (January–June) and the two new communes (July–December).
    assert by_year[2025].detail.counted == ("D", "N1")
    assert by_year[2025].detail.missing == ("N2",)
    assert by_year[2026].detail.denominator == 2
    assert by_year[2026].value == Decimal(100)


def test_ct01_by_former_district_is_continuous_through_the_reform(world: World) -> None:
    reparent(world)
    load_values("NT_HOAT_DONG,KCN1,2023,1,,\nNT_HOAT_DONG,LN1,2026,2,,\n")
    years = [2024, 2025, 2026]
    series = area_series(unit=world["D"], plan=world.plan, years=years)
    ct01 = next(r for r in series.indicators if r.code == "CT01")
    assert [c.value for c in ct01.cells] == [Decimal(50), Decimal(50), Decimal(100)]
    assert not any(c.estimated for c in ct01.cells)
    ct03 = next(r for r in series.indicators if r.code == "CT03")
    assert ct03.break_year == 2025


def test_new_commune_back_in_time_apportions_split_values(world: World) -> None:
    load_values("TT_NGUOI,B,2024,100,,\nTT_NGUOI,N2,2026,30,,\n")
    roots = {r.code: r.weight for r in area_roots(world["N2"])}
    assert roots == {"N2": 1, "B": Decimal("0.4")}
    series = area_series(unit=world["N2"], plan=world.plan, years=[2024, 2026])
    people = next(r for r in series.elements if r.code == "TT_NGUOI")
    assert [(c.value, c.estimated) for c in people.cells] == [
        (Decimal(40), True),
        (Decimal(30), False),
    ]


def test_data_for_a_ceased_unit_is_refused_with_its_successors(world: World) -> None:
    result = datavalues_import(
        file=io.BytesIO(
            b"data_element,org_unit,period,value,unit,comment\nTT_SU_KIEN,B,2026,1,,\n"
        ),
        filename="so-lieu.csv",
    )
    assert [str(p) for p in result.problems] == [
        "so-lieu.csv:2: org_unit: đơn vị 'B' không còn hoạt động trong kỳ 2026 "
        "(hiệu lực 2020-01-01 – 2025-06-30); đơn vị kế thừa: Xã N1 (N1), Phường N2 (N2)"
    ]
