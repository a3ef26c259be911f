"""Answers kept by a territory between requests (`IndicatorInputs.kept`): reused while no
value they were computed from is written, computed again after any write to one, whatever
the path, and never an answer from a write that was rolled back."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from benvung.core.importing import ImportResult, insert_in_bulk
from benvung.datavalues.models import DataElement, DataValue
from benvung.datavalues.services import datavalues_import
from benvung.indicators import changes, selectors, structure
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import indicator_value
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Indicator, Plan
from tests.factories import DataValueFactory, ScpModelFactory, unit_under

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own paths"
)


def answer(plan: Plan, code: str, year: int) -> tuple[Any, Any]:
    return indicator_value(IndicatorInputs(plan=plan), plan.indicators.get(code=code), year)


def afresh(plan: Plan, code: str, year: int) -> Any:
    """The value computed with nothing kept."""
    structure.forget()
    return answer(plan, code, year)[0]


def set_value(unit: str, element: str, year: int, value: int) -> None:
    # A queryset update: no signal, only the database's triggers see it.
    updated = DataValue.objects.filter(
        org_unit__code=unit, data_element__code=element, year=year
    ).update(canonical_value=value)
    assert updated == 1


def test_an_answer_is_kept_until_a_value_it_reads_is_written(dataset: Plan) -> None:
    first = answer(dataset, "CT01", 2023)
    assert answer(dataset, "CT01", 2023)[1] is first[1]
    # Values of another element: CT01's answer stands.
    DataValue.objects.filter(data_element__code="TT_SU_KIEN").update(
        canonical_value=F("canonical_value") + 1
    )
    assert answer(dataset, "CT01", 2023)[1] is first[1]
    # C1's only activity (2023) withdrawn: C1 no longer counts.
    set_value("C1", "NT_HOAT_DONG", 2023, 0)
    after = answer(dataset, "CT01", 2023)
    assert after[1] is not first[1]
    assert after[0] < first[0]
    assert after[0] == afresh(dataset, "CT01", 2023)


def test_a_value_of_a_new_unit_is_counted(dataset: Plan) -> None:
    before = answer(dataset, "CT01", 2023)[0]
    cluster = unit_under(
        OrgUnit.objects.get(code="D2"), code="C9", type="CCN", valid_from=dt.date(2020, 1, 1)
    )
    DataValueFactory(
        org_unit=cluster,
        data_element=DataElement.objects.get(code="NT_HOAT_DONG"),
        period="2023",
    )
    after = answer(dataset, "CT01", 2023)[0]
    assert after > before
    assert after == afresh(dataset, "CT01", 2023)


def test_an_answer_from_a_write_rolled_back_is_not_kept(dataset: Plan) -> None:
    first = answer(dataset, "CT01", 2023)[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        set_value("C1", "NT_HOAT_DONG", 2023, 0)
        assert answer(dataset, "CT01", 2023)[0] < first
        raise RuntimeError("rolled back")
    assert answer(dataset, "CT01", 2023)[0] == first
    # Another write of the same value after the rollback: C1 still counts.
    set_value("C1", "NT_HOAT_DONG", 2023, 5)
    assert answer(dataset, "CT01", 2023)[0] == first


def test_models_are_read_afresh(dataset: Plan) -> None:
    before = answer(dataset, "CT02", 2024)[0]
    ScpModelFactory(org_unit=OrgUnit.objects.get(code="E1"), year=2023)
    assert answer(dataset, "CT02", 2024)[0] == before + 1


def test_published_figures_are_not_kept(dataset: Plan) -> None:
    indicator = dataset.indicators.get(code="CT01")
    first = indicator_value(IndicatorInputs(plan=dataset, approved_only=True), indicator, 2023)
    again = indicator_value(IndicatorInputs(plan=dataset, approved_only=True), indicator, 2023)
    assert again[1] is not first[1]
    assert again[0] == first[0]


def test_ct07_adds_up_again_only_the_years_and_sector_a_write_touched(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL adds up kept terms, SQLite the records: either way, only what a write
    touched."""
    asked: list[tuple[list[int], set[str]]] = []
    from_terms = selectors._sums_of_terms
    from_records = IndicatorInputs._sums_of_records

    def terms_spy(
        elements: list[int], output: int, runs: Any, years: list[int], **how: bool
    ) -> Any:
        sectors = {sector.strip('"') for sector in runs[3].strip("{}").split(",")}
        asked.append((list(years), sectors))
        return from_terms(elements, output, runs, years, **how)

    def records_spy(self: IndicatorInputs, *args: Any) -> Any:
        asked.append((list(args[-2]), set(args[-1])))
        return from_records(self, *args)

    monkeypatch.setattr(selectors, "_sums_of_terms", terms_spy)
    monkeypatch.setattr(IndicatorInputs, "_sums_of_records", records_spy)
    answer(dataset, "CT07.THEP.NL", 2023)
    assert asked == [([2021, 2022, 2023], {"THEP", "NHUA"})]
    # The slices are kept: 2022's answer adds nothing up.
    first = answer(dataset, "CT07.THEP.NL", 2022)[0]
    assert len(asked) == 1
    # E2's 2022 energy: the steel links of 2022 move (and 2023's, not asked for); 2021's
    # and the plastics sector's stay.
    set_value("E2", "TH_NANG_LUONG", 2022, 120)
    after = answer(dataset, "CT07.THEP.NL", 2022)[0]
    assert asked[1:] == [([2022], {"THEP"})]
    assert after != first
    assert after == afresh(dataset, "CT07.THEP.NL", 2022)


