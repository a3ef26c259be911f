"""The import's two ways through a row: the common form, read fast, and the full checks.

A row that the fast way accepts must be the very value that the full checks would store; any
other row is left to the full checks, which report its problems."""

from __future__ import annotations

import datetime as dt

import pytest

from benvung.core.importing import table_from_rows
from benvung.datavalues.models import DataElement
from benvung.datavalues.rows import FIELDS, ElementRule, dated_period, parse_row, valid_row
from benvung.orgunits.models import OrgUnit
from benvung.plans.services import PLAN_DATA_DIR, plan_load_file
from tests.factories import OrgUnitFactory
from tests.import_factories import enterprise

pytestmark = pytest.mark.django_db

COLUMNS = FIELDS

# Rows in the common form: the fast way takes them.
COMMON = [
    ("TT_NGUOI", "X1", "2024", "1992", "", ""),
    ("NT_HOAT_DONG", "K1", "2023", "7", "", "ghi chú"),
    ("TH_NGUYEN_LIEU", "E1", "2024", "5145,90", "kg", ""),
    ("TH_NGUYEN_LIEU", "E1", "2023", "12.5", "tạ", ""),
    ("TH_NANG_LUONG", "E1", "2024", "123.456789", "GJ", ""),
    ("TH_NANG_LUONG", "E1", "2023", "63148", "kWh", ""),
    ("SX_SAN_LUONG", "E1", "2024", "74460,10", "tấn", ""),
    ("SX_SAN_LUONG", "E2", "2024", "18", "chiếc", ""),
    ("sx_san_luong", "E2", "2023", "0", "chiếc", ""),
]
# Rows that need the full checks: problems, and forms the fast way does not read.
OTHER = [
    ("BB_THAN_THIEN", "S1", "2024", "có", "", ""),  # yes/no
    ("TT_NGUOI", "X1", "2024", "12.0", "", ""),  # a whole number written with decimals
    ("TT_NGUOI", "X1", "2024", " 12", "", ""),
    ("TT_NGUOI", "X1", "2024", "-3", "", ""),
    ("TT_NGUOI", "X1", "2024", "1.234,5", "", ""),
    ("TT_NGUOI", "X1", "24", "3", "", ""),
    ("TT_NGUOI", "X1", "", "3", "", ""),
    ("TT_NGUOI", "K1", "2024", "3", "", ""),  # not an element of industrial zones
    ("TT_NGUOI", "NOPE", "2024", "3", "", ""),
    ("NOPE", "X1", "2024", "3", "", ""),
    ("NT_NGUOI", "OLD", "2024", "3", "", ""),  # the unit had ceased
    ("TH_NGUYEN_LIEU", "E1", "2024", "3", "", ""),  # no unit
    ("TH_NGUYEN_LIEU", "E1", "2024", "3", "GJ", ""),  # not a mass
    ("TT_NGUOI", "X1", "2024", "3", "kg", ""),
    ("TH_NGUYEN_LIEU", "E1", "2024", "1.1234567", "kg", ""),  # seven places
    ("TH_NGUYEN_LIEU", "E1", "2024", "123456789012345", "kg", ""),  # too large
    ("TT_NGUOI", "X1", "2024", "3", "", "x" * 501),
]


@pytest.fixture
def known() -> tuple[dict[str, DataElement], dict[str, OrgUnit]]:
    plan_load_file(path=PLAN_DATA_DIR / "kh2627.json")
    units = {
        "X1": OrgUnitFactory(code="X1", type="XA"),
        "K1": OrgUnitFactory(code="K1", type="KCN"),
        "S1": OrgUnitFactory(code="S1", type="SIEU_THI"),
        "E1": enterprise("E1"),
        "E2": enterprise("E2", sector="NHUA"),
        "OLD": OrgUnitFactory(code="OLD", type="KCN", valid_to=dt.date(2022, 12, 31)),
    }
    return {element.code: element for element in DataElement.objects.all()}, units


def both_ways(
    cells: tuple[str, ...], known: tuple[dict[str, DataElement], dict[str, OrgUnit]]
) -> tuple[object, object, list[str]]:
    """The row as the fast way reads it, as the full checks read it, and their problems."""
    elements, units = known
    rules = {code: ElementRule(element) for code, element in elements.items()}
    row = dict(zip(COLUMNS, cells, strict=True))
    table = table_from_rows(filename="f", columns=COLUMNS, rows=[(2, cells)])
    fast = valid_row(2, cells, rules, units, {}, {}, {})
    full = parse_row(table, 2, row, elements, units, {}, {}, {})
    return fast, full, [problem.message for problem in table.problems]


@pytest.mark.parametrize("cells", COMMON)
def test_a_common_row_is_read_fast_as_the_full_checks_read_it(cells, known):
    fast, full, problems = both_ways(cells, known)
    assert problems == []
    assert fast is not None
    assert fast == full
    assert fast.key == (full.element.id, full.org_unit.id, full.period)


@pytest.mark.parametrize("cells", OTHER)
def test_any_other_row_is_left_to_the_full_checks(cells, known):
    fast, full, problems = both_ways(cells, known)
    assert fast is None
    assert full is not None or problems


def test_a_key_met_before_is_left_to_the_full_checks_which_name_the_first_line(known):
    elements, units = known
    rules = {code: ElementRule(element) for code, element in elements.items()}
    first_line: dict[object, int] = {}
    periods: dict[str, int] = {}
    cells = ("TT_NGUOI", "X1", "2024", "3", "", "")
    row = dict(zip(COLUMNS, cells, strict=True))
    assert valid_row(2, cells, rules, units, first_line, periods, {}) is not None
    assert valid_row(5, cells, rules, units, first_line, periods, {}) is None
    table = table_from_rows(filename="f", columns=COLUMNS, rows=[(5, cells)])
    parse_row(table, 5, row, elements, units, first_line, periods, {})
    assert [p.message for p in table.problems] == ["trùng khóa với dòng 2"]


def test_a_period_is_read_with_its_days():
    dated = dated_period("2024q2", "quarterly")
    assert dated is not None
    assert (dated.period, dated.year) == ("2024Q2", 2024)
    assert (dated.start, dated.end) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert dated_period("2024", "quarterly") is None
