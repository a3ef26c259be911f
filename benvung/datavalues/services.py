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
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from benvung.core.importing import (
    FILE_COLUMN,
    ImportRejected,
    ImportResult,
    TableReader,
    format_validity,
    parse_boolean,
    parse_decimal,
    parse_period,
    period_dates,
    read_table,
)
from benvung.datavalues.models import DataElement, DataValue, Dimension, ValueType
from benvung.indicators.domain.units import UnitError, normalise_output, to_canonical
from benvung.orgunits.models import OrgUnit, UnitType

REQUIRED_COLUMNS = ("data_element", "org_unit", "period", "value")
OPTIONAL_COLUMNS = ("unit", "comment")
BATCH_SIZE = 2000

# DataValue.value is DECIMAL(20, 6) and canonical_value DECIMAL(24, 6).
_PLACES = 6
_QUANTUM = Decimal(1).scaleb(-_PLACES)
_VALUE_LIMIT = Decimal(10) ** (20 - _PLACES)
_CANONICAL_LIMIT = Decimal(10) ** (24 - _PLACES)
_UNIT_MAX = DataValue._meta.get_field("unit").max_length or 30
_COMMENT_MAX = DataValue._meta.get_field("comment").max_length or 500
# django-simple-history keeps the change reason in a CharField(100).
_REASON_MAX = 100

_UNIT_HINTS: dict[str, str] = {
    Dimension.MASS: "đơn vị khối lượng: tấn, tạ, kg",
    Dimension.ENERGY: "đơn vị năng lượng: TOE, GJ, kWh, MWh",
    Dimension.ANY: "đơn vị sản phẩm của doanh nghiệp, ví dụ tấn, m³, chiếc",
}
_FIELDS = ("value", "unit", "canonical_value", "comment", "year")

Key = tuple[int, int, str]  # (data_element_id, org_unit_id, period)
# How row checks report a problem: (column, message).
Reporter = Callable[[str, str], None]


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
) -> ImportResult:
    """Create or update data values from a file (`data_element,org_unit,period,value,…`).

    A key (data_element, org_unit, period) already stored is updated when something changed
    and counted as unchanged otherwise, so that the history holds only real changes, each
    with `user` and the reason `source` (the file name when empty). All-or-nothing: with any
    problem nothing is stored and the result lists every problem. `dry_run` checks
    everything and counts, storing nothing.
    """
    try:
        table = read_table(file, filename=filename, required=REQUIRED_COLUMNS)
        rows = list(table)
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
    # The anonymous user of a web request is no author.
    author = user if isinstance(user, AbstractBaseUser) and user.pk is not None else None
    reason = (source or table.filename)[:_REASON_MAX]
    now = timezone.now()
    new_values: list[DataValue] = []
    changed_values: list[DataValue] = []
    unchanged = 0
    for row in parsed:
        stored = existing.get(row.key)
        if stored is None:
            stored = DataValue(data_element=row.element, org_unit=row.org_unit, period=row.period)
            new_values.append(stored)
        elif _differs(stored, row):
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
        stored.source = source[: DataValue._meta.get_field("source").max_length or 255]
        if author is not None:
            stored._history_user = author  # type: ignore[attr-defined]
        stored._change_reason = reason  # type: ignore[attr-defined]
    result = ImportResult(
        created=len(new_values),
        updated=len(changed_values),
        unchanged=unchanged,
        problems=[],
        dry_run=dry_run,
    )
    if dry_run:
        return result
    try:
        with transaction.atomic():
            _store(new_values, changed_values, user=author, reason=reason)
    except IntegrityError as exc:
        # Only a concurrent write can get here: everything else was checked above.
        problem = table.add_problem(0, FILE_COLUMN, f"không lưu được, không có gì thay đổi ({exc})")
        return ImportResult.rejected([problem], dry_run=dry_run)
    return result


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

        def report(column: str, message: str, line: int = line) -> None:
            table.add_problem(line, column, message)

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
                    canonical_value=canonical.quantize(_QUANTUM, rounding=ROUND_HALF_UP),
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


def _store(
    new_values: Iterable[DataValue],
    changed_values: Iterable[DataValue],
    *,
    user: AbstractBaseUser | None,
    reason: str,
) -> None:
    new_values = list(new_values)
    changed_values = list(changed_values)
    if new_values:
        bulk_create_with_history(
            new_values,
            DataValue,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )
    if changed_values:
        bulk_update_with_history(
            changed_values,
            DataValue,
            fields=[*_FIELDS, "updated_by", "updated_at", "source"],
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )
