"""An import killed with SIGKILL half-way through its writes leaves the database as it was.

`benvung import data BIGFILE --progress` runs in a subprocess on its own database (a SQLite
file in a temporary var dir, or a new PostgreSQL database when the tests run on PostgreSQL);
once it reports rows written inside its transaction it is killed, and the database must
hold exactly what it held before; a second import then stores every row.

`BENVUNG_SIGKILL_ROWS` sets the file's size (20 000 rows by default, to keep the suite fast;
docs/reliability.md gives a run with 300 000).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROWS = int(os.environ.get("BENVUNG_SIGKILL_ROWS", "20000"))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "BENVUNG_VAR_DIR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1"}
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"bv_sigkill_{uuid.uuid4().hex[:8]}"
        admin = {
            "host": database["HOST"] or "127.0.0.1",
            "port": database["PORT"] or 5432,
            "user": database["USER"],
            "password": database["PASSWORD"] or None,
            "dbname": "postgres",
            "autocommit": True,
        }
        with psycopg.connect(**admin) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        user = database["USER"]
        auth = f"{user}:{database['PASSWORD']}@" if database["PASSWORD"] else f"{user}@"
        env["DATABASE_URL"] = f"postgresql://{auth}{admin['host']}:{admin['port']}/{name}"
        yield env
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env.pop("DATABASE_URL", None)
        yield env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # The command is this Python with fixed arguments and files of the test.
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )


def _fingerprint(env: dict[str, str]) -> dict[str, Any]:
    done = _run(env, "-m", "tests.ops.bigimport", "fingerprint")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


@pytest.mark.django_db
def test_killed_import_leaves_the_database_as_it_was(
    environment: dict[str, str], tmp_path: Path
) -> None:
    env = environment
    assert _run(env, "-m", "benvung.cli", "migrate", "-v0").returncode == 0
    big = tmp_path / "so-lieu-lon.csv"
    done = _run(env, "-m", "tests.ops.bigimport", "setup", str(big), str(ROWS))
    assert done.returncode == 0, done.stderr
    before = _fingerprint(env)
    assert before["datavalues.datavalue"][0] == 0

    command = [sys.executable, "-m", "benvung.cli", "import", "data", str(big), "--progress"]
    process = subprocess.Popen(  # noqa: S603
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    seen = []
    deadline = time.monotonic() + 600
    for line in process.stderr:
        seen.append(line)
        written = re.search(r"đã ghi (\d+) dòng", line)
        if written and int(written[1]) >= 10000:  # inside the transaction, rows written
            process.send_signal(signal.SIGKILL)
            break
        assert time.monotonic() < deadline
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    assert any("trong một giao dịch" in line for line in seen)

    assert _fingerprint(env) == before

    done = _run(env, "-m", "benvung.cli", "import", "data", str(big))
    assert done.returncode == 0, done.stderr
    assert f"Đã nhập {ROWS} dòng: {ROWS} mới" in done.stdout
    after = _fingerprint(env)
    assert after["datavalues.datavalue"][0] == ROWS
    # New values are their own creation records: no history row until they change.
    assert after["datavalues.historicaldatavalue"][0] == 0
