"""`orgunits_import`: the org-unit interchange file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.orgunits.services import orgunits_import
from tests.factories import OrgUnitFactory, unit_under
from tests.import_factories import csv_file, lines, run_import, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = "code,name,type,parent,valid_from,valid_to,sector"
ORGUNIT_DATA = Path(__file__).resolve().parents[2] / "benvung" / "orgunits" / "data"


def links(code: str) -> list[tuple[str, dt.date, dt.date | None]]:
    return [
        (link.parent.code, link.valid_from, link.valid_to)
        for link in ParentLink.objects.filter(unit__code=code).select_related("parent")
    ]


def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    units = list(OrgUnit.objects.order_by("code").values_list())
    parent_links = list(ParentLink.objects.order_by("id").values_list())
    return units, parent_links


def test_creates_units_with_parents_in_any_order(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "don-vi.csv",
        f"""{HEADER}
        X1,Xã Một,XA,H1,2020-01-01,,
        E1,Công ty Thép Một,DOANH_NGHIEP,K1,01/07/2021,,THEP
        H1,Huyện Một,HUYEN,P,2020-01-01,2025-06-30,
        K1,KCN Một,KCN,H1,2020-01-01,,
        P,Tỉnh,TINH,,2020-01-01,,
        """,
    )
    result = run_import(orgunits_import, path)
    assert result.ok, lines(result)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    e1 = OrgUnit.objects.get(code="E1")
    assert (e1.name, e1.type, e1.sector) == ("Công ty Thép Một", "DOANH_NGHIEP", "THEP")
    assert (e1.valid_from, e1.valid_to) == (dt.date(2021, 7, 1), None)
    # One link over the unit's own validity.
    assert links("E1") == [("K1", dt.date(2021, 7, 1), None)]
    assert links("X1") == [("H1", dt.date(2020, 1, 1), None)]
    assert links("H1") == [("P", dt.date(2020, 1, 1), dt.date(2025, 6, 30))]
    assert links("P") == []


def test_parent_already_in_the_system(tmp_path: Path) -> None:
    OrgUnitFactory(code="H9", type="HUYEN")
    path = csv_file(tmp_path, "u.csv", f"{HEADER}\nX9,Xã Chín,XA,H9,2020-01-01,,")
    assert run_import(orgunits_import, path).ok
    assert links("X9") == [("H9", dt.date(2020, 1, 1), None)]


def test_reimport_counts_unchanged_and_updates_what_changed(tmp_path: Path) -> None:
    text = f"""{HEADER}
        P,Tỉnh,TINH,,2020-01-01,,
        H1,Huyện Một,HUYEN,P,2020-01-01,,
        H2,Huyện Hai,HUYEN,P,2020-01-01,,
        X1,Xã Một,XA,H1,2020-01-01,,
        """
    run_import(orgunits_import, csv_file(tmp_path, "u.csv", text))
    again = run_import(orgunits_import, csv_file(tmp_path, "u.csv", text))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)

    changed = csv_file(
        tmp_path,
        "u.csv",
        f"""{HEADER}
        P,Tỉnh,TINH,,2020-01-01,,
        H1,Huyện Một (mới),HUYEN,P,2020-01-01,,
        H2,Huyện Hai,HUYEN,P,2020-01-01,,
        X1,Xã Một,XA,H2,2020-01-01,2025-06-30,
        """,
    )
    result = run_import(orgunits_import, changed)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 2)
    assert OrgUnit.objects.get(code="H1").name == "Huyện Một (mới)"
    # The parent links are replaced by one link over the unit's (new) validity.
    assert links("X1") == [("H2", dt.date(2020, 1, 1), dt.date(2025, 6, 30))]


def test_reimport_replaces_dated_link_history_and_empty_parent_makes_top_level(
    tmp_path: Path,
) -> None:
    district = OrgUnitFactory(code="H1", type="HUYEN")
    commune = OrgUnitFactory(code="X1", type="XA")
    zone = unit_under(district, code="K1", type="KCN")
    ParentLink.objects.filter(unit=zone).update(valid_to=dt.date(2025, 6, 30))
    ParentLink.objects.create(unit=zone, parent=commune, valid_from=dt.date(2025, 7, 1))
    path = csv_file(
        tmp_path,
        "u.csv",
        f"""{HEADER}
        K1,{zone.name},KCN,X1,2020-01-01,,
        H1,{district.name},HUYEN,,2020-01-01,,
        """,
    )
    result = run_import(orgunits_import, path)
    assert (result.updated, result.unchanged) == (1, 1)
    assert links("K1") == [("X1", dt.date(2020, 1, 1), None)]


def test_every_problem_is_listed_and_nothing_is_stored(tmp_path: Path) -> None:
    OrgUnitFactory(code="OLD", type="HUYEN", valid_to=dt.date(2020, 12, 31))
    OrgUnitFactory(code="KEEP", name="Giữ nguyên", type="XA")
    before = snapshot()
    path = csv_file(
        tmp_path,
        "don-vi.csv",
        f"""{HEADER}
        KEEP,Tên mới,XA,,2020-01-01,,
        A1,Đơn vị A,QUAN,,2020-01-01,,
        E1,Doanh nghiệp,DOANH_NGHIEP,,2020-01-01,,
        X1,Xã,XA,,2020-01-01,,THEP
        E2,Doanh nghiệp Hai,DOANH_NGHIEP,,2020-01-01,,GO
        B1,Đơn vị B,XA,,2020-13-01,,
        B2,Đơn vị B2,XA,,2021-01-01,2020-12-31,
        B3,Đơn vị B3,XA,B3,2020-01-01,,
        B4,Đơn vị B4,XA,NOPE,2020-01-01,,
        B5,Đơn vị B5,XA,OLD,2021-01-01,,
        KEEP,Lặp,XA,,2020-01-01,,
        ,Không mã,XA,,2020-01-01,,
        B6,,XA,,,,
        C1,Vòng Một,XA,C2,2020-01-01,,
        C2,Vòng Hai,HUYEN,C1,2020-01-01,,
        """,
    )
    result = run_import(orgunits_import, path)
    assert lines(result) == [
        "don-vi.csv:3: type: loại đơn vị 'QUAN' không hợp lệ, cần một trong: TINH, HUYEN, XA, "
        "KCN, CCN, LANG_NGHE, SIEU_THI, TTTM, DOANH_NGHIEP, CO_QUAN",
        "don-vi.csv:4: sector: doanh nghiệp cần có ngành, một trong: DET_MAY, THEP, NHUA, "
        "HOA_CHAT, XI_MANG, BIA_RUOU_NGK, KHAC",
        "don-vi.csv:5: sector: chỉ doanh nghiệp mới có ngành; đơn vị loại 'Xã, phường, thị trấn' "
        "phải để trống cột sector",
        "don-vi.csv:6: sector: ngành 'GO' không hợp lệ, cần một trong: DET_MAY, THEP, NHUA, "
        "HOA_CHAT, XI_MANG, BIA_RUOU_NGK, KHAC",
        "don-vi.csv:7: valid_from: ngày '2020-13-01' không tồn tại",
        "don-vi.csv:8: valid_to: ngày hết hiệu lực 2020-12-31 trước ngày bắt đầu 2021-01-01",
        "don-vi.csv:9: parent: đơn vị không thể là cấp trên của chính nó",
        "don-vi.csv:10: parent: không có đơn vị mã 'NOPE' trong tệp hay trong hệ thống",
        "don-vi.csv:11: parent: đơn vị cấp trên 'OLD' không hoạt động trong thời gian hiệu lực "
        "của đơn vị (cấp trên: 2020-01-01 – 2020-12-31; đơn vị: 2021-01-01 – …)",
        "don-vi.csv:12: code: trùng mã với dòng 2",
        "don-vi.csv:13: code: thiếu mã đơn vị",
        "don-vi.csv:14: name: thiếu tên đơn vị",
        "don-vi.csv:14: valid_from: thiếu ngày bắt đầu hiệu lực",
        "don-vi.csv:15: parent: vòng lặp cấp trên: C1 → C2 → C1",
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert snapshot() == before


def test_cycle_through_a_unit_already_in_the_system(tmp_path: Path) -> None:
    top = OrgUnitFactory(code="T", type="HUYEN")
    unit_under(top, code="M", type="XA")
    path = csv_file(tmp_path, "u.csv", f"{HEADER}\nT,Trên,HUYEN,M,2020-01-01,,")
    assert lines(run_import(orgunits_import, path)) == [
        "u.csv:2: parent: vòng lặp cấp trên: T → M → T"
    ]


def test_missing_column_is_reported_on_line_1(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "u.csv", "code,name,parent,valid_from\nA,B,,2020-01-01")
    assert lines(run_import(orgunits_import, path)) == ["u.csv:1: type: thiếu cột 'type'"]


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "u.csv", "code;name;type;valid_from\nP;Tỉnh;tinh;1/1/2020")
    result = run_import(orgunits_import, path)
    assert result.ok, lines(result)
    assert OrgUnit.objects.get(code="P").type == "TINH"


def test_dry_run_counts_and_stores_nothing(tmp_path: Path) -> None:
    OrgUnitFactory(code="P", name="Tỉnh cũ", type="TINH")
    path = csv_file(
        tmp_path,
        "u.csv",
        f"""{HEADER}
        P,Tỉnh,TINH,,2020-01-01,,
        H1,Huyện,HUYEN,P,2020-01-01,,
        """,
    )
    before = snapshot()
    result = run_import(orgunits_import, path, dry_run=True)
    assert result.ok and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert snapshot() == before


def test_xlsx_with_excel_dates(tmp_path: Path) -> None:
    path = xlsx_file(
        tmp_path,
        "don-vi.xlsx",
        [
            ["code", "name", "type", "parent", "valid_from", "valid_to", "sector"],
            ["P", "Tỉnh", "TINH", None, dt.datetime(2020, 1, 1), None, None],
            [None] * 7,
            [288, "Huyện", "HUYEN", "P", dt.datetime(2020, 1, 1), dt.datetime(2025, 6, 30), None],
        ],
    )
    result = run_import(orgunits_import, path)
    assert result.ok, lines(result)
    assert links("288") == [("P", dt.date(2020, 1, 1), dt.date(2025, 6, 30))]


def test_the_shipped_hai_duong_file_imports_in_a_few_queries(
    django_assert_max_num_queries: object,
) -> None:
    path = ORGUNIT_DATA / "haiduong_2021.csv"
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        result = run_import(orgunits_import, path)
    assert result.ok, lines(result)
    assert result.created == 220
    assert OrgUnit.objects.filter(type="XA").count() == 207
    assert ParentLink.objects.count() == 219
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        again = run_import(orgunits_import, path)
    assert again.unchanged == 220
