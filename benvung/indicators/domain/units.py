"""Conversion of reported quantities to the units the indicators compute in.

Mass goes to tonnes and energy to TOE (tonnes of oil equivalent), the units of CT07. The
conversions themselves come from `pint`; this module only adds what pint lacks (TOE and the
Vietnamese names of units), reads unit names the way people type them (any case, stray
spaces), and applies the one coefficient that is a convention rather than physics: electricity
counts as 0.1543 TOE per MWh, the figure Vietnamese energy statistics use.

Every result is a `Decimal`: the registry works in Decimal, so 3 tạ is exactly 0.3 t.
"""

from __future__ import annotations

import re
import tokenize
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pint

from benvung.indicators.domain._decimal import tidy

__all__ = [
    "ELECTRICITY_TOE_PER_MWH",
    "GJ_PER_TOE",
    "UnitError",
    "canonical_converter",
    "decimal_shift",
    "dimension_of",
    "normalise_output",
    "to_canonical",
    "to_toe",
    "to_tonnes",
    "ureg",
]

GJ_PER_TOE = Decimal("41.868")
# Vietnam's statistical coefficient for electricity (it reflects the fuel burnt to generate a
# MWh, about 1.8 times the physical 0.086 TOE/MWh), so it must not come from pint.
ELECTRICITY_TOE_PER_MWH = Decimal("0.1543")

# Decimal magnitudes all the way: pint would otherwise compute in float and turn 3 tạ into
# 0.30000000000000004 t and 7 hl into 0.7000000000000002 m³.
ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(non_int_type=Decimal)
# pint already defines toe as 1e10 international calories = 41.868 GJ (tested); redefining
# it would log a warning on every start.
ureg.define("@alias metric_ton = tấn")
ureg.define("tạ = 100 * kilogram")
ureg.define("yến = 10 * kilogram")
ureg.define("@alias liter = lít")

_TONNE = ureg.parse_units("metric_ton")
_TOE = ureg.parse_units("toe")
_MWH = ureg.parse_units("megawatt_hour")

# Lower-cased spellings that pint would misread or not know once case is ignored: "mwh" must be
# MWh (nobody reports milliwatt-hours), "M3" cubic metres (not pint's molar cubed), "ton" a
# metric tonne (what a Vietnamese report means, not pint's US short ton), "tan" is "tấn" typed
# without diacritics.
_ALIASES: dict[str, str] = {
    "t": "metric_ton",
    "tan": "metric_ton",
    "ton": "metric_ton",
    "tons": "metric_ton",
    "tonne": "metric_ton",
    "tonnes": "metric_ton",
    "wh": "Wh",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "twh": "TWh",
    "j": "J",
    "kj": "kJ",
    "mj": "MJ",
    "gj": "GJ",
    "tj": "TJ",
    "pj": "PJ",
    "ktoe": "ktoe",
    "mtoe": "Mtoe",
    "gcal": "Gcal",
    "tcal": "Tcal",
    "l": "liter",
    "lit": "liter",
    "hl": "hectoliter",
    "ml": "milliliter",
    "m3": "m**3",
    "m³": "m**3",
    "m2": "m**2",
    "m²": "m**2",
}

# Counting words that pint would take for physical units ("pcs" is parsecs, "unit" is a
# micro-nit, "bag" a mass): an enterprise writing them counts pieces, so they stay unknown.
_COUNT_WORDS = frozenset({"bag", "bags", "ea", "each", "item", "items", "pc", "pcs", "piece"})
_COUNT_WORDS |= {"pieces", "set", "sets", "unit", "units"}

# "m3", "km2": the exponent written without "**", common in spreadsheets, unknown to pint.
_BARE_EXPONENT = re.compile(r"^([a-zA-Zµ]+)([23])$")

# Named dimensions reported by `dimension_of`, mass and energy first because they are the ones
# the indicators need; the rest only let other code say what kind of unit was given.
_DIMENSION_NAMES = (
    "mass",
    "energy",
    "length",
    "area",
    "volume",
    "time",
    "power",
    "velocity",
    "density",
    "pressure",
    "force",
    "temperature",
    "current",
    "substance",
    "luminosity",
    "frequency",
)
_DIMENSIONS = tuple((name, ureg.get_dimensionality(f"[{name}]")) for name in _DIMENSION_NAMES)

# Where `normalise_output` brings each dimension, and the label it reports.
_OUTPUT_BASES: dict[str, tuple[str, str]] = {
    "mass": ("metric_ton", "tấn"),
    "volume": ("m**3", "m³"),
    "length": ("m", "m"),
    "area": ("m**2", "m²"),
    "energy": ("GJ", "GJ"),
    "time": ("hour", "h"),
    "power": ("kW", "kW"),
}


