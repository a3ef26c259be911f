"""The budget table of a year's plan as .xlsx: one row per activity, amounts by funding source
as numbers (format "#,##0"), totals that are the page's totals."""

from __future__ import annotations

import io
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from benvung.annualplans.models import FundingSource
from benvung.annualplans.selectors import SOURCES, BudgetSummary
from benvung.core.formatting import format_date
from benvung.portal.opendata import neutralize

AMOUNT_FORMAT = "#,##0"


def budget_xlsx(summary: BudgetSummary) -> bytes:
    """The workbook's bytes: a title, a header, one row per activity, a total row."""
    impl = summary.implementation_plan
    wb = Workbook()
    # A new workbook always has one sheet, the active one.
    ws = cast(Worksheet, wb.active)
    ws.title = f"Du toan {impl.year}"
    ws.append([neutralize(str(impl))])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(
        [
            f"Dự toán kinh phí và kinh phí đã chi (đồng), số liệu đến ngày "
            f"{format_date(summary.as_of)}; trạng thái: {impl.get_status_display()}"
        ]
    )
    ws.append([])
    header = [
        "STT",
        "Mã",
        "Hoạt động",
        "Nhiệm vụ",
        "Cơ quan chủ trì",
        "Bắt đầu",
        "Hoàn thành",
        *[str(FundingSource(s).label) for s in SOURCES],
        "Tổng dự toán",
        "Đã chi",
        "Tình trạng",
    ]
    ws.append(header)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first_amount = 8  # column H
    for number, row in enumerate(summary.rows, start=1):
        activity = row.activity
        ws.append(
            [
                number,
                neutralize(activity.code),
                neutralize(activity.title),
                neutralize(row.activity.task.code),
                neutralize(activity.responsible.name),
                activity.start_date,
                activity.end_date,
                *[int(row.planned[s]) for s in SOURCES],
                int(row.planned_total),
                int(row.spent_total),
                row.status_label + (" — quá hạn" if row.overdue else ""),
            ]
        )
    ws.append(
        [
            None,
            None,
            "Tổng cộng",
            None,
            None,
            None,
            None,
            *[int(summary.planned_by_source[s]) for s in SOURCES],
            int(summary.planned_total),
            int(summary.spent_total),
            None,
        ]
    )
    total_row = ws.max_row
    for cell in ws[total_row]:
        cell.font = Font(bold=True)
    last_amount = first_amount + len(SOURCES) + 1
    for row_cells in ws.iter_rows(
        min_row=header_row + 1, max_row=total_row, min_col=first_amount, max_col=last_amount
    ):
        for cell in row_cells:
            cell.number_format = AMOUNT_FORMAT
    for row_cells in ws.iter_rows(min_row=header_row + 1, max_row=total_row, min_col=6, max_col=7):
        for cell in row_cells:
            cell.number_format = "DD/MM/YYYY"
    widths = [5, 10, 50, 8, 30, 11, 11] + [16] * (len(SOURCES) + 2) + [18]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
