"""Writes and actions of the documents: making a document (.docx or .xlsx), saving a year's
header values, uploading a Word template in place of the default, and going back to it.

Each write checks the user's right here (co-ordinators), validates, and stores inside one
transaction; the header values keep their history (django-simple-history).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from benvung.accounts.models import Role
from benvung.accounts.selectors import Access, access_for
from benvung.core.importing import history_author
from benvung.core.uploads import check_upload
from benvung.documents import excel
from benvung.documents.context import (
    annual_report_context,
    budget_estimate_context,
    implementation_plan_context,
)
from benvung.documents.data import sample_next_year, sample_report
from benvung.documents.models import DocumentKind, DocumentSettings, DocumentTemplate
from benvung.documents.rendering import TemplateRenderError, render_docx
from benvung.documents.selectors import (
    DocumentUnavailable,
    annual_report_data,
    document_settings,
    next_year_data,
    settings_defaults,
    template_bytes,
)
from benvung.plans.models import Plan

DOCX = "docx"
XLSX = "xlsx"
CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SETTINGS_FIELDS = (
    "parent_body",
    "body",
    "body_abbreviation",
    "place",
    "report_number",
    "report_date",
    "plan_number",
    "plan_date",
    "head_title",
    "on_behalf",
    "signer_title",
    "signer_name",
    "report_recipients",
    "plan_recipients",
)


def can_make_documents(access: Access) -> bool:
    """Co-ordinators and leaders make the documents (leaders read everything)."""
    return access.is_coordinator or Role.LEADER in access.roles


def can_edit_documents(access: Access) -> bool:
    """Only co-ordinators change the header values and the templates."""
    return access.is_coordinator


@dataclass(frozen=True)
class GeneratedDocument:
    filename: str
    content: bytes
    content_type: str


def file_stem(kind: str, year: int) -> str:
    """The download's name without extension, with the year the document is about."""
    if kind == DocumentKind.BAO_CAO:
        return f"bao-cao-ket-qua-sxtdbv-nam-{year}"
    if kind == DocumentKind.KE_HOACH:
        return f"ke-hoach-trien-khai-sxtdbv-nam-{year + 1}"
    return f"du-toan-kinh-phi-sxtdbv-nam-{year + 1}"


def document_build(
    *,
    plan: Plan,
    kind: str,
    year: int,
    fmt: str = DOCX,
    approved_only: bool = False,
    today: dt.date | None = None,
) -> GeneratedDocument:
    """Make a document of year Y (the report on Y, or the plan or estimate of Y+1) as .docx
    (from the active template of its kind) or .xlsx (its tables).

    Raises `DocumentUnavailable` when the data for it do not exist yet, and
    `TemplateRenderError` when the template in use cannot be filled."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown format {fmt}")
    settings = document_settings(plan, year)
    content: bytes
    if kind == DocumentKind.BAO_CAO:
        report = annual_report_data(
            plan=plan, year=year, settings=settings, approved_only=approved_only, today=today
        )
        if fmt == XLSX:
            content = excel.annual_report_xlsx(report)
        else:
            content = render_docx(template_bytes(kind), annual_report_context(report))
    elif kind in (DocumentKind.KE_HOACH, DocumentKind.DU_TOAN):
        upcoming = next_year_data(plan=plan, year=year, settings=settings, kind=kind)
        if fmt == XLSX:
            content = (
                excel.implementation_plan_xlsx(upcoming)
                if kind == DocumentKind.KE_HOACH
                else excel.budget_estimate_xlsx(upcoming)
            )
        else:
            context = (
                implementation_plan_context(upcoming)
                if kind == DocumentKind.KE_HOACH
                else budget_estimate_context(upcoming)
            )
            content = render_docx(template_bytes(kind), context)
    else:
        raise ValueError(f"unknown document kind {kind}")
    return GeneratedDocument(f"{file_stem(kind, year)}.{fmt}", content, CONTENT_TYPES[fmt])


def sample_context(kind: str) -> dict[str, Any]:
    """The context an uploaded template is tried on: sample data with every part filled."""
    if kind == DocumentKind.BAO_CAO:
        return annual_report_context(sample_report())
    if kind == DocumentKind.KE_HOACH:
        return implementation_plan_context(sample_next_year())
    return budget_estimate_context(sample_next_year())


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(
            _("Chỉ điều phối viên của Sở Công Thương được sửa mẫu và thông tin văn bản.")
        )


def document_template_upload(*, kind: str, file: Any, user: Any) -> DocumentTemplate:
    """Store an uploaded Word template and make it the one in use for its kind.

    The file must be a .docx (read from its content) that fills in without error on sample
    data, every name it uses being one the documents provide; otherwise a `ValidationError`
    in Vietnamese names the file and the problem, and nothing changes."""
    _require(can_edit_documents(access_for(user)))
    if kind not in DocumentKind.values:
        raise ValidationError(_("Loại văn bản không hợp lệ."))
    name = getattr(file, "name", "") or "mau.docx"
    check_upload(file, ["docx"], name=name)
    file.seek(0)
    data = file.read()
    try:
        render_docx(data, sample_context(kind), strict=True)
    except TemplateRenderError as exc:
        raise ValidationError(
            _("Mẫu “%(name)s” không dùng được: %(reason)s. Mẫu đang dùng được giữ nguyên.")
            % {"name": name, "reason": exc}
        ) from exc
    with transaction.atomic():
        DocumentTemplate.objects.filter(kind=kind, is_active=True).update(is_active=False)
        template = DocumentTemplate(
            kind=kind,
            original_name=name[:255],
            uploaded_by=user if getattr(user, "pk", None) else None,
            is_active=True,
        )
        template.file.save(f"{kind}.docx", ContentFile(data), save=False)
        template.save()
    return template


def document_template_reset(*, kind: str, user: Any) -> int:
    """Go back to the default template of a kind (uploads are kept, none in use); returns how
    many were in use (0 or 1)."""
    _require(can_edit_documents(access_for(user)))
    with transaction.atomic():
        return DocumentTemplate.objects.filter(kind=kind, is_active=True).update(is_active=False)


def document_settings_save(
    *, plan: Plan, year: int, data: dict[str, Any], version: int | None, user: Any
) -> DocumentSettings:
    """Save a year's header values. `version` is the one the form was based on: when someone
    saved in between, nothing is stored and the error says so (no lost update)."""
    _require(can_edit_documents(access_for(user)))
    with transaction.atomic():
        saved = DocumentSettings.objects.select_for_update().filter(year=year).first()
        if saved is not None and version is not None and saved.version != version:
            raise ValidationError(
                _(
                    "Thông tin ban hành năm %(year)s vừa được người khác sửa; hãy tải lại trang "
                    "để xem bản mới rồi sửa lại."
                )
                % {"year": year}
            )
        settings = saved or DocumentSettings(year=year, **settings_defaults(plan, year))
        for field in SETTINGS_FIELDS:
            if field in data:
                setattr(settings, field, data[field])
        settings.version = (saved.version + 1) if saved is not None else 1
        settings.updated_by = user if getattr(user, "pk", None) else None
        settings.full_clean()
        settings._history_user = history_author(user)  # type: ignore[attr-defined]
        settings.save()
        update_change_reason(settings, "Sửa thông tin ban hành văn bản")
    return settings


__all__ = [
    "DOCX",
    "XLSX",
    "DocumentUnavailable",
    "GeneratedDocument",
    "TemplateRenderError",
    "can_edit_documents",
    "can_make_documents",
    "document_build",
    "document_settings_save",
    "document_template_reset",
    "document_template_upload",
]
