"""`benvung completeness --year Y [--org-unit CODE] [--data-set CODE] [--json]`.

How many reports each data set expects for the year, how many were sent, approved and sent on
time, by unit type and by district, and which units are still missing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benvung.core.formatting import format_date
from benvung.orgunits.models import OrgUnit
from benvung.reporting.completeness import (
    CompletenessReport,
    Tally,
    completeness,
    default_year,
    rate_text,
)
from benvung.reporting.models import DataSet

HEADER = f"{'':<44} {'Phải nộp':>9} {'Đã gửi':>9} {'Đã duyệt':>9} {'Đúng hạn':>9} {'Tỷ lệ gửi':>10}"


def _line(label: str, tally: Tally) -> str:
    name = label if len(label) <= 44 else label[:43] + "…"
    return (
        f"{name:<44} {tally.expected:>9} {tally.submitted:>9} {tally.approved:>9} "
        f"{tally.on_time:>9} {rate_text(tally.submitted_rate):>10}"
    )


def report_text(report: CompletenessReport) -> list[str]:
    """The report as lines of text (Vietnamese)."""
    scope = f"{report.root_name} ({report.root_code})" if report.root_code else "toàn tỉnh"
    lines = [
        f"Tiến độ nộp báo cáo năm {report.year} — phạm vi: {scope} — "
        f"tính đến ngày {format_date(report.today)}",
        HEADER,
        _line("Tổng cộng", report.total),
    ]
    for data_set in report.data_sets:
        lines += [
            "",
            f"{data_set.name} ({data_set.code})",
            f"Hạn nộp {format_date(data_set.deadline)} — {data_set.deadline_phrase}",
            HEADER,
        ]
        lines += [_line(row.label, row.tally) for row in data_set.by_type]
        lines.append(_line("Cộng", data_set.tally))
    lines += ["", "Theo huyện", HEADER]
    lines += [_line(row.label, row.tally) for row in report.by_district]
    lines += ["", f"Đơn vị chưa gửi báo cáo: {len(report.missing)}"]
    lines += [
        f"  {r.data_set_code:<14} {r.unit_code:<10} {r.unit_name} — {r.district_name} — "
        f"{r.status_label}"
        for r in report.missing
    ]
    return lines


class Command(BaseCommand):
    help = "Tiến độ nộp báo cáo của một năm: phải nộp, đã gửi, đã duyệt, đúng hạn, còn thiếu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Năm báo cáo (mặc định năm đang đến hạn).")
        parser.add_argument("--org-unit", help="Chỉ tính các đơn vị trực thuộc đơn vị này.")
        parser.add_argument("--data-set", help="Chỉ một biểu mẫu (mã, ví dụ NHAN_THUC).")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["org_unit"]
        if code and not OrgUnit.objects.filter(code=code).exists():
            raise CommandError(f"Không có đơn vị mã '{code}'.")
        data_set = None
        if options["data_set"]:
            data_set = DataSet.objects.filter(code=options["data_set"].upper()).first()
            if data_set is None:
                raise CommandError(f"Không có biểu mẫu mã '{options['data_set']}'.")
        year = options["year"] or default_year()
        report = completeness(year=year, data_set=data_set, root_code=code or None)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write("\n".join(report_text(report)))
