"""Reporting units and their dated parent links.

A unit exists over [valid_from, valid_to]; its place in the hierarchy is a series of dated
`ParentLink`s, so that a zone that moves from a district to a commune keeps its history and
counts for each parent in the years it belonged there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UnitType(models.TextChoices):
    TINH = "TINH", _("Tỉnh, thành phố trực thuộc trung ương")
    HUYEN = "HUYEN", _("Huyện, thị xã, thành phố thuộc tỉnh")
    XA = "XA", _("Xã, phường, thị trấn")
    KCN = "KCN", _("Khu công nghiệp")
    CCN = "CCN", _("Cụm công nghiệp")
    LANG_NGHE = "LANG_NGHE", _("Làng nghề")
    SIEU_THI = "SIEU_THI", _("Siêu thị")
    TTTM = "TTTM", _("Trung tâm thương mại")
    DOANH_NGHIEP = "DOANH_NGHIEP", _("Doanh nghiệp")
    CO_QUAN = "CO_QUAN", _("Sở, ngành, hội, đoàn thể")


class Sector(models.TextChoices):
    DET_MAY = "DET_MAY", _("Dệt may")
    THEP = "THEP", _("Thép")
    NHUA = "NHUA", _("Nhựa")
    HOA_CHAT = "HOA_CHAT", _("Hóa chất")
    XI_MANG = "XI_MANG", _("Xi măng")
    BIA_RUOU_NGK = "BIA_RUOU_NGK", _("Rượu, bia, nước giải khát")
    KHAC = "KHAC", _("Ngành sản xuất khác")


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
    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    type = models.CharField(_("loại"), max_length=20, choices=UnitType.choices, db_index=True)
    sector = models.CharField(_("ngành"), max_length=20, choices=Sector.choices, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
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
        OrgUnit, on_delete=models.CASCADE, related_name="parent_links", verbose_name=_("đơn vị")
    )
    parent = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="child_links",
        verbose_name=_("đơn vị cấp trên"),
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("quan hệ cấp trên")
        verbose_name_plural = _("quan hệ cấp trên")
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


class SuccessionKind(models.TextChoices):
    MERGE = "MERGE", _("Nhập vào")
    SPLIT = "SPLIT", _("Chia tách (một phần)")
    RENAME = "RENAME", _("Đổi tên, đổi mã")
    TRANSFER = "TRANSFER", _("Điều chỉnh một phần địa giới")


class Succession(models.Model):
    """On `date`, (part of) the territory of `predecessor` became (part of) `successor`.

    A SPLIT row gives the part of the predecessor that went to this successor (`share`, 0–1;
    the shares of one split sum to 1). The lineage is what lets a plan written for units that
    no longer exist follow its territory, and a series cross the reform (docs/reform.md).
    """

    predecessor = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="successions",
        verbose_name=_("đơn vị trước"),
    )
    successor = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="predecessions",
        verbose_name=_("đơn vị sau"),
    )
    date = models.DateField(_("ngày hiệu lực"))
    kind = models.CharField(_("hình thức"), max_length=10, choices=SuccessionKind.choices)
    share = models.DecimalField(
        _("tỷ lệ (phần của đơn vị trước)"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        ordering = ["date", "predecessor__code", "successor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "date"], name="succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=1)),
                name="succession_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} → {self.successor.code} ({self.date.isoformat()})"

    @property
    def share_percent(self) -> Decimal | None:
        """The share as a percentage, for display (None without one)."""
        return None if self.share is None else self.share * 100


class HierarchyState(models.Model):
    """One row whose token changes with every write to units, parent links or successions.

    Database triggers (migration 0003) set a new random token on any insert, update or
    delete of those tables, in the same transaction, whatever made it: a form, an import's
    bulk insert, another process, a hand-written SQL statement. Each process keeps its walk
    of the hierarchy (`indicators.structure`) while the token it was built at is current."""

    token = models.BigIntegerField(_("dấu phiên bản cây đơn vị"), default=0)

    class Meta:
        verbose_name = _("trạng thái cây đơn vị")
        verbose_name_plural = _("trạng thái cây đơn vị")

    def __str__(self) -> str:
        return str(self.token)
