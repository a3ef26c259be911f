"""Open data: formula neutralisation, the three formats, and what the tables may contain."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from benvung.portal.opendata import Column, Table, neutralize, table_csv, table_json, table_xlsx
from tests.factories import OrgUnitFactory, unit_under
from tests.portal.conftest import approve
from tests.web.conftest import Territory, report


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Hải Dương", "Hải Dương"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
        (Decimal("-2.5"), Decimal("-2.5")),
        (None, None),
    ],
)
def test_neutralize(value: object, expected: object) -> None:
    assert neutralize(value) == expected  # type: ignore[arg-type]


TABLE = Table(
    name="thu",
    title="Bảng thử",
    columns=[Column("text", "Chữ"), Column("number", "Số"), Column("flag", "Cờ")],
    rows=[
        {"text": "=1+2", "number": Decimal("-3.50"), "flag": True},
        {"text": "@cmd", "number": -7, "flag": False},
        {"text": "Thường", "number": None, "flag": None},
    ],
)


def test_csv_neutralises_text_and_keeps_numbers() -> None:
    data = table_csv(TABLE)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["text", "number", "flag"],
        ["'=1+2", "-3.5", "1"],
        ["'@cmd", "-7", "0"],
        ["Thường", "", ""],
    ]


def test_xlsx_neutralises_text_and_keeps_numbers() -> None:
    sheet = load_workbook(io.BytesIO(table_xlsx(TABLE))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("text", "number", "flag")
    assert rows[1] == ("Chữ", "Số", "Cờ")
    assert rows[2] == ("'=1+2", -3.5, True)
    assert rows[3] == ("'@cmd", -7, False)
    assert sheet["A3"].data_type == "s"  # text, not a formula


def test_json_keeps_text_and_numbers() -> None:
    document = json.loads(table_json(TABLE))
    assert document["rows"][0] == {"text": "=1+2", "number": -3.5, "flag": True}
    assert document["rows"][1]["number"] == -7
    assert document["source"] == "Số liệu đã được Sở Công Thương duyệt"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize(
    "url",
    [
        "/du-lieu-mo/tien-do.{fmt}?nam=2023",
        "/du-lieu-mo/chi-tieu/CT01.{fmt}",
        "/du-lieu-mo/chi-tieu/CT07.THEP.NL.{fmt}",
        "/du-lieu-mo/theo-huyen/CT01.{fmt}?nam=2023",
        "/du-lieu-mo/theo-huyen/CT02.{fmt}",
        "/du-lieu-mo/mo-hinh.{fmt}",
        "/du-lieu-mo/so-lieu.{fmt}",
    ],
)
def test_downloads(client: Client, public: Territory, url: str, fmt: str) -> None:
    response = client.get(url.format(fmt=fmt))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


@pytest.mark.django_db
def test_progress_table_uses_approved_values(client: Client, public: Territory) -> None:
    rows = json.loads(client.get("/du-lieu-mo/tien-do.json?nam=2023").content)["rows"]
    ct01 = next(r for r in rows if r["code"] == "CT01")
    assert ct01["value"] == 20
    assert ct01["status"] is not None and ct01["year"] == 2023


@pytest.mark.django_db
def test_district_table(client: Client, public: Territory) -> None:
    rows = json.loads(client.get("/du-lieu-mo/theo-huyen/CT01.json?nam=2023").content)["rows"]
    assert [(r["district_code"], r["met"], r["units"], r["value"]) for r in rows] == [
        ("288", 1, 2, 50),
        ("290", 0, 3, 0),
    ]


@pytest.mark.django_db
def test_values_table_sums_approved_values_and_hides_enterprises(
    client: Client, public: Territory
) -> None:
    # Two enterprises of Chí Linh report consumption: fewer than three, so their sum is held
    # back; the unapproved K2 report is left out.
    for code in ("DN1", "DN2"):
        unit = unit_under(public.district_b, code=code, type="DOANH_NGHIEP", sector="THEP")
        report("TH_NGUYEN_LIEU", unit, 2022, 100)
        approve("TH_NGUYEN_LIEU", unit, 2022)
    response = client.get("/du-lieu-mo/so-lieu.json")
    rows = json.loads(response.content)["rows"]
    keys = {(r["data_element"], r["district_code"], r["year"]): r for r in rows}
    assert keys[("NT_HOAT_DONG", "288", 2022)]["total"] == 2
    assert ("NT_HOAT_DONG", "288", 2023) not in keys
    steel = keys[("TH_NGUYEN_LIEU", "290", 2022)]
    assert steel["total"] is None and steel["reporting_units"] == 2
    assert "dưới 3 doanh nghiệp" in steel["note"]
    body = response.content.decode()
    assert "DN1" not in body and "DN2" not in body


@pytest.mark.django_db
def test_models_table_neutralises_a_formula_name(client: Client, public: Territory) -> None:
    from tests.factories import ScpModelFactory

    ScpModelFactory(
        code="MH02",
        name='=HYPERLINK("http://x","bấm")',
        org_unit=OrgUnitFactory(code="K9", type="KCN"),
        year=2023,
        kind="NHAN_RONG",
    )
    data = client.get("/du-lieu-mo/mo-hinh.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert next(r for r in rows if r["code"] == "MH02")["name"].startswith("'=HYPERLINK")
    xlsx = client.get("/du-lieu-mo/mo-hinh.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert '\'=HYPERLINK("http://x","bấm")' in names
