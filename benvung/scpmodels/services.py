"""Writes to the registry of models: importing the models interchange file, creating and
editing a model on the web, and the evidence files attached to models and assessments.

Every web write goes through one function here that checks the user's right, validates like
the importer (same messages), stores inside one transaction and records the history
(django-simple-history, with the user and a reason).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePath
from typing import IO, Any, BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from benvung.accounts.selectors import access_for
from benvung.core.formatting import format_number
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
from benvung.core.uploads import UploadRefused, check_upload
from benvung.orgunits.models import OrgUnit
from benvung.scpmodels.models import Evidence, ModelKind, ScpModel

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
            missing=gettext("thiếu mã mô hình"),
            max_length=_CODE_MAX,
        )
        name = " ".join(row["name"].split())
        check_name(report, name, missing=gettext("thiếu tên mô hình"), max_length=_NAME_MAX)

        kind = row["kind"].upper()
        if kind not in ModelKind.values:
            if kind:
                shown = gettext("'%(kind)s' không hợp lệ") % {"kind": row["kind"]}
            else:
                shown = gettext("thiếu loại mô hình")
            report(
                "kind",
                gettext("%(problem)s, cần một trong: %(kinds)s")
                % {"problem": shown, "kinds": kinds},
            )

        year = _parse_year(row["year"])
        if not year:
            report(
                "year",
                gettext("năm '%(year)s' không hợp lệ, cần 4 chữ số từ %(first)s đến %(last)s")
                % {"year": row["year"], "first": MIN_YEAR, "last": MAX_YEAR},
            )

        unit_code = row["org_unit"]
        org_unit = units.get(unit_code)
        if not unit_code:
            report("org_unit", gettext("thiếu mã đơn vị"))
        elif org_unit is None:
            report("org_unit", gettext("không có đơn vị mã '%(unit)s'") % {"unit": unit_code})
        elif year and not org_unit.is_active_between(*_year_range(year)):
            validity = format_validity(org_unit.valid_from, org_unit.valid_to)
            if org_unit.valid_from.year > year:
                message = gettext(
                    "đơn vị '%(unit)s' chưa hoạt động trong năm %(year)s (hiệu lực %(validity)s)"
                )
            else:
                message = gettext(
                    "đơn vị '%(unit)s' không còn hoạt động trong năm %(year)s "
                    "(hiệu lực %(validity)s)"
                )
            report("org_unit", message % {"unit": unit_code, "year": year, "validity": validity})

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


# --- Creating and editing a model on the web ------------------------------------------------

# The reason recorded in the model's history for a web edit (simple_history keeps 100 chars).
_REASON_MAX = 100


def _check_can_edit(user: Any) -> None:
    if not access_for(user).is_coordinator:
        raise PermissionDenied(
            gettext("Chỉ điều phối viên Sở Công Thương được thêm, sửa mô hình và tệp minh chứng.")
        )


def _model_problems(
    *, code: str | None, name: str, kind: str, org_unit: OrgUnit | None, year: int | None
) -> dict[str, list[str]]:
    """The importer's checks on one model, as messages by form field (code None: unchanged)."""
    problems: dict[str, list[str]] = {}

    def report(column: str, message: str) -> None:
        problems.setdefault(column, []).append(message)

    if code is not None:
        check_code(
            report,
            code,
            line=0,
            first_line={},
            missing=gettext("thiếu mã mô hình"),
            max_length=_CODE_MAX,
        )
        if code and ScpModel.objects.filter(code=code).exists():
            report("code", gettext("đã có mô hình mã '%(code)s'") % {"code": code})
    check_name(report, name, missing=gettext("thiếu tên mô hình"), max_length=_NAME_MAX)
    if kind not in ModelKind.values:
        report(
            "kind",
            gettext("'%(kind)s' không hợp lệ, cần một trong: %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(ModelKind.values)},
        )
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        report(
            "year",
            gettext("năm '%(year)s' không hợp lệ, cần 4 chữ số từ %(first)s đến %(last)s")
            % {"year": year or "", "first": MIN_YEAR, "last": MAX_YEAR},
        )
        year = None
    if org_unit is None:
        report("org_unit", gettext("thiếu đơn vị"))
    elif year and not org_unit.is_active_between(*_year_range(year)):
        validity = format_validity(org_unit.valid_from, org_unit.valid_to)
        if org_unit.valid_from.year > year:
            message = gettext(
                "đơn vị '%(unit)s' chưa hoạt động trong năm %(year)s (hiệu lực %(validity)s)"
            )
        else:
            message = gettext(
                "đơn vị '%(unit)s' không còn hoạt động trong năm %(year)s (hiệu lực %(validity)s)"
            )
        report("org_unit", message % {"unit": org_unit.code, "year": year, "validity": validity})
    return problems


def _raise_if(problems: dict[str, list[str]]) -> None:
    if problems:
        raise ValidationError({field: list(messages) for field, messages in problems.items()})


def _checked(
    *,
    code: str | None,
    name: str,
    kind: str,
    org_unit: OrgUnit | None,
    year: int | None,
    files: Sequence[Any],
) -> tuple[OrgUnit, int]:
    """The unit and year of a model that passed every check; else `ValidationError`."""
    problems = _model_problems(code=code, name=name, kind=kind, org_unit=org_unit, year=year)
    problems.update(_files_problems(files))
    _raise_if(problems)
    if org_unit is None or year is None:  # reported above; narrows the types
        raise ValidationError(gettext("thiếu đơn vị hoặc năm"))
    return org_unit, year


def _label(field: str) -> str:
    return str(getattr(ScpModel._meta.get_field(field), "verbose_name", field))


def _reason(text: str) -> str:
    return text if len(text) <= _REASON_MAX else text[: _REASON_MAX - 1] + "…"


@transaction.atomic
def scpmodel_create(
    *,
    user: Any,
    code: str,
    name: str,
    kind: str,
    org_unit: OrgUnit | None,
    year: int | None,
    description: str = "",
    files: Sequence[Any] = (),
) -> ScpModel:
    """The co-ordinator registers a model, with its evidence files.

    Checked like a row of the models file (code unique, unit active in the year …) and the
    files like every evidence file; raises `ValidationError` by field, `PermissionDenied`
    for other users. History: one "created" record with the user."""
    _check_can_edit(user)
    code = code.strip()
    name = " ".join(name.split())
    kind = kind.strip().upper()
    org_unit, year = _checked(
        code=code, name=name, kind=kind, org_unit=org_unit, year=year, files=files
    )
    model = ScpModel(
        code=code,
        name=name,
        kind=kind,
        org_unit=org_unit,
        year=year,
        description=description.strip(),
    )
    reason = "Thêm trên web" + (f"; {len(files)} tệp minh chứng" if files else "")
    try:
        with transaction.atomic():
            _save_with_history(model, user=user, reason=reason)
    except IntegrityError:  # the same code saved by someone else a moment ago
        raise ValidationError(
            {"code": [gettext("đã có mô hình mã '%(code)s'") % {"code": code}]}
        ) from None
    _store_files(files, user=user, scp_model=model)
    return model


@transaction.atomic
def scpmodel_update(
    *,
    model: ScpModel,
    user: Any,
    name: str,
    kind: str,
    org_unit: OrgUnit | None,
    year: int | None,
    description: str = "",
    files: Sequence[Any] = (),
    remove_files: Iterable[int] = (),
) -> ScpModel:
    """The co-ordinator edits a model (its code stays), adds evidence files and removes some.

    Same checks as `scpmodel_create`. A history record is written when anything changed,
    files included, with the user and what changed as its reason."""
    _check_can_edit(user)
    name = " ".join(name.split())
    kind = kind.strip().upper()
    org_unit, year = _checked(
        code=None, name=name, kind=kind, org_unit=org_unit, year=year, files=files
    )
    model = ScpModel.objects.select_for_update().get(pk=model.pk)
    new_values = {
        "name": name,
        "kind": kind,
        "org_unit": org_unit,
        "year": year,
        "description": description.strip(),
    }
    changed = [
        _label(field) for field, value in new_values.items() if getattr(model, field) != value
    ]
    removed = list(model.files.filter(pk__in=list(remove_files)))
    parts = []
    if changed:
        parts.append("sửa " + ", ".join(changed))
    if files:
        parts.append(f"thêm {len(files)} tệp")
    if removed:
        parts.append(f"xóa {len(removed)} tệp")
    if not parts:
        return model
    for field, value in new_values.items():
        setattr(model, field, value)
    _save_with_history(model, user=user, reason=_reason("Sửa trên web: " + "; ".join(parts)))
    _store_files(files, user=user, scp_model=model)
    _delete_files(removed)
    return model


def _save_with_history(model: ScpModel, *, user: Any, reason: str) -> None:
    # django-simple-history reads these two attributes when it writes the history record.
    model._history_user = user if getattr(user, "pk", None) else None  # type: ignore[attr-defined]
    model._change_reason = reason  # type: ignore[attr-defined]
    model.save()


# --- Evidence files ---------------------------------------------------------------------------

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_OOXML = "application/vnd.openxmlformats-officedocument"
# Accepted suffixes: (kind as sniffed from the content, content type, what users call it).
EVIDENCE_TYPES: dict[str, tuple[str, str, str]] = {
    ".pdf": ("pdf", "application/pdf", "PDF"),
    ".docx": ("docx", f"{_OOXML}.wordprocessingml.document", "Word (.docx)"),
    ".xlsx": ("xlsx", f"{_OOXML}.spreadsheetml.sheet", "Excel (.xlsx)"),
    ".jpg": ("jpeg", "image/jpeg", gettext_noop("ảnh JPG")),
    ".jpeg": ("jpeg", "image/jpeg", gettext_noop("ảnh JPG")),
    ".png": ("png", "image/png", gettext_noop("ảnh PNG")),
}
EVIDENCE_ACCEPT = ",".join(EVIDENCE_TYPES)
_NAME_LIMIT = Evidence._meta.get_field("original_name").max_length or 255


def sniff_evidence(file: IO[bytes]) -> str | None:
    """What the file's bytes say it is: "pdf", "docx", "xlsx", "jpeg", "png", or None.

    Reads the magic bytes (and, for the ZIP-based Office formats, the names of the parts
    inside), then rewinds the file."""
    file.seek(0)
    head = file.read(1024)
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if b"%PDF-" in head:  # the PDF header may follow a few bytes of garbage
            return "pdf"
        if head.startswith(b"PK\x03\x04"):
            file.seek(0)
            try:
                with zipfile.ZipFile(file) as archive:
                    names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                return None
            if "[Content_Types].xml" not in names:
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
        return None
    finally:
        file.seek(0)


def evidence_problems(upload: Any) -> list[str]:
    """What is wrong with an uploaded evidence file: its type (by suffix and by content), its
    size (at most 10 MB). Empty when the file may be stored."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    allowed = gettext("PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG")
    if suffix not in EVIDENCE_TYPES:
        return [
            gettext("“%(name)s”: chỉ nhận tệp %(allowed)s") % {"name": name, "allowed": allowed}
        ]
    size = upload.size or 0
    if size == 0:
        return [gettext("“%(name)s”: tệp rỗng") % {"name": name}]
    if size > MAX_EVIDENCE_BYTES:
        megabytes = format_number(size / (1024 * 1024), 1)
        return [
            gettext("“%(name)s”: dung lượng %(size)s MB, vượt quá 10 MB")
            % {"name": name, "size": megabytes}
        ]
    kind, _, label = EVIDENCE_TYPES[suffix]
    if sniff_evidence(upload) != kind:
        return [
            gettext(
                "“%(name)s”: nội dung tệp không phải %(kind)s như phần mở rộng %(suffix)s cho biết"
            )
            % {"name": name, "kind": gettext(label), "suffix": suffix}
        ]
    try:
        check_upload(upload, (kind,), name=name)  # ZIP bombs, XML entities in Office files
    except UploadRefused as exc:
        return [str(exc.message)]
    return []


def evidence_files_problems(files: Sequence[Any]) -> list[str]:
    """The problems of every file of an upload (empty when all of them may be stored)."""
    return [message for upload in files for message in evidence_problems(upload)]


def _files_problems(files: Sequence[Any]) -> dict[str, list[str]]:
    problems = evidence_files_problems(files)
    return {"attachments": problems} if problems else {}


def _store_files(
    files: Sequence[Any], *, user: Any, scp_model: ScpModel | None = None, assessment: Any = None
) -> list[Evidence]:
    stored = []
    for upload in files:
        name = PurePath(upload.name or "").name
        suffix = PurePath(name).suffix.lower()
        evidence = Evidence(
            original_name=name[-_NAME_LIMIT:],
            size=upload.size,
            content_type=EVIDENCE_TYPES[suffix][1],
            scp_model=scp_model,
            assessment=assessment,
            uploaded_by=user if getattr(user, "pk", None) else None,
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
        stored.append(evidence)
    return stored


def _delete_files(evidence: Iterable[Evidence]) -> None:
    """Delete the rows now and the files once the transaction has committed (a rollback
    then leaves every file in place)."""
    for item in evidence:
        storage, path = item.file.storage, item.file.name
        item.delete()
        if path:
            transaction.on_commit(partial(storage.delete, path))


@transaction.atomic
def evidence_attach(
    *, files: Sequence[Any], user: Any, scp_model: ScpModel | None = None, assessment: Any = None
) -> list[Evidence]:
    """Store evidence files for a model or an assessment (exactly one of them); all or none:
    any bad file raises `ValidationError` (field "attachments") and nothing is stored."""
    _check_can_edit(user)
    if (scp_model is None) == (assessment is None):
        raise ValueError("evidence belongs to one model or one assessment")
    _raise_if(_files_problems(files))
    return _store_files(files, user=user, scp_model=scp_model, assessment=assessment)


@transaction.atomic
def evidence_remove(*, evidence: Iterable[Evidence], user: Any) -> None:
    """Remove evidence files (rows now, files on disk after the commit)."""
    _check_can_edit(user)
    _delete_files(evidence)
