"""The shared import frame: reading CSV/XLSX tables and parsing cells (no database)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from benvung.core.importing import (
    ImportRejected,
    ImportResult,
    Problem,
    TableReader,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_period,
    period_dates,
    read_table,
)
from tests.import_factories import xlsx_file


def read(data: bytes | Path, filename: str = "t.csv", **kwargs: object) -> TableReader:
    file = io.BytesIO(data) if isinstance(data, bytes) else data
    return read_table(file, filename=filename, **kwargs)  # type: ignore[arg-type]


def rejected(data: bytes, filename: str = "t.csv", **kwargs: object) -> list[str]:
    with pytest.raises(ImportRejected) as excinfo:
        list(read(data, filename, **kwargs))
    return [str(p) for p in excinfo.value.problems]


# --- Problem and ImportResult ----------------------------------------------------------------


def test_problem_prints_as_file_line_column_message() -> None:
    problem = Problem("so-lieu.csv", 4, "period", "kỳ '2021Q5' không hợp lệ, cần dạng YYYY")
    assert str(problem) == "so-lieu.csv:4: period: kỳ '2021Q5' không hợp lệ, cần dạng YYYY"


def test_problems_name_the_file_by_its_base_name() -> None:
    table = read(b"a\n1\n", filename="uploads/2021/du-lieu.csv")
    assert table.add_problem(2, "a", "lỗi").file == "du-lieu.csv"


def test_import_result_summary() -> None:
    done = ImportResult(created=10, updated=2, unchanged=0, problems=[], dry_run=False)
    assert done.ok
    assert done.summary() == "Đã nhập 12 dòng: 10 mới, 2 cập nhật, 0 không đổi."
    trial = ImportResult(created=1, updated=0, unchanged=3, problems=[], dry_run=True)
    assert (
        trial.summary()
        == "Đã kiểm tra 4 dòng: 1 mới, 0 cập nhật, 3 không đổi (chạy thử, không lưu)."
    )
    refused = ImportResult.rejected(
        [Problem("f", 3, "a", "x"), Problem("f", 2, "b", "y")], dry_run=False
    )
    assert not refused.ok
    assert [p.line for p in refused.problems] == [2, 3]
    assert (refused.created, refused.updated, refused.unchanged) == (0, 0, 0)


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_csv_with_or_without_bom(bom: bytes) -> None:
    table = read(bom + "Code , Tên\nA,Xã Một\n".encode())
    assert table.columns == ["code", "tên"]
    assert list(table) == [(2, {"code": "A", "tên": "Xã Một"})]


def test_csv_semicolon_delimiter_is_sniffed() -> None:
    table = read(b"data_element;org_unit;value\nNT_HOAT_DONG;K1;1,5\n")
    assert list(table) == [(2, {"data_element": "NT_HOAT_DONG", "org_unit": "K1", "value": "1,5"})]


def test_csv_line_numbers_are_physical_lines_and_empty_rows_are_skipped() -> None:
    data = b'a,b\n1,x\n\n,\n2,"two\nlines"\n3,  y  \n'
    assert list(read(data)) == [
        (2, {"a": "1", "b": "x"}),
        (5, {"a": "2", "b": "two\nlines"}),
        (7, {"a": "3", "b": "y"}),
    ]


def test_csv_short_rows_are_padded_and_crlf_is_fine() -> None:
    assert list(read(b"a,b,c\r\n1\r\n")) == [(2, {"a": "1", "b": "", "c": ""})]


def test_missing_required_columns_are_reported_on_the_header_line() -> None:
    assert rejected(b"code,name\nA,B\n", "dv.csv", required=("code", "type", "valid_from")) == [
        "dv.csv:1: type: thiếu cột 'type'",
        "dv.csv:1: valid_from: thiếu cột 'valid_from'",
    ]


def test_repeated_header_column_is_reported() -> None:
    assert rejected(b"code,code\n") == ["t.csv:1: code: cột bị lặp trong dòng tiêu đề"]


def test_not_utf8_is_one_problem_at_line_0() -> None:
    problems = rejected("a\nXã Mô\n".encode("latin-1"), "cu.csv")
    assert len(problems) == 1
    assert problems[0].startswith("cu.csv:0: -: tệp không phải CSV mã UTF-8")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "anh.csv", "tệp không phải CSV"),
        (b"a,b\n\x00\x01\x02", "nhi-phan.csv", "tệp không phải CSV hay Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "cu.xls", "tệp Excel 97–2003 (.xls)"),
        (b"code,name\n", "gia.xlsx", "tệp không phải tệp Excel .xlsx hợp lệ"),
        (b"PK\x03\x04 not really a zip", "hong.xlsx", "tệp không phải tệp Excel .xlsx hợp lệ"),
        (b"", "rong.csv", "tệp rỗng, không có dòng tiêu đề"),
        (b"\n , \n", "rong.csv", "tệp rỗng, không có dòng tiêu đề"),
    ],
)
def test_unreadable_files_are_one_problem_at_line_0(
    data: bytes, filename: str, message: str
) -> None:
    problems = rejected(data, filename)
    assert len(problems) == 1
    assert problems[0].startswith(f"{filename}:0: -: {message}")


def test_a_docx_is_not_an_xlsx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert rejected(buffer.getvalue(), "bao-cao.xlsx") == [
        "bao-cao.xlsx:0: -: tệp không phải tệp Excel .xlsx hợp lệ"
    ]


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_cells_read_as_typed_text(tmp_path: Path) -> None:
    path = xlsx_file(
        tmp_path,
        "so-lieu.xlsx",
        [
            [" Data_Element ", "Value", "Date", "Flag", None, None],
            ["A", 12.0, dt.datetime(2021, 3, 4), True, None, "ngoài bảng"],
            ["B", 0.1, dt.date(2022, 12, 31), False],
            ["C", 1e-7],
            ["D", 2021, "  text  "],
        ],
    )
    table = read(path, "so-lieu.xlsx")
    assert table.columns == ["data_element", "value", "date", "flag"]
    assert [row for _, row in table] == [
        {"data_element": "A", "value": "12", "date": "2021-03-04", "flag": "true"},
        {"data_element": "B", "value": "0.1", "date": "2022-12-31", "flag": "false"},
        {"data_element": "C", "value": "0.0000001", "date": "", "flag": ""},
        {"data_element": "D", "value": "2021", "date": "text", "flag": ""},
    ]


def test_xlsx_line_numbers_are_sheet_rows_skipping_empty_and_merged(tmp_path: Path) -> None:
    path = xlsx_file(
        tmp_path,
        "t.xlsx",
        [["a", "b"], ["1", "gộp"], [None, None], [None, None], ["2", None], ["3", "x"]],
        merge=["B2:B3", "A4:B4"],
    )
    assert list(read(path, "t.xlsx")) == [
        (2, {"a": "1", "b": "gộp"}),
        (5, {"a": "2", "b": ""}),
        (6, {"a": "3", "b": "x"}),
    ]


def test_xlsx_formula_gives_its_cached_value(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path, "t.xlsx", [["a", "b"], ["x", "=1+2"]], cached={"1+2": "3"})
    table = read(path, "t.xlsx")
    assert list(table) == [(2, {"a": "x", "b": "3"})]
    assert table.problems == []


def test_xlsx_formula_without_cached_value_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    # openpyxl writes formulas but never computes them, like any program other than Excel.
    path = xlsx_file(tmp_path, "t.xlsx", [["a", "b"], ["x", "=1+2"], ["y", "4"]])
    table = read(path, "t.xlsx")
    assert list(table) == [(3, {"a": "y", "b": "4"})]
    assert [str(p) for p in table.problems] == [
        "t.xlsx:2: b: ô có công thức =1+2 nhưng chưa có giá trị đã tính; "
        "hãy mở tệp bằng Excel, lưu lại rồi nhập lại"
    ]


def test_xlsx_fault_outside_the_columns_is_ignored(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path, "t.xlsx", [["a"], ["x", "=1+2", "#REF!"]])
    table = read(path, "t.xlsx")
    assert list(table) == [(2, {"a": "x"})]
    assert table.problems == []


def test_xlsx_error_cell_is_a_problem(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path, "t.xlsx", [["a", "b"], ["x", "#DIV/0!"]])
    table = read(path, "t.xlsx")
    assert list(table) == []
    assert [str(p) for p in table.problems] == ["t.xlsx:2: b: ô có lỗi công thức #DIV/0!"]


def test_xlsx_missing_column(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path, "t.xlsx", [["code"], ["A"]])
    with pytest.raises(ImportRejected) as excinfo:
        read(path, "t.xlsx", required=("code", "name"))
    assert [str(p) for p in excinfo.value.problems] == ["t.xlsx:1: name: thiếu cột 'name'"]


# --- Cell parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-04", dt.date(2021, 3, 4)),
        ("04/03/2021", dt.date(2021, 3, 4)),
        (" 1/7/2025 ", dt.date(2025, 7, 1)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021/03/04", "ngày '2021/03/04' không hợp lệ, cần dạng YYYY-MM-DD hoặc DD/MM/YYYY"),
        ("03-04-2021", "ngày '03-04-2021' không hợp lệ, cần dạng YYYY-MM-DD hoặc DD/MM/YYYY"),
        ("31/02/2021", "ngày '31/02/2021' không tồn tại"),
        ("", "ngày '' không hợp lệ, cần dạng YYYY-MM-DD hoặc DD/MM/YYYY"),
    ],
)
def test_parse_date_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", Decimal(12)),
        ("1,5", Decimal("1.5")),
        ("1.5", Decimal("1.5")),
        ("1234,56", Decimal("1234.56")),
        (",5", Decimal("0.5")),
        ("-3", Decimal(-3)),
        (" 7 ", Decimal(7)),
        ("1.234", Decimal("1.234")),
    ],
)
def test_parse_decimal(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["1.234,5", "1,234.5", "1.234.567", "1,2,3"])
def test_parse_decimal_rejects_thousands_separators(text: str) -> None:
    with pytest.raises(ValueError, match="chỉ dùng một dấu thập phân"):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["abc", "1e5", "NaN", "12 kg", "", "--1"])
def test_parse_decimal_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("có", True),
        ("Có", True),
        ("CÓ", True),
        ("co", True),
        ("không", False),
        ("Không", False),
        ("KHONG", False),
        ("co\u0301", True),  # decomposed (NFD) "có"
    ],
)
def test_parse_boolean(text: str, expected: bool) -> None:
    assert parse_boolean(text) is expected


@pytest.mark.parametrize("text", ["yes", "2", "", "đúng"])
def test_parse_boolean_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="không phải giá trị Có/Không"):
        parse_boolean(text)


@pytest.mark.parametrize(
    ("text", "period_type", "expected"),
    [
        ("2021", "yearly", ("2021", 2021)),
        ("2021S2", "six_monthly", ("2021S2", 2021)),
        ("2021s1", "six_monthly", ("2021S1", 2021)),
        ("2022Q4", "quarterly", ("2022Q4", 2022)),
        ("202312", "monthly", ("202312", 2023)),
    ],
)
def test_parse_period(text: str, period_type: str, expected: tuple[str, int]) -> None:
    assert parse_period(text, period_type) == expected


@pytest.mark.parametrize(
    ("text", "period_type", "message"),
    [
        ("2021Q5", "yearly", "kỳ '2021Q5' không hợp lệ, cần dạng YYYY"),
        ("2021Q5", "quarterly", r"kỳ '2021Q5' không hợp lệ, cần dạng YYYYQn \(n = 1–4\)"),
        ("2021", "quarterly", r"kỳ '2021' không hợp lệ, cần dạng YYYYQn \(n = 1–4\)"),
        ("2021S3", "six_monthly", r"cần dạng YYYYSn \(n = 1–2\)"),
        ("202113", "monthly", "kỳ '202113' không hợp lệ, cần dạng YYYYMM"),
        ("21", "yearly", "kỳ '21' không hợp lệ, cần dạng YYYY"),
        ("1800", "yearly", "kỳ '1800' có năm ngoài khoảng 1900–2100"),
    ],
)
def test_parse_period_rejects(text: str, period_type: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_period(text, period_type)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024S2", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("2024Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("202402", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("202412", dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    ],
)
def test_period_dates(period: str, start: dt.date, end: dt.date) -> None:
    assert period_dates(period) == (start, end)
