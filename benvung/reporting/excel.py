"""The Excel template of the data-value file: one row per value a unit's subtree reports in a year.

`benvung template --org-unit CODE --year Y -o FILE.xlsx` and the download link of the import
page (`/bao-cao/mau-excel/?don-vi=CODE&nam=Y`) give the same workbook:

- sheet 1 "Số liệu": the interchange columns `data_element,org_unit,period,value,unit,comment`
  in A–F, one row per element that applies to each unit of the subtree active in the year
  (the element's `unit_types`, the rule the importer applies), sorted by unit then element;
  the values already stored are filled in, so that a file sent back unchanged changes nothing.
  Columns H onwards (after an empty G) say what each row is: the unit's and the element's
  names, the allowed units, how to type the value and the report's state. The importer reads
  the columns named in the header, so these are ignored; their headers are Vietnamese words
  that no interchange column uses.
- sheet 2 "Hướng dẫn": how to fill the file in, and the deadline of each report.

The keys (A–C) are locked and the sheet is protected without a password: the lock only
prevents slips (the importer checks every key anyway). Value, unit and comment (D–F) are
open, with Excel's own checks where the answer is closed (có/không; tấn, tạ, kg; TOE, GJ,
kWh, MWh) or numeric (whole or decimal, ≥ 0). Rows of a report the user may no longer change
(approved, or sent and waiting when the user does not approve reports) stay locked and empty,
the stored value shown beside them, because the importer refuses any row of such a report.

Building the workbook (`template_workbook`) needs no database; `template_for` reads what goes
in it (five queries, whatever the size of the subtree).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from benvung.accounts.selectors import Access, readable_unpublished_units
from benvung.core.formatting import format_date, format_number
from benvung.datavalues.models import DataElement, DataValue, Dimension, PeriodType, ValueType
from benvung.indicators.domain.hierarchy import year_window
from benvung.orgunits.models import OrgUnit, UnitType
from benvung.orgunits.selectors import TYPE_LABELS, TYPE_ORDER, subtree_codes
from benvung.reporting.models import DataSet, Submission, SubmissionStatus
from benvung.reporting.periods import days_left, deadline_for

SHEET_DATA = "Số liệu"
SHEET_HELP = "Hướng dẫn"
COLUMNS = ("data_element", "org_unit", "period", "value", "unit", "comment")
# Column H onwards: read by people, ignored by the importer (no interchange column has these
# names, see the module docstring).
INFO_HEADERS = ("Tên đơn vị", "Tên chỉ số", "Đơn vị tính hợp lệ", "Cách nhập", "Trạng thái")
FIRST_INFO_COLUMN = len(COLUMNS) + 2  # H: G stays empty
# The first year a template is offered for: KH-2627's base year.
FIRST_YEAR = 2020

BOOLEAN_CHOICES = ("có", "không")
MASS_UNITS = ("tấn", "tạ", "kg")
ENERGY_UNITS = ("TOE", "GJ", "kWh", "MWh")
UNIT_CHOICES: dict[str, tuple[str, ...]] = {
    Dimension.MASS: MASS_UNITS,
    Dimension.ENERGY: ENERGY_UNITS,
}
COMMENT_MAX = 500
UNIT_MAX = 30

NO_REPORT = "Chưa có báo cáo"
STATUS_LABELS = dict(SubmissionStatus.choices)

# --- what each row says (plain functions) ---------------------------------------------------


def value_instruction(value_type: str, dimension: str) -> str:
    """How to type a value, in the words of the "Cách nhập" column."""
    if value_type == ValueType.BOOLEAN:
        text = "Có/Không: chọn «có» hoặc «không»"
    elif value_type == ValueType.INTEGER:
        text = "Số nguyên ≥ 0"
    else:
        text = "Số thập phân ≥ 0, dùng dấu phẩy hoặc chấm"
    if dimension == Dimension.MASS:
        return f"{text}; đơn vị: tấn, tạ hoặc kg"
    if dimension == Dimension.ENERGY:
        return f"{text}; đơn vị: TOE, GJ, kWh hoặc MWh"
    if dimension == Dimension.ANY:
        return f"{text}; ghi đơn vị sản phẩm, giữ nguyên qua các năm"
    return text


def allowed_units(dimension: str) -> str:
    """The units a value of the dimension may be given in, as the "Đơn vị tính hợp lệ" column
    shows them."""
    if dimension in UNIT_CHOICES:
        return ", ".join(UNIT_CHOICES[dimension])
    if dimension == Dimension.ANY:
        return "đơn vị sản phẩm (tấn, m³, chiếc…)"
    return "không có (để trống)"


def is_locked_for(status: str | None, *, can_approve: bool) -> bool:
    """Whether the importer would refuse any row of a report in this state from this user:
    approved reports always, sent ones unless the user approves reports."""
    if status == SubmissionStatus.APPROVED:
        return True
    return status == SubmissionStatus.SUBMITTED and not can_approve


def cell_value(value: Decimal, value_type: str) -> int | float | str:
    """A stored value as the cell that reads back as the same value: "có"/"không" for
    booleans, an integer, or a number when a float holds the decimal exactly (else its text,
    which the importer reads the same)."""
    if value_type == ValueType.BOOLEAN:
        return BOOLEAN_CHOICES[0] if value else BOOLEAN_CHOICES[1]
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return format(value.normalize(), "f")


def value_text(value: Decimal, value_type: str, unit: str) -> str:
    """A stored value as people read it: "có", "1.234,5 tấn"."""
    if value_type == ValueType.BOOLEAN:
        return BOOLEAN_CHOICES[0] if value else BOOLEAN_CHOICES[1]
    return f"{format_number(value)} {unit}".strip()


def periods_in_year(period_type: str, year: int) -> list[str]:
    """The periods of an element's type within a year: "2025"; "2025S1", "2025S2"; …"""
    if period_type == PeriodType.SIX_MONTHLY:
        return [f"{year}S{n}" for n in (1, 2)]
    if period_type == PeriodType.QUARTERLY:
        return [f"{year}Q{n}" for n in range(1, 5)]
    if period_type == PeriodType.MONTHLY:
        return [f"{year}{month:02d}" for month in range(1, 13)]
    return [str(year)]


