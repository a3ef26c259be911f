"""Data elements and the values that units report for them, with their full history.

A value is stored as entered (number and unit) and also in the element's canonical unit
(tonnes, TOE), so that sums over thousands of enterprises are one SQL aggregate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ValueType(models.TextChoices):
    INTEGER = "integer", "Số nguyên"
    DECIMAL = "decimal", "Số thập phân"
    BOOLEAN = "boolean", "Có/Không"


class PeriodType(models.TextChoices):
    YEARLY = "yearly", "Năm"
    SIX_MONTHLY = "six_monthly", "6 tháng"
    QUARTERLY = "quarterly", "Quý"
    MONTHLY = "monthly", "Tháng"


class Dimension(models.TextChoices):
    NONE = "", "Không có đơn vị"
    ANY = "any", "Đơn vị sản phẩm"
    MASS = "mass", "Khối lượng (quy đổi ra tấn)"
    ENERGY = "energy", "Năng lượng (quy đổi ra TOE)"


class DataElement(models.Model):
    code = models.CharField("mã", max_length=50, unique=True)
    name = models.CharField("tên", max_length=500)
    unit_types = models.JSONField("loại đơn vị báo cáo", default=list)
    value_type = models.CharField("kiểu giá trị", max_length=10, choices=ValueType.choices)
    period_type = models.CharField(
        "kỳ báo cáo", max_length=15, choices=PeriodType.choices, default=PeriodType.YEARLY
    )
    dimension = models.CharField(
        "đơn vị đo", max_length=10, choices=Dimension.choices, blank=True, default=""
    )
    canonical_unit = models.CharField("đơn vị quy đổi", max_length=20, blank=True)

    class Meta:
        verbose_name = "chỉ số thu thập"
        verbose_name_plural = "chỉ số thu thập"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def needs_unit(self) -> bool:
        return bool(self.dimension)


class DataValue(models.Model):
    data_element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, related_name="values", verbose_name="chỉ số"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="data_values",
        verbose_name="đơn vị",
    )
    period = models.CharField("kỳ", max_length=10)
    # The calendar year of the period, kept so that yearly roll-ups are an indexed filter.
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=6)
    unit = models.CharField("đơn vị tính", max_length=30, blank=True)
    canonical_value = models.DecimalField("giá trị quy đổi", max_digits=30, decimal_places=10)
    comment = models.CharField("ghi chú", max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    source = models.CharField("nguồn", max_length=255, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "số liệu"
        verbose_name_plural = "số liệu"
        constraints = [
            models.UniqueConstraint(
                fields=["data_element", "org_unit", "period"], name="datavalue_key"
            )
        ]
        indexes = [models.Index(fields=["data_element", "year", "org_unit"])]

    def __str__(self) -> str:
        return f"{self.data_element_id}/{self.org_unit_id}/{self.period} = {self.value}"
