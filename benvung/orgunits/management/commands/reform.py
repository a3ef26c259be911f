"""`benvung reform propose-parents -o FILE`: the parents file proposed from the lineage.

The co-ordinator reviews it (rows with an empty `parent` need a choice: the note lists the
candidates), then imports it with `benvung import parents FILE`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from benvung.orgunits.reform import REFORM_DAY, parent_proposals, write_proposals_csv


class Command(BaseCommand):
    help = (
        "Sắp xếp đơn vị hành chính 2025: đề xuất cấp trên mới cho khu, cụm, làng nghề, "
        "siêu thị, doanh nghiệp."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["propose-parents"])
        parser.add_argument("-o", "--output", type=Path, required=True, help="Tệp CSV ghi ra.")

    def handle(self, *args: Any, **options: Any) -> None:
        proposals = parent_proposals(REFORM_DAY)
        path: Path = options["output"]
        with path.open("w", encoding="utf-8", newline="") as fh:
            rows = write_proposals_csv(fh, proposals)
        manual = sum(1 for p in proposals if p.manual)
        self.stdout.write(
            f"Đã ghi {path}: {len(proposals)} đơn vị, {rows} dòng; {manual} đơn vị cần chọn "
            "thủ công (cột parent để trống). Xem lại rồi nhập: benvung import parents "
            f"{path.name}"
        )