def template_filename(unit_code: str, year: int) -> str:
    return f"mau-so-lieu-{unit_code}-{year}.xlsx"


# --- what goes in the workbook --------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
    """One row of the data sheet: a unit's element in a period, with what is stored."""

    element_code: str
    element_name: str
    value_type: str
    dimension: str
    unit_code: str
    unit_name: str
    period: str
    value: Decimal | None = None
    unit: str = ""
    comment: str = ""
    status: str | None = None  # the report's state; None without one
    locked: bool = False

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, NO_REPORT) if self.status else NO_REPORT)

    @property
    def instruction(self) -> str:
        if not self.locked:
            return value_instruction(self.value_type, self.dimension)
        stored = (
            f" (số đã lưu: {value_text(self.value, self.value_type, self.unit)})"
            if self.value is not None
            else ""
        )
        return f"Báo cáo {self.status_label.lower()}: không sửa được bằng tệp này{stored}"


@dataclass(frozen=True)
class DeadlineLine:
    """A data set's deadline for the year, as the instructions sheet lists it."""

    code: str
    name: str
    unit_types: tuple[str, ...]
    deadline: dt.date

    @property
    def unit_type_labels(self) -> str:
        return ", ".join(str(TYPE_LABELS.get(t, t)) for t in self.unit_types)


@dataclass(frozen=True)
class Template:
    root_code: str
    root_name: str
    year: int
    rows: list[TemplateRow]
    deadlines: list[DeadlineLine]
    made_on: dt.date

    @property
    def unit_count(self) -> int:
        return len({row.unit_code for row in self.rows})

    @property
    def filename(self) -> str:
        return template_filename(self.root_code, self.year)


