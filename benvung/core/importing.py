"""The shared frame of every file import: reading CSV/XLSX tables, parsing cells, reporting.

An import reads a table (`read_table`), checks every row, collects one `Problem` per fault and
stores nothing unless there is none (all-or-nothing, see the interchange files of the plan
spec). A problem prints as `FILE:LINE: column: message`, LINE being the physical line of the
CSV file or the row of the sheet (the header is line 1), so that a user can go straight to it.

Reading, row checks and cell parsing need no database (the parsing is tested without one); only the
write step at the end (`finish_import`, `store_with_history`) touches it, and the module can be
imported before Django is set up.
"""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext, gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from benvung.core import published
from benvung.core.uploads import UploadRefused, check_csv_lines, check_rows, check_table_bytes

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Problems about the whole file (not readable, empty) have line 0 and this column.
FILE_COLUMN = "-"

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 (and other OLE2 files)
_NOT_XLSX = gettext_noop("tệp không phải tệp Excel .xlsx hợp lệ")
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)


@dataclass(frozen=True)
class Problem:
    """One fault found in an imported file.

    `cell` names the place in an Excel file, "Số liệu!D5" (sheet, then the cell, or the row
    "Số liệu!5:5" when the column is not in the sheet); it is "" for CSV files, web forms and
    faults of the whole file. The printed form stays `FILE:LINE: column: message`.
    """

    file: str
    line: int
    column: str
    message: str
    cell: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"

    @property
    def sheet(self) -> str:
        """The sheet part of `cell` ("" without one)."""
        return self.cell.rsplit("!", 1)[0] if "!" in self.cell else ""


def column_letter(index: int) -> str:
    """The spreadsheet letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_reference(sheet: str, columns: Sequence[str], line: int, column: str) -> str:
    """Where a problem of `column` at row `line` is in a sheet whose header is `columns`:
    "Số liệu!D5", or the whole row "Số liệu!5:5" when the column is not in the header;
    "" for a problem of the whole file (line 0) or outside a sheet."""
    if not sheet or line <= 0:
        return ""
    if column and column in columns:
        return f"{sheet}!{column_letter(list(columns).index(column))}{line}"
    return f"{sheet}!{line}:{line}"


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    created: int
    updated: int
    unchanged: int
    problems: list[Problem]
    dry_run: bool

    @classmethod
    def rejected(cls, problems: Sequence[Problem], *, dry_run: bool) -> ImportResult:
        """The result of an import refused because of problems: nothing stored."""
        return cls(
            created=0,
            updated=0,
            unchanged=0,
            problems=sorted(problems, key=lambda p: p.line),
            dry_run=dry_run,
        )

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        """One Vietnamese sentence for the user, e.g. after `benvung import`."""
        if not self.ok:
            return gettext("Không nhập được: %(count)s lỗi, không lưu dữ liệu nào.") % {
                "count": len(self.problems)
            }
        counts = gettext(
            "%(total)s dòng: %(created)s mới, %(updated)s cập nhật, %(unchanged)s không đổi"
        ) % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            return gettext("Đã kiểm tra %(counts)s (chạy thử, không lưu).") % {"counts": counts}
        return gettext("Đã nhập %(counts)s.") % {"counts": counts}


class ImportRejected(Exception):
    """An import that cannot go on; carries the problems found so far."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


Row = tuple[int, dict[str, str]]
# How row checks report a problem of the row they check: (column, message).
Reporter = Callable[[str, str], None]


