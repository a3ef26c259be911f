"""`benvung serve [--demo] [--host H] [--port P]`: initialise if needed and serve the site."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Khởi tạo (nếu cần) và chạy máy chủ web."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Kèm dữ liệu minh họa.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from benvung.wsgi import application

        call_command("init", demo=options["demo"], stdout=self.stdout)
        self.stdout.write(
            f"benvung đang chạy tại http://{options['host']}:{options['port']}/ (Ctrl+C để dừng)"
        )
        serve(application, host=options["host"], port=options["port"], threads=options["threads"])