@only_postgresql
def test_folding_the_stamps_keeps_answers_right(dataset: Plan) -> None:
    for value in (130, 140, 150):
        set_value("E2", "TH_NANG_LUONG", 2022, value)
        answer(dataset, "CT07.THEP.NL", 2023)
    changes.compact()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM indicators_valuechange GROUP BY element_id, year, sector "
            "HAVING count(*) > 1"
        )
        assert cursor.fetchall() == []
    set_value("E2", "TH_NANG_LUONG", 2022, 160)
    assert answer(dataset, "CT07.THEP.NL", 2023)[0] == afresh(dataset, "CT07.THEP.NL", 2023)


@only_postgresql
def test_ct07_sums_are_the_same_looked_up_by_unit_or_read_for_all(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = sorted(
        Indicator.objects.filter(plan=dataset, code__startswith="CT07").values_list(
            "code", flat=True
        )
    )
    assert codes
    ways: list[bool] = []
    from_terms = selectors._sums_of_terms

    def terms_spy(*args: Any, by_unit: bool) -> Any:
        ways.append(by_unit)
        return from_terms(*args, by_unit=by_unit)

    monkeypatch.setattr(selectors, "_sums_of_terms", terms_spy)

    def every_answer(most_runs: int) -> dict[tuple[str, int], Any]:
        monkeypatch.setattr(selectors, "BY_UNIT_RUNS", most_runs)
        structure.forget()
        return {(c, y): answer(dataset, c, y)[0] for c in codes for y in (2021, 2022, 2023)}

    by_unit = every_answer(10**9)
    assert ways and all(ways)
    assert any(value for value in by_unit.values())
    ways.clear()
    assert every_answer(0) == by_unit
    assert ways and not any(ways)
    # And after a write, when only the touched sector's year is added up again.
    set_value("E2", "TH_NANG_LUONG", 2022, 120)
    assert every_answer(0) == every_answer(10**9) != by_unit


@only_postgresql
def test_emptied_values_are_seen(dataset: Plan) -> None:
    assert answer(dataset, "CT09", 2021)[0] > 0
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE datavalues_datavalue CASCADE")
    assert not answer(dataset, "CT09", 2021)[0]


def test_every_indicator_kept_equals_its_fresh_answer(dataset: Plan) -> None:
    codes = list(Indicator.objects.filter(plan=dataset).values_list("code", flat=True))

    def every_answer() -> dict[tuple[str, int], Any]:
        return {(c, y): answer(dataset, c, y)[0] for c in codes for y in (2021, 2022, 2023)}

    kept = every_answer()
    set_value("E2", "TH_NANG_LUONG", 2022, 120)
    set_value("S1", "BB_NHAN_SINH_THAI", 2021, 15)
    now = every_answer()
    structure.forget()
    assert now == every_answer()
    assert {key for key in now if now[key] != kept[key]} >= {
        ("CT07.THEP.NL", 2022),
        ("CT09", 2021),
    }


def _zones(count: int) -> list[OrgUnit]:
    parent = OrgUnit.objects.get(code="D2")
    return [
        unit_under(parent, code=f"Z{n:04d}", type="CCN", valid_from=dt.date(2020, 1, 1))
        for n in range(count)
    ]


def _import(rows: list[str]) -> ImportResult:
    text = "data_element,org_unit,period,value,unit,comment\n" + "\n".join(rows)
    return datavalues_import(file=BytesIO(text.encode()), filename="cum.csv")


def test_a_bulk_import_is_in_the_next_answer_and_stamps_stay_per_row_after_it(
    dataset: Plan,
) -> None:
    before = answer(dataset, "CT01", 2023)[0]
    zones = _zones(1000)  # a bulk insert: its keys are stamped once at the end
    assert _import([f"NT_HOAT_DONG,{zone.code},2023,1,," for zone in zones]).ok
    after_bulk = answer(dataset, "CT01", 2023)[0]
    assert after_bulk > before
    assert after_bulk == afresh(dataset, "CT01", 2023)
    # The per-row stamping is back for the next single write.
    DataValueFactory(
        org_unit=unit_under(OrgUnit.objects.get(code="D2"), code="C8", type="CCN"),
        data_element=DataElement.objects.get(code="NT_HOAT_DONG"),
        period="2023",
    )
    assert answer(dataset, "CT01", 2023)[0] > after_bulk


def test_a_bulk_import_refused_by_the_database_leaves_the_stamping_as_it_was(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    zones = _zones(1000)
    first = answer(dataset, "CT01", 2023)[0]

    def refused(*args: Any, **kwargs: Any) -> int:
        insert_in_bulk(*args, **kwargs)
        raise IntegrityError("ghi đồng thời")

    monkeypatch.setattr("benvung.datavalues.services.insert_in_bulk", refused)
    assert not _import([f"NT_HOAT_DONG,{zone.code},2023,1,," for zone in zones]).ok
    monkeypatch.undo()
    assert answer(dataset, "CT01", 2023)[0] == first
    set_value("C1", "NT_HOAT_DONG", 2023, 0)
    assert answer(dataset, "CT01", 2023)[0] < first
