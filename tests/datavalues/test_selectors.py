"""The years with values, read element by element from the element index."""

from __future__ import annotations

import pytest

from benvung.datavalues.selectors import last_value_year, value_years
from tests.factories import DataElementFactory, DataValueFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_no_values_no_years() -> None:
    DataElementFactory(code="A")
    assert value_years() == []
    assert last_value_year(2030) is None


def test_years_of_every_element_with_their_gaps() -> None:
    a, b, unused = DataElementFactory(code="A"), DataElementFactory(code="B"), DataElementFactory()
    unit, other = OrgUnitFactory(code="K1"), OrgUnitFactory(code="K2")
    for element, org_unit, period in [
        (a, unit, "2021"),
        (a, other, "2021"),
        (a, unit, "2024"),
        (b, other, "2022"),
        (b, unit, "2026"),
    ]:
        DataValueFactory(data_element=element, org_unit=org_unit, period=period)
    assert unused.values.count() == 0

    assert value_years() == [2021, 2022, 2024, 2026]
    assert last_value_year(2030) == 2026
    assert last_value_year(2025) == 2024
    assert last_value_year(2022) == 2022
    assert last_value_year(2020) is None
