"""`benvung import orgunits|data|models FILE [--dry-run]`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit
from benvung.plans.services import PLAN_DATA_DIR, plan_load_file
from benvung.scpmodels.models import ScpModel
from tests.factories import OrgUnitFactory
from tests.import_factories import csv_file

UNITS = """code,name,type,parent,valid_from,valid_to,sector
P,Tỉnh,TINH,,2020-01-01,,
H1,Huyện Một,HUYEN,P,2020-01-01,,
K1,KCN Một,KCN,H1,2020-01-01,,
"""
BAD_UNITS = """code,name,type,parent,valid_from,valid_to,sector
P,Tỉnh,TINH,,2020-01-01,,
H1,Huyện Một,HUYEN,P9,2020-01-01,,
P,Tỉnh lặp,TINH,,2020-01-01,,
"""
BAD_UNITS_LINES = [
    "don-vi.csv:3: parent: không có đơn vị mã 'P9' trong tệp hay trong hệ thống",
    "don-vi.csv:4: code: trùng mã với dòng 2",
]
# What `benvung import orgunits` says of a file, and its exit status.
UNITS_DONE = (0, "Đã nhập 3 dòng: 3 mới, 0 cập nhật, 0 không đổi.\n", "")
BAD_UNITS_REFUSED = (1, "", "".join(f"{line}\n" for line in BAD_UNITS_LINES))

Outcome = tuple[int | str | None, str, str]  # (exit status, stdout, stderr)


def run(*args: str) -> Outcome:
    """`benvung import ARGS` within the test's process and database."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=stdout, stderr=stderr)
    except SystemExit as exc:
        status: int | str | None = exc.code
    else:
        status = 0
    return status, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def program(tmp_path: Path) -> Callable[..., Outcome]:
    """The real `benvung` program, on its own migrated SQLite database in a temporary folder."""
    executable = Path(sys.executable).with_name("benvung")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["BENVUNG_VAR_DIR"] = str(tmp_path / "var")
    (tmp_path / "var").mkdir()

    def run_program(*args: str) -> Outcome:
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from the test
            [executable, *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr

    status, _, err = run_program("migrate", "--verbosity", "0")
    assert status == 0, err
    return run_program


@pytest.mark.django_db
def test_orgunits_then_dry_run_summaries(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "don-vi.csv", UNITS)
    assert run("orgunits", str(path), "--dry-run") == (
        0,
        "Đã kiểm tra 3 dòng: 3 mới, 0 cập nhật, 0 không đổi (chạy thử, không lưu).\n",
        "",
    )
    assert not OrgUnit.objects.exists()
    assert run("orgunits", str(path)) == UNITS_DONE
    assert run("orgunits", str(path)) == (
        0,
        "Đã nhập 3 dòng: 0 mới, 0 cập nhật, 3 không đổi.\n",
        "",
    )


@pytest.mark.django_db
def test_data_and_models(tmp_path: Path) -> None:
    plan_load_file(path=PLAN_DATA_DIR / "kh2627.json")
    OrgUnitFactory(code="K1", type="KCN")
    data = csv_file(
        tmp_path,
        "so-lieu.csv",
        """data_element,org_unit,period,value,unit,comment
        NT_HOAT_DONG,K1,2021,2,,
        NT_NGUOI,K1,2021,80,,""",
    )
    assert run("data", str(data)) == (0, "Đã nhập 2 dòng: 2 mới, 0 cập nhật, 0 không đổi.\n", "")
    assert DataValue.objects.get(data_element__code="NT_NGUOI").source == "so-lieu.csv"
    models = csv_file(
        tmp_path,
        "mo-hinh.csv",
        "code,name,kind,org_unit,year,description\nM1,Mô hình,AP_DUNG,K1,2021,",
    )
    assert run("models", str(models)) == (
        0,
        "Đã nhập 1 dòng: 1 mới, 0 cập nhật, 0 không đổi.\n",
        "",
    )
    assert ScpModel.objects.count() == 1


@pytest.mark.django_db
def test_problems_go_to_stderr_one_line_each_with_status_1(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "don-vi.csv", BAD_UNITS)
    assert run("orgunits", str(path)) == BAD_UNITS_REFUSED
    assert not OrgUnit.objects.exists()


def test_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="không có tệp"):
        run("data", str(tmp_path / "khong-co.csv"))


def test_console_script_exit_status_and_stderr(
    tmp_path: Path, program: Callable[..., Outcome]
) -> None:
    bad = csv_file(tmp_path, "don-vi.csv", BAD_UNITS)
    assert program("import", "orgunits", str(bad)) == BAD_UNITS_REFUSED
    good = csv_file(tmp_path, "don-vi.csv", UNITS)
    assert program("import", "orgunits", str(good)) == UNITS_DONE
