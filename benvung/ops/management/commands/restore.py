"""`benvung restore FILE.tar.gz [--force]`: restore an archive of `benvung backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from benvung.ops.backup import BackupError, restore_read


class Command(BaseCommand):
    help = (
        "Khôi phục bản sao lưu vào cơ sở dữ liệu trống (tất cả hoặc không gì cả); "
        "--force thay toàn bộ dữ liệu đang có."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp .tar.gz của benvung backup.")
        parser.add_argument(
            "--force", action="store_true", help="Thay toàn bộ dữ liệu đang có bằng bản sao lưu."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"không có tệp {source}")
        call_command("migrate", interactive=False, verbosity=0)
        progress = self.stderr.write if options["verbosity"] > 1 else None
        try:
            summary = restore_read(source, force=options["force"], progress=progress)
        except BackupError as exc:
            raise CommandError(f"không khôi phục, không có gì thay đổi: {exc}") from exc
        self.stdout.write(
            f"Đã khôi phục {summary.records} bản ghi ({len(summary.counts)} bảng) "
            f"và {summary.files} tệp từ {source.name}."
        )