def template_for(
    *, root: OrgUnit, year: int, access: Access, today: dt.date | None = None
) -> Template:
    """The rows of the template of `root`'s subtree for `year`, seen by `access`.

    Units: those in the subtree on some day of the year and active in it, restricted to the
    units whose unpublished data the user may read. Elements: those whose `unit_types` hold
    the unit's type (the importer's rule), in the order of their data sets.
    """
    start, end = year_window(year)
    members = subtree_codes([root.code], start, end)
    readable = readable_unpublished_units(access, year)
    units = [
        (code, name, type_)
        for code, name, type_ in OrgUnit.objects.active_in_year(year)
        .order_by()
        .values_list("code", "name", "type")
        if code in members and (readable is None or code in readable)
    ]
    units.sort(key=lambda u: (u[0] != root.code, TYPE_ORDER.get(u[2], 99), u[0].zfill(12)))

    data_sets = list(DataSet.objects.prefetch_related("elements"))
    data_set_of: dict[int, DataSet] = {}
    for each in data_sets:
        for element in each.elements.all():
            data_set_of.setdefault(element.pk, each)
    elements = sorted(
        DataElement.objects.all(),
        # Within a data set, the order the plan defines its elements in (their creation).
        key=lambda e: (data_set_of[e.pk].order if e.pk in data_set_of else 999, e.pk),
    )

    codes = {code for code, _, _ in units}
    stored = {
        (element, unit, period): (value, unit_text, comment)
        for element, unit, period, value, unit_text, comment in DataValue.objects.filter(
            year=year
        ).values_list("data_element__code", "org_unit__code", "period", "value", "unit", "comment")
        if unit in codes
    }
    statuses = {
        (data_set, unit, period): status
        for data_set, unit, period, status in Submission.objects.filter(year=year).values_list(
            "data_set_id", "org_unit__code", "period", "status"
        )
        if unit in codes
    }

    rows: list[TemplateRow] = []
    for code, name, type_ in units:
        for element in elements:
            if type_ not in element.unit_types:
                continue
            data_set = data_set_of.get(element.pk)
            for period in periods_in_year(element.period_type, year):
                status = statuses.get((data_set.pk, code, period)) if data_set else None
                locked = is_locked_for(status, can_approve=access.can_approve)
                value, unit_text, comment = stored.get((element.code, code, period), (None, "", ""))
                rows.append(
                    TemplateRow(
                        element_code=element.code,
                        element_name=element.name,
                        value_type=element.value_type,
                        dimension=element.dimension,
                        unit_code=code,
                        unit_name=name,
                        period=period,
                        value=value,
                        unit=unit_text,
                        comment=comment,
                        status=status,
                        locked=locked,
                    )
                )
    types = {type_ for _, _, type_ in units}
    deadlines = [
        DeadlineLine(
            code=ds.code,
            name=ds.name,
            unit_types=tuple(ds.unit_types),
            deadline=deadline_for(
                year,
                day=ds.deadline_day,
                month=ds.deadline_month,
                year_offset=ds.deadline_year_offset,
            ),
        )
        for ds in data_sets
        if types & set(ds.unit_types)
    ]
    return Template(
        root_code=root.code,
        root_name=root.name,
        year=year,
        rows=rows,
        deadlines=deadlines,
        made_on=today or timezone.localdate(),
    )


def template_unit_choices(access: Access) -> list[tuple[str, str]]:
    """The units offered in the download form: the user's own units for a reporter; the
    province and the districts for those who read every unit (any other unit by its code
    in the link)."""
    codes = set(access.reporter_roots)
    units = OrgUnit.objects.filter(code__in=codes)
    if access.reads_everything:
        units = OrgUnit.objects.filter(code__in=codes) | OrgUnit.objects.filter(
            type__in=[UnitType.TINH, UnitType.HUYEN]
        )
    rows = units.values_list("code", "name", "type", "valid_to")
    ordered = sorted(rows, key=lambda u: (TYPE_ORDER.get(u[2], 99), u[0].zfill(12)))
    # A unit that ceased (the districts on 1/7/2025) says until when it can be chosen.
    return [
        (code, f"{name} ({code})" + (f" — đến {format_date(end)}" if end else ""))
        for code, name, _, end in ordered
    ]


def template_years(today: dt.date) -> list[int]:
    """The years a template is offered for, newest first."""
    return list(range(today.year, FIRST_YEAR - 1, -1))


# --- the workbook (no database) -------------------------------------------------------------

_BRAND = "0B4A45"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor=_BRAND)
_INFO_HEADER_FILL = PatternFill("solid", fgColor="DCE5E2")
_INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")
_LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
_KEY_FONT = Font(color="37474F")
_INFO_FONT = Font(color="56665F")
_THIN = Side(style="thin", color="C9D3D0")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_OPEN = Protection(locked=False)

_WIDTHS = {
    "A": 21,
    "B": 14,
    "C": 8,
    "D": 13,
    "E": 9,
    "F": 22,
    "G": 2,
    "H": 32,
    "I": 46,
    "J": 17,
    "K": 40,
    "L": 18,
}

