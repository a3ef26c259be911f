"""Roles of users, scoped to reporting units.

A reporter reports for the units assigned to them and everything in those units' subtrees;
the co-ordinator (Sở Công Thương) sees and approves everything; a leader reads everything;
an administrator manages accounts and master data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REPORTER = "reporter", _("Người báo cáo")
    COORDINATOR = "coordinator", _("Điều phối viên (Sở Công Thương)")
    LEADER = "leader", _("Lãnh đạo")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("người dùng"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("đơn vị"),
        help_text=_("Bắt buộc với người báo cáo: báo cáo cho đơn vị này và các đơn vị trực thuộc."),
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "org_unit"], name="roleassignment_unique"
            ),
            models.CheckConstraint(
                condition=~Q(role="reporter") | Q(org_unit__isnull=False),
                name="roleassignment_reporter_has_unit",
            ),
        ]

    def __str__(self) -> str:
        unit = f" — {self.org_unit}" if self.org_unit_id else ""
        return f"{self.user} : {self.get_role_display()}{unit}"


class DataKind(models.TextChoices):
    """What unpublished data a user looked at (the page or API that showed it)."""

    ENTRY = "entry", _("Phiếu nhập số liệu")
    SUBMISSION = "submission", _("Báo cáo đã nộp")
    PLAN = "plan", _("Trang kế hoạch (số liệu chưa duyệt)")
    INDICATOR = "indicator", _("Trang chỉ tiêu (số liệu chưa duyệt)")
    API_VALUES = "api_values", _("API số liệu (chưa duyệt)")
    UNIT = "unit", _("Trang đơn vị (số liệu chưa duyệt)")
    SERIES = "series", _("Chuỗi so sánh qua sắp xếp (số liệu chưa duyệt)")
    HISTORY = "history", _("Lịch sử thay đổi số liệu")


class AccessLogEntry(models.Model):
    """One view of unpublished (not yet approved) data: who, when, which page, which unit.

    Written by `services.record_access`; never edited (the admin list is read-only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_log",
        verbose_name=_("người dùng"),
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    path = models.CharField(_("địa chỉ"), max_length=500)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    data_kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=DataKind.choices)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt xem dữ liệu chưa công bố")
        verbose_name_plural = _("nhật ký xem dữ liệu chưa công bố")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_data_kind_display()} — {self.at:%d/%m/%Y %H:%M}"
