"""Roles of users, scoped to reporting units.

A reporter reports for the units assigned to them and everything in those units' subtrees;
the co-ordinator (Sở Công Thương) sees and approves everything; a leader reads everything;
an administrator manages accounts and master data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    REPORTER = "reporter", "Người báo cáo"
    COORDINATOR = "coordinator", "Điều phối viên (Sở Công Thương)"
    LEADER = "leader", "Lãnh đạo"
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name="người dùng",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="đơn vị",
        help_text="Bắt buộc với người báo cáo: báo cáo cho đơn vị này và các đơn vị trực thuộc.",
    )

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
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
