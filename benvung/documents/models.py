"""The Word templates of the annual documents and the header values they are issued with.

A `DocumentTemplate` is a .docx the department uploaded in place of the default of its kind
(the active one of a kind is used); `DocumentSettings` holds, per reporting year, what the
header and the signature block say (issuing body, number, date, signer, recipients).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from benvung.scpmodels.models import EvidenceStorage


class DocumentKind(models.TextChoices):
    BAO_CAO = "bao_cao", _("Báo cáo kết quả thực hiện năm")
    KE_HOACH = "ke_hoach", _("Kế hoạch triển khai năm sau")
    DU_TOAN = "du_toan", _("Dự toán kinh phí năm sau")


def template_path(instance: DocumentTemplate, filename: str) -> str:
    """`document-templates/<kind>/<random>.docx`: the stored name never comes from the user."""
    return f"document-templates/{instance.kind}/{uuid.uuid4().hex}.docx"


class DocumentTemplate(models.Model):
    """A Word template uploaded by a co-ordinator; the active one of its kind is used instead
    of the default. Stored beside, not in, MEDIA_ROOT (`var/protected/`): only the documents
    page hands it out."""

    kind = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(
        _("tệp mẫu"), upload_to=template_path, storage=EvidenceStorage(), max_length=255
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        ordering = ["kind", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_active=True),
                name="documenttemplate_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name or self.file.name}"


class DocumentSettings(models.Model):
    """What the header and the foot of a year's documents say. `year` is the reporting year
    Y: the report is on Y, the plan and the budget estimate on Y+1."""

    year = models.PositiveSmallIntegerField(_("năm báo cáo"), unique=True)
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=200)
    body = models.CharField(_("cơ quan ban hành"), max_length=200)
    body_abbreviation = models.CharField(_("chữ viết tắt cơ quan"), max_length=20)
    place = models.CharField(_("địa danh"), max_length=100)
    report_number = models.CharField(_("số báo cáo"), max_length=20, blank=True)
    report_date = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    plan_number = models.CharField(_("số kế hoạch"), max_length=20, blank=True)
    plan_date = models.DateField(_("ngày kế hoạch"), null=True, blank=True)
    head_title = models.CharField(_("chức danh thủ trưởng"), max_length=100)
    on_behalf = models.BooleanField(_("cấp phó ký thay (KT.)"), default=False)
    signer_title = models.CharField(_("chức danh người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    report_recipients = models.TextField(_("nơi nhận của báo cáo"))
    plan_recipients = models.TextField(_("nơi nhận của kế hoạch và dự toán"))
    # Incremented by every save; a form based on an older version is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thông tin ban hành văn bản")
        verbose_name_plural = _("thông tin ban hành văn bản")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.body} — {self.year}"
