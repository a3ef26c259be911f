"""The documents' tables as Excel workbooks (openpyxl): the same data as the Word files, with
numbers as numbers ("#,##0" for đồng), totals written as values equal to the sum of their
lines, bold headings, set column widths, and A4 landscape print settings.

No Django import.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from benvung.documents import domain
from benvung.documents.context import DEMO_NOTICE, activity_groups
from benvung.documents.data import SOURCES, ActivityLine, AnnualReportData, NextYearData
from benvung.portal.opendata import neutralize

MONEY = "#,##0"
DECIMAL = "#,##0.00"
PERCENT = "0.0"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADING_FILL = PatternFill("solid", fgColor="E8EEF0")
GROUP_FILL = PatternFill("solid", fgColor="F5F5F5")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Col:
    heading: str
    width: float
    number_format: str | None = None


def _number(value: Decimal | int | None) -> float | int | None:
    """Whole đồng stay integers; other decimals become floats (Excel has no decimal type)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def _sheet(
    workbook: Workbook, title: str, heading: str, columns: Sequence[Col], demo: bool
) -> Worksheet:
    """A sheet with its title row, the demo notice when the data are demo data, and the
    column headings (bold, repeated on every printed page)."""
    sheet = workbook.create_sheet(title)
    sheet.append([heading])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.append([DEMO_NOTICE if demo else ""])
    if demo:
        sheet.cell(row=2, column=1).font = Font(bold=True, italic=True, color="9C0006")
    sheet.append([c.heading for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=3, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADING_FILL
        cell.alignment = CENTRE
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = 0.6
    sheet.page_margins.right = 0.4
    return sheet


def _row(
    sheet: Worksheet,
    values: Sequence[Any],
    columns: Sequence[Col],
    *,
    bold: bool = False,
    fill: PatternFill | None = None,
) -> None:
    # Titles and names typed by users could start like a formula (opendata.neutralize).
    sheet.append([neutralize(v) if isinstance(v, str) else v for v in values])
    row = sheet.max_row
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index)
        cell.border = BORDER
        cell.alignment = WRAP
        if column.number_format:
            cell.number_format = column.number_format
        if bold:
            cell.font = Font(bold=True)
        if fill is not None:
            cell.fill = fill


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


INDICATOR_COLUMNS = (
    Col("Mục tiêu", 10),
    Col("Mã", 20),
    Col("Chỉ tiêu", 60),
    Col("Đơn vị tính", 12),
    Col("Giá trị", 14, DECIMAL),
    Col("Mục tiêu (mốc)", 22),
    Col("Kỳ vọng", 12, DECIMAL),
    Col("Đánh giá", 18),
)


def _indicator_sheet(workbook: Workbook, data: AnnualReportData) -> None:
    sheet = _sheet(
        workbook,
        "Chỉ tiêu",
        f"Kết quả thực hiện các chỉ tiêu năm {data.year} — {data.plan.code}",
        INDICATOR_COLUMNS,
        data.demo,
    )
    for objective in data.objectives:
        for line in objective.lines:
            _row(
                sheet,
                [
                    objective.code,
                    line.code,
                    line.name,
                    line.unit,
                    _number(line.value),
                    line.target_text,
                    _number(line.expected),
                    line.status_label,
                ],
                INDICATOR_COLUMNS,
            )


def _money_columns(prefix: str) -> list[Col]:
    return [Col(f"{prefix}{label}", 16, MONEY) for _code, _key, label in SOURCES]


REPORT_ACTIVITY_COLUMNS = (
    Col("STT", 6),
    Col("Mã", 12),
    Col("Nhóm nhiệm vụ", 28),
    Col("Hoạt động", 48),
    Col("Cơ quan chủ trì", 26),
    Col("Tình trạng", 16),
    Col("Tỷ lệ hoàn thành (%)", 12, "0"),
    Col("Quá hạn", 9),
    Col("Kết quả, sản phẩm", 44),
    Col("Kinh phí kế hoạch (đồng)", 18, MONEY),
    Col("Đã thực hiện (đồng)", 18, MONEY),
)


def _report_activity_sheet(workbook: Workbook, data: AnnualReportData) -> None:
    sheet = _sheet(
        workbook,
        "Hoạt động",
        f"Kết quả thực hiện các hoạt động năm {data.year} (tính đến {data.as_of:%d/%m/%Y})",
        REPORT_ACTIVITY_COLUMNS,
        data.demo,
    )
    for index, a in enumerate(data.activities, start=1):
        _row(
            sheet,
            [
                index,
                a.code,
                a.group_name,
                a.title,
                a.responsible,
                a.status_label,
                a.percent_done,
                "Có" if a.overdue else "",
                domain.clean_text(a.outputs),
                _number(a.planned_total),
                _number(a.spent_total),
            ],
            REPORT_ACTIVITY_COLUMNS,
        )
    planned = sum((a.planned_total for a in data.activities), Decimal(0))
    spent = sum((a.spent_total for a in data.activities), Decimal(0))
    _row(
        sheet,
        ["", "", "", "Tổng cộng", "", "", None, "", "", _number(planned), _number(spent)],
        REPORT_ACTIVITY_COLUMNS,
        bold=True,
    )


EXECUTION_COLUMNS = (
    Col("STT", 6),
    Col("Nguồn kinh phí", 34),
    Col("Kế hoạch (đồng)", 20, MONEY),
    Col("Đã thực hiện (đồng)", 20, MONEY),
    Col("Tỷ lệ (%)", 12, PERCENT),
)


def _execution_sheet(workbook: Workbook, data: AnnualReportData) -> None:
    sheet = _sheet(
        workbook,
        "Kinh phí",
        f"Tình hình thực hiện kinh phí năm {data.year} (tính đến {data.as_of:%d/%m/%Y})",
        EXECUTION_COLUMNS,
        data.demo,
    )
    budget = data.budget
    if budget is None:
        return
    for index, (code, _key, label) in enumerate(SOURCES, start=1):
        planned, spent = budget.planned_by_source[code], budget.spent_by_source[code]
        _row(
            sheet,
            [index, label, _number(planned), _number(spent), _rate(spent, planned)],
            EXECUTION_COLUMNS,
        )
    _row(
        sheet,
        [
            "",
            "Tổng cộng",
            _number(budget.planned_total),
            _number(budget.spent_total),
            _rate(budget.spent_total, budget.planned_total),
        ],
        EXECUTION_COLUMNS,
        bold=True,
    )


def _rate(part: Decimal, whole: Decimal) -> float | None:
    share = domain.share_percent(part, whole)
    return None if share is None else round(float(share), 1)


def annual_report_xlsx(data: AnnualReportData) -> bytes:
    """The report's tables: indicator results, activities of the year, budget execution."""
    workbook = _new_workbook()
    _indicator_sheet(workbook, data)
    _report_activity_sheet(workbook, data)
    _execution_sheet(workbook, data)
    return _save(workbook)


PLAN_COLUMNS = (
    Col("STT", 6),
    Col("Mã", 12),
    Col("Nhóm nhiệm vụ", 28),
    Col("Hoạt động", 48),
    Col("Cơ quan chủ trì", 26),
    Col("Cơ quan phối hợp", 30),
    Col("Bắt đầu", 12, "DD/MM/YYYY"),
    Col("Hoàn thành", 12, "DD/MM/YYYY"),
    Col("Sản phẩm", 36),
    Col("Chuyển tiếp", 11),
    Col("Kinh phí (đồng)", 18, MONEY),
)


def implementation_plan_xlsx(data: NextYearData) -> bytes:
    """The activities of next year's implementation plan."""
    workbook = _new_workbook()
    sheet = _sheet(
        workbook,
        "Hoạt động",
        f"Kế hoạch triển khai năm {data.plan_year} — nhiệm vụ và hoạt động",
        PLAN_COLUMNS,
        data.demo,
    )
    for index, a in enumerate(data.activities, start=1):
        _row(
            sheet,
            [
                index,
                a.code,
                a.group_name,
                a.title,
                a.responsible,
                ", ".join(a.coordinating),
                a.start_date,
                a.end_date,
                domain.clean_text(a.expected_outputs),
                "Có" if a.carried else "",
                _number(a.planned_total),
            ],
            PLAN_COLUMNS,
        )
    _row(
        sheet,
        ["", "", "", "Tổng cộng", "", "", None, None, "", "", _number(data.budget.planned_total)],
        PLAN_COLUMNS,
        bold=True,
    )
    return _save(workbook)


BUDGET_COLUMNS = (
    Col("STT", 6),
    Col("Mã", 12),
    Col("Nội dung hoạt động", 48),
    Col("Cơ quan chủ trì", 26),
    *_money_columns(""),
    Col("Tổng cộng", 18, MONEY),
)


def _amount_cells(planned: dict[str, Decimal], total: Decimal) -> list[Any]:
    return [_number(planned.get(code, Decimal(0))) for code, _, _ in SOURCES] + [_number(total)]


def budget_estimate_xlsx(data: NextYearData) -> bytes:
    """Next year's budget estimate by activity and funding source, with group subtotals and
    the grand total (values equal to the sums of their lines)."""
    workbook = _new_workbook()
    sheet = _sheet(
        workbook,
        "Dự toán",
        f"Dự toán kinh phí thực hiện Kế hoạch năm {data.plan_year} (đơn vị: đồng)",
        BUDGET_COLUMNS,
        data.demo,
    )
    codes = [code for code, _, _ in SOURCES]
    for number, (_code, name, rows) in enumerate(activity_groups(data.activities), start=1):
        subtotal = domain.sum_by_key([a.planned for a in rows], codes)
        _row(
            sheet,
            [domain.roman(number), "", name, "", *_amount_cells(subtotal, _sum(rows))],
            BUDGET_COLUMNS,
            bold=True,
            fill=GROUP_FILL,
        )
        for index, a in enumerate(rows, start=1):
            _row(
                sheet,
                [index, a.code, a.title, a.responsible, *_amount_cells(a.planned, a.planned_total)],
                BUDGET_COLUMNS,
            )
    budget = data.budget
    _row(
        sheet,
        ["", "", "TỔNG CỘNG", "", *_amount_cells(budget.planned_by_source, budget.planned_total)],
        BUDGET_COLUMNS,
        bold=True,
    )
    sheet.append([])
    sheet.append(["", "", f"Bằng chữ: {domain.amount_in_words(budget.planned_total)}"])
    sheet.cell(row=sheet.max_row, column=3).font = Font(italic=True)
    return _save(workbook)


def _sum(rows: Sequence[ActivityLine]) -> Decimal:
    return sum((a.planned_total for a in rows), Decimal(0))
