"""`benvung backup -o FILE.tar.gz`: every record and every stored file in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benvung.ops.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu và tệp (ảnh tin bài, minh chứng) vào một tệp .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, required=True, help="Tệp .tar.gz.")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        if not output.name.endswith((".tar.gz", ".tgz")):
            raise CommandError("tệp sao lưu phải có đuôi .tar.gz")
        progress = self.stderr.write if options["verbosity"] > 1 else None
        try:
            summary = backup_write(output, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã sao lưu {summary.records} bản ghi ({len(summary.counts)} bảng) "
            f"và {summary.files} tệp vào {output}."
        )
