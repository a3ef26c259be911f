"""`benvung remind [--year Y] [--days 7] [--dry-run]`: e-mail reporters their missing reports.

For each data set whose deadline is within `--days` days or has passed, every reporter whose
units' subtrees hold a unit that has not sent its report gets one message listing those units,
the deadline and the link to the completeness page. Sent through Django's e-mail framework
(EMAIL_BACKEND); running it twice sends twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from benvung.core.formatting import format_date
from benvung.reporting.completeness import default_year, reminders_plan


class Command(BaseCommand):
    help = "Gửi thư nhắc người báo cáo các báo cáo sắp đến hạn hoặc quá hạn mà chưa gửi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, help="Năm báo cáo (mặc định năm có hạn nộp gần nhất)."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="Nhắc các biểu mẫu còn không quá số ngày này đến hạn, hoặc đã quá hạn (7).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ in ra, không gửi thư.")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="Coi hôm nay là ngày YYYY-MM-DD (thử)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        if days < 0:
            raise CommandError("--days không được âm.")
        today: dt.date = options["today"] or timezone.localdate()
        year = options["year"] or default_year(today, days)
        path = reverse("reporting:completeness") + f"?nam={year}"
        link = getattr(settings, "SITE_URL", "").rstrip("/") + path
        plan = reminders_plan(year=year, days=days, today=today, link=link)

        if not plan.due:
            self.stdout.write(
                f"Năm {year}: không có biểu mẫu nào còn thiếu báo cáo mà hạn nộp trong "
                f"{days} ngày tới hoặc đã qua. Không gửi thư nào."
            )
            return
        for data_set in plan.due:
            self.stdout.write(
                f"{data_set.code}: hạn {format_date(data_set.deadline)} "
                f"({data_set.deadline_phrase}), {data_set.tally.missing} đơn vị chưa gửi."
            )
        messages = [
            EmailMessage(
                subject=reminder.subject,
                body=reminder.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[reminder.recipient.email],
            )
            for reminder in plan.reminders
        ]
        if options["dry_run"]:
            for reminder in plan.reminders:
                self.stdout.write(f"  → {reminder.recipient.email}: {reminder.subject}")
            sent = 0
        else:
            sent = get_connection().send_messages(messages) or 0
        if plan.without_email:
            self.stdout.write(
                "Người báo cáo chưa có địa chỉ e-mail, không nhắc được: "
                + ", ".join(plan.without_email)
            )
        if options["dry_run"]:
            self.stdout.write(f"Chạy thử: {len(messages)} thư sẽ được gửi, chưa gửi thư nào.")
        else:
            self.stdout.write(f"Đã gửi {sent} thư nhắc.")
