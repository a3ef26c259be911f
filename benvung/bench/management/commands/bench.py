"""`benvung bench [--scale national|province|tiny] [--database URL] [--json] [--seed N]`.

Generates the seeded synthetic data set (34 provinces, their communes and reporting units,
2020–2030), loads it into a fresh database, imports part of it through the real import path
and prints the figures: one JSON object with `--json`, else a table. Refuses a database that
holds anything but an earlier bench run.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benvung.bench import generate
from benvung.bench.loading import NotABenchDatabase
from benvung.bench.run import KEYS, run

_LABELS = {
    "values": "Số giá trị",
    "import_values_per_s": "Nhập (giá trị/giây, kiểm tra đầy đủ)",
    "progress_national_s": "Tiến độ toàn quốc (giây)",
    "progress_national_cold_s": "Tiến độ toàn quốc, lần đầu sau khi đổi đơn vị (giây)",
    "progress_national_all_written_s": "Tiến độ toàn quốc sau khi ghi mọi chỉ số (giây)",
    "progress_after_import_s": "Tiến độ toàn quốc năm vừa nhập, lần đầu (giây)",
    "progress_province_s": "Tiến độ một tỉnh (giây)",
    "plan_page_p95_ms": "Trang kế hoạch p95 (ms)",
    "indicator_page_p95_ms": "Trang chỉ tiêu p95 (ms)",
    "sql_baseline_s": "SQL viết tay CT01+CT03+CT04 (giây)",
    "sql_ratio": "benvung / SQL viết tay",
    "peak_rss_mb": "Bộ nhớ đỉnh khi nhập (MB)",
}


class Command(BaseCommand):
    help = "Đo hiệu năng trên bộ dữ liệu tổng hợp cỡ cả nước (cơ sở dữ liệu riêng, mới)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(generate.SCALES), default="national")
        parser.add_argument(
            "--database",
            help="URL của cơ sở dữ liệu mới dành cho bench (mặc định: tệp SQLite tạm).",
        )
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON.")
        parser.add_argument("--seed", type=int, default=2627)

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database"]
        if url and os.environ.get("DATABASE_URL") != url:
            # The connection is set up before a command runs; `benvung bench` sets it.
            raise CommandError("--database chỉ dùng được qua lệnh `benvung bench`.")
        log = (lambda _: None) if options["json"] else (lambda text: self.stderr.write(text))
        try:
            # From the command line (`benvung bench`, which names the database) the import
            # runs as its own `benvung import data` process; called in-process (tests) it
            # runs here, on the database already open.
            figures = run(
                scale=options["scale"], seed=options["seed"], log=log, import_in_child=bool(url)
            )
        except NotABenchDatabase as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(
            f"benvung bench — quy mô {figures['scale']}, {figures['database']}, "
            f"{figures['units']} đơn vị"
        )
        width = max(len(label) for label in _LABELS.values())
        for key in KEYS:
            self.stdout.write(f"  {_LABELS[key]:<{width}}  {figures[key]}")
