"""Writes to the unit hierarchy: importing the org-unit interchange file."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext

from benvung.core.importing import (
    ImportRejected,
    ImportResult,
    TableReader,
    check_code,
    check_name,
    finish_import,
    format_validity,
    parse_date,
    read_table,
)
from benvung.orgunits.models import OrgUnit, ParentLink, Sector, UnitType

REQUIRED_COLUMNS = ("code", "name", "type", "valid_from")
OPTIONAL_COLUMNS = ("parent", "valid_to", "sector")
BATCH_SIZE = 2000

_CODE_MAX = OrgUnit._meta.get_field("code").max_length or 50
_NAME_MAX = OrgUnit._meta.get_field("name").max_length or 255


@dataclass
class _UnitRow:
    """A valid row of the file, ready to be compared with the database and stored."""

    line: int
    code: str
    name: str
    type: str
    sector: str
    parent: str
    valid_from: dt.date
    valid_to: dt.date | None


def orgunits_import(
    *,
    file: BinaryIO | Path,
    filename: str,
    dry_run: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> ImportResult:
    """Create or update units from an org-unit file (`code,name,type,parent,valid_from,…`).

    A unit's `parent` becomes its only parent link, over the unit's own validity; an empty
    `parent` makes it top-level. All-or-nothing: with any problem nothing is stored and the
    result lists every problem. `user` is accepted for symmetry with the other imports (units
    keep no history).
    """
    try:
        table = read_table(file, filename=filename, required=REQUIRED_COLUMNS)
        rows = list(table)
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)

    parsed = _parse_rows(table, rows)
    codes = {row.code for row in parsed} | {row.parent for row in parsed if row.parent}
    existing = OrgUnit.objects.in_bulk(list(codes), field_name="code")
    _check_parents(table, parsed, existing, codes_in_file={row["code"] for _, row in rows})
    if table.problems:
        return ImportResult.rejected(table.problems, dry_run=dry_run)

    current_links = _links_by_unit_code([unit.pk for unit in existing.values()])
    new_units: list[OrgUnit] = []
    changed_units: list[OrgUnit] = []
    relink: list[_UnitRow] = []
    unchanged = 0
    for row in parsed:
        unit = existing.get(row.code)
        wanted_links = [(row.parent, row.valid_from, row.valid_to)] if row.parent else []
        if unit is None:
            new_units.append(
                OrgUnit(
                    code=row.code,
                    name=row.name,
                    type=row.type,
                    sector=row.sector,
                    valid_from=row.valid_from,
                    valid_to=row.valid_to,
                )
            )
            relink.append(row)
            continue
        fields_changed = _apply(unit, row)
        links_changed = current_links.get(row.code, []) != wanted_links
        if fields_changed:
            changed_units.append(unit)
        if links_changed:
            relink.append(row)
        if not fields_changed and not links_changed:
            unchanged += 1
    return finish_import(
        table,
        created=len(new_units),
        updated=len(parsed) - len(new_units) - unchanged,
        unchanged=unchanged,
        dry_run=dry_run,
        store=lambda: _store(new_units, changed_units, relink, codes),
    )


def _parse_rows(table: TableReader, rows: list[tuple[int, dict[str, str]]]) -> list[_UnitRow]:
    """The rows without problems of their own; problems go to `table`."""
    first_line: dict[str, int] = {}
    parsed: list[_UnitRow] = []
    type_codes = ", ".join(UnitType.values)
    sector_codes = ", ".join(Sector.values)
    for line, row in rows:
        before = len(table.problems)
        report = table.reporter(line)

        code = row["code"]
        check_code(
            report,
            code,
            line=line,
            first_line=first_line,
            missing=gettext("thiếu mã đơn vị"),
            max_length=_CODE_MAX,
        )
        name = unicodedata.normalize("NFC", " ".join(row["name"].split()))
        check_name(report, name, missing=gettext("thiếu tên đơn vị"), max_length=_NAME_MAX)

        unit_type = row["type"].upper()
        if not unit_type:
            report(
                "type",
                gettext("thiếu loại đơn vị, cần một trong: %(type_codes)s")
                % {"type_codes": type_codes},
            )
        elif unit_type not in UnitType.values:
            report(
                "type",
                gettext("loại đơn vị '%(type)s' không hợp lệ, cần một trong: %(type_codes)s")
                % {"type": row["type"], "type_codes": type_codes},
            )

        sector = row.get("sector", "").upper()
        if unit_type == UnitType.DOANH_NGHIEP:
            if not sector:
                report(
                    "sector",
                    gettext("doanh nghiệp cần có ngành, một trong: %(sector_codes)s")
                    % {"sector_codes": sector_codes},
                )
            elif sector not in Sector.values:
                report(
                    "sector",
                    gettext("ngành '%(sector)s' không hợp lệ, cần một trong: %(sector_codes)s")
                    % {"sector": row["sector"], "sector_codes": sector_codes},
                )
        elif sector and unit_type in UnitType.values:
            report(
                "sector",
                gettext(
                    "chỉ doanh nghiệp mới có ngành; đơn vị loại '%(label)s' phải để trống cột "
                    "sector"
                )
                % {"label": UnitType(unit_type).label},
            )

        valid_from = valid_to = None
        if not row["valid_from"]:
            report("valid_from", gettext("thiếu ngày bắt đầu hiệu lực"))
        else:
            try:
                valid_from = parse_date(row["valid_from"])
            except ValueError as exc:
                report("valid_from", str(exc))
        if row.get("valid_to"):
            try:
                valid_to = parse_date(row["valid_to"])
            except ValueError as exc:
                report("valid_to", str(exc))
        if valid_from and valid_to and valid_to < valid_from:
            report(
                "valid_to",
                gettext("ngày hết hiệu lực %(end)s trước ngày bắt đầu %(start)s")
                % {"end": valid_to.isoformat(), "start": valid_from.isoformat()},
            )

        parent = row.get("parent", "")
        if parent and parent == code:
            report("parent", gettext("đơn vị không thể là cấp trên của chính nó"))

        if len(table.problems) == before and valid_from is not None:
            parsed.append(
                _UnitRow(
                    line=line,
                    code=code,
                    name=name,
                    type=unit_type,
                    sector=sector,
                    parent=parent,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
    return parsed


def _check_parents(
    table: TableReader,
    parsed: list[_UnitRow],
    existing: dict[str, OrgUnit],
    *,
    codes_in_file: set[str],
) -> None:
    """Each parent exists (in the file or the system), overlaps its child, and no cycle.

    A parent whose own row has problems is not checked further: that row is reported already.
    """
    in_file = {row.code: row for row in parsed}
    for row in parsed:
        if not row.parent:
            continue
        parent_row = in_file.get(row.parent)
        parent_unit = existing.get(row.parent)
        if parent_row is not None:
            start, end = parent_row.valid_from, parent_row.valid_to
        elif parent_unit is not None:
            start, end = parent_unit.valid_from, parent_unit.valid_to
        elif row.parent in codes_in_file:
            continue
        else:
            table.add_problem(
                row.line,
                "parent",
                gettext("không có đơn vị mã '%(parent)s' trong tệp hay trong hệ thống")
                % {"parent": row.parent},
            )
            continue
        overlaps = start <= (row.valid_to or dt.date.max) and (end is None or end >= row.valid_from)
        if not overlaps:
            table.add_problem(
                row.line,
                "parent",
                gettext(
                    "đơn vị cấp trên '%(parent)s' không hoạt động trong thời gian hiệu lực của "
                    "đơn vị (cấp trên: %(parent_validity)s; đơn vị: %(unit_validity)s)"
                )
                % {
                    "parent": row.parent,
                    "parent_validity": format_validity(start, end),
                    "unit_validity": format_validity(row.valid_from, row.valid_to),
                },
            )
    _check_cycles(table, parsed)


def _check_cycles(table: TableReader, parsed: list[_UnitRow]) -> None:
    """Following parents from a unit of the file never comes back to it.

    The file's rows replace their units' links; the other units keep theirs (all dates
    taken together, since a cycle on any day breaks the tree).
    """
    parents: dict[str, set[str]] = {}
    for unit_code, parent_code in ParentLink.objects.values_list("unit__code", "parent__code"):
        parents.setdefault(unit_code, set()).add(parent_code)
    for row in parsed:
        parents[row.code] = {row.parent} if row.parent else set()
    reported: set[str] = set()
    for row in parsed:
        if row.code in reported:
            continue
        path = _cycle_from(row.code, parents)
        if path:
            reported.update(path)
            table.add_problem(
                row.line,
                "parent",
                gettext("vòng lặp cấp trên: %(path)s") % {"path": " → ".join(path)},
            )


def _cycle_from(start: str, parents: dict[str, set[str]]) -> list[str] | None:
    """A path start → … → start through the parent map, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        code, path = stack.pop()
        for parent in sorted(parents.get(code, ())):
            if parent == start:
                return [*path, start]
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, [*path, parent]))
    return None


