"""The `benvung` command: Django's management commands under the project's own name.

`benvung init`, `benvung import …`, `benvung progress …` and `benvung serve` are management
commands of the apps; `benvung manage X` runs any other Django command (e.g. `check --deploy`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a benvung command line (argv without the program name)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benvung.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["manage"]:
        args = args[1:]
    execute_from_command_line(["benvung", *args])


if __name__ == "__main__":
    main()
