"""`datavalues_import`: the data-value interchange file, its checks and its audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from benvung.core.importing import ImportResult
from benvung.datavalues.models import DataElement, DataValue
from benvung.datavalues.services import datavalues_import
from benvung.orgunits.models import OrgUnit
from benvung.reporting.history import user_label, value_history
from tests.factories import DataValueFactory, OrgUnitFactory
from tests.import_factories import (
    VALUES_HEADER,
    Importer,
    csv_file,
    enterprise,
    lines,
    run_import,
    xlsx_file,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plan")]


@pytest.fixture
def units() -> dict[str, OrgUnit]:
    return {
        "K1": OrgUnitFactory(code="K1", type="KCN"),
        "S1": OrgUnitFactory(code="S1", type="SIEU_THI"),
        "H1": OrgUnitFactory(code="H1", type="HUYEN"),
        "E1": enterprise("E1"),
        "E2": enterprise("E2", sector="NHUA"),
        "OLD": OrgUnitFactory(code="OLD", type="KCN", valid_to=dt.date(2022, 12, 31)),
        "NEW": OrgUnitFactory(code="NEW", type="KCN", valid_from=dt.date(2023, 7, 1)),
    }


@pytest.fixture
def user() -> object:
    return get_user_model().objects.create_user(username="chuyenvien", password="x")


@pytest.fixture
def import_xlsx(tmp_path: Path) -> Importer:
    """Import a workbook whose first sheet holds the `VALUES_HEADER` columns and `rows` below.

    Further arguments go to `xlsx_file` (`merge`, `cached`).
    """

    def run(name: str, rows: Sequence[Sequence[Any]], **kwargs: Any) -> ImportResult:
        path = xlsx_file(tmp_path, name, [VALUES_HEADER.split(","), *rows], **kwargs)
        return run_import(datavalues_import, path)

    return run


def stored(element: str, unit: str, period: str) -> DataValue:
    return DataValue.objects.get(data_element__code=element, org_unit__code=unit, period=period)


def snapshot() -> tuple[list[tuple[object, ...]], int]:
    values = list(DataValue.objects.order_by("id").values_list())
    return values, DataValue.history.count()


def test_values_are_stored_as_entered_and_in_canonical_units(
    import_csv: Importer, units: dict[str, OrgUnit], user: object
) -> None:
    result = import_csv(
        "so-lieu-2021.csv",
        """
        NT_HOAT_DONG,K1,2021,3,,hội nghị tập huấn
        NT_NGUOI,K1,2021,"1,0",,
        TT_SU_KIEN,H1,2021,12,,
        BB_THAN_THIEN,S1,2021,Có,,
        BB_NHAN_SINH_THAI,S1,2021,40,,
        SX_SAN_LUONG,E1,2021,"1234,5",tấn,
        TH_NGUYEN_LIEU,E1,2021,1500,kg,
        TH_NANG_LUONG,E1,2021,10,MWh,
        TH_NGUYEN_LIEU,E2,2021,2,tạ,
        TH_NANG_LUONG,E2,2021,"41,868",GJ,
        SX_SAN_LUONG,E2,2021,500,chiếc,
        """,
        user=user,
        source="báo cáo năm 2021",
    )
    assert result.ok, lines(result)
    assert (result.created, result.updated, result.unchanged) == (11, 0, 0)

    activity = stored("NT_HOAT_DONG", "K1", "2021")
    assert (activity.value, activity.canonical_value, activity.year) == (3, 3, 2021)
    assert (activity.unit, activity.comment) == ("", "hội nghị tập huấn")
    assert activity.updated_by == user
    assert activity.source == "báo cáo năm 2021"
    assert stored("NT_NGUOI", "K1", "2021").value == 1
    assert stored("BB_THAN_THIEN", "S1", "2021").canonical_value == 1

    output = stored("SX_SAN_LUONG", "E1", "2021")
    assert (output.value, output.unit, output.canonical_value) == (
        Decimal("1234.5"),
        "tấn",
        Decimal("1234.5"),
    )
    material = stored("TH_NGUYEN_LIEU", "E1", "2021")
    assert (material.value, material.unit, material.canonical_value) == (1500, "kg", Decimal("1.5"))
    energy = stored("TH_NANG_LUONG", "E1", "2021")
    assert (energy.value, energy.unit, energy.canonical_value) == (10, "MWh", Decimal("1.543"))
    assert stored("TH_NGUYEN_LIEU", "E2", "2021").canonical_value == Decimal("0.2")
    assert stored("TH_NANG_LUONG", "E2", "2021").canonical_value == 1
    assert stored("SX_SAN_LUONG", "E2", "2021").canonical_value == 500

    [created] = value_history(element=activity.data_element, unit=units["K1"], period="2021")
    assert (created.kind, created.user, created.new_value) == ("+", user_label(user), 3)
    assert created.source == "báo cáo năm 2021"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), ("0", 0), ("true", 1), ("FALSE", 0), ("có", 1), ("Không", 0), ("co", 1)],
)
def test_vietnamese_booleans(
    import_csv: Importer, units: dict[str, OrgUnit], text: str, expected: int
) -> None:
    assert import_csv("b.csv", f"BB_THAN_THIEN,S1,2022,{text},,").ok
    assert stored("BB_THAN_THIEN", "S1", "2022").canonical_value == expected


@pytest.mark.parametrize(
    ("value", "unit", "canonical"),
    [
        ("1500", "kg", "1.5"),
        ("3", "tấn", "3"),
        ("2,5", "tạ", "0.25"),
        ("10", "MWh", "1.543"),
        ("10000", "kWh", "1.543"),
        ("41.868", "GJ", "1"),
        ("2", "TOE", "2"),
    ],
)
def test_canonical_values(
    import_csv: Importer, units: dict[str, OrgUnit], value: str, unit: str, canonical: str
) -> None:
    element = "TH_NGUYEN_LIEU" if unit in {"kg", "tấn", "tạ"} else "TH_NANG_LUONG"
    result = import_csv("c.csv", f'{element},E1,2022,"{value}",{unit},')
    assert result.ok, lines(result)
    assert stored(element, "E1", "2022").canonical_value == Decimal(canonical)


def test_every_problem_is_listed_and_nothing_is_stored(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    DataValueFactory(
        data_element=DataElement.objects.get(code="NT_HOAT_DONG"),
        org_unit=units["K1"],
        period="2021",
        value=2,
    )
    before = snapshot()
    result = import_csv(
        "so-lieu.csv",
        """
        NT_HOAT_DONG,K1,2021,5,,
        NT_HOAT_DONG,K1,2022,1,,
        NT_HOAT_DONG,K1,2022,2,,
        NT_KHONG_CO,K1,2021,1,,
        NT_HOAT_DONG,X404,2021,1,,
        NT_HOAT_DONG,K1,2021Q5,1,,
        NT_HOAT_DONG,K1,2023,-1,,
        NT_NGUOI,K1,2023,1.5,,
        NT_NGUOI,K1,2024,nhiều,,
        NT_NGUOI,K1,2025,"1.234,5",,
        BB_THAN_THIEN,S1,2021,có lẽ,,
        TH_NGUYEN_LIEU,E1,2021,10,,
        TH_NGUYEN_LIEU,E1,2022,10,kWh,
        TH_NANG_LUONG,E1,2022,10,kg,
        SX_SAN_LUONG,E1,2022,-3,tấn,
        NT_HOAT_DONG,K1,2024,1,lần,
        NT_HOAT_DONG,S1,2021,1,,
        NT_HOAT_DONG,OLD,2024,1,,
        NT_HOAT_DONG,NEW,2022,1,,
        TT_SU_KIEN,H1,,1,,
        TT_SU_KIEN,H1,2021,,,
        """,
    )
    assert lines(result) == [
        "so-lieu.csv:4: data_element: trùng khóa với dòng 3",
        "so-lieu.csv:5: data_element: không có chỉ số mã 'NT_KHONG_CO'",
        "so-lieu.csv:6: org_unit: không có đơn vị mã 'X404'",
        "so-lieu.csv:7: period: kỳ '2021Q5' không hợp lệ, cần dạng YYYY",
        "so-lieu.csv:8: value: giá trị phải là số nguyên không âm, không phải '-1'",
        "so-lieu.csv:9: value: giá trị phải là số nguyên không âm, không phải '1.5'",
        "so-lieu.csv:10: value: 'nhiều' không phải là số; giá trị phải là số nguyên không âm",
        "so-lieu.csv:11: value: '1.234,5' không phải số hợp lệ: chỉ dùng một dấu thập phân "
        "(',' hoặc '.'), không dùng dấu phân cách hàng nghìn; "
        "giá trị phải là số nguyên không âm",
        "so-lieu.csv:12: value: 'có lẽ' không phải giá trị Có/Không "
        "(dùng 1/0, true/false, có/không)",
        "so-lieu.csv:13: unit: chỉ số TH_NGUYEN_LIEU cần đơn vị tính "
        "(đơn vị khối lượng: tấn, tạ, kg)",
        "so-lieu.csv:14: unit: đơn vị 'kWh' không phải đơn vị khối lượng (tấn, tạ, kg)",
        "so-lieu.csv:15: unit: đơn vị 'kg' không phải đơn vị năng lượng (TOE, GJ, kWh, MWh)",
        "so-lieu.csv:16: value: giá trị phải là số không âm, không phải '-3'",
        "so-lieu.csv:17: unit: chỉ số NT_HOAT_DONG không có đơn vị tính, để trống cột unit",
        "so-lieu.csv:18: org_unit: chỉ số NT_HOAT_DONG không áp dụng cho loại đơn vị Siêu thị",
        "so-lieu.csv:19: org_unit: đơn vị 'OLD' không còn hoạt động trong kỳ 2024 "
        "(hiệu lực 2020-01-01 – 2022-12-31)",
        "so-lieu.csv:20: org_unit: đơn vị 'NEW' chưa hoạt động trong kỳ 2022 "
        "(hiệu lực 2023-07-01 – …)",
        "so-lieu.csv:21: period: thiếu kỳ",
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert snapshot() == before


def test_unit_active_for_part_of_the_period_is_accepted(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    assert import_csv("p.csv", "NT_HOAT_DONG,NEW,2023,1,,").ok


def test_missing_column_is_reported_on_line_1(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "p.csv", "data_element,org_unit,value\nNT_HOAT_DONG,K1,1")
    assert lines(run_import(datavalues_import, path)) == ["p.csv:1: period: thiếu cột 'period'"]


def test_columns_are_read_by_name_in_any_order_with_or_without_the_optional_ones(
    tmp_path: Path, units: dict[str, OrgUnit]
) -> None:
    path = csv_file(
        tmp_path,
        "thu-tu-khac.csv",
        """
        value,ghi_chu_rieng,Unit,period,org_unit,data_element
        "1,5",bỏ qua,tấn,2021,E1,SX_SAN_LUONG
        7,bỏ qua,,2021,K1,NT_HOAT_DONG
        -3,bỏ qua,,2022,K1,NT_HOAT_DONG
        """,
    )
    result = run_import(datavalues_import, path)
    # The full checks of a row out of the common form see its cells by name too.
    assert lines(result) == [
        "thu-tu-khac.csv:4: value: giá trị phải là số nguyên không âm, không phải '-3'",
    ], lines(result)
    path.write_text(path.read_text(encoding="utf-8").replace("-3", "3"), encoding="utf-8")
    result = run_import(datavalues_import, path)
    assert result.ok, lines(result)
    output = stored("SX_SAN_LUONG", "E1", "2021")
    assert (output.value, output.unit, output.comment) == (Decimal("1.5"), "tấn", "")
    assert stored("NT_HOAT_DONG", "K1", "2021").value == 7
    assert stored("NT_HOAT_DONG", "K1", "2022").value == 3


def test_update_is_audited_with_old_and_new_value_and_user(
    import_csv: Importer, units: dict[str, OrgUnit], user: object
) -> None:
    assert import_csv("2022.csv", "TH_NANG_LUONG,E1,2022,10,MWh,").ok
    value = stored("TH_NANG_LUONG", "E1", "2022")
    created_at = value.updated_at

    result = import_csv("2022-sua.csv", "TH_NANG_LUONG,E1,2022,41.868,GJ,đã sửa", user=user)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    value.refresh_from_db()
    assert (value.value, value.unit, value.canonical_value) == (Decimal("41.868"), "GJ", 1)
    assert value.updated_by == user
    assert value.updated_at > created_at

    new, old = value.history.order_by("-history_id")
    assert (old.history_type, old.value, old.unit, old.history_user) == ("+", 10, "MWh", None)
    assert old.history_change_reason == "2022.csv"
    assert (new.history_type, new.value, new.unit, new.comment) == (
        "~",
        Decimal("41.868"),
        "GJ",
        "đã sửa",
    )
    assert new.history_user == user
    assert new.history_change_reason == "2022-sua.csv"
    delta = new.diff_against(old)
    assert {change.field for change in delta.changes} >= {
        "value",
        "unit",
        "canonical_value",
        "comment",
    }


def test_unchanged_reimport_writes_no_history(
    import_csv: Importer, units: dict[str, OrgUnit], user: object
) -> None:
    rows = """
        NT_HOAT_DONG,K1,2021,3,,
        TH_NGUYEN_LIEU,E1,2021,"1500,0",kg,
        """
    assert import_csv("a.csv", rows).ok
    before = snapshot()
    again = import_csv("a.csv", rows, user=user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert snapshot() == before


def test_dry_run_validates_counts_and_stores_nothing(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    assert import_csv("a.csv", "NT_HOAT_DONG,K1,2021,3,,").ok
    before = snapshot()
    result = import_csv(
        "b.csv",
        """
        NT_HOAT_DONG,K1,2021,4,,
        NT_HOAT_DONG,K1,2022,1,,
        NT_NGUOI,K1,2021,9,,
        """,
        dry_run=True,
    )
    assert result.ok and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    assert snapshot() == before

    assert lines(import_csv("c.csv", "NT_HOAT_DONG,K1,2022,-1,,", dry_run=True)) == [
        "c.csv:2: value: giá trị phải là số nguyên không âm, không phải '-1'"
    ]


def test_output_unit_must_stay_the_same_as_stored(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    assert import_csv("2021.csv", "SX_SAN_LUONG,E1,2021,100,tấn,").ok
    before = snapshot()
    result = import_csv(
        "2022.csv",
        """
        SX_SAN_LUONG,E1,2022,5000,chiếc,
        SX_SAN_LUONG,E2,2022,10,chiếc,
        """,
    )
    assert lines(result) == [
        "2022.csv:2: unit: doanh nghiệp 'E1' đã dùng đơn vị 'tấn' cho SX_SAN_LUONG (kỳ 2021); "
        "đơn vị sản lượng phải giữ nguyên qua các năm"
    ]
    assert snapshot() == before
    # kg normalises to tonnes: the same unit.
    assert import_csv("2022.csv", "SX_SAN_LUONG,E1,2022,90000,kg,").ok
    assert stored("SX_SAN_LUONG", "E1", "2022").canonical_value == 90


def test_the_output_unit_is_decided_by_a_stored_period_the_file_does_not_send(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    assert import_csv("2021.csv", "SX_SAN_LUONG,E1,2021,100,tấn,\nSX_SAN_LUONG,E1,2022,90,tấn,").ok
    # 2021 sent again as it is, 2023 in another unit: the stored 2022 decides.
    result = import_csv(
        "2023.csv",
        """
        SX_SAN_LUONG,E1,2021,100,tấn,
        SX_SAN_LUONG,E1,2023,5000,chiếc,
        """,
    )
    assert lines(result) == [
        "2023.csv:3: unit: doanh nghiệp 'E1' đã dùng đơn vị 'tấn' cho SX_SAN_LUONG (kỳ 2022); "
        "đơn vị sản lượng phải giữ nguyên qua các năm"
    ]


def test_output_unit_must_stay_the_same_within_the_file(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    result = import_csv(
        "sl.csv",
        """
        SX_SAN_LUONG,E1,2021,100,Chiếc,
        SX_SAN_LUONG,E1,2022,120,chiếc,
        SX_SAN_LUONG,E1,2023,2,m³,
        """,
    )
    assert lines(result) == [
        "sl.csv:4: unit: doanh nghiệp 'E1' đã dùng đơn vị 'Chiếc' cho SX_SAN_LUONG (dòng 2); "
        "đơn vị sản lượng phải giữ nguyên qua các năm"
    ]


def test_correcting_the_only_stored_output_unit_is_allowed(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    assert import_csv("a.csv", "SX_SAN_LUONG,E1,2021,100,tấn,").ok
    assert import_csv("b.csv", "SX_SAN_LUONG,E1,2021,100,chiếc,").updated == 1


def test_xlsx_numbers_empty_rows_and_merged_cells(
    import_xlsx: Importer, units: dict[str, OrgUnit]
) -> None:
    result = import_xlsx(
        "so-lieu.xlsx",
        [
            ["NT_HOAT_DONG", "K1", 2021, 12.0, None, "quý I và II"],
            ["NT_NGUOI", "K1", 2021, 250, None, None],
            [None] * 6,
            ["TH_NGUYEN_LIEU", "E1", 2021, 0.1, "tấn", None],
        ],
        merge=["F2:F3"],
    )
    assert result.ok, lines(result)
    assert result.created == 3
    assert stored("NT_HOAT_DONG", "K1", "2021").value == 12
    assert stored("NT_HOAT_DONG", "K1", "2021").comment == "quý I và II"
    assert stored("NT_NGUOI", "K1", "2021").comment == ""
    assert stored("TH_NGUYEN_LIEU", "E1", "2021").canonical_value == Decimal("0.1")


def test_xlsx_formula_without_computed_value_is_refused(
    import_xlsx: Importer, units: dict[str, OrgUnit]
) -> None:
    result = import_xlsx(
        "so-lieu.xlsx",
        [
            ["NT_HOAT_DONG", "K1", 2021, 2, None, None],
            ["NT_NGUOI", "K1", 2021, "=40+60", None, None],
        ],
    )
    assert lines(result) == [
        "so-lieu.xlsx:3: value: ô có công thức =40+60 nhưng chưa có giá trị đã tính; "
        "hãy mở tệp bằng Excel, lưu lại rồi nhập lại"
    ]
    assert not DataValue.objects.exists()


def test_xlsx_formula_with_computed_value(import_xlsx: Importer, units: dict[str, OrgUnit]) -> None:
    result = import_xlsx(
        "so-lieu.xlsx",
        [["NT_NGUOI", "K1", 2021, "=40+60", None, None]],
        cached={"40+60": "100"},
    )
    assert result.ok
    assert stored("NT_NGUOI", "K1", "2021").value == 100


def test_reads_do_not_grow_with_rows(
    import_csv: Importer, django_assert_max_num_queries: object
) -> None:
    zones = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"K{n:03d}", name=f"KCN {n}", type="KCN", valid_from=dt.date(2020, 1, 1))
        for n in range(150)
    )
    rows = [
        f"NT_HOAT_DONG,{zone.code},{year},{n},,"
        for n, zone in enumerate(zones)
        for year in (2021, 2022)
    ]
    # Three reads (elements, units, stored values); the writes are batched (SQLite takes at
    # most 999 parameters a statement, hence several INSERTs for 300 rows). On PostgreSQL,
    # one statement locks the rows that the values refer to, and one more ends the block of
    # writes that need no other check. New values write no history rows.
    with django_assert_max_num_queries(20) as captured:  # type: ignore[operator]
        result = import_csv("nhieu.csv", "\n".join(rows))
    assert result.created == 300
    assert DataValue.history.count() == 0
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    bookkeeping = [
        sql for sql in reads if sql.startswith(("SELECT current_setting", "SELECT set_config"))
    ]
    assert len(reads) - len(bookkeeping) == 3
    assert len(bookkeeping) == (2 if connection.vendor == "postgresql" else 0)

    # The 150 changed values: their creation records, then their changes. PostgreSQL locks
    # the changed values first (one more read).
    changed = [row.replace(",2021,", ",2021,9") for row in rows]
    with django_assert_max_num_queries(20) as captured:  # type: ignore[operator]
        result = import_csv("nhieu.csv", "\n".join(changed))
    assert (result.updated, result.unchanged) == (150, 150)
    assert DataValue.history.count() == 300
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    assert len(reads) == (4 if connection.vendor == "postgresql" else 3)


def test_rows_with_an_empty_value_are_not_reports(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    # A filled template leaves the rows of what the unit does not report empty.
    result = import_csv(
        "mau-bao-cao.csv",
        """
        NT_HOAT_DONG,K1,2021,3,,
        NT_NGUOI,K1,2021,,,
        NT_HOAT_DONG,K1,2022,,,ghi chú không kèm số liệu
        """,
    )
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    assert list(DataValue.objects.values_list("data_element__code", "period")) == [
        ("NT_HOAT_DONG", "2021")
    ]
