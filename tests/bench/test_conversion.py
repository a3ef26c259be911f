"""The import converts with one pint call per unit (a factor), not one per row: the stored
canonical values must be those of the per-row conversion."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from benvung.datavalues.models import DataElement
from benvung.datavalues.rows import canonical_value
from benvung.indicators.domain.units import normalise_output, to_canonical

_PLACES = Decimal("0.0000000001")
_CASES = [
    ("mass", ["tấn", "kg", "tạ", "yến", "g", "t", "Tan"]),
    ("energy", ["TOE", "GJ", "kWh", "MWh", "MJ", "Gcal", "ktoe", "TJ", "kcal", "BTU"]),
    ("any", ["tấn", "kg", "m³", "m3", "l", "chiếc", "sản phẩm", "%", "kWh", "GJ", "ft", "lb"]),
]


@pytest.mark.parametrize(("dimension", "units"), _CASES)
def test_factor_conversion_equals_the_per_row_conversion(dimension: str, units: list[str]) -> None:
    element = DataElement(code="X", name="X", value_type="decimal", dimension=dimension)
    rng = random.Random(2627)
    for unit in units:
        for _ in range(500):
            # Every length of number a row may hold: up to 14 digits and 6 decimals.
            places = rng.randint(0, 6)
            whole = Decimal(rng.randint(0, 10 ** rng.randint(0, 14) - 1))
            value = whole + Decimal(rng.randint(0, 10**places)).scaleb(-places)
            if dimension == "any":
                expected = normalise_output(value, unit)[0]
            else:
                expected = to_canonical(value, unit, dimension)
            assert canonical_value(value, unit, element) == expected.quantize(
                _PLACES, rounding=ROUND_HALF_UP
            ), (value, unit)
