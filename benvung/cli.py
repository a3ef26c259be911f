"""The `benvung` command: Django's management commands under the project's own name.

`benvung init`, `benvung import …`, `benvung progress …`, `benvung serve`, `benvung backup -o
FILE.tar.gz` and `benvung restore FILE.tar.gz` are management commands of the apps;
`benvung manage X` runs any other Django command (e.g. `check --deploy`).
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
    if args[:1] == ["bench"]:
        _bench_database(args)
    execute_from_command_line(["benvung", *args])


def _bench_database(args: list[str]) -> None:
    """`benvung bench` works on its own database, chosen before Django connects: the one of
    `--database`, else a new SQLite file in a temporary folder removed at exit."""
    url = None
    for index, arg in enumerate(args):
        if arg == "--database" and index + 1 < len(args):
            url = args[index + 1]
        elif arg.startswith("--database="):
            url = arg.split("=", 1)[1]
    if url is None:
        import atexit
        import shutil
        import tempfile

        folder = tempfile.mkdtemp(prefix="benvung-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        url = f"sqlite:///{folder}/bench.sqlite3"
        args.append(f"--database={url}")
    os.environ["DATABASE_URL"] = url


if __name__ == "__main__":
    main()
