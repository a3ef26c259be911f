"""Reporting units and their dated parent links.

A unit exists over [valid_from, valid_to]; its place in the hierarchy is a series of dated
`ParentLink`s, so that a zone that moves from a district to a commune keeps its history and
counts for each parent in the years it belonged there.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class UnitType(models.TextChoices):
    TINH = "TINH", "Tỉnh, thành phố trực thuộc trung ương"
    HUYEN = "HUYEN", "Huyện, thị xã, thành phố thuộc tỉnh"
    XA = "XA", "Xã, phường, thị trấn"
    KCN = "KCN", "Khu công nghiệp"
    CCN = "CCN", "Cụm công nghiệp"
    LANG_NGHE = "LANG_NGHE", "Làng nghề"
    SIEU_THI = "SIEU_THI", "Siêu thị"
    TTTM = "TTTM", "Trung tâm thương mại"
    DOANH_NGHIEP = "DOANH_NGHIEP", "Doanh nghiệp"
    CO_QUAN = "CO_QUAN", "Sở, ngành, hội, đoàn thể"


class Sector(models.TextChoices):
    DET_MAY = "DET_MAY", "Dệt may"
    THEP = "THEP", "Thép"
    NHUA = "NHUA", "Nhựa"
    HOA_CHAT = "HOA_CHAT", "Hóa chất"
    XI_MANG = "XI_MANG", "Xi măng"
    BIA_RUOU_NGK = "BIA_RUOU_NGK", "Rượu, bia, nước giải khát"
    KHAC = "KHAC", "Ngành sản xuất khác"


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def active_between(self, start: dt.date, end: dt.date) -> OrgUnitQuerySet:
        """Units whose validity overlaps [start, end]."""
        return self.filter(valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )

    def active_in_year(self, year: int) -> OrgUnitQuerySet:
        """Units active on at least one day of the year."""
        return self.active_between(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def active_on(self, day: dt.date) -> OrgUnitQuerySet:
        """Units valid on the given day."""
        return self.active_between(day, day)


class OrgUnit(models.Model):
    code = models.CharField("mã", max_length=50, unique=True)
    name = models.CharField("tên", max_length=255)
    type = models.CharField("loại", max_length=20, choices=UnitType.choices, db_index=True)
    sector = models.CharField("ngành", max_length=20, choices=Sector.choices, blank=True)
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["code"]
        indexes = [models.Index(fields=["type", "valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_active_between(self, start: dt.date, end: dt.date) -> bool:
        """Whether the unit's validity overlaps [start, end]."""
        return self.valid_from <= end and (self.valid_to is None or self.valid_to >= start)


class ParentLink(models.Model):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="parent_links", verbose_name="đơn vị"
    )
    parent = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="child_links",
        verbose_name="đơn vị cấp trên",
    )
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "quan hệ cấp trên"
        verbose_name_plural = "quan hệ cấp trên"
        ordering = ["unit__code", "valid_from"]
        indexes = [
            models.Index(fields=["parent", "valid_from"]),
            models.Index(fields=["unit", "valid_from"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="parentlink_valid_range",
            ),
            models.CheckConstraint(
                condition=~Q(unit=models.F("parent")), name="parentlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.unit.code} → {self.parent.code} ({self.valid_from.isoformat()}–{end})"