class TableReader:
    """The rows of an imported table, after its header.

    Iterating yields `(line_number, {column: text})` for every row that is not fully empty;
    every column of the header is present in the dict (an absent cell is ""), text is
    stripped. Cell-level faults found while reading (an Excel error or a formula without a
    computed value) are added to `problems` and the row is not yielded. Services add their
    own problems with `add_problem`, so that all of them share the file's name (and, for an
    Excel file, name the sheet and cell: `sheet` is the title of the sheet read).
    """

    def __init__(
        self,
        *,
        filename: str,
        header_line: int,
        columns: list[str],
        rows: Iterator[tuple[int, list[str], dict[int, str]]],
        sheet: str = "",
    ) -> None:
        self.filename = filename
        self.header_line = header_line
        self.columns = columns
        self.sheet = sheet
        self.problems: list[Problem] = []
        self._rows = rows

    def add_problem(self, line: int, column: str, message: str) -> Problem:
        cell = cell_reference(self.sheet, self.columns, line, column)
        problem = Problem(self.filename, line, column, message, cell)
        self.problems.append(problem)
        return problem

    def reporter(self, line: int) -> Reporter:
        """How the checks of the row at `line` report its problems: `report(column, message)`."""

        def report(column: str, message: str) -> None:
            self.add_problem(line, column, message)

        return report

    def __iter__(self) -> Iterator[Row]:
        columns = self.columns
        # Most tables name every column: one dict() for each row.
        named = all(columns)
        for line, cells in self._padded():
            if named:
                yield line, dict(zip(columns, cells, strict=False))
            else:
                yield (
                    line,
                    {name: value for name, value in zip(columns, cells, strict=False) if name},
                )

    def cells(self, wanted: Sequence[str]) -> Iterator[tuple[int, Sequence[str]]]:
        """The rows that iterating yields, each as its cells of the `wanted` columns in that
        order ("" for a column the table lacks): for a reader of a million rows, which reads
        them by position; making a dict of each costs it a fifth of its reading."""
        width = len(self.columns)
        positions = [self.columns.index(name) if name in self.columns else width for name in wanted]
        if positions == list(range(width)):
            # The columns are the wanted ones, in their order (any data-value file made from
            # the template): the cells as they are.
            yield from self._padded()
            return
        for line, cells in self._padded():
            yield line, [cells[i] if i < width else "" for i in positions]

    def _padded(self) -> Iterator[tuple[int, list[str]]]:
        """The rows without faults, as lists of as many cells as the columns."""
        width = len(self.columns)
        for line, cells, faults in self._rows:
            if faults and self._report_faults(line, faults):
                continue
            # (Of the same length: zip's strict check would cost a third more.)
            if len(cells) == width:
                yield line, cells
            else:
                yield line, [*cells[:width], *([""] * (width - len(cells)))]

    def _report_faults(self, line: int, faults: dict[int, str]) -> bool:
        """Report the row's faults in the table's columns (others do not matter); whether
        there were any."""
        width = len(self.columns)
        relevant = {i: m for i, m in faults.items() if i < width and self.columns[i]}
        for index, message in relevant.items():
            self.add_problem(line, self.columns[index], message)
        return bool(relevant)


def read_table(
    file: BinaryIO | Path | str,
    *,
    filename: str,
    required: Sequence[str] = (),
) -> TableReader:
    """Open a CSV or XLSX table and check that its header has the `required` columns.

    CSV: UTF-8 with or without BOM, `,` or `;` as delimiter. XLSX: the first sheet, formula
    cells read as the value Excel last computed. Raises `ImportRejected` when the file cannot
    be read or a required column is missing.
    """
    name = PurePath(filename).name
    data = _read_bytes(file)
    sheet = ""
    try:
        # Size, ZIP bombs and XML entities before any parser sees the bytes.
        check_table_bytes(data, name)
    except UploadRefused as exc:
        raise _rejected(name, gettext(_NOT_XLSX) if exc.invalid else exc.reason) from exc
    if data.startswith(_XLSX_MAGIC):
        sheet, header_line, header, rows = _xlsx_rows(data, name)
    elif data.startswith(_XLS_MAGIC):
        raise _rejected(
            name,
            gettext(
                "tệp Excel 97–2003 (.xls) không được hỗ trợ, hãy lưu lại dạng .xlsx hoặc CSV UTF-8"
            ),
        )
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise _rejected(name, gettext(_NOT_XLSX))
    else:
        header_line, header, rows = _csv_rows(data, name)

    columns = [cell.strip().lower() for cell in header]
    problems = []
    seen: set[str] = set()
    for index, column in enumerate(columns):
        if column and column in seen:
            cell = f"{sheet}!{column_letter(index)}{header_line}" if sheet else ""
            problems.append(
                Problem(name, header_line, column, gettext("cột bị lặp trong dòng tiêu đề"), cell)
            )
        seen.add(column)
    for column in required:
        if column not in seen:
            cell = cell_reference(sheet, columns, header_line, column)
            problems.append(
                Problem(
                    name,
                    header_line,
                    column,
                    gettext("thiếu cột '%(column)s'") % {"column": column},
                    cell,
                )
            )
    if problems:
        raise ImportRejected(problems)
    return TableReader(
        filename=name, header_line=header_line, columns=columns, rows=rows, sheet=sheet
    )


