"""The registry of sustainable production and consumption models (mô hình SXTDBV), and the
evidence files attached to a model or to a qualitative assessment of the plan."""

from __future__ import annotations

import uuid
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ModelKind(models.TextChoices):
    AP_DUNG = "AP_DUNG", _("Xây dựng, áp dụng")
    NHAN_RONG = "NHAN_RONG", _("Phổ biến, nhân rộng")


class ScpModel(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên mô hình"), max_length=500)
    kind = models.CharField(_("loại"), max_length=10, choices=ModelKind.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="scp_models",
        verbose_name=_("đơn vị"),
    )
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    description = models.TextField(_("mô tả"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mô hình SXTDBV")
        verbose_name_plural = _("mô hình SXTDBV")
        ordering = ["year", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@deconstructible
class EvidenceStorage(FileSystemStorage):
    """Evidence files live in `protected/` beside MEDIA_ROOT (`var/protected/evidence/<year>/`),
    not in it: `/media/` is served to everyone (the portal's images), and evidence must only
    ever leave through the download view, which checks the user's rights."""

    @cached_property
    def base_location(self) -> Any:
        # Re-read when a test changes MEDIA_ROOT (FileSystemStorage clears this property).
        return Path(settings.MEDIA_ROOT).parent / "protected"

    @cached_property
    def base_url(self) -> Any:
        return None  # no public URL


def evidence_path(instance: Any, filename: str) -> str:
    """`evidence/<year>/<random>.<ext>`: the stored name never comes from the user (the
    original name is kept in `Evidence.original_name` and given back on download)."""
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file that backs a model (decision, report, photo) or the co-ordinator's qualitative
    assessment of an indicator in a year. Stored in `EvidenceStorage`, never served from
    MEDIA_URL: it is downloaded through a view that checks the user's rights."""

    file = models.FileField(
        _("tệp"), upload_to=evidence_path, storage=EvidenceStorage(), max_length=255
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    scp_model = models.ForeignKey(
        ScpModel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("mô hình"),
    )
    assessment = models.ForeignKey(
        "plans.QualitativeAssessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("đánh giá định tính"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scp_model__isnull=False) & Q(assessment__isnull=True))
                | (Q(scp_model__isnull=True) & Q(assessment__isnull=False)),
                name="evidence_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
