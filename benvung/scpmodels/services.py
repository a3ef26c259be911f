"""Writes to the registry of models: importing the models interchange file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from benvung.core.importing import (
    MAX_YEAR,
    MIN_YEAR,
    ImportRejected,
    ImportResult,
    TableReader,
    check_code,
    check_name,
    finish_import,
    format_validity,
    history_author,
    read_table,
    store_with_history,
)
from benvung.orgunits.models import OrgUnit
from benvung.scpmodels.models import ModelKind, ScpModel

REQUIRED_COLUMNS = ("code", "name", "kind", "org_unit", "year")
OPTIONAL_COLUMNS = ("description",)
BATCH_SIZE = 2000

_CODE_MAX = ScpModel._meta.get_field("code").max_length or 50
_NAME_MAX = ScpModel._meta.get_field("name").max_length or 500
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
    return finish_import(
        table,
        created=len(new_models),
        updated=len(changed_models),
        unchanged=len(parsed) - len(new_models) - len(changed_models),
        dry_run=dry_run,
        store=lambda: store_with_history(
            ScpModel,
            new_models,
            changed_models,
            fields=_FIELDS,
            user=history_author(user),
            reason=table.filename,
            batch_size=BATCH_SIZE,
        ),
    )


def _parse_rows(
    table: TableReader, rows: list[tuple[int, dict[str, str]]], units: dict[str, OrgUnit]
) -> list[_ModelRow]:
    """The rows without problems; problems go to `table`."""
    first_line: dict[str, int] = {}
    parsed: list[_ModelRow] = []
    kinds = ", ".join(ModelKind.values)
    for line, row in rows:
        before = len(table.problems)
        report = table.reporter(line)

        code = row["code"]
        check_code(
            report,
            code,
            line=line,
            first_line=first_line,
            missing="thiếu mã mô hình",
            max_length=_CODE_MAX,
        )
        name = " ".join(row["name"].split())
        check_name(report, name, missing="thiếu tên mô hình", max_length=_NAME_MAX)

        kind = row["kind"].upper()
        if kind not in ModelKind.values:
            shown = f"'{row['kind']}' không hợp lệ" if kind else "thiếu loại mô hình"
            report("kind", f"{shown}, cần một trong: {kinds}")

        year = _parse_year(row["year"])
        if not year:
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