def _read_bytes(file: BinaryIO | Path | str) -> bytes:
    if isinstance(file, str | PurePath):
        return Path(file).read_bytes()
    data = file.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _rejected(name: str, message: str, line: int = 0) -> ImportRejected:
    """The exception for a file that cannot be read at all."""
    return ImportRejected([Problem(name, line, FILE_COLUMN, message)])


# --- CSV -----------------------------------------------------------------------------------


def _csv_rows(
    data: bytes, name: str
) -> tuple[int, list[str], Iterator[tuple[int, list[str], dict[int, str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _rejected(
            name,
            gettext(
                "tệp không phải CSV mã UTF-8 hay Excel .xlsx (byte lạ ở dòng %(line)s); hãy lưu "
                "lại dạng «CSV UTF-8» hoặc .xlsx"
            )
            % {"line": line},
        ) from exc
    if "\x00" in text:
        raise _rejected(name, gettext("tệp không phải CSV hay Excel .xlsx"))
    try:
        check_csv_lines(data, name)
    except UploadRefused as exc:
        raise _rejected(name, exc.reason) from exc

    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # Parsed as a stream from the bytes: a large file is not held a second time as text.
    del text
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream, delimiter=delimiter)

    def records() -> Iterator[tuple[int, list[str]]]:
        # csv's line_num counts physical lines read so far; a record starts on the line
        # after the previous record ended (quoted cells may span lines).
        end = 0
        try:
            for record in reader:
                yield end + 1, record
                end = reader.line_num
        except csv.Error as exc:
            raise _rejected(
                name, gettext("dòng CSV không đọc được (%(exc)s)") % {"exc": exc}, reader.line_num
            ) from exc

    iterator = records()
    for line, record in iterator:
        if any(cell.strip() for cell in record):
            header_line, header = line, record
            break
    else:
        raise _rejected(name, gettext("tệp rỗng, không có dòng tiêu đề"))

    def rows() -> Iterator[tuple[int, list[str], dict[int, str]]]:
        strip = str.strip
        for line, record in iterator:
            cells = list(map(strip, record))
            if any(cells):
                yield line, cells, {}

    return header_line, header, rows()


# --- XLSX ----------------------------------------------------------------------------------


def _xlsx_rows(
    data: bytes, name: str
) -> tuple[str, int, list[str], Iterator[tuple[int, list[str], dict[int, str]]]]:
    """The first sheet's title, header line, header and rows."""
    # Imported here: openpyxl is slow to import and CSV imports do not need it.
    from openpyxl import load_workbook

    title = ""

    def first_sheet(*, data_only: bool) -> Iterator[tuple[Any, ...]]:
        nonlocal title
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        if not workbook.worksheets:
            raise _rejected(name, gettext("tệp Excel không có trang tính"))
        sheet: Any = workbook.worksheets[0]
        title = str(sheet.title)
        # Some writers declare a wrong sheet size; read every row and cell that is there.
        sheet.reset_dimensions()
        rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
        return rows

    try:
        # Values as Excel last computed them, and the formulas themselves: a formula cell
        # whose value was never computed (a file written by a program, not by Excel) must
        # be reported, not read as empty.
        values = first_sheet(data_only=True)
        formulas = first_sheet(data_only=False)
        numbered = enumerate(zip(values, formulas, strict=False), start=1)
        for line, (value_row, formula_row) in numbered:
            _check_size(name, line, value_row, formula_row)
            if any(_cell_text(v) for v in value_row) or any(_cell_text(f) for f in formula_row):
                header_line = line
                header = [_cell_text(v) for v in value_row]
                break
        else:
            raise _rejected(name, gettext("tệp rỗng, không có dòng tiêu đề"))
    except ImportRejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _rejected(name, gettext(_NOT_XLSX)) from exc

    def rows() -> Iterator[tuple[int, list[str], dict[int, str]]]:
        try:
            for line, (value_row, formula_row) in numbered:
                _check_size(name, line, value_row, formula_row)
                cells: list[str] = []
                faults: dict[int, str] = {}
                for index, value in enumerate(value_row):
                    formula = formula_row[index] if index < len(formula_row) else None
                    formula = getattr(formula, "text", formula)  # an array formula
                    text = _cell_text(value)
                    if text in _EXCEL_ERRORS:
                        faults[index] = gettext("ô có lỗi công thức %(text)s") % {"text": text}
                    elif value is None and isinstance(formula, str) and formula.startswith("="):
                        faults[index] = gettext(
                            "ô có công thức %(formula)s nhưng chưa có giá trị đã tính; hãy mở "
                            "tệp bằng Excel, lưu lại rồi nhập lại"
                        ) % {"formula": formula}
                    cells.append(text)
                if any(cells) or faults:
                    yield line, cells, faults
        except ImportRejected:
            raise
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise _rejected(name, gettext(_NOT_XLSX)) from exc

    return title, header_line, header, rows()


def _check_size(name: str, line: int, *rows: tuple[Any, ...]) -> None:
    """Stop reading a sheet as soon as it has more rows or columns than an import may hold."""
    try:
        check_rows(name, line - 1, max(len(row) for row in rows))
    except UploadRefused as exc:
        raise _rejected(name, exc.reason) from exc


def _cell_text(value: object) -> str:
    """A cell's value as the text a user would type: 12 not 12.0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # repr is the shortest text that reads back as the same float: 0.1, not 0.1000…01.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


# --- Cell parsing --------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def parse_date(text: str) -> dt.date:
    """A date written `YYYY-MM-DD` or `DD/MM/YYYY` (the day and month may have one digit)."""
    raw = text.strip()
    try:
        if match := _ISO_DATE.fullmatch(raw):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _VN_DATE.fullmatch(raw):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise ValueError(gettext("ngày '%(raw)s' không tồn tại") % {"raw": raw}) from None
    raise ValueError(
        gettext("ngày '%(raw)s' không hợp lệ, cần dạng YYYY-MM-DD hoặc DD/MM/YYYY") % {"raw": raw}
    )


def parse_decimal(text: str) -> Decimal:
    """A number with `.` or `,` as decimal mark ("1234,5", "1234.5").

    Thousands separators are refused, since "1.234" means 1234 to a Vietnamese reader and
    1.234 to an English one: a number may hold a single `.` or `,` and nothing else.
    """
    raw = text.strip()
    if not raw:
        raise ValueError(gettext("thiếu giá trị"))
    if _NUMBER.fullmatch(raw):
        return Decimal(raw.replace(",", "."))
    if re.fullmatch(r"[+-]?[\d.,]+", raw):
        raise ValueError(
            gettext(
                "'%(raw)s' không phải số hợp lệ: chỉ dùng một dấu thập phân (',' hoặc '.'), "
                "không dùng dấu phân cách hàng nghìn"
            )
            % {"raw": raw}
        )
    raise ValueError(gettext("'%(raw)s' không phải là số") % {"raw": raw})


_TRUE = frozenset({"1", "true", "co"})
_FALSE = frozenset({"0", "false", "khong"})


def _without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


def parse_boolean(text: str) -> bool:
    """`1/0`, `true/false`, `có/không` (any case, diacritics optional)."""
    raw = text.strip()
    key = _without_diacritics(raw).lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(
        gettext("'%(raw)s' không phải giá trị Có/Không (dùng 1/0, true/false, có/không)")
        % {"raw": raw}
    )


# The period forms by the data element's period type (values of datavalues.PeriodType).
_PERIOD_FORMS: dict[str, tuple[re.Pattern[str], str]] = {
    "yearly": (re.compile(r"(\d{4})"), "YYYY"),
    "six_monthly": (re.compile(r"(\d{4})S([12])"), "YYYYSn (n = 1–2)"),
    "quarterly": (re.compile(r"(\d{4})Q([1-4])"), "YYYYQn (n = 1–4)"),
    "monthly": (re.compile(r"(\d{4})(0[1-9]|1[0-2])"), "YYYYMM"),
}
MIN_YEAR = 1900
MAX_YEAR = 2100


def parse_period(text: str, period_type: str) -> tuple[str, int]:
    """A period of the given type: `(period as stored, calendar year)`.

    `YYYY` (yearly), `YYYYSn` (six-monthly, n 1–2), `YYYYQn` (quarterly, n 1–4),
    `YYYYMM` (monthly).
    """
    raw = text.strip()
    try:
        pattern, form = _PERIOD_FORMS[period_type]
    except KeyError:
        raise ValueError(
            gettext("loại kỳ '%(period_type)s' không được hỗ trợ") % {"period_type": period_type}
        ) from None
    match = pattern.fullmatch(raw.upper())
    if not match:
        raise ValueError(
            gettext("kỳ '%(raw)s' không hợp lệ, cần dạng %(form)s") % {"raw": raw, "form": form}
        )
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            gettext("kỳ '%(raw)s' có năm ngoài khoảng %(MIN_YEAR)s–%(MAX_YEAR)s")
            % {"raw": raw, "MIN_YEAR": MIN_YEAR, "MAX_YEAR": MAX_YEAR}
        )
    return raw.upper(), year


def period_dates(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period returned by `parse_period`."""
    year = int(period[:4])
    rest = period[4:]
    if not rest:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if rest[0] == "S":
        first_month, months = (int(rest[1]) - 1) * 6 + 1, 6
    elif rest[0] == "Q":
        first_month, months = (int(rest[1]) - 1) * 3 + 1, 3
    else:
        first_month, months = int(rest), 1
    start = dt.date(year, first_month, 1)
    end_month = first_month + months  # the month after the period
    after = dt.date(year + 1, 1, 1) if end_month > 12 else dt.date(year, end_month, 1)
    return start, after - dt.timedelta(days=1)


def format_validity(valid_from: dt.date, valid_to: dt.date | None) -> str:
    """A validity as users read it: "2020-01-01 – 2022-12-31" ("…" when open-ended)."""
    end = valid_to.isoformat() if valid_to else "…"
    return f"{valid_from.isoformat()} – {end}"


def cell(row: dict[str, str], column: str) -> str:
    """The row's text for `column`, "" when the file has no such column."""
    return row.get(column, "")


# --- Row checks ----------------------------------------------------------------------------


def check_code(
    report: Reporter,
    code: str,
    *,
    line: int,
    first_line: dict[str, int],
    missing: str,
    max_length: int,
) -> None:
    """Report what is wrong with a row's `code` column: missing, too long, repeated in the file.

    `missing` is the message for an empty code (it names the kind of thing coded).
    `first_line` maps the codes met so far to their line; a good code is added to it, so that
    a later row with the same code is reported as a repeat of this line.
    """
    if not code:
        report("code", missing)
    elif len(code) > max_length:
        report("code", gettext("mã dài quá %(max_length)s ký tự") % {"max_length": max_length})
    elif code in first_line:
        report(
            "code", gettext("trùng mã với dòng %(first_line)s") % {"first_line": first_line[code]}
        )
    else:
        first_line[code] = line


def check_name(report: Reporter, name: str, *, missing: str, max_length: int) -> None:
    """Report what is wrong with a row's `name` column (already cleaned): missing or too long."""
    if not name:
        report("name", missing)
    elif len(name) > max_length:
        report("name", gettext("tên dài quá %(max_length)s ký tự") % {"max_length": max_length})


# --- Storing -------------------------------------------------------------------------------

# django-simple-history keeps the change reason in a CharField(100).
_REASON_MAX = 100

_M = TypeVar("_M", bound=models.Model)


def history_author(user: AbstractBaseUser | AnonymousUser | None) -> AbstractBaseUser | None:
    """The user to record as the author of an import: none for the anonymous web user."""
    from django.contrib.auth.base_user import AbstractBaseUser

    return user if isinstance(user, AbstractBaseUser) and user.pk is not None else None


def store_with_history(
    model: type[_M],
    created: Sequence[_M],
    changed: Sequence[_M],
    *,
    fields: Sequence[str],
    user: AbstractBaseUser | None,
    reason: str,
    batch_size: int,
) -> None:
    """Insert `created` and update `fields` of `changed`, each with a history record.

    Every record has `user` as its author and `reason` (cut to the length the history keeps)
    as its change reason. Call it inside a transaction, e.g. as the `store` of `finish_import`.
    """
    reason = reason[:_REASON_MAX]
    if created:
        bulk_create_with_history(
            list(created),
            model,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
        )
    if changed:
        bulk_update_with_history(
            list(changed),
            model,
            fields=list(fields),
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
        )


# Rows sent to the database at a time by `insert_in_bulk`, and between its progress reports.
WRITE_BATCH_ROWS = 10_000


def insert_in_bulk(
    model: type[models.Model],
    *,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    stamp: dt.datetime,
    copy_lines: Iterable[str] | None = None,
    written_before: int = 0,
) -> int:
    """Insert many new records of `model` in bulk, without a history row each: the caller
    records their creation otherwise (see `datavalues.audit`).

    `columns` are the table's columns, among them `updated_at`, which every row sets to
    `stamp`. PostgreSQL loads the rows with COPY, other databases with batched inserts;
    PostgreSQL takes `copy_lines` instead of `rows` when they are given, the rows as lines of
    COPY's text format (`copy_text` escapes a text), which a caller that knows its rows' types
    writes faster than the driver. Progress counts from `written_before`, the rows of the
    same write stored by earlier calls. Call it inside a transaction. Returns the number of
    rows inserted.
    """
    from django.db import connection

    table = model._meta.db_table
    quote = connection.ops.quote_name
    stamp_db = connection.ops.adapt_datetimefield_value(stamp)
    column_list = ", ".join(quote(c) for c in columns)
    stamp_index = list(columns).index("updated_at")
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is the driver's own call, outside Django's error translation: a refusal
            # must still arrive as Django's IntegrityError. (Only the model's table and
            # columns are named, quoted.)
            with (
                connection.wrap_database_errors,
                cursor.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy,
            ):
                if copy_lines is None:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                        if count % WRITE_BATCH_ROWS == 0:
                            report_progress(f"đã ghi {written_before + count} dòng")
                else:
                    text: list[str] = []
                    for line in copy_lines:
                        text.append(line)
                        if len(text) == WRITE_BATCH_ROWS:
                            copy.write("".join(text))
                            count += len(text)
                            text = []
                            report_progress(f"đã ghi {written_before + count} dòng")
                    copy.write("".join(text))
                    count += len(text)
        else:
            sql = (
                f"INSERT INTO {quote(table)} ({column_list}) "  # noqa: S608 - names quoted
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            batch: list[Any] = []
            for row in rows:
                batch.append([*row[:stamp_index], stamp_db, *row[stamp_index + 1 :]])
                if len(batch) >= WRITE_BATCH_ROWS:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
                    report_progress(f"đã ghi {written_before + count} dòng")
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@functools.lru_cache(maxsize=4096)
def copy_text(text: str) -> str:
    """`text` as a column of COPY's text format (backslash, tab and line ends escaped)."""
    return text.translate(_COPY_ESCAPES)


# Who hears how far an import has gone (`benvung import --progress`): a function taking one
# line of text, or None.
import_progress: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "benvung_import_progress", default=None
)


def report_progress(text: str) -> None:
    """Tell the listener of `import_progress`, if any, how far the import has gone."""
    listener = import_progress.get()
    if listener is not None:
        listener(text)


def finish_import(
    table: TableReader,
    *,
    created: int,
    updated: int,
    unchanged: int,
    dry_run: bool,
    store: Callable[[], None],
) -> ImportResult:
    """The last step of an import whose rows all passed their checks: store and count.

    `store` writes everything in one transaction, and is not called in a dry run. Should the
    database refuse the write (an `IntegrityError`, which once the rows are checked only a
    concurrent write can cause), nothing is stored and the result has that one problem, at
    line 0 of the file.
    """
    result = ImportResult(
        created=created, updated=updated, unchanged=unchanged, problems=[], dry_run=dry_run
    )
    if dry_run:
        return result
    try:
        with transaction.atomic():
            report_progress(f"đang lưu {created + updated} dòng trong một giao dịch")
            store()
            published.changed()
            report_progress("đã ghi xong, đang xác nhận giao dịch")
    except IntegrityError as exc:
        return refused_by_database(table, exc, dry_run=dry_run)
    return result


def refused_by_database(table: TableReader, exc: IntegrityError, *, dry_run: bool) -> ImportResult:
    """The result of a write the database refused after every row passed its checks (only a
    concurrent write can cause that): one problem, at line 0 of the file."""
    problem = table.add_problem(
        0, FILE_COLUMN, gettext("không lưu được, không có gì thay đổi (%(exc)s)") % {"exc": exc}
    )
    return ImportResult.rejected([problem], dry_run=dry_run)


def table_from_rows(
    *, filename: str, columns: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]]
) -> TableReader:
    """A table built in memory (e.g. from a web form's fields), checked like a file's rows;
    `filename` names the form in the problems."""
    return TableReader(
        filename=filename,
        header_line=0,
        columns=list(columns),
        rows=((line, list(cells), {}) for line, cells in rows),
    )