def _links_by_unit_code(
    unit_ids: list[int],
) -> dict[str, list[tuple[str, dt.date, dt.date | None]]]:
    links: dict[str, list[tuple[str, dt.date, dt.date | None]]] = {}
    for start in range(0, len(unit_ids), BATCH_SIZE):
        batch = unit_ids[start : start + BATCH_SIZE]
        query = (
            ParentLink.objects.filter(unit_id__in=batch)
            .order_by("unit_id", "valid_from")
            .values_list("unit__code", "parent__code", "valid_from", "valid_to")
        )
        for unit_code, parent_code, valid_from, valid_to in query:
            links.setdefault(unit_code, []).append((parent_code, valid_from, valid_to))
    return links


def _apply(unit: OrgUnit, row: _UnitRow) -> bool:
    """Set the row's values on `unit`; whether anything changed."""
    changed = False
    for attribute in ("name", "type", "sector", "valid_from", "valid_to"):
        value = getattr(row, attribute)
        if getattr(unit, attribute) != value:
            setattr(unit, attribute, value)
            changed = True
    return changed


def _store(
    new_units: list[OrgUnit],
    changed_units: list[OrgUnit],
    relink: list[_UnitRow],
    codes: set[str],
) -> None:
    OrgUnit.objects.bulk_create(new_units, batch_size=BATCH_SIZE)
    OrgUnit.objects.bulk_update(
        changed_units, ["name", "type", "sector", "valid_from", "valid_to"], batch_size=BATCH_SIZE
    )
    if not relink:
        return
    units = OrgUnit.objects.in_bulk(list(codes), field_name="code")
    relinked_ids = [units[row.code].pk for row in relink]
    for start in range(0, len(relinked_ids), BATCH_SIZE):
        ParentLink.objects.filter(unit_id__in=relinked_ids[start : start + BATCH_SIZE]).delete()
    ParentLink.objects.bulk_create(
        (
            ParentLink(
                unit=units[row.code],
                parent=units[row.parent],
                valid_from=row.valid_from,
                valid_to=row.valid_to,
            )
            for row in relink
            if row.parent
        ),
        batch_size=BATCH_SIZE,
    )