# User text goes through pint's tokenizer and parser, which raise all of these for input that
# is not a unit expression ("kg/" an AssertionError, "t/0" a DivisionByZero, "(" a
# TokenError...): each only means "not a unit".
_PARSE_ERRORS = (
    pint.errors.PintError,
    tokenize.TokenError,
    ArithmeticError,
    AssertionError,
    AttributeError,
    LookupError,
    SyntaxError,
    TypeError,
    ValueError,
)


class UnitError(ValueError):
    """A unit that is unknown or of the wrong dimension; the message is for the user."""


def _clean(unit: str) -> str:
    """`unit` in NFC with single inner spaces and no outer ones.

    NFC because Vietnamese typed on some systems arrives decomposed ("a" + combining marks),
    which would not match the names defined above.
    """
    return " ".join(unicodedata.normalize("NFC", unit).split())


def _try_parse(expression: str) -> pint.Unit | None:
    """The pint unit for `expression`, or None when pint cannot read it as a pure unit."""
    match = _BARE_EXPONENT.match(expression)
    if match:
        expression = f"{match.group(1)}**{match.group(2)}"
    try:
        parsed = ureg.parse_units(expression)
    except _PARSE_ERRORS:
        return None
    return parsed


@lru_cache(maxsize=512)
def _parse(unit: str) -> pint.Unit | None:
    """The pint unit a user meant by `unit`, or None if it is not a known physical unit.

    Exact spelling is tried before the lower-cased one so that pint's case distinctions that
    do matter ("Mg" megagram, "L" litre) survive; the alias table settles the cases where
    lower-casing would change the meaning ("mwh").
    """
    cleaned = _clean(unit)
    key = cleaned.lower()
    if not key or key in _COUNT_WORDS:
        return None
    if key in _ALIASES:
        return _try_parse(_ALIASES[key])
    parsed = _try_parse(cleaned)
    if parsed is None and key != cleaned:
        parsed = _try_parse(key)
    if parsed is not None and parsed == ureg.dimensionless:
        # pint reads "1" or "dimensionless" as the empty unit, which no report means.
        return None
    return parsed


def _dimension(parsed: pint.Unit) -> str:
    """The name of the dimension of a parsed unit."""
    if not parsed.dimensionality:
        return "dimensionless"
    for name, dimensionality in _DIMENSIONS:
        if parsed.dimensionality == dimensionality:
            return name
    # An unnamed combination (e.g. mass per time) is still worth a readable answer.
    return str(parsed.dimensionality)


def _magnitude(magnitude: object) -> Decimal:
    """The magnitude of a converted quantity as a tidy Decimal."""
    if isinstance(magnitude, Decimal):
        return tidy(magnitude)
    if isinstance(magnitude, int):
        return Decimal(magnitude)
    # Not expected with a Decimal registry; str() keeps a float's shortest repr, not its
    # binary expansion.
    return tidy(Decimal(str(magnitude)))


def _is_electricity(parsed: pint.Unit) -> bool:
    """Whether an energy unit is a watt-hour family unit (Wh, kWh, MWh, kW·h ...).

    Electricity is the only energy reported in watt-hours, and it is what the Vietnamese
    coefficient applies to.
    """
    return "watt" in f"{parsed:D}"


def dimension_of(unit: str) -> str | None:
    """The dimension of `unit`: "mass", "energy", another pint dimension name ("length",
    "volume", "area", ...), "dimensionless" for "%", or None when the unit is not a known
    physical unit (e.g. "chiếc", "sản phẩm", "pcs")."""
    parsed = _parse(unit)
    return None if parsed is None else _dimension(parsed)


_NOT_MASS = "Đơn vị '{unit}' không phải đơn vị khối lượng (tấn, tạ, kg)"
_NOT_ENERGY = "Đơn vị '{unit}' không phải đơn vị năng lượng (TOE, GJ, kWh, MWh)"


def _require(unit: str, dimension: str, message: str) -> pint.Unit:
    """The parsed unit, or UnitError with `message` when it is not of `dimension`."""
    parsed = _parse(unit)
    if parsed is None or _dimension(parsed) != dimension:
        raise UnitError(message.format(unit=_clean(unit)))
    return parsed


def to_tonnes(value: Decimal, unit: str) -> Decimal:
    """`value` expressed in `unit` (tấn, tạ, yến, kg, g, ...) converted to tonnes.

    Raises UnitError when `unit` is not a mass unit.
    """
    parsed = _require(unit, "mass", _NOT_MASS)
    return _magnitude(ureg.Quantity(value, parsed).to(_TONNE).magnitude)


