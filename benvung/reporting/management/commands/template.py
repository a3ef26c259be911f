"""`benvung template --org-unit CODE --year Y [-o FILE.xlsx]`: the Excel template of a subtree.

Run by the server's operator, who acts as the co-ordinator: every unit, values of every
report, rows of approved reports locked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benvung.indicators.domain.hierarchy import year_window
from benvung.orgunits.models import OrgUnit
from benvung.reporting.completeness import default_year
from benvung.reporting.excel import template_bytes, template_for
from benvung.reporting.services import OPERATOR


class Command(BaseCommand):
    help = (
        "Tạo mẫu Excel nhập số liệu cho một đơn vị và các đơn vị trực thuộc, có sẵn số liệu "
        "đã lưu; điền rồi nhập bằng `benvung import data` hoặc trang «Nhập dữ liệu»."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org-unit", required=True, help="Mã đơn vị (ví dụ 288).")
        parser.add_argument("--year", type=int, help="Năm báo cáo (mặc định năm đang đến hạn).")
        parser.add_argument(
            "-o", "--output", type=Path, help="Tệp .xlsx (mặc định mau-so-lieu-MÃ-NĂM.xlsx)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["org_unit"]
        root = OrgUnit.objects.filter(code=code).first()
        if root is None:
            raise CommandError(f"Không có đơn vị mã '{code}'.")
        year = options["year"] or default_year()
        if not root.is_active_between(*year_window(year)):
            raise CommandError(f"Đơn vị {root.name} ({code}) không hoạt động trong năm {year}.")
        template = template_for(root=root, year=year, access=OPERATOR)
        path: Path = options["output"] or Path(template.filename)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"Tên tệp phải có đuôi .xlsx: {path}")
        path.write_bytes(template_bytes(template))
        self.stdout.write(
            f"Đã ghi {path}: {len(template.rows)} dòng, {template.unit_count} đơn vị, năm {year}."
        )
