"""`benvung document annual-report|plan|budget --year Y -o FILE [--format docx|xlsx]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benvung.core.formatting import format_number
from benvung.documents.models import DocumentKind
from benvung.documents.rendering import TemplateRenderError
from benvung.documents.selectors import DocumentUnavailable, default_year
from benvung.documents.services import DOCX, XLSX, document_build
from benvung.plans.models import Plan

KINDS = {
    "annual-report": DocumentKind.BAO_CAO,
    "plan": DocumentKind.KE_HOACH,
    "budget": DocumentKind.DU_TOAN,
}


class Command(BaseCommand):
    help = (
        "Tạo văn bản của chu kỳ năm: báo cáo kết quả năm Y (annual-report), kế hoạch triển "
        "khai năm Y+1 (plan), dự toán kinh phí năm Y+1 (budget), dạng Word hoặc Excel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="Loại văn bản.")
        parser.add_argument("--year", type=int, help="Năm báo cáo Y (mặc định năm hiện tại).")
        parser.add_argument("-o", "--output", required=True, help="Tệp kết quả.")
        parser.add_argument(
            "--format",
            choices=[DOCX, XLSX],
            help="docx hoặc xlsx (mặc định theo đuôi tệp, không có thì docx).",
        )
        parser.add_argument("--plan", default="KH-2627", help="Mã kế hoạch (mặc định KH-2627).")
        parser.add_argument(
            "--approved-only",
            action="store_true",
            help="Chỉ tiêu chỉ tính số liệu của báo cáo đã duyệt.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.select_related("scope_root").filter(code=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch mã '{options['plan']}'. Hãy chạy benvung init.")
        output = Path(options["output"])
        fmt = options["format"] or (XLSX if output.suffix.lower() == ".xlsx" else DOCX)
        year = options["year"] or default_year(plan)
        try:
            document = document_build(
                plan=plan,
                kind=KINDS[options["kind"]],
                year=year,
                fmt=fmt,
                approved_only=options["approved_only"],
            )
        except (DocumentUnavailable, TemplateRenderError) as exc:
            raise CommandError(str(exc)) from exc
        if output.parent and not output.parent.exists():
            raise CommandError(f"Không có thư mục {output.parent}.")
        output.write_bytes(document.content)
        self.stdout.write(f"Đã ghi {output} ({format_number(len(document.content))} byte).")
