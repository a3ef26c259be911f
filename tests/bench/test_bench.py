"""`benvung bench`: the command keeps working, and the engine agrees with the plain formulas
on the bench's own data set."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from benvung.bench import generate, loading
from benvung.bench.run import KEYS
from benvung.core.importing import parse_boolean, parse_decimal
from benvung.indicators.domain import ct07, formulas, progress
from benvung.indicators.domain.units import normalise_output, to_canonical
from benvung.indicators.services import milestones_of, plan_indicators, plan_progress, round2
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_tiny_bench_prints_every_figure() -> None:
    out = io.StringIO()
    call_command("bench", "--scale", "tiny", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    for key in KEYS:
        assert figures[key] > 0, key
    # Values loaded directly plus those imported through the import path, with history.
    assert figures["values"] > figures["import_rows"] > 0
    # PostgreSQL's CT07 (kept terms) checked against the records, 14 sectors × 2 roots.
    assert figures["ct07_values_checked"] == 28


def test_tiny_bench_prints_a_table_of_every_figure() -> None:
    from benvung.bench.management.commands.bench import _LABELS

    out = io.StringIO()
    call_command("bench", "--scale", "tiny", stdout=out)
    table = out.getvalue()
    assert "quy mô tiny" in table
    for key in KEYS:
        assert _LABELS[key] in table, key


def test_bench_refuses_a_database_with_other_data() -> None:
    OrgUnit.objects.create(
        code="THAT", name="Đơn vị thật", type="TINH", valid_from=dt.date(2020, 1, 1)
    )
    with pytest.raises(loading.NotABenchDatabase):
        loading.prepare_database()


# --- the engine against the domain formulas on the raw generated data ----------------------

_DIMENSIONS = {"TH_NGUYEN_LIEU": "mass", "TH_NANG_LUONG": "energy"}
_REFORM = dt.date(2025, 7, 1)


def _canonical(value: generate.Value) -> Decimal:
    if value.element == "BB_THAN_THIEN":
        return Decimal(1) if parse_boolean(value.value) else Decimal(0)
    number = parse_decimal(value.value)
    if value.element in _DIMENSIONS:
        return to_canonical(number, value.unit, _DIMENSIONS[value.element])
    if value.element == "SX_SAN_LUONG":
        return normalise_output(number, value.unit)[0]
    return number


def _active(unit: generate.Unit, start: dt.date, end: dt.date) -> bool:
    return unit.valid_from <= end and (unit.valid_to is None or unit.valid_to >= start)


@pytest.fixture
def bench_data(tmp_path: Path) -> tuple[generate.DataSet, dict[str, dict[str, dict[int, Decimal]]]]:
    loading.prepare_database()
    data = generate.structure(generate.SCALES["tiny"], 7)
    ids = loading.load_structure(data)
    loading.load_values(data, ids, seed=7, csv_path=tmp_path / "none.csv", import_rows=0)
    raw: dict[str, dict[str, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for value in generate.values(data, 7):
        raw[value.element][value.unit_code][value.year] = _canonical(value)
    return data, raw


def _expected(
    code: str,
    data: generate.DataSet,
    raw: dict[str, dict[str, dict[int, Decimal]]],
    prefix: str,
    year: int,
) -> Decimal | None:
    """An indicator from the generated rows by the domain formulas alone; the subtree of a
    province is its codes (units never change province in the bench data)."""
    units = [u for u in data.units if u.code.startswith(prefix) and u.code != generate.ROOT]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def active(types: tuple[str, ...], first: dt.date = start, last: dt.date = end) -> list[str]:
        return [u.code for u in units if u.type in types and _active(u, first, last)]

    if code in ("CT01", "CT03"):
        element = "NT_HOAT_DONG" if code == "CT01" else "TT_SU_KIEN"
        if code == "CT01":
            members = active(("KCN", "CCN", "LANG_NGHE"))
        elif end < _REFORM:
            members = active(("HUYEN",))
        elif start >= _REFORM:
            members = active(("XA",))
        else:
            members = active(("HUYEN",), last=_REFORM - dt.timedelta(days=1)) + active(
                ("XA",), first=_REFORM
            )
        totals = {
            u: sum((v for y, v in raw[element][u].items() if 2021 <= y <= year), Decimal(0))
            for u in members
        }
        return formulas.coverage_share(members, totals).value
    if code == "CT04":
        members = active(("SIEU_THI", "TTTM"))
        flags = {
            u: raw["BB_THAN_THIEN"][u][year] != 0
            for u in members
            if year in raw["BB_THAN_THIEN"][u]
        }
        return formulas.boolean_share(members, flags).value
    _, sector, kind = code.split(".")
    element = "TH_NGUYEN_LIEU" if kind == "NVL" else "TH_NANG_LUONG"
    records: dict[str, dict[int, ct07.EnterpriseYear]] = {}
    for y in range(2020, year + 1):
        for unit in units:
            if unit.type != "DOANH_NGHIEP" or unit.sector != sector:
                continue
            if not _active(unit, dt.date(y, 1, 1), dt.date(y, 12, 31)):
                continue
            c = raw[element][unit.code].get(y)
            q = raw["SX_SAN_LUONG"][unit.code].get(y)
            if c is not None or q is not None:
                records.setdefault(unit.code, {})[y] = ct07.EnterpriseYear(consumption=c, output=q)
    return ct07.chain_linked_reduction(records, 2020, year).value


def test_engine_equals_the_domain_formulas_on_bench_data(
    bench_data: tuple[generate.DataSet, dict[str, dict[str, dict[int, Decimal]]]],
) -> None:
    data, raw = bench_data
    plan = Plan.objects.get(code=loading.PLAN_CODE)
    indicators = {i.code: i for i in plan_indicators(plan)}
    # The whole country and each province; a year before, during and after the reform.
    for root in (generate.ROOT, "B01", "B02"):
        prefix = "B" if root == generate.ROOT else f"{root}-"
        for year in (2021, 2025, 2028):
            evaluations = {
                e.indicator.code: e
                for e in plan_progress(plan=plan, year=year, root=OrgUnit.objects.get(code=root))
            }
            codes = ["CT01", "CT03", "CT04", *(c for c in evaluations if c.startswith("CT07."))]
            assert len(codes) == 3 + 14
            for code in codes:
                where = f"{code} {root} {year}"
                value = _expected(code, data, raw, prefix, year)
                assert round2(evaluations[code].value) == round2(value), where
                milestones = [m for m in milestones_of(indicators[code]) if m.minimum is not None]
                if not milestones:
                    continue
                assessment = progress.assess(
                    value,
                    year=year,
                    base_year=2020,
                    base_value=_expected(code, data, raw, prefix, 2020),
                    milestones=milestones,
                )
                assert evaluations[code].status == assessment.status.value, where
