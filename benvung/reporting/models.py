"""Data sets (report forms), submissions per unit and period, and their workflow events.

A data set binds data elements to unit types and a period type, with a deadline. Each unit
that must report a data set for a period has one `Submission` that moves
draft → submitted → approved, or back to returned; approved data is locked until the
co-ordinator reopens it with a reason. Every step is a `SubmissionEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataSet(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên biểu mẫu"), max_length=300)
    period_type = models.CharField(_("kỳ báo cáo"), max_length=15, default="yearly")
    unit_types = models.JSONField(_("loại đơn vị báo cáo"), default=list)
    elements = models.ManyToManyField(
        "datavalues.DataElement", related_name="data_sets", verbose_name=_("chỉ số")
    )
    # Nghị định 09/2019/NĐ-CP leaves the sending deadline to each reporting regime: it is set
    # per data set as a day and month, in the year of the period (offset 0) or the next.
    deadline_day = models.PositiveSmallIntegerField(_("hạn nộp: ngày"), default=20)
    deadline_month = models.PositiveSmallIntegerField(_("hạn nộp: tháng"), default=12)
    deadline_year_offset = models.PositiveSmallIntegerField(
        _("hạn nộp: năm sau kỳ báo cáo"),
        default=0,
        help_text=_("0: cùng năm của kỳ báo cáo; 1: năm sau."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    APPROVED = "approved", _("Đã duyệt")


class Submission(models.Model):
    # An import creates hundreds of thousands of drafts, and each index is one more write for
    # each: the data set and the unit have none of their own, the key and the (unit, period,
    # status) index start with them.
    data_set = models.ForeignKey(
        DataSet,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("biểu mẫu"),
        db_index=False,
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("đơn vị"),
        db_index=False,
    )
    period = models.CharField(_("kỳ"), max_length=10)
    # No index: an import writes hundreds of thousands of drafts, and the year's readers
    # (the approved years, the Excel form of a year) read the queues' index or the values.
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    # Incremented by every save of the form's values: a save based on an older version is
    # refused, so that two people editing the same report never overwrite each other.
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
        db_index=False,  # see submission_submitted_by
    )
    decided_at = models.DateTimeField(_("duyệt / trả lại lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
        db_index=False,  # see submission_decided_by
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "org_unit", "period"], name="submission_key"
            )
        ]
        indexes = [
            models.Index(fields=["org_unit", "period", "status"]),
            # The queues (sent, returned, approved); not a pattern index, which nothing
            # searches by. Drafts, which an import creates by the hundred thousand, are in
            # no queue.
            models.Index(
                fields=["status"],
                name="submission_queued",
                condition=~models.Q(status="draft"),
            ),
            # For a user's deletion (SET_NULL): drafts have neither, and no entry.
            models.Index(
                fields=["submitted_by"],
                name="submission_submitted_by",
                condition=models.Q(submitted_by__isnull=False),
            ),
            models.Index(
                fields=["decided_by"],
                name="submission_decided_by",
                condition=models.Q(decided_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_set.code} — {self.org_unit_id} — {self.period}"

    @property
    def is_locked(self) -> bool:
        """Approved data cannot change until the co-ordinator reopens it."""
        return self.status == SubmissionStatus.APPROVED


class EventAction(models.TextChoices):
    SAVE = "save", _("Lưu số liệu")
    IMPORT = "import", _("Nhập từ tệp")
    API = "api", _("Nhập qua API")
    SUBMIT = "submit", _("Gửi báo cáo")
    APPROVE = "approve", _("Duyệt")
    RETURN = "return", _("Trả lại")
    REOPEN = "reopen", _("Mở lại để sửa")


class SubmissionEvent(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name=_("báo cáo")
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=EventAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
        db_index=False,  # see submissionevent_user
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    comment = models.TextField(_("ý kiến, lý do"), blank=True)

    class Meta:
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["submission", "at", "id"]
        indexes = [
            # For a user's deletion; an import's events have no user, and no entry.
            models.Index(
                fields=["user"],
                name="submissionevent_user",
                condition=models.Q(user__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"
