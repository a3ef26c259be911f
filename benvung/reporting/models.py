"""Data sets (report forms), submissions per unit and period, and their workflow events.

A data set binds data elements to unit types and a period type, with a deadline. Each unit
that must report a data set for a period has one `Submission` that moves
draft → submitted → approved, or back to returned; approved data is locked until the
co-ordinator reopens it with a reason. Every step is a `SubmissionEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DataSet(models.Model):
    code = models.CharField("mã", max_length=50, unique=True)
    name = models.CharField("tên biểu mẫu", max_length=300)
    period_type = models.CharField("kỳ báo cáo", max_length=15, default="yearly")
    unit_types = models.JSONField("loại đơn vị báo cáo", default=list)
    elements = models.ManyToManyField(
        "datavalues.DataElement", related_name="data_sets", verbose_name="chỉ số"
    )
    # Nghị định 09/2019/NĐ-CP leaves the sending deadline to each reporting regime: it is set
    # per data set as a day and month, in the year of the period (offset 0) or the next.
    deadline_day = models.PositiveSmallIntegerField("hạn nộp: ngày", default=20)
    deadline_month = models.PositiveSmallIntegerField("hạn nộp: tháng", default=12)
    deadline_year_offset = models.PositiveSmallIntegerField(
        "hạn nộp: năm sau kỳ báo cáo",
        default=0,
        help_text="0: cùng năm của kỳ báo cáo; 1: năm sau.",
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "biểu mẫu báo cáo"
        verbose_name_plural = "biểu mẫu báo cáo"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    SUBMITTED = "submitted", "Đã gửi, chờ duyệt"
    RETURNED = "returned", "Trả lại để sửa"
    APPROVED = "approved", "Đã duyệt"


class Submission(models.Model):
    data_set = models.ForeignKey(
        DataSet, on_delete=models.PROTECT, related_name="submissions", verbose_name="biểu mẫu"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="đơn vị",
    )
    period = models.CharField("kỳ", max_length=10)
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    status = models.CharField(
        "trạng thái",
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    # Incremented by every save of the form's values: a save based on an older version is
    # refused, so that two people editing the same report never overwrite each other.
    version = models.PositiveIntegerField("phiên bản", default=0)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người gửi",
    )
    decided_at = models.DateTimeField("duyệt / trả lại lúc", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người duyệt",
    )
    comment = models.TextField("ý kiến", blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "org_unit", "period"], name="submission_key"
            )
        ]
        indexes = [models.Index(fields=["org_unit", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.data_set.code} — {self.org_unit_id} — {self.period}"

    @property
    def is_locked(self) -> bool:
        """Approved data cannot change until the co-ordinator reopens it."""
        return self.status == SubmissionStatus.APPROVED


class EventAction(models.TextChoices):
    SAVE = "save", "Lưu số liệu"
    IMPORT = "import", "Nhập từ tệp"
    API = "api", "Nhập qua API"
    SUBMIT = "submit", "Gửi báo cáo"
    APPROVE = "approve", "Duyệt"
    RETURN = "return", "Trả lại"
    REOPEN = "reopen", "Mở lại để sửa"


class SubmissionEvent(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name="báo cáo"
    )
    action = models.CharField("thao tác", max_length=10, choices=EventAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thực hiện",
    )
    at = models.DateTimeField("lúc", auto_now_add=True)
    comment = models.TextField("ý kiến, lý do", blank=True)

    class Meta:
        verbose_name = "lịch sử báo cáo"
        verbose_name_plural = "lịch sử báo cáo"
        ordering = ["submission", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"
