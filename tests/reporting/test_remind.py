"""`benvung remind`: e-mails to the reporters of units still missing a report that is due.

Over the world of `test_completeness.build_world` (deadline 20/12/2025; missing in 2025: L2
and 290 in district 290; X1 and E1 in 288; T1 under the province).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from benvung.accounts.models import Role, RoleAssignment
from benvung.reporting.completeness import (
    DataSetProgress,
    ExpectedReport,
    Tally,
    reminder_text,
    reminders_plan,
)
from tests.reporting.test_completeness import World, build_world, reporter


@pytest.fixture
def world(db: None) -> World:
    world = build_world()
    reporter(world.units["288"], "bc288", "bc288@example.vn")
    reporter(world.units["290"], "bc290", "")  # no address: cannot be reminded
    reporter(world.units["K2"], "bck2", "bck2@example.vn")  # K2 has sent: nothing to remind
    both = reporter(world.units["T1"], "bct1", "bct1@example.vn")
    RoleAssignment.objects.create(user=both, role=Role.REPORTER, org_unit=world.units["L2"])
    return world


def remind(*args: str) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_reminder_text_without_a_database() -> None:
    progress = DataSetProgress(
        code="NHAN_THUC",
        name="Báo cáo nhận thức",
        deadline=dt.date(2025, 12, 20),
        days_left=5,
        deadline_phrase="còn 5 ngày",
        tally=Tally(2, 0, 0, 0),
        by_type=[],
    )
    report = ExpectedReport(
        "NHAN_THUC", "K1", "KCN Một", "KCN", "288", "Huyện Một", dt.date(2025, 12, 20), "draft"
    )
    subject, body = reminder_text(
        name="Nguyễn Văn A", year=2025, groups=[(progress, [report])], link="/bao-cao/tien-do-nop/"
    )
    assert subject == "Nhắc nộp báo cáo năm 2025: 1 báo cáo chưa gửi (hạn 20/12/2025, còn 5 ngày)"
    assert body.startswith("Kính gửi Nguyễn Văn A,")
    assert "Báo cáo nhận thức (NHAN_THUC)\nHạn nộp: 20/12/2025 (còn 5 ngày)" in body
    assert "  - KCN Một (K1): Đang nhập" in body
    assert "Xem tiến độ nộp: /bao-cao/tien-do-nop/" in body


def test_reminders_go_to_the_reporters_of_missing_units(world: World, mailoutbox: Any) -> None:
    out = remind("--year", "2025", "--today", "2025-12-15")
    assert "NHAN_THUC: hạn 20/12/2025 (còn 5 ngày), 1 đơn vị chưa gửi." in out
    assert "Đã gửi 2 thư nhắc." in out
    assert "chưa có địa chỉ e-mail, không nhắc được: bc290" in out
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"bc288@example.vn", "bct1@example.vn"}
    mail = by_address["bc288@example.vn"]
    assert mail.subject == (
        "Nhắc nộp báo cáo năm 2025: 2 báo cáo chưa gửi (hạn 20/12/2025, còn 5 ngày)"
    )
    assert "Xã Một (X1): Trả lại để sửa" in mail.body
    assert "Doanh nghiệp Một (E1): Chưa có báo cáo" in mail.body
    assert "L2" not in mail.body and "T1" not in mail.body
    assert "/bao-cao/tien-do-nop/?nam=2025" in mail.body
    assert mail.from_email
    other = by_address["bct1@example.vn"].body  # two units, two data sets
    assert "TTTM Một (T1): Chưa có báo cáo" in other
    assert "Làng nghề Hai (L2): Đang nhập" in other
    assert other.index("(NHAN_THUC)") < other.index("(PHAN_PHOI)")


def test_nothing_is_sent_before_the_window(world: World, mailoutbox: Any) -> None:
    out = remind("--year", "2025", "--days", "7", "--today", "2025-12-01")
    assert "Không gửi thư nào." in out
    assert mailoutbox == []
    # A wider window reaches the same deadline.
    assert "Đã gửi 2 thư nhắc." in remind("--year", "2025", "--days", "30", "--today", "2025-12-01")


def test_overdue_reports_are_reminded(world: World, mailoutbox: Any) -> None:
    out = remind("--year", "2025", "--today", "2026-01-05")
    assert "(quá hạn 16 ngày)" in out
    assert len(mailoutbox) == 2
    assert "quá hạn 16 ngày" in mailoutbox[0].subject


def test_dry_run_sends_nothing(world: World, mailoutbox: Any) -> None:
    out = remind("--year", "2025", "--today", "2025-12-15", "--dry-run")
    assert "→ bc288@example.vn: Nhắc nộp báo cáo năm 2025" in out
    assert "Chạy thử: 2 thư sẽ được gửi, chưa gửi thư nào." in out
    assert mailoutbox == []


def test_default_year_is_the_one_due(world: World, mailoutbox: Any) -> None:
    # On 15/12/2025 the 2025 deadline is 5 days away.
    assert "Đã gửi 2 thư nhắc." in remind("--today", "2025-12-15")
    assert "năm 2025" in mailoutbox[0].subject


def test_inactive_reporters_and_sent_reports_get_nothing(world: World, mailoutbox: Any) -> None:
    get_user_model().objects.filter(username="bct1").update(is_active=False)
    plan = reminders_plan(year=2025, days=7, today=dt.date(2025, 12, 15))
    assert [r.recipient.username for r in plan.reminders] == ["bc288"]
    assert plan.without_email == ["bc290"]
    assert plan.missing_count == 2


def test_negative_days_are_refused(world: World) -> None:
    with pytest.raises(CommandError, match="không được âm"):
        remind("--days", "-1")
