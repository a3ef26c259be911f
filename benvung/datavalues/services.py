"""Writes to the reported data: importing the data-value interchange file.

Every value is stored as entered (number and unit) and in its element's canonical unit
(tonnes, TOE), and every change is audited by django-simple-history: who, when, the old and
the new value, and the file it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from benvung.core.importing import (
    ImportRejected,
    ImportResult,
    Reporter,
    TableReader,
    finish_import,
    format_validity,
    history_author,
    parse_boolean,
    parse_decimal,
    parse_period,
    period_dates,
    read_table,
    store_with_history,
)
from benvung.datavalues.models import DataElement, DataValue, Dimension, ValueType
from benvung.indicators.domain.units import UnitError, normalise_output, to_canonical
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
    Dimension.MASS: "đơn vị khối lượng: tấn, tạ, kg",
    Dimension.ENERGY: "đơn vị năng lượng: TOE, GJ, kWh, MWh",
    Dimension.ANY: "đơn vị sản phẩm của doanh nghiệp, ví dụ tấn, m³, chiếc",
}
_FIELDS = ("value", "unit", "canonical_value", "comment", "year")
# Stored with every new or changed value, and so updated too: who, when, from where.
_AUDIT_FIELDS = ("updated_by", "updated_at", "source")

Key = tuple[int, int, str]  # (data_element_id, org_unit_id, period)


@dataclass(frozen=True)
class WrittenValue:
    """A valid row of a write: what it is about, and whether it changed the stored value."""

    element: DataElement
    org_unit: OrgUnit
    period: str
    year: int
    changed: bool


# A caller's own rule on a valid row (who may write it, whether its report is locked):
# returns the problems as (column, message); none means the row may be written.
RowCheck = Callable[[DataElement, OrgUnit, str, int], Iterable[tuple[str, str]]]


@dataclass
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

    @property
    def key(self) -> Key:
        return (self.element.pk, self.org_unit.pk, self.period)


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
        rows = [(line, row) for line, row in table if row.get("value", "") != ""]
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)

    elements = DataElement.objects.in_bulk(
        list({row["data_element"].upper() for _, row in rows}), field_name="code"
    )
    units = OrgUnit.objects.in_bulk(list({row["org_unit"] for _, row in rows}), field_name="code")
    parsed = _parse_rows(table, rows, elements, units)
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
    new_values: list[DataValue] = []
    changed_values: list[DataValue] = []
    unchanged = 0
    written: list[WrittenValue] = []
    for row in parsed:
        stored = existing.get(row.key)
        changed = stored is None or _differs(stored, row)
        written.append(WrittenValue(row.element, row.org_unit, row.period, row.year, changed))
        if stored is None:
            stored = DataValue(data_element=row.element, org_unit=row.org_unit, period=row.period)
            new_values.append(stored)
        elif changed:
            changed_values.append(stored)
        else:
            unchanged += 1
            continue
        stored.year = row.year
        stored.value = row.value
        stored.unit = row.unit
        stored.canonical_value = row.canonical_value
        stored.comment = row.comment
        stored.updated_by = author  # type: ignore[assignment]
        stored.updated_at = now
        stored.source = source[:_SOURCE_MAX]

    def store() -> None:
        store_with_history(
            DataValue,
            new_values,
            changed_values,
            fields=(*_FIELDS, *_AUDIT_FIELDS),
            user=author,
            reason=source or table.filename,
            batch_size=BATCH_SIZE,
        )
        if after_store is not None:
            after_store(written)

    return finish_import(
        table,
        created=len(new_values),
        updated=len(changed_values),
        unchanged=unchanged,
        dry_run=dry_run,
        store=store,
    )


def _parse_rows(
    table: TableReader,
    rows: list[tuple[int, dict[str, str]]],
    elements: dict[str, DataElement],
    units: dict[str, OrgUnit],
) -> list[_ValueRow]:
    """The rows without problems of their own; problems go to `table`."""
    first_line: dict[tuple[str, str, str], int] = {}
    parsed: list[_ValueRow] = []
    for line, row in rows:
        before = len(table.problems)
        report = table.reporter(line)

        element_code = row["data_element"].upper()
        element = elements.get(element_code)
        if not element_code:
            report("data_element", "thiếu mã chỉ số")
        elif element is None:
            report("data_element", f"không có chỉ số mã '{row['data_element']}'")

        unit_code = row["org_unit"]
        org_unit = units.get(unit_code)
        if not unit_code:
            report("org_unit", "thiếu mã đơn vị")
        elif org_unit is None:
            report("org_unit", f"không có đơn vị mã '{unit_code}'")

        period_text = row["period"].upper()
        period, year = period_text, 0
        if not period_text:
            report("period", "thiếu kỳ")
        elif element is not None:
            try:
                period, year = parse_period(period_text, element.period_type)
            except ValueError as exc:
                report("period", str(exc))

        if element_code and unit_code and period_text:
            key = (element_code, unit_code, period)
            if key in first_line:
                report("data_element", f"trùng khóa với dòng {first_line[key]}")
            else:
                first_line[key] = line

        if element is not None and org_unit is not None:
            if org_unit.type not in element.unit_types:
                report(
                    "org_unit",
                    f"chỉ số {element.code} không áp dụng cho loại đơn vị "
                    f"{UnitType(org_unit.type).label}",
                )
            if year:
                start, end = period_dates(period)
                if not org_unit.is_active_between(start, end):
                    state = "chưa" if org_unit.valid_from > end else "không còn"
                    report(
                        "org_unit",
                        f"đơn vị '{org_unit.code}' {state} hoạt động trong kỳ {period} "
                        f"(hiệu lực {format_validity(org_unit.valid_from, org_unit.valid_to)})",
                    )

        unit = row.get("unit", "")
        comment = row.get("comment", "")
        if len(unit) > _UNIT_MAX:
            report("unit", f"đơn vị tính dài quá {_UNIT_MAX} ký tự")
        if len(comment) > _COMMENT_MAX:
            report("comment", f"ghi chú dài quá {_COMMENT_MAX} ký tự")

        value = canonical = None
        output_label = ""
        if element is not None:
            value = _parse_value(row["value"], element, report)
            if element.dimension and not unit:
                report(
                    "unit",
                    f"chỉ số {element.code} cần đơn vị tính ({_UNIT_HINTS[element.dimension]})",
                )
            elif not element.dimension and unit:
                report("unit", f"chỉ số {element.code} không có đơn vị tính, để trống cột unit")
            elif value is not None:
                try:
                    canonical, output_label = _canonical(value, unit, element)
                except UnitError as exc:
                    message = str(exc)
                    report("unit", message[:1].lower() + message[1:])
            if canonical is not None and abs(canonical) >= _CANONICAL_LIMIT:
                report("value", "giá trị quy đổi quá lớn")

        no_problem = len(table.problems) == before
        if no_problem and element and org_unit and value is not None and canonical is not None:
            parsed.append(
                _ValueRow(
                    line=line,
                    element=element,
                    org_unit=org_unit,
                    period=period,
                    year=year,
                    value=value,
                    unit=unit,
                    canonical_value=canonical.quantize(_CANONICAL_QUANTUM, rounding=ROUND_HALF_UP),
                    comment=comment,
                    output_label=output_label,
                )
            )
    return parsed


def _parse_value(raw: str, element: DataElement, report: Reporter) -> Decimal | None:
    """The row's value for the element's value type, or None after reporting why not."""
    if not raw:
        report("value", "thiếu giá trị")
        return None
    if element.value_type == ValueType.BOOLEAN:
        try:
            return Decimal(1) if parse_boolean(raw) else Decimal(0)
        except ValueError as exc:
            report("value", str(exc))
            return None
    integer = element.value_type == ValueType.INTEGER
    expected = "số nguyên không âm" if integer else "số không âm"
    try:
        number = parse_decimal(raw)
    except ValueError as exc:
        report("value", f"{exc}; giá trị phải là {expected}")
        return None
    if number < 0 or (integer and number != number.to_integral_value()):
        report("value", f"giá trị phải là {expected}, không phải '{raw}'")
        return None
    if number >= _VALUE_LIMIT:
        report("value", "giá trị quá lớn")
        return None
    if integer:
        return number.to_integral_value()
    if number != number.quantize(_QUANTUM, rounding=ROUND_HALF_UP):
        report("value", f"giá trị có quá {_PLACES} chữ số thập phân")
        return None
    return number


def _canonical(value: Decimal, unit: str, element: DataElement) -> tuple[Decimal, str]:
    """The value in the element's canonical unit, and for output units their normal label."""
    if element.dimension in (Dimension.MASS, Dimension.ENERGY):
        return to_canonical(value, unit, element.dimension), ""
    if element.dimension == Dimension.ANY:
        return normalise_output(value, unit)
    return value, ""


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
    unit_ids = sorted({row.org_unit.pk for row in rows})
    element_ids = sorted({row.element.pk for row in rows})
    for start in range(0, len(unit_ids), BATCH_SIZE):
        stored = (
            DataValue.objects.filter(
                data_element_id__in=element_ids,
                org_unit_id__in=unit_ids[start : start + BATCH_SIZE],
            )
            .order_by("period")
            .values_list("data_element_id", "org_unit_id", "period", "value", "unit")
        )
        for element_id, unit_id, period, value, unit in stored:
            if (element_id, unit_id, period) in keys_in_file or not unit:
                continue  # replaced by the file, or (stored before units were required) no unit
            group = (element_id, unit_id)
            if group not in established:
                established[group] = (normalise_output(value, unit)[1], unit, f"kỳ {period}")
    for row in sorted(rows, key=lambda r: r.line):
        group = (row.element.pk, row.org_unit.pk)
        if group not in established:
            established[group] = (row.output_label, row.unit, f"dòng {row.line}")
            continue
        label, unit, where = established[group]
        if row.output_label != label:
            table.add_problem(
                row.line,
                "unit",
                f"doanh nghiệp '{row.org_unit.code}' đã dùng đơn vị '{unit}' cho "
                f"{row.element.code} ({where}); đơn vị sản lượng phải giữ nguyên qua các năm",
            )


def _existing_values(parsed: list[_ValueRow]) -> dict[Key, DataValue]:
    """The stored values for the file's keys, in one query per batch of units."""
    if not parsed:
        return {}
    element_ids = sorted({row.element.pk for row in parsed})
    unit_ids = sorted({row.org_unit.pk for row in parsed})
    periods = sorted({row.period for row in parsed})
    keys = {row.key for row in parsed}
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
