"""Unit conversion: dimensions, tonnes, TOE with the electricity coefficient, output bases."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from benvung.indicators.domain.units import (
    UnitError,
    canonical_converter,
    decimal_shift,
    dimension_of,
    normalise_output,
    to_canonical,
    to_toe,
    to_tonnes,
)

D = Decimal


@pytest.mark.parametrize(
    ("unit", "dimension"),
    [
        ("tấn", "mass"),
        ("Tấn", "mass"),
        ("TẤN", "mass"),
        ("  tấn  ", "mass"),
        ("tạ", "mass"),
        ("yến", "mass"),
        ("kg", "mass"),
        ("KG", "mass"),
        ("t", "mass"),
        # Upper-case T is tesla to pint, but in a report it is tonnes.
        ("T", "mass"),
        ("ton", "mass"),
        ("tan", "mass"),
        ("g", "mass"),
        ("TOE", "energy"),
        ("toe", "energy"),
        ("Toe", "energy"),
        ("ktoe", "energy"),
        ("GJ", "energy"),
        ("gj", "energy"),
        ("kWh", "energy"),
        (" kwh ", "energy"),
        ("KWH", "energy"),
        ("MWh", "energy"),
        ("mwh", "energy"),
        ("GWh", "energy"),
        ("Wh", "energy"),
        ("kW h", "energy"),
        ("kcal", "energy"),
        ("m", "length"),
        ("km", "length"),
        ("m2", "area"),
        ("m²", "area"),
        ("m3", "volume"),
        ("M3", "volume"),
        ("m³", "volume"),
        ("lít", "volume"),
        ("Lít", "volume"),
        ("l", "volume"),
        ("L", "volume"),
        ("hl", "volume"),
        ("h", "time"),
        ("kW", "power"),
        ("%", "dimensionless"),
    ],
)
def test_dimension_of_known_units(unit: str, dimension: str) -> None:
    assert dimension_of(unit) == dimension


@pytest.mark.parametrize(
    "unit",
    [
        "chiếc",
        "Chiếc",
        "sản phẩm",
        "cái",
        "bộ",
        "đôi",
        "hộp",
        "thùng",
        "chai",
        "lon",
        # pint would read these as parsecs, micro-nits and a mass: they are counts.
        "pcs",
        "pc",
        "unit",
        "units",
        "bag",
        "",
        "   ",
        "1",
        "2",
        "kg/",
        "(",
        "1/0",
    ],
)
def test_dimension_of_unknown_units_is_none(unit: str) -> None:
    assert dimension_of(unit) is None


def test_dimension_of_unnamed_combination_is_pint_text() -> None:
    assert dimension_of("kg/h") == "[mass] / [time]"


@pytest.mark.parametrize("unit", ["tấn", "tạ", "yến", "Tấn"])
def test_decomposed_vietnamese_is_read_like_composed(unit: str) -> None:
    # Some keyboards and spreadsheets send "ấ" as "a" + two combining marks.
    decomposed = unicodedata.normalize("NFD", unit)
    assert decomposed != unit
    assert dimension_of(decomposed) == "mass"
    assert to_tonnes(D(1), decomposed) == to_tonnes(D(1), unit)


@pytest.mark.parametrize(
    ("value", "unit", "tonnes"),
    [
        (D("1500"), "kg", D("1.5")),
        (D("1"), "kg", D("0.001")),
        (D("0.1"), "kg", D("0.0001")),
        (D("3"), "tạ", D("0.3")),
        (D("10"), "tạ", D("1")),
        (D("7"), "yến", D("0.07")),
        (D("2.5"), "tấn", D("2.5")),
        (D("2.5"), " Tấn ", D("2.5")),
        (D("2.5"), "t", D("2.5")),
        (D("2.5"), "ton", D("2.5")),
        (D("250000"), "g", D("0.25")),
        (D("0"), "kg", D("0")),
        (D("123456789.123"), "kg", D("123456.789123")),
    ],
)
def test_to_tonnes(value: Decimal, unit: str, tonnes: Decimal) -> None:
    result = to_tonnes(value, unit)
    assert isinstance(result, Decimal)
    assert result == tonnes


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        # In float pint gives 0.30000000000000004 and 0.7000000000000002 for these.
        (D("3"), "tạ", "0.3"),
        (D("300"), "kg", "0.3"),
        (D("1000"), "kg", "1"),
        (D("1000000"), "kg", "1000"),
    ],
)
def test_to_tonnes_is_exact_not_float(value: Decimal, unit: str, text: str) -> None:
    assert str(to_tonnes(value, unit)) == text


def test_volume_output_is_exact_not_float() -> None:
    assert str(normalise_output(D("7"), "hl")[0]) == "0.7"


@pytest.mark.parametrize("unit", ["kWh", "GJ", "toe", "m3", "lít", "chiếc", "", "pcs"])
def test_to_tonnes_rejects_non_mass(unit: str) -> None:
    with pytest.raises(UnitError, match="không phải đơn vị khối lượng"):
        to_tonnes(D(1), unit)


def test_unit_error_names_the_unit_and_is_a_value_error() -> None:
    with pytest.raises(
        ValueError, match=r"^Đơn vị 'kWh' không phải đơn vị khối lượng \(tấn, tạ, kg\)$"
    ):
        to_tonnes(D(1), " kWh ")


@pytest.mark.parametrize(
    ("value", "unit", "toe"),
    [
        # Electricity: the Vietnamese coefficient, 1 MWh = 0.1543 TOE.
        (D("1"), "MWh", D("0.1543")),
        (D("1000"), "MWh", D("154.3")),
        (D("1000"), "mwh", D("154.3")),
        (D("1"), "kWh", D("0.0001543")),
        (D("1000"), " kwh ", D("0.1543")),
        (D("1000000"), "KWH", D("154.3")),
        (D("1"), "GWh", D("154.3")),
        (D("1000000"), "Wh", D("0.1543")),
        (D("1000"), "kW h", D("0.1543")),
        # Other energy: physical, 1 TOE = 41.868 GJ.
        (D("41.868"), "GJ", D("1")),
        (D("418.68"), "gj", D("10")),
        (D("41868"), "MJ", D("1")),
        (D("5"), "TOE", D("5")),
        (D("5"), "toe", D("5")),
        (D("2"), "ktoe", D("2000")),
        (D("0"), "GJ", D("0")),
    ],
)
def test_to_toe(value: Decimal, unit: str, toe: Decimal) -> None:
    result = to_toe(value, unit)
    assert isinstance(result, Decimal)
    assert result == toe


def test_electricity_is_not_converted_physically() -> None:
    # Physically 1 MWh = 3.6 GJ = 0.08598... TOE; the plan's coefficient is 0.1543.
    physical = to_toe(D("3.6"), "GJ")
    assert physical.quantize(D("0.00001")) == D("0.08598")
    assert to_toe(D(1), "MWh") == D("0.1543")
    assert to_toe(D(1), "MWh") != physical


def test_to_toe_one_gj_keeps_precision() -> None:
    # 1 / 41.868 = 0.0238845896627496...; 20 significant digits are kept.
    assert to_toe(D(1), "GJ") == D("0.023884589662749593962")


@pytest.mark.parametrize("unit", ["tấn", "kg", "kW", "m3", "sản phẩm", "", "%"])
def test_to_toe_rejects_non_energy(unit: str) -> None:
    with pytest.raises(UnitError, match=r"không phải đơn vị năng lượng \(TOE, GJ, kWh, MWh\)"):
        to_toe(D(1), unit)


@pytest.mark.parametrize(
    ("value", "unit", "dimension", "expected"),
    [
        (D("1500"), "kg", "mass", D("1.5")),
        (D("2"), "tạ", "mass", D("0.2")),
        (D("1000"), "MWh", "energy", D("154.3")),
        (D("83.736"), "GJ", "energy", D("2")),
    ],
)
def test_to_canonical_dispatches_on_dimension(
    value: Decimal, unit: str, dimension: str, expected: Decimal
) -> None:
    assert to_canonical(value, unit, dimension) == expected


@pytest.mark.parametrize(
    ("unit", "dimension"),
    [("kWh", "mass"), ("kg", "energy")],
)
def test_to_canonical_rejects_wrong_dimension(unit: str, dimension: str) -> None:
    with pytest.raises(UnitError):
        to_canonical(D(1), unit, dimension)


def test_to_canonical_rejects_unknown_dimension() -> None:
    with pytest.raises(ValueError, match="volume"):
        to_canonical(D(1), "m3", "volume")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (D("1500"), "kg", (D("1.5"), "tấn")),
        (D("1.5"), "Tấn", (D("1.5"), "tấn")),
        (D("15"), "tạ", (D("1.5"), "tấn")),
        (D("5"), "hl", (D("0.5"), "m³")),
        (D("1500"), "lít", (D("1.5"), "m³")),
        (D("1500"), "L", (D("1.5"), "m³")),
        (D("2"), "m3", (D("2"), "m³")),
        (D("2"), "km", (D("2000"), "m")),
        (D("350"), "cm", (D("3.5"), "m")),
        (D("3"), "m2", (D("3"), "m²")),
        (D("1"), "MWh", (D("3.6"), "GJ")),
        (D("12"), " Chiếc ", (D("12"), "chiếc")),
        (D("12"), "Sản  Phẩm", (D("12"), "sản phẩm")),
        (D("12"), "PCS", (D("12"), "pcs")),
        (D("40"), "%", (D("40"), "%")),
    ],
)
def test_normalise_output(value: Decimal, unit: str, expected: tuple[Decimal, str]) -> None:
    result = normalise_output(value, unit)
    assert result == expected
    assert isinstance(result[0], Decimal)


def test_normalise_output_makes_years_comparable() -> None:
    # A brewery reporting in hl one year and lít the next produces the same canonical pair.
    assert normalise_output(D("200"), "hl") == normalise_output(D("20000"), "lít")


def test_normalise_output_other_dimension_goes_to_base_units() -> None:
    value, label = normalise_output(D("3.6"), "kg/h")
    assert value == D("0.001")
    assert label == "kg/s"


# Values whose products have more digits than a Decimal keeps, odd numbers of places, zero.
CONVERTED_VALUES = [D("0"), D("1"), D("63148"), D("123.456789"), D("99999999999999.999999")]


@pytest.mark.parametrize(
    ("unit", "dimension"),
    [
        ("kg", "mass"),
        ("tạ", "mass"),
        ("yến", "mass"),
        ("g", "mass"),
        ("tấn", "mass"),
        ("kWh", "energy"),
        ("Wh", "energy"),
        ("MWh", "energy"),
        ("GWh", "energy"),
        ("kW h", "energy"),
        ("GJ", "energy"),
        ("MJ", "energy"),
        ("TOE", "energy"),
        ("ktoe", "energy"),
    ],
)
def test_converter_is_to_canonical(unit: str, dimension: str) -> None:
    # An import converts a million values with the converter: each must be the very value
    # that to_canonical gives, electricity's two roundings included.
    convert = canonical_converter(unit, dimension)
    assert convert is not None
    for value in CONVERTED_VALUES:
        assert convert(value) == to_canonical(value, unit, dimension), value


@pytest.mark.parametrize(
    ("unit", "dimension", "shift"),
    [
        ("kg", "mass", -3),
        ("tạ", "mass", -1),
        ("tấn", "mass", 0),
        ("g", "mass", -6),
        ("TOE", "energy", 0),
        ("ktoe", "energy", 3),
        ("GJ", "energy", None),
        ("kWh", "energy", None),
        ("MWh", "energy", None),
        ("hl", "any", -1),
        ("chiếc", "any", None),
    ],
)
def test_a_shift_is_the_converters_factor_when_it_is_a_power_of_ten(
    unit: str, dimension: str, shift: int | None
) -> None:
    convert = canonical_converter(unit, dimension)
    assert (None if convert is None else decimal_shift(convert)) == shift
    if shift is not None:
        assert convert is not None
        for value in CONVERTED_VALUES:
            assert value.scaleb(shift) == convert(value), value


@pytest.mark.parametrize("unit", ["hl", "lít", "km", "m2", "MWh", "kg/h"])
def test_converter_of_outputs_is_normalise_output(unit: str) -> None:
    convert = canonical_converter(unit, "any")
    assert convert is not None
    for value in CONVERTED_VALUES:
        assert convert(value) == normalise_output(value, unit)[0], value


@pytest.mark.parametrize("unit", ["chiếc", "sản phẩm", "%"])
def test_outputs_in_words_are_not_converted(unit: str) -> None:
    assert canonical_converter(unit, "any") is None


def test_converter_refuses_a_unit_of_another_dimension() -> None:
    with pytest.raises(UnitError, match="không phải đơn vị năng lượng"):
        canonical_converter("kg", "energy")
