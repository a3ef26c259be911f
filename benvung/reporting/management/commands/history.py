"""`benvung history DATA_ELEMENT ORG_UNIT PERIOD`: every change of one value, oldest first.

One line per change: `DD/MM/YYYY HH:MM  user  old → new  (source) comment`, numbers in
Vietnamese notation. Exit status 1, with the reason on stderr, when there is no such value.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from benvung.datavalues.models import DataElement
from benvung.orgunits.models import OrgUnit
from benvung.reporting.history import value_exists, value_history


class Command(BaseCommand):
    help = "In lịch sử thay đổi của một số liệu: lúc, người, giá trị cũ → mới, nguồn, ghi chú."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("data_element", help="Mã chỉ số, ví dụ NT_HOAT_DONG.")
        parser.add_argument("org_unit", help="Mã đơn vị.")
        parser.add_argument("period", help="Kỳ, ví dụ 2025.")

    def fail(self, message: str) -> None:
        self.stderr.write(message, style_func=lambda text: text)
        sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        element_code = options["data_element"].upper()
        period = options["period"].upper()
        element = DataElement.objects.filter(code=element_code).first()
        if element is None:
            self.fail(f"Không có chỉ số mã '{options['data_element']}'.")
            return
        unit = OrgUnit.objects.filter(code=options["org_unit"]).first()
        if unit is None:
            self.fail(f"Không có đơn vị mã '{options['org_unit']}'.")
            return
        if not value_exists(element=element, unit=unit, period=period):
            self.fail(f"Không có số liệu {element.code} của đơn vị {unit.code} kỳ {period}.")
            return
        for change in value_history(element=element, unit=unit, period=period):
            self.stdout.write(change.line())
