"""Tasks (nhiệm vụ) of a plan, grouped as in the national programme (Quyết định 889/QĐ-TTg).

Each task serves some of the plan's objectives and indicators, is led by one agency (a
department — CO_QUAN — or a district — HUYEN) with others co-ordinating, over a span of years.
The starting list for KH-2627 is data (`data/kh2627_tasks.json`), editable afterwards.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

AGENCY_TYPES = ("CO_QUAN", "HUYEN")


class TaskGroup(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="task_groups", verbose_name="kế hoạch"
    )
    code = models.CharField("mã", max_length=50)
    name = models.CharField("tên nhóm nhiệm vụ", max_length=500)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "nhóm nhiệm vụ"
        verbose_name_plural = "nhóm nhiệm vụ"
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="taskgroup_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Task(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="tasks", verbose_name="kế hoạch"
    )
    group = models.ForeignKey(
        TaskGroup, on_delete=models.PROTECT, related_name="tasks", verbose_name="nhóm nhiệm vụ"
    )
    code = models.CharField("mã", max_length=50)
    title = models.CharField("tên nhiệm vụ", max_length=500)
    description = models.TextField("nội dung", blank=True)
    objectives = models.ManyToManyField(
        "plans.Objective", blank=True, related_name="tasks", verbose_name="mục tiêu phục vụ"
    )
    indicators = models.ManyToManyField(
        "plans.Indicator", blank=True, related_name="tasks", verbose_name="chỉ tiêu phục vụ"
    )
    lead_agency = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        limit_choices_to=Q(type__in=AGENCY_TYPES),
        verbose_name="cơ quan chủ trì",
    )
    coordinating_agencies = models.ManyToManyField(
        "orgunits.OrgUnit",
        blank=True,
        related_name="coordinated_tasks",
        limit_choices_to=Q(type__in=AGENCY_TYPES),
        verbose_name="cơ quan phối hợp",
    )
    start_year = models.PositiveSmallIntegerField("từ năm")
    end_year = models.PositiveSmallIntegerField("đến năm")
    expected_outputs = models.TextField("sản phẩm dự kiến", blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan", "group__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_code"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="task_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def timeframe(self) -> str:
        """'2021–2030', or the single year."""
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"
