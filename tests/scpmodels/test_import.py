"""`scpmodels_import`: the models interchange file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from benvung.orgunits.models import OrgUnit
from benvung.scpmodels.models import ScpModel
from benvung.scpmodels.services import scpmodels_import
from tests.factories import OrgUnitFactory, ScpModelFactory
from tests.import_factories import csv_file, enterprise, lines, run_import, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = "code,name,kind,org_unit,year,description"


@pytest.fixture
def units() -> dict[str, OrgUnit]:
    return {
        "E1": enterprise("E1"),
        "K1": OrgUnitFactory(code="K1", type="KCN"),
        "OLD": OrgUnitFactory(code="OLD", type="KCN", valid_to=dt.date(2022, 12, 31)),
    }


def snapshot() -> tuple[list[tuple[object, ...]], int]:
    return list(ScpModel.objects.order_by("id").values_list()), ScpModel.history.count()


def test_creates_models(tmp_path: Path, units: dict[str, OrgUnit]) -> None:
    path = csv_file(
        tmp_path,
        "mo-hinh.csv",
        f"""{HEADER}
        MH01,Sản xuất sạch hơn ngành thép,AP_DUNG,E1,2021,Thu hồi nhiệt thải
        MH02,Nhân rộng mô hình,nhan_rong,K1,2022,
        """,
    )
    result = run_import(scpmodels_import, path)
    assert result.ok, lines(result)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    model = ScpModel.objects.get(code="MH01")
    assert (model.kind, model.org_unit, model.year) == ("AP_DUNG", units["E1"], 2021)
    assert model.description == "Thu hồi nhiệt thải"
    assert ScpModel.objects.get(code="MH02").kind == "NHAN_RONG"
    assert model.history.get().history_change_reason == "mo-hinh.csv"


def test_existing_code_is_updated_with_history(tmp_path: Path, units: dict[str, OrgUnit]) -> None:
    user = get_user_model().objects.create_user(username="dieuphoi", password="x")
    ScpModelFactory(code="MH01", name="Tên cũ", org_unit=units["E1"], year=2021)
    ScpModelFactory(code="MH02", name="Giữ", kind="NHAN_RONG", org_unit=units["K1"], year=2022)
    path = csv_file(
        tmp_path,
        "mo-hinh.csv",
        f"""{HEADER}
        MH01,Tên mới,AP_DUNG,E1,2021,
        MH02,Giữ,NHAN_RONG,K1,2022,
        """,
    )
    result = run_import(scpmodels_import, path, user=user)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    new, old = ScpModel.objects.get(code="MH01").history.order_by("-history_id")
    assert (old.name, new.name, new.history_user, new.history_type) == (
        "Tên cũ",
        "Tên mới",
        user,
        "~",
    )
    assert ScpModel.objects.get(code="MH02").history.count() == 1


def test_every_problem_is_listed_and_nothing_is_stored(
    tmp_path: Path, units: dict[str, OrgUnit]
) -> None:
    ScpModelFactory(code="MH00", org_unit=units["E1"])
    before = snapshot()
    path = csv_file(
        tmp_path,
        "mo-hinh.csv",
        f"""{HEADER}
        MH01,Tốt,AP_DUNG,E1,2021,
        MH02,Sai loại,THU_NGHIEM,E1,2021,
        MH03,Không có đơn vị,AP_DUNG,X404,2021,
        MH04,Đơn vị đã giải thể,AP_DUNG,OLD,2024,
        MH05,Năm hai chữ số,AP_DUNG,E1,21,
        MH06,Năm quá xa,AP_DUNG,E1,3000,
        MH01,Lặp,AP_DUNG,E1,2021,
        MH07,,,E1,2021,
        """,
    )
    result = run_import(scpmodels_import, path)
    assert lines(result) == [
        "mo-hinh.csv:3: kind: 'THU_NGHIEM' không hợp lệ, cần một trong: AP_DUNG, NHAN_RONG",
        "mo-hinh.csv:4: org_unit: không có đơn vị mã 'X404'",
        "mo-hinh.csv:5: org_unit: đơn vị 'OLD' không còn hoạt động trong năm 2024 "
        "(hiệu lực 2020-01-01 – 2022-12-31)",
        "mo-hinh.csv:6: year: năm '21' không hợp lệ, cần 4 chữ số từ 1900 đến 2100",
        "mo-hinh.csv:7: year: năm '3000' không hợp lệ, cần 4 chữ số từ 1900 đến 2100",
        "mo-hinh.csv:8: code: trùng mã với dòng 2",
        "mo-hinh.csv:9: name: thiếu tên mô hình",
        "mo-hinh.csv:9: kind: thiếu loại mô hình, cần một trong: AP_DUNG, NHAN_RONG",
    ]
    assert snapshot() == before


def test_dry_run_stores_nothing(tmp_path: Path, units: dict[str, OrgUnit]) -> None:
    path = csv_file(tmp_path, "m.csv", f"{HEADER}\nMH01,Mô hình,AP_DUNG,E1,2021,")
    result = run_import(scpmodels_import, path, dry_run=True)
    assert (result.ok, result.created) == (True, 1)
    assert not ScpModel.objects.exists()


def test_xlsx_year_as_number(tmp_path: Path, units: dict[str, OrgUnit]) -> None:
    path = xlsx_file(
        tmp_path,
        "m.xlsx",
        [
            ["Code", "Name", "Kind", "Org_Unit", "Year", "Description"],
            ["MH01", "Mô hình", "AP_DUNG", "K1", 2023.0, None],
        ],
    )
    result = run_import(scpmodels_import, path)
    assert result.ok, lines(result)
    assert ScpModel.objects.get(code="MH01").year == 2023


def test_missing_column(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "m.csv", "code,name,kind,org_unit\nMH01,Mô hình,AP_DUNG,E1")
    assert lines(run_import(scpmodels_import, path)) == ["m.csv:1: year: thiếu cột 'year'"]
