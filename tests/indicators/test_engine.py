"""End to end: files in the spec's formats → imports → `benvung progress --json`.

Each data set is small and built by hand so that the expected figures can be worked out in
the comments; the engine must reproduce them exactly (to the JSON's 2 decimals).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import indicator_value, plan_indicators
from benvung.plans.models import Plan
from tests.import_factories import VALUES_HEADER
from tests.indicators.engine_data import UNITS, load

pytestmark = pytest.mark.django_db


def progress(capsys: pytest.CaptureFixture[str], year: int, org_unit: str | None = None) -> dict:
    args = ["progress", "--year", str(year), "--json"]
    if org_unit:
        args += ["--org-unit", org_unit]
    call_command(*args)
    data = json.loads(capsys.readouterr().out)
    return {row["code"]: row for row in data["indicators"]} | {"_plan": data["plan"]}


@pytest.mark.parametrize(
    ("year", "org_unit", "value", "status"),
    [
        # Active KCN/CCN/LN in 2020: K1, K3, C1, L1; nothing counts before 2021 → 0/4.
        (2020, None, 0.0, "dung_tien_do"),
        # 2021: K1 (2) and K3 (1) of K1, K3, C1, L1 → 2/4. E(2021) = 70/5 = 14 → dat? no: r ≥ .95
        (2021, None, 50.0, "dung_tien_do"),
        # 2023: K3 closed, K2 opened; K1 and C1 (2023) of K1, K2, C1, L1 → 50.
        (2023, None, 50.0, "dung_tien_do"),
        # 2024: L1 too → 3/4 = 75 ≥ 70 → dat.
        (2024, None, 75.0, "dat"),
        # D1 in 2023: K1, K2, L1 → only K1 → 33.33; E = 42 → r = 0.79 → can_day_nhanh.
        (2023, "D1", 33.33, "can_day_nhanh"),
        # D1 in 2024: L1 still there until 30/6 → K1, L1 of K1, K2, L1 → 66.67.
        (2024, "D1", 66.67, "dung_tien_do"),
        # D2 in 2024: C1 and L1 (from 1/7) → 2/2.
        (2024, "D2", 100.0, "dat"),
        # D2 in 2021: K3, C1, not L1 → K3 only → 50.
        (2021, "D2", 50.0, "dung_tien_do"),
        # 2025 (milestone year): 3/4 = 75 ≥ 70 → dat.
        (2025, None, 75.0, "dat"),
        # 2027: still 75, below the expected 70 + 30×2/5 = 82, r = 5/12 → cham_tien_do.
        (2027, None, 75.0, "cham_tien_do"),
    ],
)
def test_ct01_coverage(capsys, dataset, year, org_unit, value, status) -> None:
    row = progress(capsys, year, org_unit)["CT01"]
    assert row["value"] == value
    assert row["status"] == status


def test_ct01_expected_path_and_target(capsys, dataset) -> None:
    rows = progress(capsys, 2027)
    assert rows["_plan"] == "KH-2627"
    assert rows["CT01"]["expected"] == 82.0
    assert rows["CT01"]["target"] == {"year": 2030, "min": 100.0, "max": None}
    assert progress(capsys, 2023)["CT01"]["expected"] == 42.0


def test_ct03_districts_cumulative_with_a_closed_district(capsys, dataset) -> None:
    # 2021: D1 (3) and D3 (1) of D1, D2, D3 → 66.67; 2023: D3 closed → D1 of D1, D2 → 50.
    assert progress(capsys, 2021)["CT03"]["value"] == 66.67
    assert progress(capsys, 2023)["CT03"]["value"] == 50.0
    # 2025 below the 80 % milestone in the milestone year → khong_dat.
    assert progress(capsys, 2025)["CT03"]["status"] == "khong_dat"


def test_ct04_booleans_and_missing_reports(capsys, dataset) -> None:
    # 2021: S1 "có", S2 "Không", T1 no report (counts as false) → 1/3.
    assert progress(capsys, 2021)["CT04"]["value"] == 33.33
    # 2020: no report at all, S1 and S2 active → 0 %; T1 opens in 2021.
    assert progress(capsys, 2020)["CT04"]["value"] == 0.0
    rows = progress(capsys, 2025)
    assert rows["CT04"]["value"] == 33.33
    assert rows["CT04"]["status"] == "khong_dat"


def test_ct02_ct08_models_cumulative_from_plan_start(capsys, dataset) -> None:
    rows = progress(capsys, 2023)
    # M0 (2020) is before the plan; M1 2021, M2 2022 → 2. M3 is 2024.
    assert rows["CT02"]["value"] == 2.0
    assert rows["CT08"]["value"] == 1.0
    assert rows["CT08"]["target"] is None
    rows = progress(capsys, 2025)
    assert rows["CT02"]["value"] == 3.0
    assert rows["CT02"]["target"] == {"year": 2025, "min": 5.0, "max": 10.0}
    assert rows["CT02"]["status"] == "khong_dat"
    # Models count in the subtree of their unit in the model's year: M3 (L1, 2024) is in both.
    assert progress(capsys, 2025, "D2")["CT02"]["value"] == 2.0  # M2 (E2 under C1), M3
    assert progress(capsys, 2025, "D1")["CT02"]["value"] == 2.0  # M1, M3


def test_ct09_sum_of_active_units(capsys, dataset) -> None:
    assert progress(capsys, 2021)["CT09"]["value"] == 42.0
    assert progress(capsys, 2022)["CT09"]["value"] is None


def _l(num: Decimal, den: Decimal) -> Decimal:
    return num / den


def test_ct07_chain_linked_with_mixed_units(capsys, dataset) -> None:
    # Energy in TOE: E1 2020 10; 2021 414,4932 GJ = 9.9. E2 2020 1000 MWh = 154.3;
    # 2021 1,000,000 kWh = 154.3; 2022 150. Output (tấn): E1 100, 100 (100000 kg), 110;
    # E2 200, 220, 210, 0.
    # L(2021) = (9.9 + 154.3) / (10/100×100 + 154.3/200×220) = 164.2 / 179.73
    l2021 = _l(Decimal("164.2"), Decimal("10") + Decimal("154.3") / 200 * 220)
    # L(2022): E1 has no consumption in 2022 → only E2: 150 / (154.3/220×210)
    l2022 = _l(Decimal("150"), Decimal("154.3") / 220 * 210)
    rows = progress(capsys, 2021)
    assert rows["CT07.THEP.NL"]["value"] == float(round(100 * (1 - l2021), 2))
    assert rows["CT07.THEP.NL"]["value"] == 8.64
    assert rows["CT07.THEP.NL"]["status"] == "dat"
    rows = progress(capsys, 2022)
    assert rows["CT07.THEP.NL"]["value"] == float(round(100 * (1 - l2021 * l2022), 2))
    # 2023: E2's output is 0 and E1 lacks 2022 consumption → no qualifying enterprise.
    assert progress(capsys, 2023)["CT07.THEP.NL"]["value"] is None
    assert progress(capsys, 2023)["CT07.THEP.NL"]["status"] == "chua_co_du_lieu"
    # Base year: index 1 → 0 %.
    assert progress(capsys, 2020)["CT07.THEP.NL"]["value"] == 0.0


def test_ct07_raw_material_in_kg_and_tonnes(capsys, dataset) -> None:
    # E3 (NHUA): 500 t then 480,000 kg = 480 t for the same 1000 hl → 4 % less per unit.
    row = progress(capsys, 2021)["CT07.NHUA.NVL"]
    assert row["value"] == 4.0
    # 2030 milestone 7–10 %: E(2021) = 7/10 = 0.7 → well ahead.
    assert row["expected"] == 0.7
    assert row["status"] == "dung_tien_do"
    # A sector without enterprises has no value.
    assert progress(capsys, 2021)["CT07.XI_MANG.NL"]["value"] is None


def test_qualitative_and_no_target_indicators(capsys, dataset) -> None:
    rows = progress(capsys, 2022)
    assert rows["CT05"]["value"] is None
    assert rows["CT05"]["target"] is None
    assert rows["CT06"]["target"] == {"year": 2030, "min": None, "max": None}
    assert rows["CT06"]["status"] == "chua_co_du_lieu"
    assert len([k for k in rows if k.startswith("CT07.")]) == 14


def test_text_output_names_statuses_in_vietnamese(capsys, dataset) -> None:
    call_command("progress", "--year", "2024")
    out = capsys.readouterr().out
    assert "KH-2627 — năm 2024" in out
    assert "75,00" in out
    assert "Đạt" in out


def test_ct07_sums_equal_the_records_in_python(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link sums (`IndicatorInputs.intensity_sums`: PostgreSQL's kept terms, SQLite's
    records added up per year and sector) and the records path, which is the formula itself,
    give the same index, links and enterprise counts."""
    from benvung.indicators import structure

    indicators = [i for i in plan_indicators(dataset) if i.code.startswith("CT07.")]
    by_sums = {
        (i.code, year): indicator_value(IndicatorInputs(plan=dataset), i, year)[1]
        for i in indicators
        for year in (2020, 2021, 2022, 2023)
    }
    monkeypatch.setattr(IndicatorInputs, "intensity_sums", lambda self, **_: None)
    # Nothing kept from the sums: every answer below comes from the records.
    structure.forget()
    for (code, year), from_sums in by_sums.items():
        indicator = next(i for i in indicators if i.code == code)
        from_records = indicator_value(IndicatorInputs(plan=dataset), indicator, year)[1]
        assert from_sums.value == from_records.value, (code, year)
        assert [(link.ratio, link.qualifying) for link in from_sums.links] == [
            (link.ratio, link.qualifying) for link in from_records.links
        ], (code, year)


