"""`benvung init [--demo]`: create or migrate the database and load KH-2627."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from benvung.core.services import system_init


class Command(BaseCommand):
    help = "Tạo hoặc nâng cấp cơ sở dữ liệu, nạp Kế hoạch KH-2627 và danh mục đơn vị hành chính."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo", action="store_true", help="Thêm dữ liệu minh họa sinh tự động."
        )
        parser.add_argument("--seed", type=int, default=2627, help="Hạt giống dữ liệu minh họa.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        summary = system_init(demo=options["demo"], seed=options["seed"])
        for line in summary:
            self.stdout.write(line)
