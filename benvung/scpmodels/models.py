"""The registry of sustainable production and consumption models (mô hình SXTDBV)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class ModelKind(models.TextChoices):
    AP_DUNG = "AP_DUNG", "Xây dựng, áp dụng"
    NHAN_RONG = "NHAN_RONG", "Phổ biến, nhân rộng"


class ScpModel(models.Model):
    code = models.CharField("mã", max_length=50, unique=True)
    name = models.CharField("tên mô hình", max_length=500)
    kind = models.CharField("loại", max_length=10, choices=ModelKind.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="scp_models",
        verbose_name="đơn vị",
    )
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    description = models.TextField("mô tả", blank=True)
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mô hình SXTDBV"
        verbose_name_plural = "mô hình SXTDBV"
        ordering = ["year", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