def _ct07_sums(plan: Plan, monkeypatch: pytest.MonkeyPatch, *, kept: bool) -> dict:
    """Every CT07 link's sums by indicator and year, from the kept terms or (kept=False)
    from the values."""
    from benvung.indicators import terms

    with monkeypatch.context() as patch:
        if not kept:
            patch.setattr(terms, "kept_pairs", lambda: set())
            patch.setattr(terms, "register", lambda pairs: False)
        inputs = IndicatorInputs(plan=plan)
        return {
            (i.code, year): inputs.intensity_sums(
                consumption=i.parameters["consumption_element"],
                output=i.parameters["output_element"],
                sector=i.parameters["sector"],
                last_year=year,
            )
            for i in plan_indicators(plan)
            if i.code.startswith("CT07.")
            for year in (2021, 2022, 2023, 2024)
        }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL keeps terms")
def test_kept_terms_follow_every_write_of_a_value(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terms that the database keeps add up to the same sums as the values, after
    inserts, updates (by the import and by a queryset), deletes and a unit's closing."""
    from benvung.datavalues.models import DataValue
    from benvung.indicators import terms
    from benvung.orgunits.models import OrgUnit

    assert terms.plan_pairs(dataset) <= terms.kept_pairs()

    def same() -> dict:
        kept = _ct07_sums(dataset, monkeypatch, kept=True)
        assert kept == _ct07_sums(dataset, monkeypatch, kept=False)
        return kept

    before = same()
    # E2's 2022 energy changed by a new import: its 2022 and 2023 links move.
    load(
        "data", "data_element,org_unit,period,value,unit,comment\nTH_NANG_LUONG,E2,2022,300,TOE,\n"
    )
    after_import = same()
    assert after_import != before
    DataValue.objects.filter(
        org_unit__code="E1", data_element__code="SX_SAN_LUONG", year=2022
    ).update(canonical_value=Decimal(0))
    same()
    DataValue.objects.filter(org_unit__code="E2", year=2021).delete()
    before_closing = same()
    # E1 closed at the end of 2020: its 2021 link goes.
    OrgUnit.objects.filter(code="E1").update(valid_to=dt.date(2020, 12, 31))
    assert same() != before_closing


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL keeps terms")
def test_terms_are_built_at_the_first_question_when_not_kept(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benvung.indicators import terms

    expected = _ct07_sums(dataset, monkeypatch, kept=False)
    terms.forget_all()
    assert terms.kept_pairs() == set()
    assert _ct07_sums(dataset, monkeypatch, kept=True) == expected
    assert terms.plan_pairs(dataset) <= terms.kept_pairs()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL keeps terms")
def test_a_bulk_write_leaves_its_years_to_the_next_question(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A statement that writes more than a thousand (enterprise, year) keys, as a chunk of
    a large import does, marks its years and the years after as waiting instead of adding
    up their terms; the first question rebuilds them, and the sums are those of the
    values."""
    import importlib

    from benvung.indicators import terms

    bulk = importlib.import_module("benvung.indicators.migrations.0005_terms_of_bulk_writes")
    steel = range(bulk.BULK_KEYS + 1)
    load(
        "orgunits",
        UNITS.splitlines()[0]
        + "\n"
        + "".join(f"B{n},Thép {n},DOANH_NGHIEP,K1,2020-01-01,,THEP\n" for n in steel),
    )
    load(
        "data",
        VALUES_HEADER
        + "\n"
        + "".join(
            f"TH_NANG_LUONG,B{n},2022,{n + 1},TOE,\nSX_SAN_LUONG,B{n},2022,{n + 5},tấn,\n"
            for n in steel
        ),
    )
    assert terms.waiting_years() == [2022, 2023]
    kept = _ct07_sums(dataset, monkeypatch, kept=True)
    assert terms.waiting_years() == []
    assert kept == _ct07_sums(dataset, monkeypatch, kept=False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL keeps terms")
def test_the_migration_registers_the_pairs_of_plans_already_loaded(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installation upgraded with its plans and values in place: the migration's own
    statement registers the plans' pairs and builds their terms from the stored values."""
    import importlib

    from benvung.indicators import terms

    migration = importlib.import_module("benvung.indicators.migrations.0001_intensity_terms")
    expected = _ct07_sums(dataset, monkeypatch, kept=False)
    terms.forget_all()
    with connection.cursor() as cursor:
        cursor.execute(migration.REGISTER)
    assert terms.plan_pairs(dataset) <= terms.kept_pairs()
    monkeypatch.setattr(terms, "register", lambda pairs: pytest.fail("registered again"))
    assert _ct07_sums(dataset, monkeypatch, kept=True) == expected


def test_a_bulk_import_stamps_what_the_triggers_would(
    dataset: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import's chunk of a thousand rows and more stamps its own rows once
    (`changes.stamps_once`): the (element, year, sector) keys of its rows change, no other;
    on PostgreSQL its CT07 terms are added up at once, as for any write."""
    from benvung.datavalues.models import DataElement
    from benvung.indicators import changes, terms

    stamped: list[set[tuple[int, int, str]]] = []
    by_writer = changes.stamps_once

    def spy(keys: Any) -> Any:
        def recorded() -> set[tuple[int, int, str]]:
            stamped.append(keys())
            return stamped[-1]

        return by_writer(recorded)

    monkeypatch.setattr(changes, "stamps_once", spy)
    # 600 enterprises of two sectors, fewer than a bulk write's thousand (unit, year) keys:
    # their terms are added up at once, not left waiting.
    sectors = {n: ("THEP" if n % 2 else "NHUA") for n in range(600)}
    load(
        "orgunits",
        UNITS.splitlines()[0]
        + "\n"
        + "".join(f"B{n},DN {n},DOANH_NGHIEP,K1,2020-01-01,,{s}\n" for n, s in sectors.items()),
    )
    elements = {
        code: DataElement.objects.get(code=code).pk for code in ("TH_NANG_LUONG", "SX_SAN_LUONG")
    }
    before = changes.read()
    load(
        "data",
        VALUES_HEADER
        + "\n"
        + "".join(
            f"TH_NANG_LUONG,B{n},2024,{n + 1},TOE,\nSX_SAN_LUONG,B{n},2024,{n + 5},tấn,\n"
            for n in sectors
        ),
    )
    after = changes.read()
    ids = list(elements.values())
    # One chunk, stamped once by the writer: each element's key per sector.
    assert stamped == [{(e, 2024, s) for e in ids for s in ("THEP", "NHUA")}]
    for sector in ("THEP", "NHUA"):
        assert after.of_slice(ids, [2024], sector) != before.of_slice(ids, [2024], sector)
        for element in ids:
            assert after.of_slice([element], [2024], sector)[0] is not None
        assert after.of_slice(ids, [2023], sector) == before.of_slice(ids, [2023], sector)
    assert after.of_slice(ids, [2024], "XI_MANG") == before.of_slice(ids, [2024], "XI_MANG")
    if connection.vendor == "postgresql":
        assert terms.waiting_years() == []
        assert _ct07_sums(dataset, monkeypatch, kept=True) == _ct07_sums(
            dataset, monkeypatch, kept=False
        )
