"""The indicator framework as data: plan → objectives → indicators and targets → milestones.

Nothing about KH-2627 is written in code: `benvung init` loads it from `data/kh2627.json`,
and another plan is another file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=500)
    short_name = models.CharField(_("tên ngắn"), max_length=200, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255)
    decision = models.CharField(_("số quyết định"), max_length=100)
    decision_date = models.DateField(_("ngày ban hành"))
    implements = models.CharField(_("thực hiện"), max_length=500, blank=True)
    lead_agency = models.CharField(_("cơ quan chủ trì"), max_length=255, blank=True)
    base_year = models.PositiveSmallIntegerField(_("năm gốc"))
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"))
    goal = models.TextField(_("mục tiêu chung"), blank=True)
    scope_root = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa bàn"),
    )
    # The programme this plan implements (KH-2627 → the national programme of QĐ 889/QĐ-TTg).
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thực hiện chương trình"),
    )
    is_sample = models.BooleanField(_("kế hoạch minh họa"), default=False)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def years(self) -> range:
        """Every year the plan reports on, base year included."""
        return range(self.base_year, self.end_year + 1)


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("mã"), max_length=50)
    name = models.CharField(_("tên"), max_length=500)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="objective_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class FormulaKind(models.TextChoices):
    COVERAGE_CUMULATIVE = "coverage_cumulative", _("Tỷ lệ đơn vị có hoạt động lũy kế")
    COVERAGE_BOOLEAN = "coverage_boolean", _("Tỷ lệ đơn vị đáp ứng trong năm")
    MODEL_COUNT = "model_count", _("Số mô hình lũy kế")
    SUM = "sum", _("Tổng trong năm")
    INTENSITY_INDEX = "intensity_index", _("Chỉ số cường độ nối chuỗi")
    QUALITATIVE = "qualitative", _("Định tính")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Càng cao càng tốt")
    DECREASE = "decrease", _("Càng thấp càng tốt")


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("mục tiêu")
    )
    code = models.CharField(_("mã"), max_length=50)
    name = models.CharField(_("tên"), max_length=500)
    formula = models.CharField(_("công thức"), max_length=30, choices=FormulaKind.choices)
    # Formula inputs: unit types, data element codes, model kind, sector. Kept as data so
    # that a new indicator of a known kind needs no code.
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    direction = models.CharField(
        _("chiều"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    methodology = models.TextField(_("phương pháp tính"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_qualitative(self) -> bool:
        return self.formula == FormulaKind.QUALITATIVE


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    text = models.CharField(_("nội dung chỉ tiêu"), max_length=500)
    # The target of the parent plan this one serves (a provincial target → a national one).
    serves = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_by",
        verbose_name=_("phục vụ chỉ tiêu"),
    )

    class Meta:
        verbose_name = _("chỉ tiêu phấn đấu")
        verbose_name_plural = _("chỉ tiêu phấn đấu")
        ordering = ["indicator", "id"]

    def __str__(self) -> str:
        return self.text


class Milestone(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("năm"))
    minimum = models.DecimalField(
        _("tối thiểu"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("tối đa"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    text = models.CharField(_("diễn giải"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mốc")
        verbose_name_plural = _("mốc")
        ordering = ["target", "year"]
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="milestone_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.text or self.minimum}"


class QualitativeAssessment(models.Model):
    """The co-ordinator's judgement for a qualitative indicator in a year, with evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("đánh giá"), max_length=30)
    evidence = models.TextField(_("căn cứ, minh chứng"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đánh giá định tính")
        verbose_name_plural = _("đánh giá định tính")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="assessment_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.status}"


class IndicatorVersion(models.Model):
    """From `valid_from`, the indicator is computed with these `parameters` (e.g. CT03's
    districts become the communes of the plan's territory from 1/7/2025), by `decision`.

    The indicator's own `parameters` hold the first definition; versions hold the later ones.
    A year that spans two definitions counts the units of each that were active while that
    definition held (domain/definitions.py).
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="versions", verbose_name="chỉ tiêu"
    )
    valid_from = models.DateField("áp dụng từ")
    parameters = models.JSONField("tham số", default=dict)
    decision = models.TextField("căn cứ thay đổi")
    note = models.TextField("giải thích cho người xem", blank=True)

    class Meta:
        verbose_name = "phiên bản định nghĩa chỉ tiêu"
        verbose_name_plural = "phiên bản định nghĩa chỉ tiêu"
        ordering = ["indicator", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "valid_from"], name="indicator_version")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} từ {self.valid_from.isoformat()}"
