"""One row of a data-value write, checked: the element, the unit, the period, the number and
its unit, converted to the element's canonical unit (tonnes, TOE).

A row in the common form is read by `valid_row` with what it can read once per element, unit
and period; any other row goes through `parse_row`, which reports every problem of the row
in Vietnamese. No database access here but the successor hint of a ceased unit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.translation import gettext, gettext_lazy, gettext_noop

from benvung.core.importing import (
    Reporter,
    TableReader,
    format_validity,
    parse_boolean,
    parse_decimal,
    parse_period,
    period_dates,
)
from benvung.datavalues.models import DataElement, DataValue, Dimension, ValueType
from benvung.indicators.domain.units import (
    UnitError,
    canonical_converter,
    decimal_shift,
    normalise_output,
)
from benvung.orgunits.models import OrgUnit, UnitType

# DataValue.value is DECIMAL(20, 6) and canonical_value DECIMAL(30, 10): 1 kWh is
# 0.0001543 TOE, which 6 places would round away.
_PLACES = 6
_QUANTUM = Decimal(1).scaleb(-_PLACES)
_VALUE_LIMIT = Decimal(10) ** (20 - _PLACES)
_CANONICAL_PLACES = 10
_CANONICAL_QUANTUM = Decimal(1).scaleb(-_CANONICAL_PLACES)
_CANONICAL_LIMIT = Decimal(10) ** (30 - _CANONICAL_PLACES)
_UNIT_MAX = DataValue._meta.get_field("unit").max_length or 30
_COMMENT_MAX = DataValue._meta.get_field("comment").max_length or 500

_UNIT_HINTS: dict[str, str] = {
    Dimension.MASS: gettext_noop("đơn vị khối lượng: tấn, tạ, kg"),
    Dimension.ENERGY: gettext_noop("đơn vị năng lượng: TOE, GJ, kWh, MWh"),
    Dimension.ANY: gettext_noop("đơn vị sản phẩm của doanh nghiệp, ví dụ tấn, m³, chiếc"),
}

Key = tuple[int, int, str]  # (data_element_id, org_unit_id, period)


@dataclass(slots=True)
class ValueRow:
    """A valid row of the file, ready to be compared with the database and stored."""

    line: int
    element: DataElement
    org_unit: OrgUnit
    period: str
    year: int
    value: Decimal
    unit: str
    canonical_value: Decimal
    comment: str
    # For elements in the enterprise's own product unit: the unit after normalisation, which
    # must stay the same across years ("" for other elements).
    output_label: str
    # (element id, unit id, period), made once: a million rows ask for it several times
    # each. (Given, not made after __init__: a million rows are made, each in a third of
    # the time so.)
    key: Key


class ElementRule:
    """What the checks of a row need to know of its element, read once per import."""

    __slots__ = (
        "dimension",
        "element",
        "id",
        "integer",
        "period_type",
        "periods",
        "plain",
        "unit_types",
    )

    def __init__(self, element: DataElement) -> None:
        self.element = element
        self.id = element.id
        self.period_type = element.period_type
        self.unit_types = frozenset(element.unit_types)
        self.integer = element.value_type == ValueType.INTEGER
        # Yes/no values and their spellings are left to the full checks.
        self.plain = element.value_type != ValueType.BOOLEAN
        self.dimension = element.dimension
        # The periods met in the element's rows, as written: what they are for its period
        # type (None when they are not one).
        self.periods: dict[str, Period | None] = {}


@dataclass(frozen=True, slots=True)
class Period:
    """A period as stored, its year and its first and last day."""

    period: str
    year: int
    start: dt.date
    end: dt.date


# Not looked up yet (None is a text that is no period).
_UNSEEN = Period("", 0, dt.date.min, dt.date.min)

# A value that needs no further check: at most 14 digits before the mark, "." or ","
# (below _VALUE_LIMIT), and 6 after (_PLACES); whole for an integer element.
_PLAIN_DECIMAL = re.compile(r"\d{1,14}(?:[.,]\d{1,6})?")
_PLAIN_INTEGER = re.compile(r"\d{1,14}")


# The columns of a data-value row, in the order in which the checks read them by position.
FIELDS = ("data_element", "org_unit", "period", "value", "unit", "comment")


def valid_row(
    line: int,
    cells: Sequence[str],
    rules: dict[str, ElementRule],
    units: dict[str, OrgUnit],
    first_line: dict[object, int],
    periods: dict[str, int],
    strings: dict[str, str],
) -> ValueRow | None:
    """The value of a row (its `cells` of the `FIELDS`) that passes every check of
    `parse_row` in its common form, or None for any other row, which `parse_row` then
    checks and reports in full. `strings` keeps one copy of each repeated text (units,
    comments).

    A million-row file is almost all such rows: this path asks only what they need, with
    what it can read once per element, unit or period."""
    code, unit_code, period, raw, unit, comment = cells
    # Codes are mostly written as they are: upper case only when not found so.
    rule = rules.get(code) or rules.get(code.upper())
    org_unit = units.get(unit_code)
    if rule is None or org_unit is None or not rule.plain:
        return None
    dated = rule.periods.get(period, _UNSEEN)
    if dated is _UNSEEN:
        dated = rule.periods[period] = dated_period(period.upper(), rule.period_type)
    if dated is None or org_unit.type not in rule.unit_types:
        return None
    if org_unit.valid_from > dated.end or (
        org_unit.valid_to is not None and org_unit.valid_to < dated.start
    ):
        return None
    if len(unit) > _UNIT_MAX or len(comment) > _COMMENT_MAX or bool(unit) != bool(rule.dimension):
        return None
    if not (_PLAIN_INTEGER if rule.integer else _PLAIN_DECIMAL).fullmatch(raw):
        return None
    value = Decimal(raw.replace(",", "."))
    output_label = ""
    if rule.dimension:
        try:
            canonical, output_label = _canonical(value, unit, rule.dimension)
        except UnitError:
            return None
        if abs(canonical) >= _CANONICAL_LIMIT:
            return None
    else:
        canonical = value
    number = periods.setdefault(dated.period, len(periods))
    key = (rule.id << 80) | (org_unit.id << 24) | number
    if key in first_line:
        return None
    first_line[key] = line
    # The period is the one shared `Period`'s; "" is one object already.
    # By position, in the order of the fields: a million rows are made here.
    return ValueRow(
        line,
        rule.element,
        org_unit,
        dated.period,
        dated.year,
        value,
        strings.setdefault(unit, unit) if unit else "",
        canonical.quantize(_CANONICAL_QUANTUM, rounding=ROUND_HALF_UP),
        strings.setdefault(comment, comment) if comment else "",
        output_label,
        (rule.id, org_unit.id, dated.period),
    )


def dated_period(text: str, period_type: str) -> Period | None:
    """The period of `text` for elements of `period_type`, None when it is not one."""
    try:
        period, year = parse_period(text, period_type)
    except ValueError:
        return None
    return Period(period, year, *period_dates(period))


def parse_row(
    table: TableReader,
    line: int,
    row: dict[str, str],
    elements: dict[str, DataElement],
    units: dict[str, OrgUnit],
    first_line: dict[object, int],
    periods: dict[str, int],
    strings: dict[str, str],
    hint: Callable[[OrgUnit, dt.date], str] | None = None,
) -> ValueRow | None:
    """One row checked: the value to store, or None after reporting its problems. `strings`
    keeps one copy of each repeated text (periods, units, comments); `hint` names where the
    data of a ceased unit now goes (`successor_hint` unless given: a caller whose connection
    is busy elsewhere hands the question over)."""
    before = len(table.problems)
    report = table.reporter(line)

    element_code = row["data_element"].upper()
    element = elements.get(element_code)
    if not element_code:
        report("data_element", gettext("thiếu mã chỉ số"))
    elif element is None:
        report(
            "data_element",
            gettext("không có chỉ số mã '%(data_element)s'")
            % {"data_element": row["data_element"]},
        )

    unit_code = row["org_unit"]
    org_unit = units.get(unit_code)
    if not unit_code:
        report("org_unit", gettext("thiếu mã đơn vị"))
    elif org_unit is None:
        report("org_unit", gettext("không có đơn vị mã '%(unit_code)s'") % {"unit_code": unit_code})

    period_text = row["period"].upper()
    period, year = period_text, 0
    if not period_text:
        report("period", gettext("thiếu kỳ"))
    elif element is not None:
        try:
            period, year = parse_period(period_text, element.period_type)
        except ValueError as exc:
            report("period", str(exc))

    if element_code and unit_code and period_text:
        key: object
        if element is not None and org_unit is not None:
            number = periods.setdefault(period, len(periods))
            key = (element.pk << 80) | (org_unit.pk << 24) | number
        else:
            key = (element_code, unit_code, period)
        if key in first_line:
            report(
                "data_element",
                gettext("trùng khóa với dòng %(first_line)s") % {"first_line": first_line[key]},
            )
        else:
            first_line[key] = line

    if element is not None and org_unit is not None:
        if org_unit.type not in element.unit_types:
            report(
                "org_unit",
                gettext("chỉ số %(element)s không áp dụng cho loại đơn vị %(type)s")
                % {"element": element.code, "type": UnitType(org_unit.type).label},
            )
        if year:
            start, end = period_dates(period)
            if not org_unit.is_active_between(start, end):
                if org_unit.valid_from > end:
                    message = gettext(
                        "đơn vị '%(unit)s' chưa hoạt động trong kỳ %(period)s "
                        "(hiệu lực %(validity)s)"
                    )
                else:
                    message = gettext(
                        "đơn vị '%(unit)s' không còn hoạt động trong kỳ %(period)s "
                        "(hiệu lực %(validity)s)"
                    )
                validity = format_validity(org_unit.valid_from, org_unit.valid_to)
                report(
                    "org_unit",
                    message % {"unit": org_unit.code, "period": period, "validity": validity}
                    + (hint or successor_hint)(org_unit, start),
                )

    unit = row.get("unit", "")
    comment = row.get("comment", "")
    if len(unit) > _UNIT_MAX:
        report("unit", gettext("đơn vị tính dài quá %(max)s ký tự") % {"max": _UNIT_MAX})
    if len(comment) > _COMMENT_MAX:
        report("comment", gettext("ghi chú dài quá %(max)s ký tự") % {"max": _COMMENT_MAX})

    value = canonical = None
    output_label = ""
    if element is not None:
        value = _parse_value(row["value"], element, report)
        if element.dimension and not unit:
            report(
                "unit",
                gettext("chỉ số %(element)s cần đơn vị tính (%(hint)s)")
                % {"element": element.code, "hint": gettext(_UNIT_HINTS[element.dimension])},
            )
        elif not element.dimension and unit:
            report(
                "unit",
                gettext("chỉ số %(element)s không có đơn vị tính, để trống cột unit")
                % {"element": element.code},
            )
        elif value is not None:
            try:
                canonical, output_label = _canonical(value, unit, element.dimension)
            except UnitError as exc:
                message = str(exc)
                report("unit", message[:1].lower() + message[1:])
        if canonical is not None and abs(canonical) >= _CANONICAL_LIMIT:
            report("value", gettext("giá trị quy đổi quá lớn"))

    no_problem = len(table.problems) == before
    if no_problem and element and org_unit and value is not None and canonical is not None:
        period = strings.setdefault(period, period)
        return ValueRow(
            line=line,
            element=element,
            org_unit=org_unit,
            period=period,
            year=year,
            value=value,
            unit=strings.setdefault(unit, unit),
            canonical_value=canonical.quantize(_CANONICAL_QUANTUM, rounding=ROUND_HALF_UP),
            comment=strings.setdefault(comment, comment),
            output_label=output_label,
            key=(element.id, org_unit.id, period),
        )
    return None


def _parse_value(raw: str, element: DataElement, report: Reporter) -> Decimal | None:
    """The row's value for the element's value type, or None after reporting why not."""
    if not raw:
        report("value", gettext("thiếu giá trị"))
        return None
    if element.value_type == ValueType.BOOLEAN:
        try:
            return Decimal(1) if parse_boolean(raw) else Decimal(0)
        except ValueError as exc:
            report("value", str(exc))
            return None
    integer = element.value_type == ValueType.INTEGER
    # Translated only when a row is refused: a million-row import would ask a million times.
    expected = gettext_lazy("số nguyên không âm") if integer else gettext_lazy("số không âm")
    try:
        number = parse_decimal(raw)
    except ValueError as exc:
        report(
            "value",
            gettext("%(problem)s; giá trị phải là %(expected)s")
            % {"problem": exc, "expected": expected},
        )
        return None
    if number < 0 or (integer and number != number.to_integral_value()):
        report(
            "value",
            gettext("giá trị phải là %(expected)s, không phải '%(raw)s'")
            % {"expected": expected, "raw": raw},
        )
        return None
    if number >= _VALUE_LIMIT:
        report("value", gettext("giá trị quá lớn"))
        return None
    if integer:
        return number.to_integral_value()
    if number != number.quantize(_QUANTUM, rounding=ROUND_HALF_UP):
        report("value", gettext("giá trị có quá %(places)s chữ số thập phân") % {"places": _PLACES})
        return None
    return number


def _canonical(value: Decimal, unit: str, dimension: str) -> tuple[Decimal, str]:
    """The value in the canonical unit of its element's `dimension`, and for output units
    their normal label. Raises UnitError for a unit of another dimension."""
    if not dimension:
        return value, ""
    convert, label = _conversion(unit, dimension)
    return (value if convert is None else convert(value)), label


def canonical_value(value: Decimal, unit: str, element: DataElement) -> Decimal:
    """`value` in `unit` as stored in the element's canonical unit (tonnes, TOE, the output's
    base unit), as an import stores it. Raises UnitError for a unit of the wrong kind."""
    converted = _canonical(value, unit, element.dimension)[0]
    return converted.quantize(_CANONICAL_QUANTUM, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)
def _conversion(unit: str, dimension: str) -> tuple[Callable[[Decimal], Decimal] | None, str]:
    """How a value in `unit` comes to the canonical unit of `dimension`: the conversion
    (None when the value stays as reported) and, for output units, their label. Raises
    UnitError as `to_canonical` does. Pint is asked once per unit, not once per row: a
    million-row file would otherwise spend most of its time in pint."""
    if dimension not in (Dimension.MASS, Dimension.ENERGY, Dimension.ANY):
        raise UnitError(gettext("Không quy đổi được đơn vị '%(unit)s'") % {"unit": unit})
    # An output unit that is not physical ("chiếc") is kept as reported and compared by its
    # words (its label).
    label = output_label(unit) if dimension == Dimension.ANY else ""
    convert = canonical_converter(unit, dimension)
    shift = None if convert is None else decimal_shift(convert)
    if shift == 0:
        return None, label
    if shift is not None:
        # kg, tạ to tonnes: the decimal point moved, the same value as the converter's for
        # any value the checks let through (at most 20 digits), in a fifth of the time.
        return (lambda value: value.scaleb(shift)), label
    return convert, label


@lru_cache(maxsize=4096)
def output_label(unit: str) -> str:
    """The label an output unit normalises to (it does not depend on the value)."""
    return normalise_output(Decimal(1), unit)[1]


def successor_hint(org_unit: OrgUnit, start: dt.date) -> str:
    """For a unit that had ceased before the period: where its data now goes (the reform's
    successors, docs/reform.md), e.g. "; đơn vị kế thừa: Phường Thành Đông (10507-2025)"."""
    if org_unit.valid_to is None or org_unit.valid_to >= start:
        return ""
    from benvung.orgunits.reform import successor_names

    names = successor_names(org_unit)
    return gettext("; đơn vị kế thừa: %(names)s") % {"names": names} if names else ""