_HEADER_NOTES = {
    "data_element": "Mã chỉ số. Không sửa cột A–C: hệ thống dựa vào chúng để nhận biết số liệu.",
    "org_unit": "Mã đơn vị báo cáo (không sửa). Tên đơn vị ở cột H.",
    "period": "Kỳ báo cáo: năm YYYY (không sửa).",
    "value": (
        "Giá trị: nhập theo cột «Cách nhập». Để trống nếu chưa báo cáo (dòng đó được bỏ qua)."
    ),
    "unit": (
        "Đơn vị tính: chọn trong danh sách (tấn, tạ, kg; TOE, GJ, kWh, MWh), ghi đơn vị sản "
        "phẩm, hoặc để trống với chỉ số không có đơn vị."
    ),
    "comment": f"Ghi chú (không bắt buộc), tối đa {COMMENT_MAX} ký tự.",
}
_INFO_NOTE = "Chỉ để tham khảo: hệ thống không đọc các cột từ H trở đi."


def _note(text: str) -> Comment:
    comment = Comment(text, "Sở Công Thương")
    comment.width = 260
    comment.height = 90
    return comment


def _runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) runs: 2,3,4,7 → (2, 4), (7, 7)."""
    runs: list[tuple[int, int]] = []
    for row in sorted(rows):
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _ranges(column: str, rows: Iterable[int]) -> str:
    return " ".join(
        f"{column}{a}" if a == b else f"{column}{a}:{column}{b}" for a, b in _runs(rows)
    )


def _value_validation(value_type: str) -> DataValidation:
    if value_type == ValueType.BOOLEAN:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(BOOLEAN_CHOICES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không hợp lệ",
            error="Chọn «có» hoặc «không» (hoặc để trống nếu chưa báo cáo).",
        )
    whole = value_type == ValueType.INTEGER
    return DataValidation(
        type="whole" if whole else "decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error="Nhập số nguyên ≥ 0." if whole else "Nhập số ≥ 0 (dấu thập phân: phẩy hoặc chấm).",
        promptTitle="Giá trị",
        prompt="Số nguyên ≥ 0" if whole else "Số thập phân ≥ 0",
    )


def _unit_validation(dimension: str) -> DataValidation:
    if dimension in UNIT_CHOICES:
        choices = UNIT_CHOICES[dimension]
        return DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Đơn vị tính không hợp lệ",
            error="Chọn một đơn vị trong danh sách: " + ", ".join(choices) + ".",
        )
    if dimension == Dimension.ANY:
        return DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(UNIT_MAX),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="Đơn vị tính quá dài",
            error=f"Đơn vị tính tối đa {UNIT_MAX} ký tự.",
            promptTitle="Đơn vị sản phẩm",
            prompt="Ví dụ tấn, m³, chiếc; giữ nguyên qua các năm.",
        )
    return DataValidation(
        type="textLength",
        operator="equal",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Không có đơn vị tính",
        error="Chỉ số này không có đơn vị tính: để trống ô này.",
    )


def _add_validations(sheet: Worksheet, rows: Sequence[TemplateRow]) -> None:
    by_value: dict[str, list[int]] = defaultdict(list)
    by_unit: dict[str, list[int]] = defaultdict(list)
    for line, row in enumerate(rows, start=2):
        if row.locked:
            continue
        by_value[row.value_type].append(line)
        by_unit[row.dimension].append(line)
    for value_type, lines in sorted(by_value.items()):
        validation = _value_validation(value_type)
        validation.sqref = _ranges("D", lines)
        sheet.add_data_validation(validation)
    for dimension, lines in sorted(by_unit.items()):
        validation = _unit_validation(dimension)
        validation.sqref = _ranges("E", lines)
        sheet.add_data_validation(validation)
    open_lines = [line for line, row in enumerate(rows, start=2) if not row.locked]
    if open_lines:
        comment = DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(COMMENT_MAX),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Ghi chú quá dài",
            error=f"Ghi chú tối đa {COMMENT_MAX} ký tự.",
        )
        comment.sqref = _ranges("F", open_lines)
        sheet.add_data_validation(comment)


def _data_sheet(sheet: Worksheet, template: Template) -> None:
    sheet.title = SHEET_DATA
    for index, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.comment = _note(_HEADER_NOTES[name])
    for offset, name in enumerate(INFO_HEADERS):
        cell = sheet.cell(row=1, column=FIRST_INFO_COLUMN + offset, value=name)
        cell.font = Font(bold=True, color=_BRAND)
        cell.fill = _INFO_HEADER_FILL
        if offset == 0:
            cell.comment = _note(_INFO_NOTE)
    for cell in sheet[1]:
        cell.alignment = Alignment(vertical="center")
        cell.border = _BORDER
    sheet.row_dimensions[1].height = 22

    for line, row in enumerate(template.rows, start=2):
        keys = (row.element_code, row.unit_code, row.period)
        for column, key in enumerate(keys, start=1):
            cell = sheet.cell(row=line, column=column, value=key)
            cell.number_format = "@"
            cell.font = _KEY_FONT
        value = None if row.locked or row.value is None else cell_value(row.value, row.value_type)
        entries = (
            value,
            None if row.locked else (row.unit or None),
            None if row.locked else (row.comment or None),
        )
        for column, entry in enumerate(entries, start=4):
            cell = sheet.cell(row=line, column=column, value=entry)
            cell.fill = _LOCKED_FILL if row.locked else _INPUT_FILL
            if not row.locked:
                cell.protection = _OPEN
        value_cell = sheet.cell(row=line, column=4)
        if row.value_type == ValueType.INTEGER:
            value_cell.number_format = "0"
        elif row.value_type == ValueType.BOOLEAN:
            value_cell.number_format = "@"
        sheet.cell(row=line, column=5).number_format = "@"
        sheet.cell(row=line, column=6).number_format = "@"
        info = (
            row.unit_name,
            row.element_name,
            allowed_units(row.dimension),
            row.instruction,
            row.status_label,
        )
        for offset, text in enumerate(info):
            cell = sheet.cell(row=line, column=FIRST_INFO_COLUMN + offset, value=text)
            cell.font = _INFO_FONT
        for column in range(1, len(COLUMNS) + 1):
            sheet.cell(row=line, column=column).border = _BORDER

    for letter, width in _WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    last_column = get_column_letter(FIRST_INFO_COLUMN + len(INFO_HEADERS) - 1)
    last_line = max(len(template.rows) + 1, 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_column}{last_line}"
    _add_validations(sheet, template.rows)

    # Protected without a password: the lock is against slips, not people (see above).
    protection = sheet.protection
    protection.sheet = True
    protection.autoFilter = False  # filtering by unit or element stays possible
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False

    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False


def help_lines(template: Template) -> list[str]:
    """The numbered instructions of the "Hướng dẫn" sheet."""
    return [
        "Mỗi dòng của trang «Số liệu» là một chỉ số của một đơn vị trong kỳ báo cáo; tên "
        "đơn vị, tên chỉ số, đơn vị tính hợp lệ và cách nhập ở các cột H–L.",
        "Nhập giá trị vào cột D (value), đơn vị tính vào cột E (unit) khi chỉ số cần, ghi chú "
        "vào cột F (comment) nếu có. Các ô được nhập có nền vàng nhạt.",
        "Ô giá trị để trống nghĩa là chưa báo cáo: dòng đó được bỏ qua. Xóa một số đã có "
        "trong tệp không xóa số đã lưu trên hệ thống.",
        "Không sửa các cột A–C (data_element, org_unit, period), không thêm, xóa hay đổi tên "
        "cột: hệ thống dựa vào chúng để nhận biết số liệu. Hệ thống không đọc các cột từ H "
        "trở đi.",
        "Số: dùng dấu phẩy hoặc dấu chấm làm dấu thập phân, không dùng dấu phân cách hàng "
        "nghìn. Có/Không: chọn «có» hoặc «không». Đơn vị khối lượng: tấn, tạ, kg; năng "
        "lượng: TOE, GJ, kWh, MWh; sản lượng: đơn vị sản phẩm của doanh nghiệp, giữ nguyên "
        "qua các năm.",
        "Không dùng công thức ở cột D–F; nếu có, hãy mở và lưu tệp bằng Excel trước khi gửi "
        "(công thức chưa được tính sẽ bị báo lỗi).",
        "Lưu tệp dạng .xlsx rồi tải lên trang «Nhập dữ liệu» (/nhap-du-lieu/), loại «Số "
        "liệu». Nên chọn «Chạy thử» trước. Nếu có lỗi, hệ thống không lưu gì và chỉ rõ ô "
        "lỗi (ví dụ Số liệu!D5); sửa rồi gửi lại cả tệp.",
        "Nhập tệp chỉ lưu số liệu (báo cáo ở trạng thái «Đang nhập»); sau đó còn phải gửi "
        "báo cáo để Sở Công Thương duyệt. Báo cáo đã gửi hoặc đã duyệt không sửa được bằng "
        "tệp (các dòng đó để trống, nền xám, số đã lưu ghi ở cột «Cách nhập»).",
        "Trang «Số liệu» được khóa (không đặt mật khẩu) chỉ để tránh sửa nhầm các cột mã; "
        "vẫn lọc được theo đơn vị hay chỉ số bằng nút lọc ở dòng tiêu đề.",
    ]


def _help_sheet(sheet: Worksheet, template: Template) -> None:
    sheet.title = SHEET_HELP
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 62
    sheet.column_dimensions["C"].width = 30
    sheet.column_dimensions["D"].width = 14
    sheet.column_dimensions["E"].width = 18
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(line: int, column: int, text: object, **style: object) -> None:
        cell = sheet.cell(row=line, column=column, value=text)
        cell.alignment = wrap if column > 1 else Alignment(vertical="top")
        for name, value in style.items():
            setattr(cell, name, value)

    sheet.merge_cells("A1:E1")
    put(1, 1, "MẪU NHẬP SỐ LIỆU — KẾ HOẠCH SẢN XUẤT VÀ TIÊU DÙNG BỀN VỮNG (KH-2627)")
    sheet["A1"].font = Font(bold=True, size=13, color=_BRAND)
    sheet.row_dimensions[1].height = 22
    facts = (
        ("Đơn vị", f"{template.root_name} ({template.root_code}) và các đơn vị trực thuộc"),
        ("Năm báo cáo", str(template.year)),
        ("Số dòng", f"{len(template.rows)} dòng, {template.unit_count} đơn vị"),
        ("Ngày tạo tệp", format_date(template.made_on)),
    )
    line = 3
    for label, text in facts:
        sheet.merge_cells(start_row=line, start_column=2, end_row=line, end_column=5)
        put(line, 1, None)
        put(line, 2, f"{label}: {text}")
        sheet.cell(row=line, column=2).font = Font(bold=label == "Năm báo cáo")
        line += 1

    line += 1
    put(line, 1, "Cách điền", font=Font(bold=True, size=12, color=_BRAND))
    line += 1
    for number, text in enumerate(help_lines(template), start=1):
        sheet.merge_cells(start_row=line, start_column=2, end_row=line, end_column=5)
        put(line, 1, f"{number}.")
        put(line, 2, text)
        # Merged cells do not grow with their text: give the row room for it.
        sheet.row_dimensions[line].height = 15 * max(1, math.ceil(len(text) / 118))
        line += 1

    line += 1
    put(
        line, 1, f"Hạn nộp báo cáo năm {template.year}", font=Font(bold=True, size=12, color=_BRAND)
    )
    line += 1
    for column, title in enumerate(("Biểu mẫu", "Đơn vị báo cáo", "Hạn nộp", "Khi tạo tệp"), 2):
        put(line, column, title, font=Font(bold=True, color="FFFFFF"), fill=_HEADER_FILL)
    line += 1
    for deadline in template.deadlines:
        left = days_left(template.made_on, deadline.deadline)
        phrase = f"còn {left} ngày" if left > 0 else ("hôm nay" if left == 0 else "đã quá hạn")
        put(line, 2, f"{deadline.name} ({deadline.code})")
        put(line, 3, deadline.unit_type_labels)
        put(line, 4, format_date(deadline.deadline))
        put(line, 5, phrase)
        height = max(len(deadline.name) / 58, len(deadline.unit_type_labels) / 28)
        sheet.row_dimensions[line].height = 15 * max(1, math.ceil(height))
        line += 1
    if not template.deadlines:
        put(line, 2, "Không có biểu mẫu nào áp dụng cho các đơn vị này trong năm.")

    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# The workbook is an interchange file (filled in and imported again): Vietnamese whatever the
# language of the page it was downloaded from.
def template_workbook(template: Template) -> Workbook:
    """The workbook of a template: "Số liệu" first (the sheet the importer reads), then
    "Hướng dẫn"."""
    workbook = Workbook()
    with translation.override(settings.LANGUAGE_CODE):
        # A new workbook always has one sheet, the active one.
        _data_sheet(cast(Worksheet, workbook.active), template)
        _help_sheet(workbook.create_sheet(), template)
    workbook.active = 0
    return workbook


def template_bytes(template: Template) -> bytes:
    buffer = io.BytesIO()
    template_workbook(template).save(buffer)
    return buffer.getvalue()