def to_toe(value: Decimal, unit: str) -> Decimal:
    """`value` expressed in the energy unit `unit` converted to TOE.

    Watt-hour units (Wh, kWh, MWh, GWh) are electricity and use the Vietnamese coefficient
    1 MWh = 0.1543 TOE; the others convert physically, 1 TOE = 41.868 GJ. Raises UnitError
    when `unit` is not an energy unit.
    """
    parsed = _require(unit, "energy", _NOT_ENERGY)
    quantity = ureg.Quantity(value, parsed)
    if _is_electricity(parsed):
        return _electricity_toe(_magnitude(quantity.to(_MWH).magnitude))
    return _magnitude(quantity.to(_TOE).magnitude)


def to_canonical(value: Decimal, unit: str, dimension: str) -> Decimal:
    """`value` in `unit` converted to the unit indicators compute in for `dimension`:
    tonnes for "mass", TOE for "energy".

    Raises UnitError when `unit` is not of `dimension`, ValueError for any other dimension.
    """
    if dimension == "mass":
        return to_tonnes(value, unit)
    if dimension == "energy":
        return to_toe(value, unit)
    raise ValueError(f"No canonical unit for dimension {dimension!r}")


def canonical_converter(unit: str, dimension: str) -> Callable[[Decimal], Decimal] | None:
    """A function that brings a value in `unit` to the canonical unit of `dimension` ("mass",
    "energy", or "any" for an enterprise's output base) exactly as `to_canonical` does (as
    `normalise_output` does for "any"), with pint asked here once and not once per value;
    None when values stay as reported (units that are not physical). Units convert
    linearly: pint multiplies a value by the factor it gives for 1. Electricity keeps its
    two steps, to MWh by pint's factor, then the Vietnamese coefficient. Raises UnitError as
    `to_canonical` does."""
    if dimension == "any":
        parsed = _parse(unit)
        if parsed is None or not parsed.dimensionality:
            return None
        factor = Decimal(_in_output_base(Decimal(1), parsed).magnitude)
    elif dimension == "mass":
        factor = _factor(_require(unit, "mass", _NOT_MASS), _TONNE)
    elif dimension == "energy":
        parsed = _require(unit, "energy", _NOT_ENERGY)
        if _is_electricity(parsed):
            to_mwh = _factor(parsed, _MWH)
            return lambda value: _electricity_toe(tidy(value * to_mwh))
        factor = _factor(parsed, _TOE)
    else:
        raise ValueError(f"No canonical unit for dimension {dimension!r}")
    return lambda value: tidy(value * factor)


def decimal_shift(convert: Callable[[Decimal], Decimal]) -> int | None:
    """The power of ten by which a converter of `canonical_converter` multiplies, when its
    factor is one (kg to tonnes: -3, tấn: 0); None for any other factor. A caller that rounds
    the result anyway may then move the decimal point instead (exact, and what the converter
    gives for a value of at most 20 digits, which its rounding to 20 significant digits
    leaves alone)."""
    # Linear: its factor is its result for 1.
    sign, digits, exponent = convert(Decimal(1)).normalize().as_tuple()
    if sign or digits != (1,) or not isinstance(exponent, int):
        return None
    return exponent


def _factor(parsed: pint.Unit, target: pint.Unit) -> Decimal:
    """Pint's factor from `parsed` to `target`, at its own precision."""
    return Decimal(ureg.Quantity(Decimal(1), parsed).to(target).magnitude)


def _electricity_toe(mwh: Decimal) -> Decimal:
    """Electricity in MWh as TOE, by the Vietnamese coefficient."""
    return tidy(mwh * ELECTRICITY_TOE_PER_MWH)


def normalise_output(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """An enterprise's output brought to one unit per dimension, so years can be compared.

    Known units convert to a base of their dimension (mass to tấn, volume to m³, length to m,
    area to m², energy physically to GJ, time to h, power to kW, anything else to pint's base
    units) and the pair (value, label of that base) is returned. Units pint does not know
    ("chiếc", "sản phẩm") and "%" come back unchanged as (value, the unit trimmed and
    lower-cased): two years then compare only if they were reported in the same words.
    """
    parsed = _parse(unit)
    if parsed is None or not parsed.dimensionality:
        return value, _clean(unit).lower()
    base = _in_output_base(value, parsed)
    dimension = _dimension(parsed)
    label = _OUTPUT_BASES[dimension][1] if dimension in _OUTPUT_BASES else f"{base.units:~P}"
    return _magnitude(base.magnitude), label


def _in_output_base(value: Decimal, parsed: pint.Unit) -> Any:
    """`value` in the physical unit `parsed` as a quantity in the output base of its
    dimension (`_OUTPUT_BASES`), else in pint's base units."""
    quantity = ureg.Quantity(value, parsed)
    dimension = _dimension(parsed)
    if dimension in _OUTPUT_BASES:
        return quantity.to(_OUTPUT_BASES[dimension][0])
    return quantity.to_base_units()
