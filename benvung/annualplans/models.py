"""The annual implementation plan (kế hoạch triển khai hằng năm) and its execution.

Each year the Sở Công Thương drafts the year's plan: activities under the plan's tasks, each
with a responsible agency, a schedule, outputs and budget lines by funding source (VND). The
plan moves draft → submitted → approved (then locked). Agencies then report progress per
activity; the latest report is the activity's current state.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class FundingSource(models.TextChoices):
    NSTW = "NSTW", "Ngân sách trung ương"
    NST = "NST", "Ngân sách tỉnh"
    NSH = "NSH", "Ngân sách huyện"
    XHH = "XHH", "Xã hội hóa"
    LONG_GHEP = "LONG_GHEP", "Lồng ghép chương trình khác"


class PlanStatus(models.TextChoices):
    DRAFT = "nhap", "Dự thảo"
    SUBMITTED = "da_trinh", "Đã trình"
    APPROVED = "da_duyet", "Đã phê duyệt"


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "chua_bat_dau", "Chưa bắt đầu"
    IN_PROGRESS = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Hoàn thành"
    PAUSED = "tam_dung", "Tạm dừng"


class ImplementationPlan(models.Model):
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="implementation_plans",
        verbose_name="kế hoạch",
    )
    year = models.PositiveSmallIntegerField("năm")
    status = models.CharField(
        "trạng thái", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    title = models.CharField("tên kế hoạch", max_length=500, blank=True)
    # Incremented by every change; a save based on an older version is refused, so that two
    # people editing the same plan never overwrite each other.
    version = models.PositiveIntegerField("phiên bản", default=1)
    submitted_at = models.DateTimeField("trình lúc", null=True, blank=True)
    approved_at = models.DateTimeField("phê duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người phê duyệt",
    )
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "kế hoạch triển khai năm"
        verbose_name_plural = "kế hoạch triển khai năm"
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="implementationplan_year")
        ]

    def __str__(self) -> str:
        return self.title or f"Kế hoạch triển khai năm {self.year}"

    @property
    def is_locked(self) -> bool:
        """An approved plan cannot be edited."""
        return self.status == PlanStatus.APPROVED


class Activity(models.Model):
    implementation_plan = models.ForeignKey(
        ImplementationPlan,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name="kế hoạch triển khai",
    )
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, related_name="activities", verbose_name="nhiệm vụ"
    )
    code = models.CharField("mã", max_length=50)
    title = models.CharField("tên hoạt động", max_length=500)
    responsible = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="responsible_activities",
        verbose_name="cơ quan chủ trì",
    )
    coordinating = models.ManyToManyField(
        "orgunits.OrgUnit",
        blank=True,
        related_name="coordinated_activities",
        verbose_name="cơ quan phối hợp",
    )
    start_date = models.DateField("bắt đầu")
    end_date = models.DateField("hoàn thành")
    expected_outputs = models.TextField("sản phẩm dự kiến", blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name="chuyển tiếp từ",
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        ordering = ["implementation_plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["implementation_plan", "code"], name="activity_code"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="activity_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class BudgetLine(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="budget_lines", verbose_name="hoạt động"
    )
    source = models.CharField("nguồn kinh phí", max_length=10, choices=FundingSource.choices)
    amount = models.DecimalField(
        "số tiền (đồng)",
        max_digits=18,
        decimal_places=0,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField("ghi chú", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "dự toán kinh phí"
        verbose_name_plural = "dự toán kinh phí"
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "source"], name="budgetline_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budgetline_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} {self.get_source_display()}"


class ActivityReport(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="reports", verbose_name="hoạt động"
    )
    as_of = models.DateField("tính đến ngày")
    status = models.CharField("tình trạng", max_length=20, choices=ActivityStatus.choices)
    percent_done = models.PositiveSmallIntegerField(
        "tỷ lệ hoàn thành (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    outputs_achieved = models.TextField("kết quả, sản phẩm đạt được", blank=True)
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người báo cáo",
    )
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)

    class Meta:
        verbose_name = "báo cáo tiến độ hoạt động"
        verbose_name_plural = "báo cáo tiến độ hoạt động"
        ordering = ["activity", "as_of", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="report_percent")
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} — {self.as_of:%d/%m/%Y}"


class SpendingLine(models.Model):
    """Cumulative amount spent from one source up to the report's date."""

    report = models.ForeignKey(
        ActivityReport, on_delete=models.CASCADE, related_name="spending", verbose_name="báo cáo"
    )
    source = models.CharField("nguồn kinh phí", max_length=10, choices=FundingSource.choices)
    amount = models.DecimalField(
        "đã chi lũy kế (đồng)", max_digits=18, decimal_places=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = "kinh phí đã chi"
        verbose_name_plural = "kinh phí đã chi"
        ordering = ["report", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "source"], name="spendingline_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="spendingline_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.get_source_display()}"
