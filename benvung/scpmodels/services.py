"""Writes to the registry of models: importing the models interchange file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from benvung.core.importing import (
    FILE_COLUMN,
    MAX_YEAR,
    MIN_YEAR,
    ImportRejected,
    ImportResult,
    TableReader,
    format_validity,
    read_table,
)
from benvung.orgunits.models import OrgUnit
from benvung.scpmodels.models import ModelKind, ScpModel

REQUIRED_COLUMNS = ("code", "name", "kind", "org_unit", "year")
OPTIONAL_COLUMNS = ("description",)
BATCH_SIZE = 2000

_CODE_MAX = ScpModel._meta.get_field("code").max_length or 50
_NAME_MAX = ScpModel._meta.get_field("name").max_length or 500
# django-simple-history keeps the change reason in a CharField(100).
_REASON_MAX = 100
_FIELDS = ("name", "kind", "org_unit", "year", "description")


@dataclass
class _ModelRow:
    """A valid row of the file, ready to be compared with the database and stored."""

    line: int
    code: str
    name: str
    kind: str
    org_unit: OrgUnit
    year: int
    description: str


def scpmodels_import(
    *,
    file: BinaryIO | Path,
    filename: str,
    dry_run: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> ImportResult:
    """Create or update models from a file (`code,name,kind,org_unit,year,description`).

    An existing code is updated; changes are audited with `user` and the file name.
    All-or-nothing: with any problem nothing is stored and the result lists every problem.
    """
    try:
        table = read_table(file, filename=filename, required=REQUIRED_COLUMNS)
        rows = list(table)
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)

    units = OrgUnit.objects.in_bulk(list({row["org_unit"] for _, row in rows}), field_name="code")
    parsed = _parse_rows(table, rows, units)
    if table.problems:
        return ImportResult.rejected(table.problems, dry_run=dry_run)

    existing = ScpModel.objects.in_bulk([row.code for row in parsed], field_name="code")
    # The anonymous user of a web request is no author.
    author = user if isinstance(user, AbstractBaseUser) and user.pk is not None else None
    reason = table.filename[:_REASON_MAX]
    new_models: list[ScpModel] = []
    changed_models: list[ScpModel] = []
    for row in parsed:
        model = existing.get(row.code)
        if model is None:
            model = ScpModel(code=row.code)
            new_models.append(model)
        elif _differs(model, row):
            changed_models.append(model)
        else:
            continue
        model.name = row.name
        model.kind = row.kind
        model.org_unit = row.org_unit
        model.year = row.year
        model.description = row.description
        if author is not None:
            model._history_user = author  # type: ignore[attr-defined]
        model._change_reason = reason  # type: ignore[attr-defined]
    result = ImportResult(
        created=len(new_models),
        updated=len(changed_models),
        unchanged=len(parsed) - len(new_models) - len(changed_models),
        problems=[],
        dry_run=dry_run,
    )
    if dry_run:
        return result
    try:
        with transaction.atomic():
            if new_models:
                bulk_create_with_history(
                    new_models,
                    ScpModel,
                    batch_size=BATCH_SIZE,
                    default_user=author,
                    default_change_reason=reason,
                )
            if changed_models:
                bulk_update_with_history(
                    changed_models,
                    ScpModel,
                    fields=list(_FIELDS),
                    batch_size=BATCH_SIZE,
                    default_user=author,
                    default_change_reason=reason,
                )
    except IntegrityError as exc:
        # Only a concurrent write can get here: everything else was checked above.
        problem = table.add_problem(0, FILE_COLUMN, f"không lưu được, không có gì thay đổi ({exc})")
        return ImportResult.rejected([problem], dry_run=dry_run)
    return result


def _parse_rows(
    table: TableReader, rows: list[tuple[int, dict[str, str]]], units: dict[str, OrgUnit]
) -> list[_ModelRow]:
    """The rows without problems; problems go to `table`."""
    first_line: dict[str, int] = {}
    parsed: list[_ModelRow] = []
    kinds = ", ".join(ModelKind.values)
    for line, row in rows:
        before = len(table.problems)

        def report(column: str, message: str, line: int = line) -> None:
            table.add_problem(line, column, message)

        code = row["code"]
        if not code:
            report("code", "thiếu mã mô hình")
        elif len(code) > _CODE_MAX:
            report("code", f"mã dài quá {_CODE_MAX} ký tự")
        elif code in first_line:
            report("code", f"trùng mã với dòng {first_line[code]}")
        else:
            first_line[code] = line

        name = " ".join(row["name"].split())
        if not name:
            report("name", "thiếu tên mô hình")
        elif len(name) > _NAME_MAX:
            report("name", f"tên dài quá {_NAME_MAX} ký tự")

        kind = row["kind"].upper()
        if kind not in ModelKind.values:
            shown = f"'{row['kind']}' không hợp lệ" if kind else "thiếu loại mô hình"
            report("kind", f"{shown}, cần một trong: {kinds}")

        year = 0
        if (
            len(row["year"]) == 4
            and row["year"].isdigit()
            and MIN_YEAR <= int(row["year"]) <= MAX_YEAR
        ):
            year = int(row["year"])
        else:
            report(
                "year",
                f"năm '{row['year']}' không hợp lệ, cần 4 chữ số từ {MIN_YEAR} đến {MAX_YEAR}",
            )

        unit_code = row["org_unit"]
        org_unit = units.get(unit_code)
        if not unit_code:
            report("org_unit", "thiếu mã đơn vị")
        elif org_unit is None:
            report("org_unit", f"không có đơn vị mã '{unit_code}'")
        elif year and not org_unit.is_active_between(*_year_range(year)):
            state = "chưa" if org_unit.valid_from.year > year else "không còn"
            report(
                "org_unit",
                f"đơn vị '{unit_code}' {state} hoạt động trong năm {year} "
                f"(hiệu lực {format_validity(org_unit.valid_from, org_unit.valid_to)})",
            )

        if len(table.problems) == before and org_unit is not None:
            parsed.append(
                _ModelRow(
                    line=line,
                    code=code,
                    name=name,
                    kind=kind,
                    org_unit=org_unit,
                    year=year,
                    description=row.get("description", ""),
                )
            )
    return parsed


def _parse_year(text: str) -> int:
    """The year written in four digits within the supported range, or 0."""
    if len(text) == 4 and text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    return 0


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _differs(model: ScpModel, row: _ModelRow) -> bool:
    return (
        model.name != row.name
        or model.kind != row.kind
        or model.org_unit_id != row.org_unit.pk
        or model.year != row.year
        or model.description != row.description
    )
