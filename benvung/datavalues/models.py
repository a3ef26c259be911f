"""Data elements and the values that units report for them, with their full history.

A value is stored as entered (number and unit) and also in the element's canonical unit
(tonnes, TOE), so that sums over thousands of enterprises are one SQL aggregate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    DECIMAL = "decimal", _("Số thập phân")
    BOOLEAN = "boolean", _("Có/Không")


class PeriodType(models.TextChoices):
    YEARLY = "yearly", _("Năm")
    SIX_MONTHLY = "six_monthly", _("6 tháng")
    QUARTERLY = "quarterly", _("Quý")
    MONTHLY = "monthly", _("Tháng")


class Dimension(models.TextChoices):
    NONE = "", _("Không có đơn vị")
    ANY = "any", _("Đơn vị sản phẩm")
    MASS = "mass", _("Khối lượng (quy đổi ra tấn)")
    ENERGY = "energy", _("Năng lượng (quy đổi ra TOE)")


class DataElement(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=500)
    unit_types = models.JSONField(_("loại đơn vị báo cáo"), default=list)
    value_type = models.CharField(_("kiểu giá trị"), max_length=10, choices=ValueType.choices)
    period_type = models.CharField(
        _("kỳ báo cáo"), max_length=15, choices=PeriodType.choices, default=PeriodType.YEARLY
    )
    dimension = models.CharField(
        _("đơn vị đo"), max_length=10, choices=Dimension.choices, blank=True, default=""
    )
    canonical_unit = models.CharField(_("đơn vị quy đổi"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("chỉ số thu thập")
        verbose_name_plural = _("chỉ số thu thập")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def needs_unit(self) -> bool:
        return bool(self.dimension)


class DataValue(models.Model):
    # No index of its own: the (element, year, unit) index starts with it, and every index is
    # one more write for each of a million imported values.
    data_element = models.ForeignKey(
        DataElement,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("chỉ số"),
        db_index=False,
    )
    # No index of its own either: the key starts with it.
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="data_values",
        verbose_name=_("đơn vị"),
        db_index=False,
    )
    period = models.CharField(_("kỳ"), max_length=10)
    # The calendar year of the period, kept so that yearly roll-ups are an indexed filter
    # (of the element index below). No index of its own: see `datavalues.selectors`.
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=6)
    unit = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    canonical_value = models.DecimalField(_("giá trị quy đổi"), max_digits=30, decimal_places=10)
    comment = models.CharField(_("ghi chú"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # see datavalue_updated_by: the values of imports have no author
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)

    # The history is read by unit (a value's records too, among its unit's: see the admin),
    # not by value, element, author, year or date alone (settings.SIMPLE_HISTORY_DATE_INDEX).
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["id", "data_element", "updated_by", "year"],
    )

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [
            # By unit first: a unit's values (its forms, its history, the protection of a
            # unit with values) and the key in one index; by element, the index below.
            models.UniqueConstraint(
                fields=["org_unit", "data_element", "period"], name="datavalue_key"
            )
        ]
        indexes = [
            # An element's values of some years and units, as the indicators read them: the
            # value is in the index too, so that they are read from it alone (SQLite reads a
            # sector's CT07 records after each write in half the time).
            models.Index(
                fields=["data_element", "year", "org_unit", "canonical_value"],
                name="datavalue_element_year",
            ),
            # For a user's deletion (SET_NULL); values loaded from the command line, most of
            # them, have no author and no entry.
            models.Index(
                fields=["updated_by"],
                name="datavalue_updated_by",
                condition=models.Q(updated_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_element_id}/{self.org_unit_id}/{self.period} = {self.value}"
