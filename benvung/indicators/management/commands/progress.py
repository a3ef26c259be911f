"""`benvung progress [--year Y] [--org-unit CODE] [--json]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from benvung.indicators.presentation import target_text, value_text
from benvung.indicators.services import plan_progress, progress_json
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Plan


class Command(BaseCommand):
    help = "Tính giá trị và đánh giá tiến độ các chỉ tiêu của kế hoạch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", default="KH-2627", help="Mã kế hoạch (mặc định KH-2627).")
        parser.add_argument("--year", type=int, help="Năm đánh giá (mặc định năm trước).")
        parser.add_argument("--org-unit", help="Chỉ tính trong phạm vi đơn vị này.")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
        parser.add_argument(
            "--approved-only", action="store_true", help="Chỉ dùng số liệu của báo cáo đã duyệt."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(code=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch mã '{options['plan']}'. Hãy chạy benvung init.")
        year = options["year"] or timezone.localdate().year - 1
        root = None
        if options["org_unit"]:
            root = OrgUnit.objects.filter(code=options["org_unit"]).first()
            if root is None:
                raise CommandError(f"Không có đơn vị mã '{options['org_unit']}'.")
        evaluations = plan_progress(
            plan=plan, year=year, root=root, approved_only=options["approved_only"]
        )
        if options["json"]:
            data = progress_json(plan=plan, year=year, evaluations=evaluations)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        scope = root.name if root else (plan.scope_root.name if plan.scope_root else "toàn bộ")
        self.stdout.write(f"{plan.code} — năm {year} — phạm vi: {scope}")
        for e in evaluations:
            target = f" — mục tiêu {target_text(e.target, e.indicator)}" if e.target else ""
            self.stdout.write(
                f"{e.indicator.code:<22} {value_text(e.value, e.indicator):>14}"
                f"  {e.status_label}{target}"
            )
