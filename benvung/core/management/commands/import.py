"""`benvung import orgunits|data|models FILE [--dry-run]`: import an interchange file.

On problems: one line per problem on stderr, `FILE:LINE: column: message`, nothing stored,
exit status 1. Otherwise a one-line summary on stdout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benvung.core.importing import ImportResult, import_progress
from benvung.orgunits.reform import parents_import, successions_import
from benvung.orgunits.services import orgunits_import
from benvung.reporting.services import values_import
from benvung.scpmodels.services import scpmodels_import


def _data(*, file: Any, filename: str, dry_run: bool) -> ImportResult:
    # As the server's operator: every unit, but approved reports stay locked.
    return values_import(file=file, filename=filename, dry_run=dry_run)


IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "orgunits": orgunits_import,
    "data": _data,
    "models": scpmodels_import,
    "successions": successions_import,
    "parents": parents_import,
}


def _plain(text: str) -> str:
    """No colour: problem lines are read by programs as well as people."""
    return text


class Command(BaseCommand):
    help = "Nhập tệp CSV hoặc Excel (.xlsx): đơn vị, số liệu hoặc mô hình. Có lỗi thì không lưu gì."
    # The system checks (settings, URLs: every view imported) are the server's, run by
    # `benvung check`, `migrate` and `runserver`; an import run from a script, file after
    # file, would pay about a second for each.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=sorted(IMPORTERS),
            help=(
                "orgunits: đơn vị; data: số liệu; models: mô hình SXTDBV; "
                "successions: kế thừa đơn vị; parents: quan hệ cấp trên theo thời gian."
            ),
        )
        parser.add_argument("file", type=Path, help="Tệp CSV (UTF-8) hoặc .xlsx.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu gì.")
        parser.add_argument(
            "--progress", action="store_true", help="In tiến độ lưu ra stderr (từng dòng)."
        )

    def _progress(self, text: str) -> None:
        self.stderr.write(f"tiến độ: {text}", style_func=_plain)
        self.stderr.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"không có tệp {path}")
        token = import_progress.set(self._progress if options["progress"] else None)
        try:
            with path.open("rb") as fh:
                result = IMPORTERS[options["kind"]](
                    file=fh, filename=path.name, dry_run=options["dry_run"]
                )
        finally:
            import_progress.reset(token)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem), style_func=_plain)
            sys.exit(1)
        self.stdout.write(result.summary())
