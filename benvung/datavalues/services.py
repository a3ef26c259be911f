"""Writes to the reported data: importing the data-value interchange file.

Every value is stored as entered (number and unit) and in its element's canonical unit
(tonnes, TOE), and every change is audited by django-simple-history: who, when, the old and
the new value, and the file it came from.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from benvung.core.importing import (
    ImportRejected,
    ImportResult,
    Reporter,
    TableReader,
    finish_import,
    format_validity,
    history_author,
    insert_with_history,
    parse_boolean,
    parse_decimal,
    parse_period,
    period_dates,
    read_table,
    store_with_history,
)
from benvung.datavalues.models import DataElement, DataValue, Dimension, ValueType
from benvung.indicators import changes
from benvung.indicators.domain._decimal import tidy
from benvung.indicators.domain.units import (
    UnitError,
    dimension_of,
    normalise_output,
    to_canonical,
)
from benvung.orgunits.models import OrgUnit, UnitType

REQUIRED_COLUMNS = ("data_element", "org_unit", "period", "value")
OPTIONAL_COLUMNS = ("unit", "comment")
BATCH_SIZE = 2000

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
_SOURCE_MAX = DataValue._meta.get_field("source").max_length or 255

_UNIT_HINTS: dict[str, str] = {
    Dimension.MASS: gettext_noop("đơn vị khối lượng: tấn, tạ, kg"),
    Dimension.ENERGY: gettext_noop("đơn vị năng lượng: TOE, GJ, kWh, MWh"),
    Dimension.ANY: gettext_noop("đơn vị sản phẩm của doanh nghiệp, ví dụ tấn, m³, chiếc"),
}
_FIELDS = ("value", "unit", "canonical_value", "comment", "year")
# Stored with every new or changed value, and so updated too: who, when, from where.
_AUDIT_FIELDS = ("updated_by", "updated_at", "source")

Key = tuple[int, int, str]  # (data_element_id, org_unit_id, period)


class WrittenValue(NamedTuple):
    """A valid row of a write: what it is about, and whether it changed the stored value.

    (A tuple: an import makes a million of them, and a frozen dataclass is four times slower
    to make.)"""

    element: DataElement
    org_unit: OrgUnit
    period: str
    year: int
    changed: bool


# A caller's own rule on a valid row (who may write it, whether its report is locked):
# returns the problems as (column, message); none means the row may be written.
RowCheck = Callable[[DataElement, OrgUnit, str, int], Iterable[tuple[str, str]]]


@dataclass(slots=True)
class _ValueRow:
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
    # must stay the same across years.
    output_label: str = ""
    # (element id, unit id, period), made once: a million rows ask for it several times each.
    key: Key = field(init=False)

    def __post_init__(self) -> None:
        self.key = (self.element.id, self.org_unit.id, self.period)


def datavalues_import(
    *,
    file: BinaryIO | Path,
    filename: str,
    dry_run: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
    source: str = "",
    check: RowCheck | None = None,
    after_store: Callable[[list[WrittenValue]], None] | None = None,
) -> ImportResult:
    """Create or update data values from a file (`data_element,org_unit,period,value,…`).

    A key (data_element, org_unit, period) already stored is updated when something changed
    and counted as unchanged otherwise, so that the history holds only real changes, each
    with `user` and the reason `source` (the file name when empty). A row whose value is
    empty is not a report and is skipped. All-or-nothing: with any problem nothing is stored
    and the result lists every problem. `dry_run` checks everything and counts, storing
    nothing. `check` adds a caller's rules to each row that would change a stored value;
    `after_store` runs in the same transaction once the values are stored.
    """
    try:
        table = read_table(file, filename=filename, required=REQUIRED_COLUMNS)
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)
    return datavalues_write(
        table=table,
        dry_run=dry_run,
        user=user,
        source=source,
        check=check,
        after_store=after_store,
    )


def datavalues_write(
    *,
    table: TableReader,
    dry_run: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
    source: str = "",
    check: RowCheck | None = None,
    after_store: Callable[[list[WrittenValue]], None] | None = None,
) -> ImportResult:
    """Validate and store the rows of a table (a file, or a web form's rows): the rules and
    the all-or-nothing behaviour of `datavalues_import`."""
    try:
        # The table is read as a stream: only the parsed rows are kept, not the text.
        parsed = _parse_rows(table)
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)
    _check_output_units(table, parsed)
    if table.problems:
        return ImportResult.rejected(table.problems, dry_run=dry_run)

    existing = _existing_values(parsed)
    if check is not None:
        # A row that changes nothing writes nothing: the caller's rules (whose units, locked
        # reports) apply to the others, so a file re-sent unchanged is never refused.
        for row in parsed:
            stored = existing.get(row.key)
            if stored is not None and not _differs(stored, row):
                continue
            for column, message in check(row.element, row.org_unit, row.period, row.year):
                table.add_problem(row.line, column, message)
        if table.problems:
            return ImportResult.rejected(table.problems, dry_run=dry_run)
    author = history_author(user)
    now = timezone.now()
    new_rows: list[_ValueRow] = []
    changed_values: list[DataValue] = []
    unchanged = 0
    written: list[WrittenValue] = []
    for row in parsed:
        stored = existing.get(row.key)
        changed = stored is None or _differs(stored, row)
        if after_store is not None:
            written.append(WrittenValue(row.element, row.org_unit, row.period, row.year, changed))
        if stored is None:
            new_rows.append(row)
            continue
        if not changed:
            unchanged += 1
            continue
        changed_values.append(stored)
        stored.year = row.year
        stored.value = row.value
        stored.unit = row.unit
        stored.canonical_value = row.canonical_value
        stored.comment = row.comment
        stored.updated_by = author  # type: ignore[assignment]
        stored.updated_at = now
        stored.source = source[:_SOURCE_MAX]
    del parsed, existing

    def store() -> None:
        reason = source or table.filename
        # New values go in bulk (COPY on PostgreSQL), their history rows with them; the
        # changed ones, usually few, through simple-history's bulk update.
        if new_rows:
            stamped = (
                changes.stamps_once(
                    lambda: ((row.key[0], row.year, row.org_unit.sector) for row in new_rows)
                )
                if len(new_rows) >= _STAMPED_ONCE_FROM
                else contextlib.nullcontext()
            )
            audit = (author.pk if author is not None else None, now, source[:_SOURCE_MAX])
            with stamped:
                insert_with_history(
                    DataValue,
                    columns=_INSERT_COLUMNS,
                    rows=(
                        (
                            *row.key,
                            row.year,
                            row.value,
                            row.unit,
                            row.canonical_value,
                            row.comment,
                            *audit,
                        )
                        for row in new_rows
                    ),
                    stamp=now,
                    user=author,
                    reason=reason,
                )
        store_with_history(
            DataValue,
            [],
            changed_values,
            fields=(*_FIELDS, *_AUDIT_FIELDS),
            user=author,
            reason=reason,
            batch_size=BATCH_SIZE,
        )
        if after_store is not None:
            after_store(written)

    return finish_import(
        table,
        created=len(new_rows),
        updated=len(changed_values),
        unchanged=unchanged,
        dry_run=dry_run,
        store=store,
    )


_INSERT_COLUMNS = (
    "data_element_id",
    "org_unit_id",
    "period",
    "year",
    "value",
    "unit",
    "canonical_value",
    "comment",
    "updated_by_id",
    "updated_at",
    "source",
)
# From this many new values on, an insert stamps the changed keys once at its end
# (`indicators.changes.stamps_once`); a form's few values are stamped by the triggers.
_STAMPED_ONCE_FROM = 1000
# Rows of a large file are checked in chunks: one query for the chunk's unknown unit codes.
_CHUNK = 5000


def _chunks(table: TableReader) -> Iterator[list[tuple[int, dict[str, str]]]]:
    """The table's rows with a value, a chunk at a time (a row without value is no report)."""
    chunk: list[tuple[int, dict[str, str]]] = []
    for line, row in table:
        if row.get("value", "") != "":
            chunk.append((line, row))
            if len(chunk) >= _CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _parse_rows(table: TableReader) -> list[_ValueRow]:
    """The rows without problems of their own; problems go to `table`."""
    elements = {element.code: element for element in DataElement.objects.all()}
    rules = {code: _ElementRule(element) for code, element in elements.items()}
    units: dict[str, OrgUnit] = {}
    # Keys met so far and their line: (element id, unit id, period number) packed in one
    # int when both codes are known, the codes otherwise; a million rows stay small.
    first_line: dict[object, int] = {}
    periods: dict[str, int] = {}
    period_forms: dict[tuple[str, str], _Period | None] = {}
    strings: dict[str, str] = {}
    parsed: list[_ValueRow] = []
    for chunk in _chunks(table):
        wanted = {row["org_unit"] for _, row in chunk} - units.keys()
        if wanted:
            units.update(OrgUnit.objects.in_bulk(list(wanted), field_name="code"))
        for line, row in chunk:
            # Any row out of the common form goes through every check, and every problem
            # is reported.
            value_row = _valid_row(
                line, row, rules, units, first_line, periods, period_forms, strings
            ) or _parse_row(table, line, row, elements, units, first_line, periods, strings)
            if value_row is not None:
                parsed.append(value_row)
    return parsed


class _ElementRule:
    """What the checks of a row need to know of its element, read once per import."""

    __slots__ = ("dimension", "element", "id", "integer", "period_type", "plain", "unit_types")

    def __init__(self, element: DataElement) -> None:
        self.element = element
        self.id = element.id
        self.period_type = element.period_type
        self.unit_types = frozenset(element.unit_types)
        self.integer = element.value_type == ValueType.INTEGER
        # Yes/no values and their spellings are left to the full checks.
        self.plain = element.value_type != ValueType.BOOLEAN
        self.dimension = element.dimension


@dataclass(frozen=True, slots=True)
class _Period:
    """A period as stored, its year and its first and last day."""

    period: str
    year: int
    start: dt.date
    end: dt.date


# A value that needs no further check: at most 14 digits before the mark, "." or ","
# (below _VALUE_LIMIT), and 6 after (_PLACES); whole for an integer element.
_PLAIN_DECIMAL = re.compile(r"\d{1,14}(?:[.,]\d{1,6})?")
_PLAIN_INTEGER = re.compile(r"\d{1,14}")


def _valid_row(
    line: int,
    row: dict[str, str],
    rules: dict[str, _ElementRule],
    units: dict[str, OrgUnit],
    first_line: dict[object, int],
    periods: dict[str, int],
    period_forms: dict[tuple[str, str], _Period | None],
    strings: dict[str, str],
) -> _ValueRow | None:
    """The value of a row that passes every check of `_parse_row` in its common form, or
    None for any other row, which `_parse_row` then checks and reports in full. `strings`
    keeps one copy of each repeated text (units, comments).

    A million-row file is almost all such rows: this path asks only what they need, with
    what it can read once per element, unit or period."""
    rule = rules.get(row["data_element"].upper())
    org_unit = units.get(row["org_unit"])
    if rule is None or org_unit is None or not rule.plain:
        return None
    form = (row["period"].upper(), rule.period_type)
    if form in period_forms:
        dated = period_forms[form]
    else:
        dated = period_forms[form] = _dated(*form)
    if dated is None or org_unit.type not in rule.unit_types:
        return None
    if org_unit.valid_from > dated.end or (
        org_unit.valid_to is not None and org_unit.valid_to < dated.start
    ):
        return None
    unit = row.get("unit", "")
    comment = row.get("comment", "")
    raw = row["value"]
    if len(unit) > _UNIT_MAX or len(comment) > _COMMENT_MAX or bool(unit) != bool(rule.dimension):
        return None
    if not (_PLAIN_INTEGER if rule.integer else _PLAIN_DECIMAL).fullmatch(raw):
        return None
    value = Decimal(raw.replace(",", "."))
    output_label = ""
    if rule.dimension:
        try:
            factor, output_label, exact = _conversion(unit, rule.dimension)
        except UnitError:
            return None
        if factor is None:
            canonical = value
        elif exact:
            canonical = tidy(value * factor)
        else:
            canonical, output_label = _canonical(value, unit, rule.element)
        if abs(canonical) >= _CANONICAL_LIMIT:
            return None
    else:
        canonical = value
    number = periods.setdefault(dated.period, len(periods))
    key = (rule.id << 80) | (org_unit.id << 24) | number
    if key in first_line:
        return None
    first_line[key] = line
    # The period is the one shared `_Period`'s; "" is one object already.
    return _ValueRow(
        line=line,
        element=rule.element,
        org_unit=org_unit,
        period=dated.period,
        year=dated.year,
        value=value,
        unit=strings.setdefault(unit, unit) if unit else "",
        canonical_value=canonical.quantize(_CANONICAL_QUANTUM, rounding=ROUND_HALF_UP),
        comment=strings.setdefault(comment, comment) if comment else "",
        output_label=output_label,
    )


def _dated(text: str, period_type: str) -> _Period | None:
    """The period of `text` for elements of `period_type`, None when it is not one."""
    try:
        period, year = parse_period(text, period_type)
    except ValueError:
        return None
    return _Period(period, year, *period_dates(period))


def _parse_row(
    table: TableReader,
    line: int,
    row: dict[str, str],
    elements: dict[str, DataElement],
    units: dict[str, OrgUnit],
    first_line: dict[object, int],
    periods: dict[str, int],
    strings: dict[str, str],
) -> _ValueRow | None:
    """One row checked: the value to store, or None after reporting its problems. `strings`
    keeps one copy of each repeated text (periods, units, comments)."""
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
                    + _successor_hint(org_unit, start),
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
                canonical, output_label = _canonical(value, unit, element)
            except UnitError as exc:
                message = str(exc)
                report("unit", message[:1].lower() + message[1:])
        if canonical is not None and abs(canonical) >= _CANONICAL_LIMIT:
            report("value", gettext("giá trị quy đổi quá lớn"))

    no_problem = len(table.problems) == before
    if no_problem and element and org_unit and value is not None and canonical is not None:
        return _ValueRow(
            line=line,
            element=element,
            org_unit=org_unit,
            period=strings.setdefault(period, period),
            year=year,
            value=value,
            unit=strings.setdefault(unit, unit),
            canonical_value=canonical.quantize(_CANONICAL_QUANTUM, rounding=ROUND_HALF_UP),
            comment=strings.setdefault(comment, comment),
            output_label=output_label,
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


def _canonical(value: Decimal, unit: str, element: DataElement) -> tuple[Decimal, str]:
    """The value in the element's canonical unit, and for output units their normal label."""
    if not element.dimension:
        return value, ""
    factor, label, exact = _conversion(unit, element.dimension)
    if factor is None:
        # Not a physical unit ("chiếc"): kept as reported, compared by its words.
        return value, label
    if not exact:
        # A factor that does not terminate (1/41.868 for GJ) was cut to 20 digits: pint,
        # row by row, gives the last digit exactly.
        if element.dimension == Dimension.ANY:
            return normalise_output(value, unit)
        return to_canonical(value, unit, element.dimension), label
    return tidy(value * factor), label


_EXACT_DIGITS = 20


def canonical_value(value: Decimal, unit: str, element: DataElement) -> Decimal:
    """`value` in `unit` as stored in the element's canonical unit (tonnes, TOE, the output's
    base unit), as an import stores it. Raises UnitError for a unit of the wrong kind."""
    converted = _canonical(value, unit, element)[0]
    return converted.quantize(_CANONICAL_QUANTUM, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)
def _conversion(unit: str, dimension: str) -> tuple[Decimal | None, str, bool]:
    """The factor that brings a value in `unit` to the canonical unit of `dimension` (None
    when the value stays as reported), the output label, and whether the factor is exact;
    raises UnitError as `to_canonical` does. Units convert linearly, so pint is asked once
    per unit, not once per row: a million-row file would otherwise spend most of its time in
    pint."""
    if dimension in (Dimension.MASS, Dimension.ENERGY):
        factor = to_canonical(Decimal(1), unit, dimension)
        return factor, "", _exact(factor)
    if dimension == Dimension.ANY:
        converted, label = normalise_output(Decimal(1), unit)
        if dimension_of(unit) in (None, "dimensionless"):
            return None, label, True
        return converted, label, _exact(converted)
    raise UnitError(gettext("Không quy đổi được đơn vị '%(unit)s'") % {"unit": unit})


def _exact(factor: Decimal) -> bool:
    """Whether a factor from pint is exact (`tidy` keeps 20 significant digits: one with fewer
    was not cut, and neither is its product)."""
    return len(factor.as_tuple().digits) < _EXACT_DIGITS


def _check_output_units(table: TableReader, parsed: list[_ValueRow]) -> None:
    """An enterprise reports its output in one unit across years (CT07 divides by it).

    The unit already stored for other periods decides; without one, the first row of the
    file does. Units that normalise alike (kg and tấn) count as the same.
    """
    rows = [row for row in parsed if row.element.dimension == Dimension.ANY]
    if not rows:
        return
    keys_in_file = {row.key for row in rows}
    established: dict[tuple[int, int], tuple[str, str, str]] = {}  # → (label, unit, where)
    unit_ids = sorted({row.key[1] for row in rows})
    element_ids = sorted({row.key[0] for row in rows})
    for start in range(0, len(unit_ids), BATCH_SIZE):
        batch = DataValue.objects.filter(
            data_element_id__in=element_ids,
            org_unit_id__in=unit_ids[start : start + BATCH_SIZE],
        ).exclude(unit="")  # stored before units were required: no unit to keep
        # The first period of each unit spelling stored for an enterprise, one row per
        # spelling instead of every stored year.
        firsts = (
            batch.values("data_element_id", "org_unit_id", "unit")
            .annotate(first=Min("period"))
            .order_by("first")
            .values_list("data_element_id", "org_unit_id", "unit", "first")
        )
        replaced: set[tuple[int, int]] = set()
        for element_id, unit_id, unit, period in firsts:
            group = (element_id, unit_id)
            if group in established or group in replaced:
                continue
            if (element_id, unit_id, period) in keys_in_file:
                replaced.add(group)  # that year is replaced by the file: look at every year
                continue
            established[group] = (
                _output_label(unit),
                unit,
                gettext("kỳ %(period)s") % {"period": period},
            )
        for group in replaced:
            stored = (
                batch.filter(data_element_id=group[0], org_unit_id=group[1])
                .order_by("period")
                .values_list("period", "unit")
            )
            for period, unit in stored:
                if (*group, period) not in keys_in_file:
                    established[group] = (
                        _output_label(unit),
                        unit,
                        gettext("kỳ %(period)s") % {"period": period},
                    )
                    break
    for row in sorted(rows, key=lambda r: r.line):
        group = row.key[:2]
        if group not in established:
            established[group] = (
                row.output_label,
                row.unit,
                gettext("dòng %(line)s") % {"line": row.line},
            )
            continue
        label, unit, where = established[group]
        if row.output_label != label:
            table.add_problem(
                row.line,
                "unit",
                gettext(
                    "doanh nghiệp '%(unit)s' đã dùng đơn vị '%(measure)s' cho %(element)s "
                    "(%(where)s); đơn vị sản lượng phải giữ nguyên qua các năm"
                )
                % {
                    "unit": row.org_unit.code,
                    "measure": unit,
                    "element": row.element.code,
                    "where": where,
                },
            )


@lru_cache(maxsize=4096)
def _output_label(unit: str) -> str:
    """The label an output unit normalises to (it does not depend on the value)."""
    return normalise_output(Decimal(1), unit)[1]


def _existing_values(parsed: list[_ValueRow]) -> dict[Key, DataValue]:
    """The stored values for the file's keys, in one query per batch of units."""
    if not parsed:
        return {}
    keys = {row.key for row in parsed}
    element_ids = sorted({key[0] for key in keys})
    unit_ids = sorted({key[1] for key in keys})
    periods = sorted({key[2] for key in keys})
    found: dict[Key, DataValue] = {}
    for start in range(0, len(unit_ids), BATCH_SIZE):
        candidates = DataValue.objects.filter(
            data_element_id__in=element_ids,
            org_unit_id__in=unit_ids[start : start + BATCH_SIZE],
            period__in=periods,
        )
        for stored in candidates:
            key = (stored.data_element_id, stored.org_unit_id, stored.period)
            if key in keys:
                found[key] = stored
    return found


def _differs(stored: DataValue, row: _ValueRow) -> bool:
    """Whether the row would change the stored value (who and from where do not count)."""
    return (
        stored.value != row.value
        or stored.unit != row.unit
        or stored.canonical_value != row.canonical_value
        or stored.comment != row.comment
        or stored.year != row.year
    )


def _successor_hint(org_unit: OrgUnit, start: dt.date) -> str:
    """For a unit that had ceased before the period: where its data now goes (the reform's
    successors, docs/reform.md), e.g. "; đơn vị kế thừa: Phường Thành Đông (10507-2025)"."""
    if org_unit.valid_to is None or org_unit.valid_to >= start:
        return ""
    from benvung.orgunits.reform import successor_names

    names = successor_names(org_unit)
    return gettext("; đơn vị kế thừa: %(names)s") % {"names": names} if names else ""
