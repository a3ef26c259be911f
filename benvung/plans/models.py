"""The indicator framework as data: plan → objectives → indicators and targets → milestones.

Nothing about KH-2627 is written in code: `benvung init` loads it from `data/kh2627.json`,
and another plan is another file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Plan(models.Model):
    code = models.CharField("mã", max_length=50, unique=True)
    name = models.CharField("tên", max_length=500)
    short_name = models.CharField("tên ngắn", max_length=200, blank=True)
    issuing_body = models.CharField("cơ quan ban hành", max_length=255)
    decision = models.CharField("số quyết định", max_length=100)
    decision_date = models.DateField("ngày ban hành")
    implements = models.CharField("thực hiện", max_length=500, blank=True)
    lead_agency = models.CharField("cơ quan chủ trì", max_length=255, blank=True)
    base_year = models.PositiveSmallIntegerField("năm gốc")
    start_year = models.PositiveSmallIntegerField("năm bắt đầu")
    end_year = models.PositiveSmallIntegerField("năm kết thúc")
    goal = models.TextField("mục tiêu chung", blank=True)
    scope_root = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="địa bàn",
    )

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def years(self) -> range:
        """Every year the plan reports on, base year included."""
        return range(self.base_year, self.end_year + 1)


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField("mã", max_length=50)
    name = models.CharField("tên", max_length=500)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "mục tiêu"
        verbose_name_plural = "mục tiêu"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="objective_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class FormulaKind(models.TextChoices):
    COVERAGE_CUMULATIVE = "coverage_cumulative", "Tỷ lệ đơn vị có hoạt động lũy kế"
    COVERAGE_BOOLEAN = "coverage_boolean", "Tỷ lệ đơn vị đáp ứng trong năm"
    MODEL_COUNT = "model_count", "Số mô hình lũy kế"
    SUM = "sum", "Tổng trong năm"
    INTENSITY_INDEX = "intensity_index", "Chỉ số cường độ nối chuỗi"
    QUALITATIVE = "qualitative", "Định tính"


class Direction(models.TextChoices):
    INCREASE = "increase", "Càng cao càng tốt"
    DECREASE = "decrease", "Càng thấp càng tốt"


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="indicators", verbose_name="mục tiêu"
    )
    code = models.CharField("mã", max_length=50)
    name = models.CharField("tên", max_length=500)
    formula = models.CharField("công thức", max_length=30, choices=FormulaKind.choices)
    # Formula inputs: unit types, data element codes, model kind, sector. Kept as data so
    # that a new indicator of a known kind needs no code.
    parameters = models.JSONField("tham số", default=dict, blank=True)
    unit = models.CharField("đơn vị tính", max_length=50, blank=True)
    direction = models.CharField(
        "chiều", max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    methodology = models.TextField("phương pháp tính", blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_qualitative(self) -> bool:
        return self.formula == FormulaKind.QUALITATIVE


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    text = models.CharField("nội dung chỉ tiêu", max_length=500)

    class Meta:
        verbose_name = "chỉ tiêu phấn đấu"
        verbose_name_plural = "chỉ tiêu phấn đấu"
        ordering = ["indicator", "id"]

    def __str__(self) -> str:
        return self.text


class Milestone(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField("năm")
    minimum = models.DecimalField(
        "tối thiểu", max_digits=12, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField("tối đa", max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.CharField("diễn giải", max_length=300, blank=True)

    class Meta:
        verbose_name = "mốc"
        verbose_name_plural = "mốc"
        ordering = ["target", "year"]
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="milestone_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.text or self.minimum}"


class QualitativeAssessment(models.Model):
    """The co-ordinator's judgement for a qualitative indicator in a year, with evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField("năm")
    status = models.CharField("đánh giá", max_length=30)
    evidence = models.TextField("căn cứ, minh chứng", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đánh giá định tính"
        verbose_name_plural = "đánh giá định tính"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="assessment_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.status}"
