"""The Excel template: what each row says, the workbook, the round trip through the importer,
cell references in problems, the command, the download and the import page.

Over the world of `test_completeness.build_world` (district 288: 288, X1, S1, K1, E1; K9
closed in 2024).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils.html import escape
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from benvung.accounts.models import Role, RoleAssignment
from benvung.accounts.selectors import access_for
from benvung.core.importing import (
    Problem,
    cell_reference,
    column_letter,
    read_table,
)
from benvung.core.views import problems_by_sheet
from benvung.datavalues.models import DataElement, DataValue
from benvung.reporting.excel import (
    COLUMNS,
    INFO_HEADERS,
    SHEET_DATA,
    SHEET_HELP,
    DeadlineLine,
    Template,
    TemplateRow,
    allowed_units,
    cell_value,
    is_locked_for,
    periods_in_year,
    template_bytes,
    template_for,
    value_instruction,
)
from benvung.reporting.models import Submission
from benvung.reporting.services import OPERATOR, values_import
from tests.factories import DataValueFactory
from tests.reporting.test_completeness import World, build_world, reporter

User = get_user_model()

# --- plain functions (no database) -----------------------------------------------------------

DECIMAL = "Số thập phân ≥ 0, dùng dấu phẩy hoặc chấm"


@pytest.mark.parametrize(
    ("value_type", "dimension", "text"),
    [
        ("integer", "", "Số nguyên ≥ 0"),
        ("boolean", "", "Có/Không: chọn «có» hoặc «không»"),
        ("decimal", "", "Số thập phân ≥ 0, dùng dấu phẩy hoặc chấm"),
        ("decimal", "mass", "Số thập phân ≥ 0, dùng dấu phẩy hoặc chấm; đơn vị: tấn, tạ hoặc kg"),
        ("decimal", "energy", f"{DECIMAL}; đơn vị: TOE, GJ, kWh hoặc MWh"),
        ("decimal", "any", f"{DECIMAL}; ghi đơn vị sản phẩm, giữ nguyên qua các năm"),
    ],
)  # fmt: skip
def test_value_instruction(value_type: str, dimension: str, text: str) -> None:
    assert value_instruction(value_type, dimension) == text


def test_allowed_units() -> None:
    assert allowed_units("mass") == "tấn, tạ, kg"
    assert allowed_units("energy") == "TOE, GJ, kWh, MWh"
    assert allowed_units("") == "không có (để trống)"
    assert allowed_units("any").startswith("đơn vị sản phẩm")


@pytest.mark.parametrize(
    ("value", "value_type", "cell"),
    [
        (Decimal("1.000000"), "boolean", "có"),
        (Decimal("0"), "boolean", "không"),
        (Decimal("12.000000"), "integer", 12),
        (Decimal("12.500000"), "decimal", 12.5),
        (Decimal("0.100000"), "decimal", 0.1),
        # More digits than a float holds: written as text, which reads back the same.
        (Decimal("12345678901234.123456"), "decimal", "12345678901234.123456"),
    ],
)
def test_cell_value_reads_back_as_the_stored_value(
    value: Decimal, value_type: str, cell: object
) -> None:
    assert cell_value(value, value_type) == cell
    assert type(cell_value(value, value_type)) is type(cell)


def test_locked_reports() -> None:
    assert is_locked_for("approved", can_approve=True)
    assert is_locked_for("submitted", can_approve=False)
    assert not is_locked_for("submitted", can_approve=True)
    assert not is_locked_for("returned", can_approve=False)
    assert not is_locked_for(None, can_approve=False)


def test_periods_in_year() -> None:
    assert periods_in_year("yearly", 2025) == ["2025"]
    assert periods_in_year("six_monthly", 2025) == ["2025S1", "2025S2"]
    assert periods_in_year("quarterly", 2025)[-1] == "2025Q4"
    assert periods_in_year("monthly", 2025)[0] == "202501"


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (3, "D"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter(index: int, letters: str) -> None:  # fmt: skip
    assert column_letter(index) == letters


def test_cell_reference() -> None:
    columns = ["data_element", "org_unit", "period", "value", "unit", "comment"]
    assert cell_reference("Số liệu", columns, 5, "value") == "Số liệu!D5"
    assert cell_reference("Số liệu", columns, 5, "khac") == "Số liệu!5:5"
    assert cell_reference("Số liệu", columns, 0, "value") == ""
    assert cell_reference("", columns, 5, "value") == ""


def test_problem_keeps_its_printed_form_and_groups_by_sheet() -> None:
    xlsx = Problem("mau.xlsx", 5, "value", "lỗi", "Số liệu!D5")
    whole = Problem("mau.xlsx", 0, "-", "không lưu được")
    assert str(xlsx) == "mau.xlsx:5: value: lỗi"
    assert (xlsx.sheet, whole.sheet) == ("Số liệu", "")
    groups = problems_by_sheet([xlsx, whole])
    assert [(g.sheet, g.has_cells) for g in groups] == [("", False), ("Số liệu", True)]
    assert groups[1].rows == [("D5", xlsx)]


def sample_template() -> Template:
    common = {"unit_code": "K1", "unit_name": "KCN Một", "period": "2025"}
    rows = [
        TemplateRow("NT_HOAT_DONG", "Số hoạt động", "integer", "", value=Decimal(3), **common),
        TemplateRow("NT_NGUOI", "Số người", "integer", "", **common),
        TemplateRow("BB_THAN_THIEN", "Bao bì", "boolean", "", "S1", "Siêu thị", "2025", Decimal(1)),
        TemplateRow(
            "TH_NGUYEN_LIEU",
            "Nguyên liệu",
            "decimal",
            "mass",
            "E1",
            "DN",
            "2025",
            Decimal("12.5"),
            "tấn",
            "ghi chú",
        ),
        TemplateRow(
            "TH_NANG_LUONG",
            "Năng lượng",
            "decimal",
            "energy",
            "E1",
            "DN",
            "2025",
            Decimal(7),
            "TOE",
            status="approved",
            locked=True,
        ),
    ]
    deadlines = [DeadlineLine("NHAN_THUC", "Báo cáo nhận thức", ("KCN",), dt.date(2025, 12, 20))]
    return Template("288", "Huyện Một", 2025, rows, deadlines, dt.date(2025, 12, 15))


def open_sheets(data: bytes) -> tuple[Worksheet, Worksheet]:
    workbook = load_workbook(io.BytesIO(data))
    data_sheet, help_sheet = workbook.worksheets
    return data_sheet, help_sheet


def test_workbook_layout_without_a_database() -> None:
    sheet, help_sheet = open_sheets(template_bytes(sample_template()))
    assert (sheet.title, help_sheet.title) == (SHEET_DATA, SHEET_HELP)
    header = [c.value for c in sheet[1]]
    assert header[:6] == list(COLUMNS)
    assert header[6] is None  # G stays empty
    assert header[7:] == list(INFO_HEADERS)
    assert sheet.freeze_panes == "A2"
    assert sheet["D1"].comment is not None and "Để trống" in sheet["D1"].comment.text
    assert sheet.protection.sheet and not sheet.protection.password
    assert [sheet.cell(2, c).value for c in range(1, 7)] == [
        "NT_HOAT_DONG",
        "K1",
        "2025",
        3,
        None,
        None,
    ]
    assert sheet["D4"].value == "có"
    assert (sheet["D5"].value, sheet["E5"].value, sheet["F5"].value) == (12.5, "tấn", "ghi chú")
    # Keys locked, entries open, except in a report that is locked.
    assert sheet["A2"].protection.locked and sheet["C2"].protection.locked
    assert not any(sheet[f"{c}2"].protection.locked for c in "DEF")
    assert all(sheet[f"{c}6"].protection.locked for c in "DEF")
    assert sheet["D6"].value is None
    assert "số đã lưu: 7 TOE" in sheet["K6"].value and sheet["L6"].value == "Đã duyệt"
    assert (sheet["H2"].value, sheet["J5"].value, sheet["K2"].value) == (
        "KCN Một",
        "tấn, tạ, kg",
        "Số nguyên ≥ 0",
    )
    rules = {(v.type, v.formula1): str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert rules[("whole", "0")] == "D2:D3"
    assert rules[("list", '"có,không"')] == "D4"
    assert rules[("decimal", "0")] == "D5"  # not D6: locked
    assert rules[("list", '"tấn,tạ,kg"')] == "E5"
    assert rules[("textLength", "0")] == "E2:E4"  # no unit
    assert ("list", '"TOE,GJ,kWh,MWh"') not in rules
    texts = " ".join(str(c.value) for row in help_sheet.iter_rows() for c in row if c.value)
    assert "Báo cáo nhận thức (NHAN_THUC)" in texts and "20/12/2025" in texts
    assert "còn 5 ngày" in texts
    assert "Không sửa các cột A–C" in texts and "để trống nghĩa là chưa báo cáo" in texts


def test_the_importer_reads_only_the_interchange_columns() -> None:
    table = read_table(io.BytesIO(template_bytes(sample_template())), filename="mau.xlsx")
    assert table.sheet == SHEET_DATA
    rows = list(table)
    assert rows[0][0] == 2
    assert {k: rows[0][1][k] for k in COLUMNS} == {
        "data_element": "NT_HOAT_DONG",
        "org_unit": "K1",
        "period": "2025",
        "value": "3",
        "unit": "",
        "comment": "",
    }
    assert not set(COLUMNS) & {name.lower() for name in INFO_HEADERS}


# --- the database ----------------------------------------------------------------------------


@pytest.fixture
def world(db: None) -> World:
    world = build_world()
    element = DataElement.objects.get

    def store(code: str, unit: str, value: str, unit_text: str = "", comment: str = "") -> None:
        DataValueFactory(
            data_element=element(code=code),
            org_unit=world.units[unit],
            period="2025",
            value=Decimal(value),
            canonical_value=Decimal(value),
            unit=unit_text,
            comment=comment,
        )

    store("NT_HOAT_DONG", "K1", "3", comment="hội thảo")
    store("BB_THAN_THIEN", "S1", "1")
    store("TH_NGUYEN_LIEU", "E1", "12.5", "tấn")
    # S1's report is sent, waiting: open to the co-ordinator, who approves reports.
    Submission.objects.filter(org_unit__code="S1").update(status="submitted")
    return world


def workbook_of(root: str, year: int = 2025, access: object = OPERATOR) -> bytes:
    from benvung.orgunits.models import OrgUnit

    template = template_for(
        root=OrgUnit.objects.get(code=root), year=year, access=access, today=dt.date(2025, 12, 1)
    )  # type: ignore[arg-type]
    return template_bytes(template)


def line_of(sheet: Worksheet, element: str, unit: str) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == element and row[1].value == unit:
            return int(row[0].row)
    raise AssertionError(f"no row {element} {unit}")


def edited(data: bytes, cells: dict[str, object], **changes: object) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    for ref, value in cells.items():
        sheet[ref] = value
    for ref in changes.get("merge", []):  # type: ignore[attr-defined]
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_bytes(data: bytes, name: str = "mau.xlsx", user: object = None) -> object:
    return values_import(file=io.BytesIO(data), filename=name, user=user)


def test_template_rows_of_a_district(world: World) -> None:
    sheet, _ = open_sheets(workbook_of("288"))
    keys = [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=2)]
    assert keys == [
        ("TT_SU_KIEN", "288"),
        ("TT_NGUOI", "288"),
        ("TT_SU_KIEN", "X1"),
        ("TT_NGUOI", "X1"),
        ("NT_HOAT_DONG", "K1"),
        ("NT_NGUOI", "K1"),
        ("BB_THAN_THIEN", "S1"),
        ("BB_NHAN_SINH_THAI", "S1"),
        ("SX_SAN_LUONG", "E1"),
        ("TH_NGUYEN_LIEU", "E1"),
        ("TH_NANG_LUONG", "E1"),
    ]  # root first, then by unit type and code; K9 closed; nothing of 290
    s1 = line_of(sheet, "BB_THAN_THIEN", "S1")
    assert sheet[f"D{s1}"].value == "có"
    e1 = line_of(sheet, "TH_NGUYEN_LIEU", "E1")
    assert (sheet[f"D{e1}"].value, sheet[f"E{e1}"].value) == (12.5, "tấn")
    assert (sheet[f"H{e1}"].value, sheet[f"L{e1}"].value) == ("Doanh nghiệp Một", "Chưa có báo cáo")
    # K1's NHAN_THUC report is approved: its rows are locked and left empty, the stored
    # value shown beside them.
    k1 = line_of(sheet, "NT_HOAT_DONG", "K1")
    assert (sheet[f"D{k1}"].value, sheet[f"F{k1}"].value) == (None, None)
    assert sheet[f"D{k1}"].protection.locked
    assert sheet[f"L{k1}"].value == "Đã duyệt"
    assert sheet[f"K{k1}"].value == ("Báo cáo đã duyệt: không sửa được bằng tệp này (số đã lưu: 3)")
    # Reopened, the value and comment are filled in and open.
    Submission.objects.filter(org_unit__code="K1").update(status="returned")
    sheet, _ = open_sheets(workbook_of("288"))
    assert (sheet[f"D{k1}"].value, sheet[f"F{k1}"].value) == (3, "hội thảo")
    assert not sheet[f"D{k1}"].protection.locked


def test_unchanged_template_imports_with_nothing_created(world: World) -> None:
    # K1's report is approved: its row is locked and left empty (the value shown in column
    # K), so the unchanged file passes the workflow's check; the other values come back.
    result = import_bytes(workbook_of("288"))
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    # Reopened, the report's value is in the file too, and comes back unchanged as well.
    Submission.objects.filter(org_unit__code="K1").update(status="returned")
    again = import_bytes(workbook_of("288"))
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 3)
    assert DataValue.objects.count() == 3


def test_round_trip_fill_refuse_fix(world: World) -> None:
    original = workbook_of("288")
    sheet, _ = open_sheets(original)
    events, people = line_of(sheet, "TT_SU_KIEN", "X1"), line_of(sheet, "TT_NGUOI", "X1")
    energy = line_of(sheet, "TH_NANG_LUONG", "E1")
    filled = {f"D{events}": 4, f"D{people}": 250, f"D{energy}": "1,5", f"E{energy}": "MWh"}
    bad = edited(original, {**filled, f"D{people}": -3})
    refused = import_bytes(bad)
    assert not refused.ok
    assert [str(p) for p in refused.problems] == [
        f"mau.xlsx:{people}: value: giá trị phải là số nguyên không âm, không phải '-3'"
    ]
    assert refused.problems[0].cell == f"{SHEET_DATA}!D{people}"
    assert not DataValue.objects.filter(org_unit__code="X1").exists()  # refused whole
    done = import_bytes(edited(original, filled))
    assert done.ok and (done.created, done.unchanged) == (3, 2)
    stored = {
        v.data_element.code: (v.value, v.unit)
        for v in DataValue.objects.filter(period="2025", org_unit__code__in=["X1", "E1"])
    }
    assert stored["TT_SU_KIEN"] == (4, "") and stored["TT_NGUOI"] == (250, "")
    assert stored["TH_NANG_LUONG"] == (Decimal("1.5"), "MWh")
    assert Submission.objects.get(org_unit__code="X1", data_set__code="TUYEN_TRUYEN").version == 1


def test_formula_merged_cells_and_empty_rows(world: World) -> None:
    original = workbook_of("288")
    sheet, _ = open_sheets(original)
    events = line_of(sheet, "TT_SU_KIEN", "X1")
    last = sheet.max_row
    # A formula written by a program has no computed value: reported with its cell.
    formula = import_bytes(edited(original, {f"D{events}": "=2+2"}))
    assert [str(p) for p in formula.problems] == [
        f"mau.xlsx:{events}: value: ô có công thức =2+2 nhưng chưa có giá trị đã tính; "
        "hãy mở tệp bằng Excel, lưu lại rồi nhập lại"
    ]
    assert formula.problems[0].cell == f"{SHEET_DATA}!D{events}"
    # Merged cells beside the table, rows emptied and stray text far below do not matter.
    messy = edited(
        original,
        {
            f"D{events}": 2,
            f"H{last + 3}": "ghi chú của người điền",
            **{f"{c}{last}": None for c in "ABCDEFHIJKL"},
        },
        merge=["H2:H3", f"I{last + 5}:K{last + 6}"],
    )
    result = import_bytes(messy)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.unchanged) == (1, 2)


def test_bad_key_problem_names_the_cell(world: World) -> None:
    original = workbook_of("288")
    sheet, _ = open_sheets(original)
    line = line_of(sheet, "TT_SU_KIEN", "X1")
    result = import_bytes(edited(original, {f"B{line}": "KHONG-CO", f"D{line}": 1}))
    assert [(p.line, p.column, p.cell) for p in result.problems] == [
        (line, "org_unit", f"{SHEET_DATA}!B{line}")
    ]


def test_a_reporter_sees_their_units_and_sent_reports_locked(world: World) -> None:
    user = reporter(world.units["288"], "bc288")
    Submission.objects.filter(org_unit__code="K1").update(status="submitted")
    sheet, _ = open_sheets(workbook_of("288", access=access_for(user)))
    k1 = line_of(sheet, "NT_HOAT_DONG", "K1")
    assert sheet[f"D{k1}"].value is None and sheet[f"L{k1}"].value == "Đã gửi, chờ duyệt"
    # The reporter's unchanged file goes through their own checks.
    result = import_bytes(workbook_of("288", access=access_for(user)), user=user)
    assert result.ok, [str(p) for p in result.problems]
    # The co-ordinator approves reports, so a sent one stays open for them.
    sheet, _ = open_sheets(workbook_of("288"))
    assert sheet[f"D{line_of(sheet, 'NT_HOAT_DONG', 'K1')}"].value == 3


# --- command ---------------------------------------------------------------------------------


def test_template_command(world: World, tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    out = io.StringIO()
    call_command("template", "--org-unit", "288", "--year", "2025", "-o", str(path), stdout=out)
    assert out.getvalue().strip() == f"Đã ghi {path}: 11 dòng, 5 đơn vị, năm 2025."
    sheet, _ = open_sheets(path.read_bytes())
    assert sheet.max_row == 12
    with pytest.raises(CommandError, match="Không có đơn vị mã 'KHONG'"):
        call_command("template", "--org-unit", "KHONG", "--year", "2025", "-o", str(path))
    with pytest.raises(CommandError, match="không hoạt động trong năm 2025"):
        call_command("template", "--org-unit", "K9", "--year", "2025", "-o", str(path))
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command(
            "template", "--org-unit", "288", "--year", "2025", "-o", str(tmp_path / "a.csv")
        )


# --- download and import page ----------------------------------------------------------------

DOWNLOAD = "/bao-cao/mau-excel/"


def coordinator() -> object:
    user = User.objects.create_user("dieuphoi")
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


def test_download_needs_login(client: Client, world: World) -> None:
    response = client.get(DOWNLOAD, {"don-vi": "288", "nam": "2025"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_download_for_the_coordinator(client: Client, world: World) -> None:
    client.force_login(coordinator())  # type: ignore[arg-type]
    response = client.get(DOWNLOAD, {"don-vi": "288", "nam": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="mau-so-lieu-288-2025.xlsx"' in response["Content-Disposition"]
    sheet, _ = open_sheets(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert sheet.max_row == 12


def test_download_for_a_reporter_only_within_their_units(client: Client, world: World) -> None:
    client.force_login(reporter(world.units["288"], "bc288"))  # type: ignore[arg-type]
    assert client.get(DOWNLOAD, {"don-vi": "288", "nam": "2025"}).status_code == 200
    assert client.get(DOWNLOAD, {"don-vi": "X1", "nam": "2025"}).status_code == 200
    assert client.get(DOWNLOAD, {"don-vi": "290", "nam": "2025"}).status_code == 403
    assert client.get(DOWNLOAD, {"don-vi": "30", "nam": "2025"}).status_code == 403


def test_download_with_a_bad_request_goes_back_with_the_reason(
    client: Client, world: World
) -> None:
    client.force_login(coordinator())  # type: ignore[arg-type]
    for params, message in [
        ({}, "Hãy chọn đơn vị và năm báo cáo"),
        ({"don-vi": "KHONG", "nam": "2025"}, "Không có đơn vị mã “KHONG”"),
        ({"don-vi": "K9", "nam": "2025"}, "không hoạt động trong năm 2025"),
    ]:
        response = client.get(DOWNLOAD, params, follow=True)
        assert response.redirect_chain[-1][0] == "/nhap-du-lieu/#mau-excel"
        assert message in response.content.decode()


def test_import_page_offers_the_template_and_shows_cells(client: Client, world: World) -> None:
    client.force_login(coordinator())  # type: ignore[arg-type]
    page = client.get("/nhap-du-lieu/").content.decode()
    assert 'action="/bao-cao/mau-excel/"' in page
    assert "Tải mẫu Excel" in page and "Huyện Một (288)" in page
    original = workbook_of("288")
    sheet, _ = open_sheets(original)
    line = line_of(sheet, "TT_NGUOI", "X1")
    upload = SimpleUploadedFile("mau.xlsx", edited(original, {f"D{line}": "nhiều"}))
    response = client.post("/nhap-du-lieu/", {"kind": "data", "file": upload})
    result = response.context["result"]
    assert not result.ok
    html = response.content.decode()
    assert "Trang tính «Số liệu»" in html
    assert '<th scope="col">Ô</th>' in html
    assert f'title="{SHEET_DATA}!D{line}">D{line}</td>' in html
    assert f"<code>{escape(str(result.problems[0]))}</code>" in html


def test_import_page_without_units_says_so(client: Client, world: World) -> None:
    client.force_login(User.objects.create_user("khach"))
    page = client.get("/nhap-du-lieu/").content.decode()
    assert "chưa được phân công đơn vị báo cáo" in page
