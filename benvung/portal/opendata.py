"""Open data: the public tables and their CSV, XLSX and JSON files.

A table is built once (`Table`: columns and rows of plain values) and written in any format.
Text cells that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a
carriage return) are neutralised with a leading apostrophe in CSV and XLSX (`neutralize`);
numbers stay numbers (a real -3,5 is written as the number -3.5). No table holds a value of a
single enterprise: data values are published only as sums per district, element and year, and
a sum of enterprise data over fewer than `MIN_ENTERPRISES` enterprises is withheld.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from benvung.core import published
from benvung.datavalues.models import DataElement, DataValue, Dimension, PeriodType
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import Evaluation, indicator_series, plan_indicators, round2
from benvung.plans.models import Indicator, Plan
from benvung.portal.progress import PUBLIC_SOURCE, district_breakdown, public_inputs
from benvung.reporting.selectors import approved_values
from benvung.scpmodels.models import ModelKind, ScpModel

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
ENTERPRISE = "DOANH_NGHIEP"
MIN_ENTERPRISES = 3

Cell = str | int | float | Decimal | bool | None


def neutralize(value: Cell) -> Cell:
    """A text cell that starts like a formula gets a leading apostrophe; anything else
    (numbers included, negative ones too) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Table:
    """A downloadable table: `name` makes the file name, `title` heads the JSON."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Cell]]
    note: str = ""


def _number(value: Cell) -> Cell:
    """Decimals as JSON numbers: an int when whole, else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def table_csv(table: Table) -> bytes:
    """UTF-8 with a BOM (Excel then reads the Vietnamese letters), a header of column keys."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = neutralize(row.get(column.key))
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("1" if value else "0")
            elif isinstance(value, Decimal):
                cells.append(format(value.normalize(), "f"))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(value: Cell) -> Cell:
    value = neutralize(value)
    if isinstance(value, str):
        return str(ILLEGAL_CHARACTERS_RE.sub("", value))
    return _number(value)


def table_xlsx(table: Table) -> bytes:
    """One sheet: a row of column keys, a row of Vietnamese labels, then the data."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.name[:31])
    sheet.append([c.key for c in table.columns])
    sheet.append([c.label for c in table.columns])
    for row in table.rows:
        sheet.append([_xlsx_cell(row.get(c.key)) for c in table.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_json(table: Table) -> bytes:
    """{"table", "title", "source", "note", "columns": [{"key", "label"}], "rows": [{...}]};
    numbers as JSON numbers, text as written (JSON cannot run a formula)."""
    document = {
        "table": table.name,
        "title": table.title,
        "source": PUBLIC_SOURCE,
        "note": table.note,
        "columns": [{"key": c.key, "label": c.label} for c in table.columns],
        "rows": [{c.key: _number(row.get(c.key)) for c in table.columns} for row in table.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


WRITERS: dict[str, Callable[[Table], bytes]] = {
    "csv": table_csv,
    "xlsx": table_xlsx,
    "json": table_json,
}


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(round2(value)))


# --- The tables ---------------------------------------------------------------------------

PROGRESS_COLUMNS = [
    Column("code", "Mã chỉ tiêu"),
    Column("name", "Tên chỉ tiêu"),
    Column("unit", "Đơn vị tính"),
    Column("year", "Năm"),
    Column("value", "Giá trị"),
    Column("target_year", "Năm mốc"),
    Column("target_min", "Chỉ tiêu tối thiểu"),
    Column("target_max", "Chỉ tiêu tối đa"),
    Column("expected", "Giá trị kỳ vọng"),
    Column("status", "Mã tình trạng"),
    Column("status_label", "Tình trạng"),
]


def _progress_row(e: Evaluation) -> dict[str, Cell]:
    return {
        "code": e.indicator.code,
        "name": e.indicator.name,
        "unit": e.indicator.unit,
        "year": e.year,
        "value": _rounded(e.value),
        "target_year": e.target.year if e.target else None,
        "target_min": e.target.minimum if e.target else None,
        "target_max": e.target.maximum if e.target else None,
        "expected": _rounded(e.expected),
        "status": e.status,
        "status_label": e.status_label,
    }


# Open data is an interchange format: its labels (status, model kind) are Vietnamese whatever
# the language of the page the file was downloaded from.
def _in_vietnamese(build: Callable[..., Table]) -> Callable[..., Table]:
    @functools.wraps(build)
    def built_in_vietnamese(*args: Any, **kwargs: Any) -> Table:
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)

    return built_in_vietnamese


@published.cached
@_in_vietnamese
def progress_table(*, plan: Plan, year: int) -> Table:
    inputs = public_inputs(plan)
    rows = [
        _progress_row(indicator_series(indicator=i, years=[year], inputs=inputs)[0])
        for i in plan_indicators(plan)
    ]
    return Table(
        name=f"{plan.code.lower()}-tien-do-{year}",
        title=f"Tiến độ thực hiện {plan.code} năm {year}",
        columns=PROGRESS_COLUMNS,
        rows=rows,
    )


@published.cached
@_in_vietnamese
def series_table(*, plan: Plan, indicator: Indicator, last_year: int) -> Table:
    inputs = public_inputs(plan)
    series = indicator_series(
        indicator=indicator, years=range(plan.base_year, last_year + 1), inputs=inputs
    )
    return Table(
        name=f"{plan.code.lower()}-{indicator.code.lower()}-theo-nam",
        title=f"{indicator.code} — {indicator.name}: giá trị theo năm",
        columns=PROGRESS_COLUMNS,
        rows=[_progress_row(e) for e in series],
    )


DISTRICT_COLUMNS = [
    Column("indicator", "Mã chỉ tiêu"),
    Column("year", "Năm"),
    Column("district_code", "Mã huyện"),
    Column("district", "Huyện, thị xã, thành phố"),
    Column("value", "Giá trị"),
    Column("met", "Số đơn vị đạt"),
    Column("units", "Số đơn vị"),
]


@published.cached
@_in_vietnamese
def district_table(*, plan: Plan, indicator: Indicator, year: int) -> Table:
    inputs = public_inputs(plan)
    current = indicator_series(indicator=indicator, years=[year], inputs=inputs)[0]
    breakdown = district_breakdown(inputs, current)
    rows: list[dict[str, Cell]] = [
        {
            "indicator": indicator.code,
            "year": year,
            "district_code": d.code or "",
            "district": d.name,
            "value": _rounded(d.value),
            "met": d.met,
            "units": d.units,
        }
        for d in breakdown.districts
    ]
    note = (
        "Chỉ tiêu tính từ số liệu doanh nghiệp: không công bố theo huyện."
        if breakdown.kind == "confidential"
        else ""
    )
    return Table(
        name=f"{plan.code.lower()}-{indicator.code.lower()}-theo-huyen-{year}",
        title=f"{indicator.code} năm {year} theo huyện, thị xã, thành phố",
        columns=DISTRICT_COLUMNS,
        rows=rows,
        note=note,
    )


MODEL_COLUMNS = [
    Column("code", "Mã mô hình"),
    Column("name", "Tên mô hình"),
    Column("kind", "Mã loại"),
    Column("kind_label", "Loại"),
    Column("year", "Năm"),
    Column("org_unit_code", "Mã đơn vị"),
    Column("org_unit", "Đơn vị"),
    Column("district", "Huyện, thị xã, thành phố"),
    Column("description", "Mô tả"),
    Column("is_demo", "Dữ liệu minh họa"),
]


@_in_vietnamese
def models_table(*, plan: Plan) -> Table:
    inputs = IndicatorInputs(plan=plan)
    kinds = {value: str(label) for value, label in ModelKind.choices}
    rows: list[dict[str, Cell]] = []
    models = ScpModel.objects.select_related("org_unit").order_by("year", "code")
    for m in models:
        district = inputs.district_of(m.org_unit.code, m.year)
        rows.append(
            {
                "code": m.code,
                "name": m.name,
                "kind": m.kind,
                "kind_label": kinds.get(m.kind, m.kind),
                "year": m.year,
                "org_unit_code": m.org_unit.code,
                "org_unit": m.org_unit.name,
                "district": inputs.unit_name(district) if district else "",
                "description": m.description,
                "is_demo": m.is_demo,
            }
        )
    return Table(
        name="mo-hinh-sxtdbv",
        title="Danh sách mô hình sản xuất và tiêu dùng bền vững",
        columns=MODEL_COLUMNS,
        rows=rows,
    )


VALUE_COLUMNS = [
    Column("data_element", "Mã chỉ số"),
    Column("data_element_name", "Tên chỉ số"),
    Column("district_code", "Mã huyện"),
    Column("district", "Huyện, thị xã, thành phố"),
    Column("year", "Năm"),
    Column("total", "Tổng"),
    Column("unit", "Đơn vị tính"),
    Column("reporting_units", "Số đơn vị báo cáo"),
    Column("note", "Ghi chú"),
]
WITHHELD = "Không công bố (dưới 3 doanh nghiệp)"


@_in_vietnamese
def values_table(*, plan: Plan) -> Table:
    """Approved yearly values summed per element, district and year. Elements measured in
    each enterprise's own unit (output) cannot be summed and are left out; a sum over fewer
    than three enterprises is withheld, so no single enterprise's figure can be read."""
    inputs = IndicatorInputs(plan=plan)
    elements = {
        e.code: e
        for e in DataElement.objects.filter(period_type=PeriodType.YEARLY).exclude(
            dimension=Dimension.ANY
        )
    }
    values = approved_values(DataValue.objects.filter(data_element__code__in=list(elements)))
    rows_raw = values.values_list("data_element__code", "org_unit__code", "year", "canonical_value")
    totals: dict[tuple[str, str | None, int], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[str, str | None, int], int] = defaultdict(int)
    for element_code, unit, year, value in rows_raw.iterator():
        key = (element_code, inputs.district_of(unit, year), year)
        totals[key] += value
        counts[key] += 1
    rows: list[dict[str, Cell]] = []
    for key in sorted(totals, key=lambda k: (k[0], k[2], k[1] is None, (k[1] or "").zfill(12))):
        code, district, year = key
        element = elements[code]
        confidential = ENTERPRISE in element.unit_types and counts[key] < MIN_ENTERPRISES
        rows.append(
            {
                "data_element": code,
                "data_element_name": element.name,
                "district_code": district or "",
                "district": inputs.unit_name(district) if district else "",
                "year": year,
                "total": None if confidential else totals[key].normalize(),
                "unit": element.canonical_unit,
                "reporting_units": counts[key],
                "note": WITHHELD if confidential else "",
            }
        )
    return Table(
        name="so-lieu-theo-huyen",
        title="Số liệu đã duyệt, tổng theo huyện, chỉ số và năm",
        columns=VALUE_COLUMNS,
        rows=rows,
        note="Không có số liệu của từng doanh nghiệp.",
    )


def file_name(table: Table, fmt: str) -> str:
    return f"{table.name}.{fmt}"


def render(table: Table, fmt: str) -> bytes:
    return WRITERS[fmt](table)
